//! `ext.Sets` (`cel-go/ext/sets.go`): `sets.contains`, `sets.equivalent`, `sets.intersects`,
//! with cel-go's cost (`n × m`).

use super::super::errors::EvalError;
use super::super::eval::{equals, Tracker};
use super::super::types::Type;
use super::super::value::Value;
use super::Overload;

/// The checker's overloads.
pub(crate) fn check(f: &str, target: Option<&Type>, args: &[Type]) -> Overload {
    if !matches!(f, "sets.contains" | "sets.equivalent" | "sets.intersects") {
        return Overload::Unknown;
    }
    match (target, args) {
        (None, [a, b]) if a.elem().is_some() && b.elem().is_some() && a.fits(b) => {
            Overload::Result(Type::Bool)
        }
        _ => Overload::NoMatch,
    }
}

fn contains(a: &[Value], b: &[Value]) -> Result<bool, EvalError> {
    'outer: for x in b {
        for y in a {
            if equals(y, x)? {
                continue 'outer;
            }
        }
        return Ok(false);
    }
    Ok(true)
}

/// The runtime.
pub(crate) fn call(
    f: &str,
    _target: Option<&Value>,
    args: &[Value],
    t: &mut Tracker,
) -> Option<Result<Value, EvalError>> {
    let [Value::List(a), Value::List(b)] = args else {
        return None;
    };
    let r = (|| -> Result<bool, EvalError> {
        t.add((a.items.len() as u64).saturating_mul(b.items.len() as u64))?;
        match f {
            "sets.contains" => contains(&a.items, &b.items),
            "sets.equivalent" => Ok(contains(&a.items, &b.items)? && contains(&b.items, &a.items)?),
            "sets.intersects" => {
                for x in &a.items {
                    for y in &b.items {
                        if equals(x, y)? {
                            return Ok(true);
                        }
                    }
                }
                Ok(false)
            }
            _ => Err(EvalError::NoOverload(f.to_string())),
        }
    })();
    Some(r.map(Value::Bool))
}
