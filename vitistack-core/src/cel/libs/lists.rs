//! Kubernetes lists version 0 (`k8s.io/apiserver/pkg/cel/library/lists.go`: `isSorted`, `sum`,
//! `min`, `max`, `indexOf`, `lastIndexOf`; not `includes`, which is version 1, compatibility
//! 1.37) and `ext.Lists` version 3 (`cel-go/ext/lists.go`: `slice`, `flatten`, `sort`,
//! `distinct`, `reverse`, `first`, `last`, `lists.range`, and the macro `sortBy`).

use super::super::errors::EvalError;
use super::super::eval::{compare, equals, eval, Activation, Tracker};
use super::super::parse::Expr;
use super::super::types::Type;
use super::super::value::Value;
use super::Overload;
use std::cmp::Ordering;
use std::sync::Arc;

const NAMES: [&str; 15] = [
    "isSorted",
    "sum",
    "min",
    "max",
    "indexOf",
    "lastIndexOf",
    "slice",
    "flatten",
    "sort",
    "distinct",
    "reverse",
    "first",
    "last",
    "lists.range",
    "@sortByAssociatedKeys",
];

fn comparable(t: &Type) -> bool {
    matches!(
        t,
        Type::Int
            | Type::Uint
            | Type::Double
            | Type::String
            | Type::Bytes
            | Type::Bool
            | Type::Duration
            | Type::Timestamp
            | Type::Dyn
    )
}

/// The checker's overloads.
pub(crate) fn check(f: &str, target: Option<&Type>, args: &[Type]) -> Overload {
    if !NAMES.contains(&f) {
        return Overload::Unknown;
    }
    let r = |t: Type| Overload::Result(t);
    if f == "lists.range" {
        return match (target, args) {
            (None, [n]) if n.fits(&Type::Int) => r(Type::List(Box::new(Type::Int))),
            _ => Overload::NoMatch,
        };
    }
    let Some(elem) = target.and_then(Type::elem) else {
        return Overload::NoMatch;
    };
    match (f, args) {
        ("isSorted", []) if comparable(&elem) => r(Type::Bool),
        ("sum", [])
            if matches!(
                elem,
                Type::Int | Type::Uint | Type::Double | Type::Duration | Type::Dyn
            ) =>
        {
            r(elem)
        }
        ("min" | "max", []) if comparable(&elem) => r(elem),
        ("indexOf" | "lastIndexOf", [x]) if x.fits(&elem) => r(Type::Int),
        ("slice", [a, b]) if a.fits(&Type::Int) && b.fits(&Type::Int) => {
            r(Type::List(Box::new(elem)))
        }
        ("flatten", []) => r(Type::List(Box::new(elem.elem().unwrap_or(Type::Dyn)))),
        ("flatten", [d]) if d.fits(&Type::Int) => r(Type::List(Box::new(Type::Dyn))),
        ("sort", []) if comparable(&elem) => r(Type::List(Box::new(elem))),
        ("distinct" | "reverse", []) => r(Type::List(Box::new(elem))),
        ("first" | "last", []) => r(Type::Optional(Box::new(elem))),
        _ => Overload::NoMatch,
    }
}

type R = Option<Result<Value, EvalError>>;

/// cel-go's `traversalCost`: strings and bytes cost floor(bytes × 0.1), lists and maps their
/// items summed, other values 1.
fn traversal(v: &Value) -> u64 {
    match v {
        Value::String(s) => (s.len() as f64 * 0.1).floor() as u64,
        Value::Bytes(b) => (b.len() as f64 * 0.1).floor() as u64,
        Value::List(l) => l.items.iter().map(traversal).sum(),
        Value::Map(m) => m.entries.values().map(traversal).sum(),
        _ => 1,
    }
}

