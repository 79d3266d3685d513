//! Number rules a derived schema does not write but a CRD may: bounds that are fractions or
//! exclusive (`minimum: 0.5`, `exclusiveMaximum: true`), and `multipleOf`. Integer inclusive
//! bounds stay the [`super::Range`] the derive writes.
//!
//! Bounds and factors are kept as the JSON numbers written, so the CRD renders back as it was
//! (`1.0` stays `1.0`); they are compared as `f64`, as kube-openapi compares them. The messages
//! are kube-openapi's as the apiserver passes them on (`spec.x in body should be less than 2`),
//! checked against the live apiserver.

use super::{Coverage, Enforce, Phase};
use crate::report::{ErrorKind, Path, Reject, Report};
use serde_json::{Map, Number, Value};

/// One bound of a [`NumberRange`].
#[derive(Debug, Clone, PartialEq)]
pub struct Limit {
    /// The bound as written.
    pub value: Number,
    /// OpenAPI v3.0's boolean `exclusiveMinimum`/`exclusiveMaximum`: the bound itself is out.
    pub exclusive: bool,
}

/// Numeric bounds: either may be open, fractional or exclusive.
#[derive(Debug, Clone, PartialEq)]
pub struct NumberRange {
    /// `minimum` (with `exclusiveMinimum`).
    pub min: Option<Limit>,
    /// `maximum` (with `exclusiveMaximum`).
    pub max: Option<Limit>,
}

/// `multipleOf`: the value divided by it is a whole number.
#[derive(Debug, Clone, PartialEq)]
pub struct MultipleOf(pub Number);

/// `spec.x in body`: how kube-openapi names the field in its messages, which the apiserver
/// passes on word for word.
pub(crate) fn in_body(path: &Path) -> String {
    format!("{} in body", path.as_str())
}

/// A number as Go's `%v` prints a `float64` or an `int64` (`2`, `0.5`, `1e+21`): what the
/// apiserver's messages quote.
pub(crate) fn go_number(n: &Number) -> String {
    if n.is_i64() || n.is_u64() {
        return n.to_string();
    }
    let f = n.as_f64().unwrap_or(0.0);
    if f.fract() == 0.0 && f.abs() < 1e21 {
        format!("{f:.0}")
    } else if f.abs() >= 1e21 {
        let text = format!("{f:e}");
        // Rust writes `1e21`; Go writes `1e+21`.
        match text.split_once('e') {
            Some((mantissa, exp)) if !exp.starts_with('-') => format!("{mantissa}e+{exp}"),
            _ => text,
        }
    } else {
        f.to_string()
    }
}

impl Enforce for NumberRange {
    fn phase(&self) -> Phase {
        Phase::Schema
    }
    fn openapi(&self, schema: &mut Map<String, Value>) {
        for (limit, key, exclusive_key) in [
            (&self.min, "minimum", "exclusiveMinimum"),
            (&self.max, "maximum", "exclusiveMaximum"),
        ] {
            if let Some(limit) = limit {
                schema.insert(key.into(), Value::Number(limit.value.clone()));
                if limit.exclusive {
                    schema.insert(exclusive_key.into(), Value::Bool(true));
                }
            }
        }
    }
    fn json_schema(&self, schema: &mut Map<String, Value>) -> Coverage {
        // JSON Schema draft 7 writes an exclusive bound as the number itself.
        for (limit, key, exclusive_key) in [
            (&self.min, "minimum", "exclusiveMinimum"),
            (&self.max, "maximum", "exclusiveMaximum"),
        ] {
            if let Some(limit) = limit {
                let key = if limit.exclusive { exclusive_key } else { key };
                schema.insert(key.into(), Value::Number(limit.value.clone()));
            }
        }
        Coverage::Full
    }
    fn check(&self, value: &Value, path: &mut Path, report: &mut Report) {
        let Some(n) = value.as_f64() else { return };
        if let Some(min) = &self.min {
            let bound = min.value.as_f64().unwrap_or(f64::NEG_INFINITY);
            let (fails, words) = if min.exclusive {
                (n <= bound, "greater than")
            } else {
                (n < bound, "greater than or equal to")
            };
            if fails {
                let detail = format!(
                    "{} should be {words} {}",
                    in_body(path),
                    go_number(&min.value)
                );
                report.reject(path, ErrorKind::Invalid, Some(value), detail);
            }
        }
        if let Some(max) = &self.max {
            let bound = max.value.as_f64().unwrap_or(f64::INFINITY);
            let (fails, words) = if max.exclusive {
                (n >= bound, "less than")
            } else {
                (n > bound, "less than or equal to")
            };
            if fails {
                let detail = format!(
                    "{} should be {words} {}",
                    in_body(path),
                    go_number(&max.value)
                );
                report.reject(path, ErrorKind::Invalid, Some(value), detail);
            }
        }
    }
}

impl MultipleOf {
    /// Whether `value` is a multiple: exactly for integers, as kube-openapi's float division
    /// (a whole quotient) otherwise.
    fn holds(&self, value: &Value) -> bool {
        if let (Some(v), Some(m)) = (value.as_i64(), self.0.as_i64()) {
            return m != 0 && v % m == 0;
        }
        match (value.as_f64(), self.0.as_f64()) {
            (Some(v), Some(m)) if m != 0.0 => {
                let quotient = v / m;
                quotient.is_finite() && quotient.fract() == 0.0
            }
            _ => false,
        }
    }
}

impl Enforce for MultipleOf {
    fn phase(&self) -> Phase {
        Phase::Schema
    }
    fn openapi(&self, schema: &mut Map<String, Value>) {
        schema.insert("multipleOf".into(), Value::Number(self.0.clone()));
    }
    fn json_schema(&self, schema: &mut Map<String, Value>) -> Coverage {
        self.openapi(schema);
        Coverage::Full
    }
    fn check(&self, value: &Value, path: &mut Path, report: &mut Report) {
        if !value.is_number() || self.holds(value) {
            return;
        }
        let detail = format!(
            "{} should be a multiple of {}",
            in_body(path),
            go_number(&self.0)
        );
        report.reject(path, ErrorKind::Invalid, Some(value), detail);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_as_go_prints_them() {
        let n = |v: Value| match v {
            Value::Number(n) => go_number(&n),
            _ => String::new(),
        };
        assert_eq!(n(serde_json::json!(2)), "2");
        assert_eq!(n(serde_json::json!(2.0)), "2");
        assert_eq!(n(serde_json::json!(0.5)), "0.5");
        assert_eq!(n(serde_json::json!(1e21)), "1e+21");
    }
}
