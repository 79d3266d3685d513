//! The cel-go standard library: operators, `size`, string predicates, conversions, timestamp
//! and duration accessors (`cel-go/cel/library.go`, `common/types`). Integer arithmetic errors
//! on overflow (`integer overflow`), never wraps.

use super::super::errors::{self, EvalError};
use super::super::eval::{factor, map_list_key, Tracker};
use super::super::types::{ListKind, Type};
use super::super::value::{Key, List, Value};
use super::{time, Overload};
use std::sync::Arc;

const NAMES: [&str; 42] = [
    "_+_",
    "_-_",
    "_*_",
    "_/_",
    "_%_",
    "-_",
    "!_",
    "_==_",
    "_!=_",
    "_<_",
    "_<=_",
    "_>_",
    "_>=_",
    "@in",
    "_[_]",
    "_[?_]",
    "_?._",
    "size",
    "contains",
    "startsWith",
    "endsWith",
    "matches",
    "int",
    "uint",
    "double",
    "string",
    "bytes",
    "bool",
    "duration",
    "timestamp",
    "dyn",
    "type",
    "getFullYear",
    "getMonth",
    "getDayOfYear",
    "getDayOfMonth",
    "getDate",
    "getDayOfWeek",
    "getHours",
    "getMinutes",
    "getSeconds",
    "getMilliseconds",
];

fn numeric(t: &Type) -> bool {
    matches!(t, Type::Int | Type::Uint | Type::Double | Type::Dyn)
}

/// cel-go's checker lets `null` stand for a message (schema object) type:
/// `self[0] == null` on a list of objects compiles on the apiserver
/// (`compilation_test.go: TestCostEstimation`, "index of array of objects").
fn null_and_object(a: &Type, b: &Type) -> bool {
    matches!(
        (a, b),
        (Type::Null, Type::Object(_)) | (Type::Object(_), Type::Null)
    )
}

fn same(a: &Type, b: &Type) -> bool {
    a.fits(b) && b.fits(a)
}

/// The more precise of two types that fit each other.
fn join(a: &Type, b: &Type) -> Type {
    if a.is_dyn() {
        b.clone()
    } else {
        a.clone()
    }
}