/// The runtime.
pub(crate) fn call(f: &str, target: Option<&Value>, args: &[Value], t: &mut Tracker) -> R {
    if f == "lists.range" {
        let [Value::Int(n)] = args else { return None };
        if *n > 1_000_000 {
            return Some(Err(EvalError::msg(format!(
                "lists.range: size {n} exceeds the maximum of 1000000"
            ))));
        }
        if let Err(e) = t.add((*n).max(0) as u64) {
            return Some(Err(e));
        }
        return Some(Ok(Value::list((0..*n).map(Value::Int).collect())));
    }
    let Some(Value::List(l)) = target else {
        return None;
    };
    if !NAMES.contains(&f) {
        return None;
    }
    if matches!(
        f,
        "isSorted" | "sum" | "min" | "max" | "indexOf" | "lastIndexOf"
    ) {
        if let Err(e) = t.add(traversal(target?)) {
            return Some(Err(e));
        }
    } else if let Err(e) = t.add(l.items.len() as u64) {
        return Some(Err(e));
    }
    let items = &l.items;
    Some((|| -> Result<Value, EvalError> {
        Ok(match (f, args) {
            ("isSorted", []) => {
                for w in items.windows(2) {
                    if compare(&w[0], &w[1])? == Some(Ordering::Greater) {
                        return Ok(Value::Bool(false));
                    }
                }
                Value::Bool(true)
            }
            ("sum", []) => {
                let mut acc = match items.first() {
                    None => Value::Int(0),
                    Some(Value::Duration(_)) => Value::Duration(0),
                    Some(Value::Double(_)) => Value::Double(0.0),
                    Some(Value::Uint(_)) => Value::Uint(0),
                    Some(_) => Value::Int(0),
                };
                for item in items {
                    acc = super::call("_+_", None, &[acc, item.clone()], t)?;
                }
                acc
            }
            ("min" | "max", []) => {
                let Some(mut best) = items.first().cloned() else {
                    return Err(EvalError::msg(format!("{f} called on empty list")));
                };
                for item in &items[1..] {
                    let ord = compare(item, &best)?;
                    if (f == "min" && ord == Some(Ordering::Less))
                        || (f == "max" && ord == Some(Ordering::Greater))
                    {
                        best = item.clone();
                    }
                }
                best
            }
            ("indexOf", [x]) => {
                for (i, item) in items.iter().enumerate() {
                    if equals(item, x)? {
                        return Ok(Value::Int(i as i64));
                    }
                }
                Value::Int(-1)
            }
            ("lastIndexOf", [x]) => {
                for (i, item) in items.iter().enumerate().rev() {
                    if equals(item, x)? {
                        return Ok(Value::Int(i as i64));
                    }
                }
                Value::Int(-1)
            }
            ("slice", [Value::Int(a), Value::Int(b)]) => {
                if *a < 0 || *b < 0 {
                    return Err(EvalError::msg(format!(
                        "cannot slice({a}, {b}), negative indexes not supported"
                    )));
                }
                if a > b {
                    return Err(EvalError::msg(format!("cannot slice({a}, {b}), start index must be less than or equal to end index")));
                }
                if *b as usize > items.len() {
                    return Err(EvalError::msg(format!(
                        "cannot slice({a}, {b}), list is length {}",
                        items.len()
                    )));
                }
                Value::list(items[*a as usize..*b as usize].to_vec())
            }
            ("flatten", []) => Value::list(flatten(items, 1)?),
            ("flatten", [Value::Int(d)]) => {
                if *d < 0 {
                    return Err(EvalError::msg("level must be non-negative"));
                }
                Value::list(flatten(items, *d)?)
            }
            ("sort", []) => Value::list(sorted(items.clone(), |v| v.clone())?),
            ("distinct", []) => {
                let mut out: Vec<Value> = Vec::new();
                for item in items {
                    let mut seen = false;
                    for o in &out {
                        if equals(o, item)? {
                            seen = true;
                            break;
                        }
                    }
                    if !seen {
                        out.push(item.clone());
                    }
                }
                Value::list(out)
            }
            ("reverse", []) => Value::list(items.iter().rev().cloned().collect()),
            ("first", []) => Value::Optional(items.first().cloned().map(Arc::new)),
            ("last", []) => Value::Optional(items.last().cloned().map(Arc::new)),
            _ => return Err(EvalError::NoOverload(f.to_string())),
        })
    })())
}

fn flatten(items: &[Value], depth: i64) -> Result<Vec<Value>, EvalError> {
    let mut out = Vec::new();
    for item in items {
        match item {
            Value::List(inner) if depth > 0 => out.extend(flatten(&inner.items, depth - 1)?),
            other => out.push(other.clone()),
        }
    }
    Ok(out)
}

/// Sorts by a key; keys of different kinds are an error, as in cel-go.
fn sorted(items: Vec<Value>, key: impl Fn(&Value) -> Value) -> Result<Vec<Value>, EvalError> {
    let keyed: Vec<(Value, Value)> = items.into_iter().map(|v| (key(&v), v)).collect();
    sort_keyed(keyed)
}

fn sort_keyed(mut keyed: Vec<(Value, Value)>) -> Result<Vec<Value>, EvalError> {
    let mut failure = None;
    if let Some(first) = keyed.first() {
        for (k, _) in &keyed {
            if std::mem::discriminant(k) != std::mem::discriminant(&first.0) {
                return Err(EvalError::msg("list elements must have the same type"));
            }
        }
    }
    keyed.sort_by(|a, b| match compare(&a.0, &b.0) {
        Ok(Some(o)) => o,
        Ok(None) => Ordering::Equal,
        Err(e) => {
            failure = Some(e);
            Ordering::Equal
        }
    });
    match failure {
        Some(e) => Err(e),
        None => Ok(keyed.into_iter().map(|(_, v)| v).collect()),
    }
}

/// The `sortBy` macro: `list.sortBy(v, key)`.
pub(crate) fn sort_by(
    target: &Expr,
    var: &str,
    key: &Expr,
    act: &mut Activation,
    t: &mut Tracker,
) -> Result<Value, EvalError> {
    let Value::List(l) = eval(target, act, t)? else {
        return Err(EvalError::NoOverload("sortBy".into()));
    };
    let mut keyed = Vec::with_capacity(l.items.len());
    for item in &l.items {
        t.add(1)?;
        let k = super::super::eval::with_var(act, var, item.clone(), |act| eval(key, act, t))?;
        keyed.push((k, item.clone()));
    }
    Ok(Value::list(sort_keyed(keyed)?))
}
