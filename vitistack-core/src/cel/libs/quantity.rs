//! Kubernetes quantity (`k8s.io/apiserver/pkg/cel/library/quantity.go`), on
//! [`crate::formats::quantity`], which is Go's `resource.ParseQuantity` exactly: comparisons are
//! exact (`quantity('1Gi') == quantity('1073741824')`, `quantity('1000m') == quantity('1')`).

use super::super::errors::EvalError;
use super::super::eval::{factor, Tracker};
use super::super::types::{opaque, Type};
use super::super::value::Value;
use super::Overload;
use crate::formats::quantity::Quantity;
use num_bigint::BigInt;
use std::cmp::Ordering;
use std::sync::Arc;

const NAMES: [&str; 11] = [
    "quantity",
    "isQuantity",
    "sign",
    "isGreaterThan",
    "isLessThan",
    "compareTo",
    "asApproximateFloat",
    "asInteger",
    "isInteger",
    "add",
    "sub",
];

/// The checker's overloads.
pub(crate) fn check(f: &str, target: Option<&Type>, args: &[Type]) -> Overload {
    if !NAMES.contains(&f) {
        return Overload::Unknown;
    }
    let q = Type::Opaque(opaque::QUANTITY);
    let r = |t: Type| Overload::Result(t);
    let on_q = target.is_some_and(|t| t.fits(&q) && !t.is_dyn());
    match (f, target, args) {
        ("quantity", None, [s]) if s.fits(&Type::String) => r(q),
        ("isQuantity", None, [s]) if s.fits(&Type::String) => r(Type::Bool),
        // `cel.Overload("quantity_sign", ...)`: a global function, `sign(<Quantity>)`, no method.
        ("sign", None, [a]) if a.fits(&q) => r(Type::Int),
        ("asInteger", Some(_), []) if on_q => r(Type::Int),
        ("isInteger", Some(_), []) if on_q => r(Type::Bool),
        ("asApproximateFloat", Some(_), []) if on_q => r(Type::Double),
        ("isGreaterThan" | "isLessThan", Some(_), [o]) if on_q && o.fits(&q) => r(Type::Bool),
        ("compareTo", Some(_), [o]) if on_q && o.fits(&q) => r(Type::Int),
        ("add" | "sub", Some(_), [o]) if on_q && (o.fits(&q) || o.fits(&Type::Int)) => r(q),
        _ => Overload::NoMatch,
    }
}

fn from_decimal(m: &BigInt, e: i64) -> Result<Quantity, EvalError> {
    Quantity::parse(&format!("{m}e{e}")).map_err(|e| EvalError::msg(e.to_string()))
}

/// Exponents further apart than this are not aligned (the exact sum would have that many
/// digits): the call is refused as unsupported instead of exhausting memory.
const MAX_ALIGN: i64 = 10_000;

fn arith(a: &Quantity, b: &Quantity, add: bool) -> Result<Quantity, EvalError> {
    let ((ma, ea), (mb, eb)) = (a.to_decimal(), b.to_decimal());
    if (ea - eb).abs() > MAX_ALIGN {
        return Err(EvalError::Unsupported(format!(
            "quantity arithmetic across {} decimal digits",
            (ea - eb).abs()
        )));
    }
    let e = ea.min(eb);
    let scale = |m: BigInt, by: i64| m * BigInt::from(10u8).pow((by - e) as u32);
    let (ma, mb) = (scale(ma, ea), scale(mb, eb));
    from_decimal(&if add { ma + mb } else { ma - mb }, e)
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
        ("quantity" | "isQuantity", None, [V::String(s)]) => {
            if let Err(e) = t.add(factor(s.chars().count() as u64, 0.1)) {
                return Some(Err(e));
            }
            let parsed = Quantity::parse(s);
            if f == "isQuantity" {
                Ok(V::Bool(parsed.is_ok()))
            } else {
                parsed
                    .map(|q| V::Quantity(Arc::new(q)))
                    .map_err(|e| EvalError::msg(e.to_string()))
            }
        }
        ("sign", None, [V::Quantity(q)]) => Ok(V::Int(q.signum() as i64)),
        (_, Some(V::Quantity(q)), rest) => match (f, rest) {
            ("isGreaterThan", [V::Quantity(o)]) => Ok(V::Bool(**q > **o)),
            ("isLessThan", [V::Quantity(o)]) => Ok(V::Bool(**q < **o)),
            ("compareTo", [V::Quantity(o)]) => Ok(V::Int(match q.cmp(o) {
                Ordering::Less => -1,
                Ordering::Equal => 0,
                Ordering::Greater => 1,
            })),
            ("asApproximateFloat", []) => {
                let (m, e) = q.to_decimal();
                let m: f64 = m.to_string().parse().unwrap_or(f64::NAN);
                Ok(V::Double(m * 10f64.powi(e.clamp(-400, 400) as i32)))
            }
            ("asInteger" | "isInteger", []) => {
                // Go's AsInt64 depends on how the parsed value is held (int64Amount with its
                // scale, or inf.Dec), not only on the value: `0.5Ki` and `1000m` are whole
                // numbers that are not integers to the apiserver.
                match (f, vitistack_quantity::as_int64(q.as_str())) {
                    ("isInteger", i) => Ok(V::Bool(i.is_some())),
                    (_, Some(i)) => Ok(V::Int(i)),
                    (_, None) => Err(EvalError::msg("cannot convert value to integer")),
                }
            }
            ("add" | "sub", [V::Quantity(o)]) => {
                arith(q, o, f == "add").map(|q| V::Quantity(Arc::new(q)))
            }
            ("add" | "sub", [V::Int(i)]) => from_decimal(&BigInt::from(*i), 0)
                .and_then(|o| arith(q, &o, f == "add"))
                .map(|q| V::Quantity(Arc::new(q))),
            _ => return None,
        },
        _ => return None,
    })
}