/// The checker's overloads (the guards read as the overload table, hence the allow).
#[allow(clippy::redundant_guards)]
pub(crate) fn check(f: &str, target: Option<&Type>, args: &[Type]) -> Overload {
    if !NAMES.contains(&f) {
        return Overload::Unknown;
    }
    let r = |t: Type| Overload::Result(t);
    use Type::*;
    match (f, target, args) {
        ("_+_", None, [a, b]) => match (a, b) {
            (Timestamp, Duration) | (Duration, Timestamp) => r(Timestamp),
            (List(x), List(y)) if same(x, y) => r(List(Box::new(join(x, y)))),
            (x, y)
                if same(x, y)
                    && matches!(
                        join(x, y),
                        Int | Uint | Double | String | Bytes | Duration | Dyn
                    ) =>
            {
                r(join(x, y))
            }
            (Dyn, List(_)) | (List(_), Dyn) => r(join(a, b)),
            (Dyn, t) | (t, Dyn) if matches!(t, Timestamp) => r(Dyn),
            _ => Overload::NoMatch,
        },
        ("_-_", None, [a, b]) => match (a, b) {
            (Timestamp, Timestamp) => r(Duration),
            (Timestamp, Duration) => r(Timestamp),
            (x, y) if same(x, y) && matches!(join(x, y), Int | Uint | Double | Duration | Dyn) => {
                r(join(x, y))
            }
            _ => Overload::NoMatch,
        },
        ("_*_" | "_/_", None, [a, b]) if same(a, b) && numeric(&join(a, b)) => r(join(a, b)),
        ("_%_", None, [a, b]) if same(a, b) && matches!(join(a, b), Int | Uint | Dyn) => {
            r(join(a, b))
        }
        ("-_", None, [a]) if matches!(a, Int | Double | Dyn) => r(a.clone()),
        ("!_", None, [a]) if a.fits(&Bool) => r(Bool),
        ("_==_" | "_!=_", None, [a, b]) if same(a, b) || null_and_object(a, b) => r(Bool),
        ("_<_" | "_<=_" | "_>_" | "_>=_", None, [a, b]) => {
            if (numeric(a) && numeric(b))
                || (same(a, b)
                    && matches!(
                        join(a, b),
                        String | Bytes | Bool | Timestamp | Duration | Dyn
                    ))
            {
                r(Bool)
            } else {
                Overload::NoMatch
            }
        }
        ("@in", None, [a, b]) => match b {
            List(e) if a.fits(e) => r(Bool),
            Map(k, _) if a.fits(k) => r(Bool),
            Dyn => r(Bool),
            Object(_) if a.fits(&String) => r(Bool),
            _ => Overload::NoMatch,
        },
        ("_[_]", None, [c, i]) => match c {
            List(e) if matches!(i, Int | Uint | Dyn) => r((**e).clone()),
            Map(k, v) if i.fits(k) => r((**v).clone()),
            Dyn => r(Dyn),
            _ => Overload::NoMatch,
        },
        ("_[?_]", None, [c, i]) => match c {
            List(e) if matches!(i, Int | Uint | Dyn) => r(Optional(e.clone())),
            Map(k, v) if i.fits(k) => r(Optional(v.clone())),
            Optional(inner) => match &**inner {
                List(e) if matches!(i, Int | Dyn) => r(Optional(e.clone())),
                Map(k, v) if i.fits(k) => r(Optional(v.clone())),
                Dyn => r(Optional(Box::new(Dyn))),
                _ => Overload::NoMatch,
            },
            Dyn => r(Optional(Box::new(Dyn))),
            _ => Overload::NoMatch,
        },
        ("size", None, [a]) | ("size", Some(a), [])
            if matches!(a, String | Bytes | List(_) | Map(..) | Dyn) =>
        {
            r(Int)
        }
        ("contains" | "startsWith" | "endsWith" | "matches", Some(s), [p])
            if s.fits(&String) && p.fits(&String) =>
        {
            r(Bool)
        }
        ("matches", None, [s, p]) if s.fits(&String) && p.fits(&String) => r(Bool),
        ("int", None, [a])
            if matches!(a, Int | Uint | Double | String | Timestamp | Duration | Dyn) =>
        {
            r(Int)
        }
        ("uint", None, [a]) if matches!(a, Int | Uint | Double | String | Dyn) => r(Uint),
        ("double", None, [a]) if matches!(a, Int | Uint | Double | String | Dyn) => r(Double),
        ("string", None, [a])
            if matches!(
                a,
                Int | Uint | Double | String | Bytes | Bool | Timestamp | Duration | Dyn
            ) =>
        {
            r(String)
        }
        ("bytes", None, [a]) if matches!(a, String | Bytes | Dyn) => r(Bytes),
        ("bool", None, [a]) if matches!(a, String | Bool | Dyn) => r(Bool),
        ("duration", None, [a]) if matches!(a, String | Duration | Dyn) => r(Duration),
        ("timestamp", None, [a]) if matches!(a, String | Int | Timestamp | Dyn) => r(Timestamp),
        ("dyn", None, [_]) => r(Dyn),
        ("type", None, [a]) => r(TypeOf(Box::new(a.clone()))),
        (
            "getFullYear" | "getMonth" | "getDayOfYear" | "getDayOfMonth" | "getDate"
            | "getDayOfWeek",
            Some(t),
            [] | [String],
        ) if t.fits(&Timestamp) => r(Int),
        ("getHours" | "getMinutes" | "getSeconds" | "getMilliseconds", Some(t), [])
            if matches!(t, Timestamp | Duration | Dyn) =>
        {
            r(Int)
        }
        ("getHours" | "getMinutes" | "getSeconds" | "getMilliseconds", Some(t), [String])
            if t.fits(&Timestamp) =>
        {
            r(Int)
        }
        _ => Overload::NoMatch,
    }
}

type R = Option<Result<Value, EvalError>>;

fn ok(v: Value) -> R {
    Some(Ok(v))
}

fn err(text: &str) -> R {
    Some(Err(EvalError::msg(text)))
}

