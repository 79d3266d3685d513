//! Kubernetes semver (`k8s.io/apiserver/pkg/cel/library/semverlib.go`): `semver(s[, normalize])`,
//! `isSemver(s[, normalize])`, `major`, `minor`, `patch`, `isGreaterThan`, `isLessThan`,
//! `compareTo`. Parsing ports `github.com/blang/semver/v4` `Parse` with its error texts;
//! `normalize` ports the library's `normalizeAndParse` (one leading `v`, leading zeros,
//! missing minor/patch filled with `0`).

use super::super::errors::EvalError;
use super::super::eval::{factor, Tracker};
use super::super::types::{opaque, Type};
use super::super::value::Value;
use super::Overload;
use std::cmp::Ordering;
use std::sync::Arc;

/// A prerelease identifier.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Pre {
    Num(u64),
    Alpha(String),
}

/// A parsed semantic version (build metadata kept, ignored by comparisons).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Semver {
    major: u64,
    minor: u64,
    patch: u64,
    pre: Vec<Pre>,
    build: Vec<String>,
}

const ALPHANUM: &str = "-ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

fn only(s: &str, set: &str) -> bool {
    s.chars().all(|c| set.contains(c))
}

fn numbers(s: &str) -> bool {
    s.chars().all(|c| c.is_ascii_digit())
}

fn leading_zero(s: &str) -> bool {
    s.len() > 1 && s.starts_with('0')
}

fn parse_uint(s: &str) -> Result<u64, String> {
    s.parse::<u64>().map_err(|_| {
        if s.is_empty() || !numbers(s) {
            format!("strconv.ParseUint: parsing {s:?}: invalid syntax")
        } else {
            format!("strconv.ParseUint: parsing {s:?}: value out of range")
        }
    })
}

impl Semver {
    /// blang/semver v4 `Parse`.
    pub fn parse(s: &str) -> Result<Semver, String> {
        if s.is_empty() {
            return Err("Version string empty".into());
        }
        let parts: Vec<&str> = s.splitn(3, '.').collect();
        if parts.len() != 3 {
            return Err("No Major.Minor.Patch elements found".into());
        }
        let number = |p: &str, what: &str| -> Result<u64, String> {
            if !numbers(p) {
                return Err(format!("Invalid character(s) found in {what} number {p:?}"));
            }
            if leading_zero(p) {
                let cap = format!("{}{}", what[..1].to_uppercase(), &what[1..]);
                return Err(format!(
                    "{cap} number must not contain leading zeroes {p:?}"
                ));
            }
            parse_uint(p)
        };
        let major = number(parts[0], "major")?;
        let minor = number(parts[1], "minor")?;
        let mut patch_str = parts[2];
        let mut build = Vec::new();
        let mut pre_strs = Vec::new();
        if let Some(i) = patch_str.find('+') {
            build = patch_str[i + 1..].split('.').map(String::from).collect();
            patch_str = &patch_str[..i];
        }
        if let Some(i) = patch_str.find('-') {
            pre_strs = patch_str[i + 1..].split('.').collect();
            patch_str = &patch_str[..i];
        }
        let patch = number(patch_str, "patch")?;
        let mut pre = Vec::new();
        for p in pre_strs {
            if p.is_empty() {
                return Err("Prerelease is empty".into());
            }
            if numbers(p) {
                if leading_zero(p) {
                    return Err(format!(
                        "Numeric PreRelease version must not contain leading zeroes {p:?}"
                    ));
                }
                pre.push(Pre::Num(parse_uint(p)?));
            } else if only(p, ALPHANUM) {
                pre.push(Pre::Alpha(p.to_string()));
            } else {
                return Err(format!("Invalid character(s) found in prerelease {p:?}"));
            }
        }
        for b in &build {
            if b.is_empty() {
                return Err("Build meta data is empty".into());
            }
            if !only(b, ALPHANUM) {
                return Err(format!(
                    "Invalid character(s) found in build meta data {b:?}"
                ));
            }
        }
        Ok(Semver {
            major,
            minor,
            patch,
            pre,
            build,
        })
    }

    /// The library's `normalizeAndParse`.
    pub fn parse_normalized(s: &str) -> Result<Semver, String> {
        let s = s.strip_prefix('v').unwrap_or(s);
        let mut parts: Vec<String> = s.splitn(3, '.').map(String::from).collect();
        for p in &mut parts {
            if p.len() > 1 {
                let trimmed = p.trim_start_matches('0');
                *p = if trimmed.is_empty() || !trimmed.starts_with(|c: char| c.is_ascii_digit()) {
                    format!("0{trimmed}")
                } else {
                    trimmed.to_string()
                };
            }
        }
        if parts.len() < 3 {
            if parts.last().is_some_and(|p| p.contains(['+', '-'])) {
                return Err("short version cannot contain PreRelease/Build meta data".into());
            }
            while parts.len() < 3 {
                parts.push("0".into());
            }
        }
        Semver::parse(&parts.join("."))
    }

