//! Kubernetes URLs (`k8s.io/apiserver/pkg/cel/library/urls.go`): `url`, `isURL`, `getScheme`,
//! `getHost`, `getHostname`, `getPort`, `getEscapedPath`, `getQuery`. Validation is
//! [`crate::formats::url`]'s port of Go's `net/url`; the accessors split the validated text.

use super::super::errors::EvalError;
use super::super::eval::{factor, Tracker};
use super::super::types::{opaque, Type};
use super::super::value::{Key, Map, Value};
use super::Overload;
use crate::formats::url::{parse_cel_url, parse_request_uri};
use std::sync::Arc;

/// A parsed URL.
#[derive(Debug)]
pub struct Url {
    /// The text it was parsed from.
    pub text: String,
    scheme: String,
    host: String,
    path: String,
    query: Option<String>,
}

impl Url {
    fn parse(s: &str) -> Result<Url, EvalError> {
        parse_cel_url(s).map_err(|e| {
            EvalError::msg(format!(
                "URL parse error during conversion from string: {e}"
            ))
        })?;
        let (scheme, rest) = s.split_once(':').unwrap_or(("", s));
        let rest = rest.split_once('#').map_or(rest, |(r, _)| r);
        let (rest, query) = match rest.split_once('?') {
            Some((r, q)) => (r, Some(q.to_string())),
            None => (rest, None),
        };
        let (host, path) = match rest.strip_prefix("//") {
            Some(after) => match after.find('/') {
                Some(i) => (&after[..i], &after[i..]),
                None => (after, ""),
            },
            None => ("", rest),
        };
        let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
        Ok(Url {
            text: s.to_string(),
            scheme: scheme.to_ascii_lowercase(),
            host: host.to_string(),
            path: path.to_string(),
            query,
        })
    }

    /// Go `splitHostPort`: the host and a valid optional `:port` after the last colon.
    fn split(&self) -> (&str, &str) {
        let h = self.host.as_str();
        let (host, port) = match h.rfind(':') {
            Some(i) if h[i + 1..].bytes().all(|b| b.is_ascii_digit()) => (&h[..i], &h[i + 1..]),
            _ => (h, ""),
        };
        let host = host
            .strip_prefix('[')
            .and_then(|x| x.strip_suffix(']'))
            .unwrap_or(host);
        (host, port)
    }

    /// Go `URL.Hostname()`.
    fn hostname(&self) -> &str {
        self.split().0
    }

    /// Go `URL.Port()`.
    fn port(&self) -> &str {
        self.split().1
    }
}

const NAMES: [&str; 8] = [
    "url",
    "isURL",
    "getScheme",
    "getHost",
    "getHostname",
    "getPort",
    "getEscapedPath",
    "getQuery",
];

/// The checker's overloads.
pub(crate) fn check(f: &str, target: Option<&Type>, args: &[Type]) -> Overload {
    if !NAMES.contains(&f) {
        return Overload::Unknown;
    }
    let url = Type::Opaque(opaque::URL);
    let r = |t: Type| Overload::Result(t);
    match (f, target, args) {
        ("url", None, [s]) if s.fits(&Type::String) => r(url),
        ("isURL", None, [s]) if s.fits(&Type::String) => r(Type::Bool),
        ("getQuery", Some(u), []) if u.fits(&url) => r(Type::Map(
            Box::new(Type::String),
            Box::new(Type::List(Box::new(Type::String))),
        )),
        (_, Some(u), []) if u.fits(&url) && f.starts_with("get") => r(Type::String),
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
    match (f, target, args) {
        ("url" | "isURL", None, [Value::String(s)]) => {
            if let Err(e) = t.add(factor(s.chars().count() as u64, 0.1)) {
                return Some(Err(e));
            }
            Some(if f == "isURL" {
                Ok(Value::Bool(parse_request_uri(s).is_ok()))
            } else {
                Url::parse(s).map(|u| Value::Url(Arc::new(u)))
            })
        }
        (_, Some(Value::Url(u)), []) => Some(Ok(match f {
            "getScheme" => Value::string(u.scheme.as_str()),
            "getHost" => Value::string(u.host.as_str()),
            "getHostname" => Value::string(u.hostname()),
            "getPort" => Value::string(u.port()),
            "getEscapedPath" => Value::string(u.path.as_str()),
            "getQuery" => Value::Map(Arc::new(query(u.query.as_deref()))),
            _ => return None,
        })),
        _ => None,
    }
}

/// Go `url.ParseQuery`, values per key in order (malformed pairs are skipped).
fn query(q: Option<&str>) -> Map {
    let mut map: std::collections::BTreeMap<String, Vec<Value>> = std::collections::BTreeMap::new();
    for pair in q.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let (Some(k), Some(v)) = (unescape(k), unescape(v)) else {
            continue;
        };
        map.entry(k).or_default().push(Value::string(v));
    }
    Map {
        entries: map
            .into_iter()
            .map(|(k, v)| (Key::String(Arc::from(k.as_str())), Value::list(v)))
            .collect(),
    }
}

fn unescape(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' => {
                let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}