/// The runtime.
pub(crate) fn call(f: &str, target: Option<&Value>, args: &[Value], t: &mut Tracker) -> R {
    use Value as V;
    match (f, target, args) {
        ("_+_", None, [a, b]) => add(a, b, t),
        ("_-_", None, [a, b]) => sub(a, b),
        ("_*_", None, [V::Int(x), V::Int(y)]) => int(x.checked_mul(*y)),
        ("_*_", None, [V::Uint(x), V::Uint(y)]) => uint(x.checked_mul(*y)),
        ("_*_", None, [V::Double(x), V::Double(y)]) => ok(V::Double(x * y)),
        ("_/_", None, [V::Int(_), V::Int(0)]) | ("_/_", None, [V::Uint(_), V::Uint(0)]) => err(errors::DIV_ZERO),
        ("_/_", None, [V::Int(x), V::Int(y)]) => int(x.checked_div(*y)),
        ("_/_", None, [V::Uint(x), V::Uint(y)]) => uint(x.checked_div(*y)),
        ("_/_", None, [V::Double(x), V::Double(y)]) => ok(V::Double(x / y)),
        ("_%_", None, [V::Int(_), V::Int(0)]) | ("_%_", None, [V::Uint(_), V::Uint(0)]) => err(errors::MOD_ZERO),
        ("_%_", None, [V::Int(x), V::Int(y)]) => int(x.checked_rem(*y)),
        ("_%_", None, [V::Uint(x), V::Uint(y)]) => uint(x.checked_rem(*y)),
        ("-_", None, [V::Int(x)]) => int(x.checked_neg()),
        ("-_", None, [V::Double(x)]) => ok(V::Double(-x)),
        ("-_", None, [V::Duration(x)]) => x.checked_neg().map_or_else(|| err(errors::DURATION_OVERFLOW), |d| ok(V::Duration(d))),
        ("!_", None, [V::Bool(b)]) => ok(V::Bool(!b)),
        ("@in", None, [x, c]) => contains_elem(c, x, t),
        ("_[_]", None, [c, i]) => index(c, i).map(|r| r.and_then(|v| match v {
            V::Error(e) => Err(EvalError::msg(&*e)),
            v => Ok(v),
        })),
        ("_[?_]", None, [c, i]) => opt_index(c, i),
        ("_?._", None, [o, V::String(field)]) => opt_select(o, field),
        ("size", None, [a]) | ("size", Some(a), []) => match a {
            V::String(_) | V::Bytes(_) | V::List(_) | V::Map(_) | V::Object(_) => ok(V::Int(a.size() as i64)),
            _ => None,
        },
        ("contains" | "startsWith" | "endsWith", Some(V::String(s)), [V::String(p)]) => {
            let cost = match f {
                "contains" => factor(s.chars().count() as u64, 0.1) * factor(p.chars().count() as u64, 0.1),
                _ => factor(p.chars().count() as u64, 0.1),
            };
            if let Err(e) = t.add(cost) {
                return Some(Err(e));
            }
            ok(V::Bool(match f {
                "contains" => s.contains(&**p),
                "startsWith" => s.starts_with(&**p),
                _ => s.ends_with(&**p),
            }))
        }
        ("matches", Some(V::String(s)), [V::String(p)]) | ("matches", None, [V::String(s), V::String(p)]) => {
            let cost = factor(s.chars().count() as u64 + 1, 0.1) * factor(p.chars().count() as u64, 0.25);
            if let Err(e) = t.add(cost) {
                return Some(Err(e));
            }
            Some(super::regex::compile(p).map(|re| V::Bool(re.is_match(s))))
        }
        ("int", None, [a]) => to_int(a),
        ("uint", None, [a]) => to_uint(a),
        ("double", None, [a]) => match a {
            V::Int(i) => ok(V::Double(*i as f64)),
            V::Uint(u) => ok(V::Double(*u as f64)),
            V::Double(d) => ok(V::Double(*d)),
            V::String(s) => Some(s.parse::<f64>().map(V::Double).map_err(|_| EvalError::msg(format!("cannot convert string '{s}' to double")))),
            _ => None,
        },
        ("string", None, [a]) => to_string(a),
        ("bytes", None, [a]) => match a {
            V::String(s) => ok(V::Bytes(Arc::from(s.as_bytes()))),
            V::Bytes(_) => ok(a.clone()),
            _ => None,
        },
        ("bool", None, [a]) => match a {
            V::Bool(_) => ok(a.clone()),
            V::String(s) => match &**s {
                "1" | "t" | "T" | "TRUE" | "true" | "True" => ok(V::Bool(true)),
                "0" | "f" | "F" | "FALSE" | "false" | "False" => ok(V::Bool(false)),
                _ => err("type conversion error from 'string' to 'bool'"),
            },
            _ => None,
        },
        ("duration", None, [a]) => match a {
            V::Duration(_) => ok(a.clone()),
            V::String(s) => Some(
                crate::formats::parse_duration(s)
                    .map(V::Duration)
                    .map_err(|e| EvalError::msg(format!("type conversion error from 'string' to 'google.protobuf.Duration': {e}"))),
            ),
            _ => None,
        },
        ("timestamp", None, [a]) => match a {
            V::Timestamp(..) => ok(a.clone()),
            V::Int(secs) => time::checked(*secs, 0).map_or_else(|| err(errors::TIMESTAMP_OVERFLOW), |(s, n)| ok(V::Timestamp(s, n))),
            V::String(s) => match time::parse_rfc3339(s).and_then(|(s, n)| time::checked(s, n)) {
                Some((s, n)) => ok(V::Timestamp(s, n)),
                None => err(&format!("type conversion error from 'string' to 'google.protobuf.Timestamp': cannot parse {s:?}")),
            },
            _ => None,
        },
        ("dyn", None, [a]) => ok(a.clone()),
        ("type", None, [a]) => ok(V::Type(Arc::from(a.type_name().as_str()))),
        (_, Some(V::Timestamp(secs, nanos)), rest) if f.starts_with("get") => {
            let tz = match rest {
                [] => None,
                [V::String(tz)] => Some(&**tz),
                _ => return None,
            };
            Some(time::getter(f, *secs, *nanos, tz).map(V::Int))
        }
        (_, Some(V::Duration(d)), []) if f.starts_with("get") => {
            let v = match f {
                "getHours" => d / 3_600_000_000_000,
                "getMinutes" => d / 60_000_000_000,
                "getSeconds" => d / 1_000_000_000,
                "getMilliseconds" => d / 1_000_000,
                _ => return None,
            };
            ok(V::Int(v))
        }
        _ => None,
    }
}