    /// Precedence (`Version.Compare`): build metadata ignored.
    pub fn cmp_precedence(&self, o: &Semver) -> Ordering {
        (self.major, self.minor, self.patch)
            .cmp(&(o.major, o.minor, o.patch))
            .then_with(|| match (self.pre.is_empty(), o.pre.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => {
                    for (a, b) in self.pre.iter().zip(&o.pre) {
                        let c = match (a, b) {
                            (Pre::Num(x), Pre::Num(y)) => x.cmp(y),
                            (Pre::Num(_), Pre::Alpha(_)) => Ordering::Less,
                            (Pre::Alpha(_), Pre::Num(_)) => Ordering::Greater,
                            (Pre::Alpha(x), Pre::Alpha(y)) => x.cmp(y),
                        };
                        if c != Ordering::Equal {
                            return c;
                        }
                    }
                    self.pre.len().cmp(&o.pre.len())
                }
            })
    }
}

const NAMES: [&str; 8] = [
    "semver",
    "isSemver",
    "major",
    "minor",
    "patch",
    "isGreaterThan",
    "isLessThan",
    "compareTo",
];

/// The checker's overloads.
pub(crate) fn check(f: &str, target: Option<&Type>, args: &[Type]) -> Overload {
    if !NAMES.contains(&f) {
        return Overload::Unknown;
    }
    let v = Type::Opaque(opaque::SEMVER);
    let r = |t: Type| Overload::Result(t);
    let on_v = target.is_some_and(|t| t.fits(&v) && !t.is_dyn());
    match (f, target, args) {
        ("semver", None, [s]) if s.fits(&Type::String) => r(v),
        ("semver", None, [s, n]) if s.fits(&Type::String) && n.fits(&Type::Bool) => r(v),
        ("isSemver", None, [s]) if s.fits(&Type::String) => r(Type::Bool),
        ("isSemver", None, [s, n]) if s.fits(&Type::String) && n.fits(&Type::Bool) => r(Type::Bool),
        ("major" | "minor" | "patch", Some(_), []) if on_v => r(Type::Int),
        ("isGreaterThan" | "isLessThan", Some(_), [o]) if on_v && o.fits(&v) => r(Type::Bool),
        ("compareTo", Some(_), [o]) if on_v && o.fits(&v) => r(Type::Int),
        _ => Overload::NoMatch,
    }
}

/// The runtime.
pub(crate) fn call(
    f: &str,
    target: Option<&Value>,
    args: &[Value],
    t: &mut Tracker,
) -> Option<Result<Value, EvalError>> {
    use Value as V;
    Some(match (f, target, args) {
        ("semver" | "isSemver", None, [V::String(s), rest @ ..]) => {
            let normalize = match rest {
                [] => false,
                [V::Bool(b)] => *b,
                _ => return None,
            };
            if let Err(e) = t.add(factor(s.chars().count() as u64, 0.1)) {
                return Some(Err(e));
            }
            let parsed = if normalize {
                Semver::parse_normalized(s)
            } else {
                Semver::parse(s)
            };
            if f == "isSemver" {
                Ok(V::Bool(parsed.is_ok()))
            } else {
                parsed
                    .map(|v| V::Semver(Arc::new(v)))
                    .map_err(EvalError::Message)
            }
        }
        (_, Some(V::Semver(v)), rest) => match (f, rest) {
            ("major", []) => Ok(V::Int(v.major as i64)),
            ("minor", []) => Ok(V::Int(v.minor as i64)),
            ("patch", []) => Ok(V::Int(v.patch as i64)),
            ("isGreaterThan", [V::Semver(o)]) => {
                Ok(V::Bool(v.cmp_precedence(o) == Ordering::Greater))
            }
            ("isLessThan", [V::Semver(o)]) => Ok(V::Bool(v.cmp_precedence(o) == Ordering::Less)),
            ("compareTo", [V::Semver(o)]) => Ok(V::Int(v.cmp_precedence(o) as i64)),
            _ => return None,
        },
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::Semver;

    #[test]
    fn normalisation_follows_normalize_and_parse() {
        assert!(Semver::parse_normalized("v1.2").is_ok());
        assert!(Semver::parse("v1.2.3").is_err());
        assert!(Semver::parse_normalized("01.02.03").is_ok());
        assert_eq!(
            Semver::parse_normalized("1.2-rc").unwrap_err(),
            "short version cannot contain PreRelease/Build meta data"
        );
        assert!(Semver::parse("1.2.3-rc.01").is_err());
        assert!(Semver::parse_normalized("V1.2.3").is_err());
    }
}
