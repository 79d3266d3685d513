//! Optional types (`cel-go/cel/library.go: optionalLib`): `optional.of`, `optional.none`,
//! `optional.ofNonZeroValue`, `hasValue`, `value`, `or`, `orValue`, `optional.unwrap`,
//! `unwrapOpt`; the syntax `x.?f`, `l[?i]`, `[?e]`, `{?k: v}` is in [`super::standard`] and
//! the evaluator, the macros `optMap`/`optFlatMap` in the evaluator.

use super::super::errors::EvalError;
use super::super::eval::Tracker;
use super::super::types::Type;
use super::super::value::Value;
use super::Overload;
use std::sync::Arc;

const NAMES: [&str; 9] = [
    "optional.of",
    "optional.none",
    "optional.ofNonZeroValue",
    "hasValue",
    "value",
    "or",
    "orValue",
    "optional.unwrap",
    "unwrapOpt",
];

/// The checker's overloads.
pub(crate) fn check(f: &str, target: Option<&Type>, args: &[Type]) -> Overload {
    if !NAMES.contains(&f) {
        return Overload::Unknown;
    }
    let r = |t: Type| Overload::Result(t);
    let inner = match target {
        Some(Type::Optional(t)) => Some((**t).clone()),
        Some(Type::Dyn) => Some(Type::Dyn),
        _ => None,
    };
    match (f, target, args) {
        ("optional.of" | "optional.ofNonZeroValue", None, [a]) => {
            r(Type::Optional(Box::new(a.clone())))
        }
        ("optional.none", None, []) => r(Type::Optional(Box::new(Type::Dyn))),
        ("hasValue", Some(_), []) if inner.is_some() => r(Type::Bool),
        ("value", Some(_), []) => inner.map_or(Overload::NoMatch, r),
        ("or", Some(_), [o])
            if inner.is_some()
                && o.fits(&Type::Optional(Box::new(
                    inner.clone().unwrap_or(Type::Dyn),
                ))) =>
        {
            r(Type::Optional(Box::new(inner.unwrap_or(Type::Dyn))))
        }
        ("orValue", Some(_), [v]) if inner.as_ref().is_some_and(|i| v.fits(i)) => {
            r(inner.unwrap_or(Type::Dyn))
        }
        ("optional.unwrap", None, [l]) | ("unwrapOpt", Some(l), []) => match l {
            Type::List(e) => match &**e {
                Type::Optional(t) => r(Type::List(t.clone())),
                Type::Dyn => r(Type::List(Box::new(Type::Dyn))),
                _ => Overload::NoMatch,
            },
            Type::Dyn => r(Type::List(Box::new(Type::Dyn))),
            _ => Overload::NoMatch,
        },
        _ => Overload::NoMatch,
    }
}

fn is_zero(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Bool(b) => !b,
        Value::Int(i) => *i == 0,
        Value::Uint(u) => *u == 0,
        Value::Double(d) => *d == 0.0,
        Value::String(s) => s.is_empty(),
        Value::Bytes(b) => b.is_empty(),
        Value::Duration(d) => *d == 0,
        Value::Timestamp(s, n) => *s == 0 && *n == 0,
        Value::List(l) => l.items.is_empty(),
        Value::Map(m) => m.entries.is_empty(),
        _ => false,
    }
}

/// The runtime.
pub(crate) fn call(
    f: &str,
    target: Option<&Value>,
    args: &[Value],
    _t: &mut Tracker,
) -> Option<Result<Value, EvalError>> {
    use Value as V;
    Some(Ok(match (f, target, args) {
        ("optional.of", None, [a]) => V::Optional(Some(Arc::new(a.clone()))),
        ("optional.ofNonZeroValue", None, [a]) => {
            V::Optional((!is_zero(a)).then(|| Arc::new(a.clone())))
        }
        ("optional.none", None, []) => V::Optional(None),
        ("hasValue", Some(V::Optional(o)), []) => V::Bool(o.is_some()),
        ("value", Some(V::Optional(o)), []) => match o {
            Some(v) => (**v).clone(),
            None => return Some(Err(EvalError::msg("optional.none() dereference"))),
        },
        ("or", Some(V::Optional(o)), [other @ V::Optional(_)]) => match o {
            Some(_) => target?.clone(),
            None => other.clone(),
        },
        ("orValue", Some(V::Optional(o)), [other]) => match o {
            Some(v) => (**v).clone(),
            None => other.clone(),
        },
        ("optional.unwrap", None, [V::List(l)]) | ("unwrapOpt", Some(V::List(l)), []) => {
            let mut out = Vec::new();
            for item in &l.items {
                match item {
                    V::Optional(Some(v)) => out.push((**v).clone()),
                    V::Optional(None) => {}
                    _ => return None,
                }
            }
            V::list(out)
        }
        _ => return None,
    }))
}