fn int(v: Option<i64>) -> R {
    v.map_or_else(|| err(errors::INT_OVERFLOW), |i| ok(Value::Int(i)))
}

fn uint(v: Option<u64>) -> R {
    v.map_or_else(|| err(errors::UINT_OVERFLOW), |u| ok(Value::Uint(u)))
}

fn add(a: &Value, b: &Value, t: &mut Tracker) -> R {
    use Value as V;
    match (a, b) {
        (V::Int(x), V::Int(y)) => int(x.checked_add(*y)),
        (V::Uint(x), V::Uint(y)) => uint(x.checked_add(*y)),
        (V::Double(x), V::Double(y)) => ok(V::Double(x + y)),
        (V::String(x), V::String(y)) => {
            if let Err(e) = t.add(factor(a.size() + b.size(), 0.1)) {
                return Some(Err(e));
            }
            ok(V::string(format!("{x}{y}")))
        }
        (V::Bytes(x), V::Bytes(y)) => {
            if let Err(e) = t.add(factor(a.size() + b.size(), 0.1)) {
                return Some(Err(e));
            }
            ok(V::Bytes([&x[..], &y[..]].concat().into()))
        }
        (V::Duration(x), V::Duration(y)) => x
            .checked_add(*y)
            .map_or_else(|| err(errors::DURATION_OVERFLOW), |d| ok(V::Duration(d))),
        (V::Timestamp(s, n), V::Duration(d)) | (V::Duration(d), V::Timestamp(s, n)) => {
            time::add(*s, *n, *d).map_or_else(
                || err(errors::TIMESTAMP_OVERFLOW),
                |(s, n)| ok(V::Timestamp(s, n)),
            )
        }
        (V::List(x), V::List(y)) => Some(list_add(x, y)),
        _ => None,
    }
}

/// `+` on lists: a list-set on the left is a union, a list-map a merge by key
/// (`valuesreflect.go: addToSetList`, `addToMapList`); other lists concatenate.
fn list_add(x: &List, y: &List) -> Result<Value, EvalError> {
    let mut items = x.items.clone();
    match &x.kind {
        ListKind::Set => {
            for item in &y.items {
                if matches!(item, Value::List(_) | Value::Map(_) | Value::Object(_)) {
                    return Err(EvalError::msg(
                        "listSet operations are only supported on lists of scalar values",
                    ));
                }
                let mut found = false;
                for mine in &items {
                    if std::mem::discriminant(mine) == std::mem::discriminant(item)
                        && super::super::eval::equals(mine, item)?
                    {
                        found = true;
                        break;
                    }
                }
                if !found {
                    items.push(item.clone());
                }
            }
        }
        ListKind::Map(keys) => {
            for item in &y.items {
                let key = map_list_key(item, keys);
                match items
                    .iter()
                    .position(|mine| map_list_key(mine, keys) == key && key.is_some())
                {
                    Some(i) => items[i] = item.clone(),
                    None => items.push(item.clone()),
                }
            }
        }
        ListKind::Atomic => items.extend(y.items.iter().cloned()),
    }
    Ok(Value::List(Arc::new(List {
        items,
        kind: x.kind.clone(),
        data: x.data,
    })))
}

