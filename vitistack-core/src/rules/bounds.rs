//! Numeric bounds: integer ranges, string lengths, list sizes.

use super::{as_integer, tighten, Coverage, Enforce, Phase};
use crate::report::{ErrorKind, FieldError, Path, Report};
use serde_json::{Map, Value};

/// Integer bounds (`minimum`/`maximum`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Range {
    /// Inclusive lower bound.
    pub min: Option<i64>,
    /// Inclusive upper bound.
    pub max: Option<i64>,
}

/// String length bounds in characters (`minLength`/`maxLength`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Length {
    /// Minimum length.
    pub min: Option<u64>,
    /// Maximum length.
    pub max: Option<u64>,
}

/// List size bounds (`minItems`/`maxItems`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Items {
    /// Minimum number of items.
    pub min: Option<u64>,
    /// Maximum number of items.
    pub max: Option<u64>,
}

fn narrow<T: Ord + Copy>(a: Option<T>, b: Option<T>, keep_greater: bool) -> Option<T> {
    match (a, b) {
        (Some(x), Some(y)) if keep_greater => Some(x.max(y)),
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    }
}

macro_rules! intersect_impl {
    ($($ty:ty),*) => {$(
        impl $ty {
            /// Narrows these bounds to their intersection with `other`.
            pub fn intersect(&mut self, other: &$ty) {
                self.min = narrow(self.min, other.min, true);
                self.max = narrow(self.max, other.max, false);
            }
        }
    )*};
}
intersect_impl!(Range, Length, Items);

fn write_bounds(
    schema: &mut Map<String, Value>,
    keys: (&str, &str),
    min: Option<i64>,
    max: Option<i64>,
) {
    if let Some(min) = min {
        tighten(schema, keys.0, min, true);
    }
    if let Some(max) = max {
        tighten(schema, keys.1, max, false);
    }
}

fn to_i64(v: Option<u64>) -> Option<i64> {
    v.map(|v| i64::try_from(v).unwrap_or(i64::MAX))
}

impl Enforce for Range {
    fn phase(&self) -> Phase {
        Phase::Schema
    }
    fn openapi(&self, schema: &mut Map<String, Value>) {
        write_bounds(schema, ("minimum", "maximum"), self.min, self.max);
    }
    fn json_schema(&self, schema: &mut Map<String, Value>) -> Coverage {
        self.openapi(schema);
        Coverage::Full
    }
    fn check(&self, value: &Value, path: &mut Path, report: &mut Report) {
        // `100.0` counts as 100, as on the apiserver.
        let Some(n) = as_integer(value) else {
            return;
        };
        if let Some(min) = self.min.filter(|&min| n < i128::from(min)) {
            let detail = format!("must be greater than or equal to {min}");
            report.push(FieldError::new(
                path.as_str(),
                ErrorKind::Invalid,
                Some(value),
                detail,
            ));
        }
        if let Some(max) = self.max.filter(|&max| n > i128::from(max)) {
            let detail = format!("must be less than or equal to {max}");
            report.push(FieldError::new(
                path.as_str(),
                ErrorKind::Invalid,
                Some(value),
                detail,
            ));
        }
    }
}

impl Enforce for Length {
    fn phase(&self) -> Phase {
        Phase::Schema
    }
    fn openapi(&self, schema: &mut Map<String, Value>) {
        write_bounds(
            schema,
            ("minLength", "maxLength"),
            to_i64(self.min),
            to_i64(self.max),
        );
    }
    fn json_schema(&self, schema: &mut Map<String, Value>) -> Coverage {
        self.openapi(schema);
        Coverage::Full
    }
    fn check(&self, value: &Value, path: &mut Path, report: &mut Report) {
        let Some(text) = value.as_str() else { return };
        // The apiserver counts characters (runes), as JSON Schema does.
        let len = text.chars().count() as u64;
        if let Some(max) = self.max.filter(|&max| len > max) {
            let detail = format!("may not be more than {max} characters");
            report.push(FieldError::new(
                path.as_str(),
                ErrorKind::TooLong,
                None,
                detail,
            ));
        }
        if let Some(min) = self.min.filter(|&min| len < min) {
            let detail = format!("should be at least {min} chars long");
            report.push(FieldError::new(
                path.as_str(),
                ErrorKind::Invalid,
                Some(value),
                detail,
            ));
        }
    }
}

impl Enforce for Items {
    fn phase(&self) -> Phase {
        Phase::Schema
    }
    fn openapi(&self, schema: &mut Map<String, Value>) {
        write_bounds(
            schema,
            ("minItems", "maxItems"),
            to_i64(self.min),
            to_i64(self.max),
        );
    }
    fn json_schema(&self, schema: &mut Map<String, Value>) -> Coverage {
        self.openapi(schema);
        Coverage::Full
    }
    fn check(&self, value: &Value, path: &mut Path, report: &mut Report) {
        let Some(list) = value.as_array() else { return };
        let len = list.len() as u64;
        if let Some(max) = self.max.filter(|&max| len > max) {
            let detail = format!("must have at most {max} items");
            report.push(FieldError::new(
                path.as_str(),
                ErrorKind::TooMany,
                Some(&Value::from(len)),
                detail,
            ));
        }
        if let Some(min) = self.min.filter(|&min| len < min) {
            let detail = format!("should have at least {min} items");
            report.push(FieldError::new(
                path.as_str(),
                ErrorKind::Invalid,
                Some(&Value::from(len)),
                detail,
            ));
        }
    }
}
