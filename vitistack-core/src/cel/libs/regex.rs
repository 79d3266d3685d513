//! Kubernetes regex (`k8s.io/apiserver/pkg/cel/library/regex.go`): `s.find(re)`,
//! `s.findAll(re)`, `s.findAll(re, n)`; plus the compilation `matches` shares. Patterns are
//! RE2 (Go's `regexp`); Rust's `regex` crate implements the same syntax without backtracking.

use super::super::errors::EvalError;
use super::super::eval::{factor, Tracker};
use super::super::types::Type;
use super::super::value::Value;
use super::Overload;

/// Compiles a pattern, with cel-go's error text for a bad one.
pub(crate) fn compile(pattern: &str) -> Result<regex::Regex, EvalError> {
    regex::RegexBuilder::new(pattern)
        .size_limit(1 << 20)
        .build()
        .map_err(|e| {
            EvalError::msg(format!(
                "error parsing regexp: {}",
                first_line(&e.to_string())
            ))
        })
}

fn first_line(s: &str) -> &str {
    s.lines().last().unwrap_or(s).trim_start_matches("error: ")
}

/// The checker's overloads.
pub(crate) fn check(f: &str, target: Option<&Type>, args: &[Type]) -> Overload {
    if !matches!(f, "find" | "findAll") {
        return Overload::Unknown;
    }
    let s = target.is_some_and(|t| t.fits(&Type::String));
    match (f, args) {
        ("find", [p]) if s && p.fits(&Type::String) => Overload::Result(Type::String),
        ("findAll", [p]) if s && p.fits(&Type::String) => {
            Overload::Result(Type::List(Box::new(Type::String)))
        }
        ("findAll", [p, n]) if s && p.fits(&Type::String) && n.fits(&Type::Int) => {
            Overload::Result(Type::List(Box::new(Type::String)))
        }
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
    let Some(Value::String(s)) = target else {
        return None;
    };
    let (pattern, limit) = match (f, args) {
        ("find", [Value::String(p)]) => (p, None),
        ("findAll", [Value::String(p)]) => (p, Some(-1)),
        ("findAll", [Value::String(p), Value::Int(n)]) => (p, Some(*n)),
        _ => return None,
    };
    let cost =
        factor(s.chars().count() as u64 + 1, 0.1) * factor(pattern.chars().count() as u64, 0.25);
    if let Err(e) = t.add(cost) {
        return Some(Err(e));
    }
    let re = match compile(pattern) {
        Ok(re) => re,
        Err(e) => return Some(Err(e)),
    };
    Some(Ok(match limit {
        None => Value::string(re.find(s).map_or("", |m| m.as_str())),
        Some(0) => Value::list(Vec::new()),
        Some(n) => {
            let take = if n < 0 { usize::MAX } else { n as usize };
            Value::list(
                re.find_iter(s)
                    .take(take)
                    .map(|m| Value::string(m.as_str()))
                    .collect(),
            )
        }
    }))
}