fn sub(a: &Value, b: &Value) -> R {
    use Value as V;
    match (a, b) {
        (V::Int(x), V::Int(y)) => int(x.checked_sub(*y)),
        (V::Uint(x), V::Uint(y)) => uint(x.checked_sub(*y)),
        (V::Double(x), V::Double(y)) => ok(V::Double(x - y)),
        (V::Duration(x), V::Duration(y)) => x
            .checked_sub(*y)
            .map_or_else(|| err(errors::DURATION_OVERFLOW), |d| ok(V::Duration(d))),
        (V::Timestamp(s, n), V::Duration(d)) => match d.checked_neg() {
            Some(neg) => time::add(*s, *n, neg).map_or_else(
                || err(errors::TIMESTAMP_OVERFLOW),
                |(s, n)| ok(V::Timestamp(s, n)),
            ),
            None => err(errors::TIMESTAMP_OVERFLOW),
        },
        (V::Timestamp(s1, n1), V::Timestamp(s2, n2)) => {
            let nanos = (*s1 as i128 - *s2 as i128) * 1_000_000_000 + (*n1 as i128 - *n2 as i128);
            i64::try_from(nanos)
                .map_or_else(|_| err(errors::DURATION_OVERFLOW), |d| ok(V::Duration(d)))
        }
        _ => None,
    }
}

fn contains_elem(c: &Value, x: &Value, t: &mut Tracker) -> R {
    match c {
        Value::List(l) => {
            if let Err(e) = t.add(l.items.len() as u64) {
                return Some(Err(e));
            }
            for item in &l.items {
                match super::super::eval::equals(item, x) {
                    Ok(true) => return ok(Value::Bool(true)),
                    Ok(false) => {}
                    Err(e) => return Some(Err(e)),
                }
            }
            ok(Value::Bool(false))
        }
        Value::Map(m) => ok(Value::Bool(
            Key::of(x).is_some_and(|k| m.entries.contains_key(&k)),
        )),
        Value::Object(o) => match x {
            Value::String(s) => ok(Value::Bool(o.fields.contains_key(&**s))),
            _ => None,
        },
        _ => None,
    }
}

fn list_index(l: &List, i: &Value) -> Option<Result<Option<Value>, EvalError>> {
    let idx: i64 = match i {
        Value::Int(i) => *i,
        Value::Uint(u) => i64::try_from(*u).unwrap_or(i64::MAX),
        Value::Double(d) if d.fract() == 0.0 => *d as i64,
        Value::Double(_) => return Some(Err(EvalError::msg("unsupported index value"))),
        _ => return None,
    };
    Some(Ok(usize::try_from(idx)
        .ok()
        .and_then(|i| l.items.get(i))
        .cloned()))
}

fn index(c: &Value, i: &Value) -> R {
    match c {
        Value::List(l) => match list_index(l, i)? {
            Ok(Some(v)) => ok(v),
            Ok(None) => {
                let n = match i {
                    Value::Int(i) => i.to_string(),
                    Value::Uint(u) => u.to_string(),
                    Value::Double(d) => d.to_string(),
                    _ => String::new(),
                };
                // Object data is an unstructured list; literals are cel-go lists.
                if l.data {
                    err(&format!("index out of bounds: {n}"))
                } else {
                    err(&format!(
                        "index '{n}' out of range in list size '{}'",
                        l.items.len()
                    ))
                }
            }
            Err(e) => Some(Err(e)),
        },
        Value::Map(m) => match Key::of(i) {
            Some(k) => match m.entries.get(&k) {
                Some(v) => ok(v.clone()),
                None => err(&format!("no such key: {}", key_text(i))),
            },
            None => None,
        },
        Value::Object(o) => match i {
            Value::String(s) => match o.fields.get(&**s) {
                Some(v) => ok(v.clone()),
                None => err(&format!("no such key: {s}")),
            },
            _ => None,
        },
        _ => None,
    }
}

fn key_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Uint(u) => u.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => String::new(),
    }
}

fn opt_index(c: &Value, i: &Value) -> R {
    let wrap = |v: Option<Value>| ok(Value::Optional(v.map(Arc::new)));
    match c {
        Value::Optional(None) => ok(Value::Optional(None)),
        Value::Optional(Some(inner)) => opt_index(inner, i),
        Value::List(l) => match list_index(l, i)? {
            Ok(v) => wrap(v),
            Err(e) => Some(Err(e)),
        },
        Value::Map(m) => wrap(Key::of(i).and_then(|k| m.entries.get(&k).cloned())),
        _ => None,
    }
}

fn opt_select(o: &Value, field: &str) -> R {
    let wrap = |v: Option<Value>| ok(Value::Optional(v.map(Arc::new)));
    match o {
        Value::Optional(None) => ok(Value::Optional(None)),
        Value::Optional(Some(inner)) => opt_select(inner, field),
        Value::Object(obj) => wrap(super::super::eval::object_field(obj, field)),
        Value::Map(m) => wrap(m.entries.get(&Key::String(Arc::from(field))).cloned()),
        _ => None,
    }
}

fn to_int(a: &Value) -> R {
    use Value as V;
    match a {
        V::Int(_) => ok(a.clone()),
        V::Uint(u) => {
            i64::try_from(*u).map_or_else(|_| err(errors::INT_OVERFLOW), |i| ok(V::Int(i)))
        }
        V::Double(d) => {
            // cel-go: out of range (or NaN) is an overflow error.
            if d.is_nan() || *d <= -9.223_372_036_854_776e18 || *d >= 9.223_372_036_854_776e18 {
                err(errors::INT_OVERFLOW)
            } else {
                ok(V::Int(d.trunc() as i64))
            }
        }
        V::String(s) => match s.parse::<i64>() {
            Ok(i) => ok(V::Int(i)),
            Err(_) => err(&format!("cannot convert string '{s}' to int")),
        },
        V::Timestamp(s, _) => ok(V::Int(*s)),
        V::Duration(d) => ok(V::Int(*d)),
        _ => None,
    }
}

fn to_uint(a: &Value) -> R {
    use Value as V;
    match a {
        V::Uint(_) => ok(a.clone()),
        V::Int(i) => {
            u64::try_from(*i).map_or_else(|_| err(errors::UINT_OVERFLOW), |u| ok(V::Uint(u)))
        }
        V::Double(d) => {
            if d.is_nan() || *d < 0.0 || *d >= 1.844_674_407_370_955_2e19 {
                err(errors::UINT_OVERFLOW)
            } else {
                ok(V::Uint(d.trunc() as u64))
            }
        }
        V::String(s) => match s.parse::<u64>() {
            Ok(u) => ok(V::Uint(u)),
            Err(_) => err(&format!("cannot convert string '{s}' to uint")),
        },
        _ => None,
    }
}

fn to_string(a: &Value) -> R {
    use Value as V;
    let s = match a {
        V::String(_) => return ok(a.clone()),
        V::Int(i) => i.to_string(),
        V::Uint(u) => u.to_string(),
        V::Double(d) => format_double(*d),
        V::Bool(b) => b.to_string(),
        V::Bytes(b) => match std::str::from_utf8(b) {
            Ok(s) => s.to_string(),
            Err(_) => return err("invalid UTF-8 in bytes, cannot convert to string"),
        },
        V::Timestamp(s, n) => time::format_rfc3339(*s, *n),
        V::Duration(d) => time::format_duration(*d),
        V::Ip(ip) => ip.to_string(),
        V::Cidr(c) => c.to_string(),
        _ => return None,
    };
    ok(V::string(s))
}

/// Go's `strconv.FormatFloat(d, 'g', -1, 64)`-like form cel-go prints for doubles.
fn format_double(d: f64) -> String {
    if d.is_nan() {
        return "NaN".into();
    }
    if d.is_infinite() {
        return if d > 0.0 {
            "+Inf".into()
        } else {
            "-Inf".into()
        };
    }
    let exp = if d == 0.0 {
        0
    } else {
        d.abs().log10().floor() as i32
    };
    if (-4..21).contains(&exp) {
        format!("{d}")
    } else {
        let s = format!("{d:e}");
        // Rust: 1e21, Go: 1e+21.
        match s.split_once('e') {
            Some((m, e)) if !e.starts_with('-') => format!("{m}e+{e:0>2}"),
            Some((m, e)) => format!("{m}e-{:0>2}", &e[1..]),
            None => s,
        }
    }
}
