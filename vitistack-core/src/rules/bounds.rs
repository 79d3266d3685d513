//! Numeric bounds: integer ranges, string lengths, list sizes. One generic [`Bounds`], three
//! [`Measure`]s: what is measured, the OpenAPI keywords, and the apiserver's wording of a value
//! outside the bounds.

use super::{as_integer, tighten, Coverage, Enforce, Phase};
use crate::report::{ErrorKind, Path, Reject, Report};
use serde_json::{Map, Value};
use std::fmt::Debug;

/// Inclusive lower and upper bounds (either may be open) of what `M` measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bounds<M: Measure> {
    /// Inclusive lower bound.
    pub min: Option<M::Bound>,
    /// Inclusive upper bound.
    pub max: Option<M::Bound>,
}

/// Integer bounds (`minimum`/`maximum`).
pub type Range = Bounds<Integer>;
/// String length bounds in characters (`minLength`/`maxLength`).
pub type Length = Bounds<Characters>;
/// List size bounds (`minItems`/`maxItems`).
pub type Items = Bounds<ListItems>;
/// Object size bounds (`minProperties`/`maxProperties`).
pub type Properties = Bounds<ObjectProperties>;

/// A violation of one bound: its kind, the value the message quotes, the detail.
pub type Violation = (ErrorKind, Option<Value>, String);

/// What a [`Bounds`] measures.
pub trait Measure: Debug + Clone + Copy + PartialEq + Eq {
    /// The type of a bound.
    type Bound: Copy + Ord + Debug + Into<i128>;
    /// The keywords of the lower and the upper bound, in OpenAPI and JSON Schema alike.
    const KEYWORDS: (&'static str, &'static str);
    /// Whether the apiserver reports a value above the upper bound before one below the lower.
    const UPPER_FIRST: bool;
    /// The measure of `value`; `None` when it is not what is measured (a type error, reported
    /// apart).
    fn of(value: &Value) -> Option<i128>;
    /// The violation of `value` at `path`, measuring `measure`, below `min`.
    fn below(min: Self::Bound, value: &Value, measure: i128, path: &Path) -> Violation;
    /// The violation of `value` at `path`, measuring `measure`, above `max`.
    fn above(max: Self::Bound, value: &Value, measure: i128, path: &Path) -> Violation;
}

/// An integer's value (`100.0` counts as 100, as on the apiserver).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Integer;

impl Measure for Integer {
    type Bound = i64;
    const KEYWORDS: (&'static str, &'static str) = ("minimum", "maximum");
    const UPPER_FIRST: bool = false;
    fn of(value: &Value) -> Option<i128> {
        as_integer(value)
    }
    fn below(min: i64, value: &Value, _: i128, _: &Path) -> Violation {
        let detail = format!("must be greater than or equal to {min}");
        (ErrorKind::Invalid, Some(value.clone()), detail)
    }
    fn above(max: i64, value: &Value, _: i128, _: &Path) -> Violation {
        let detail = format!("must be less than or equal to {max}");
        (ErrorKind::Invalid, Some(value.clone()), detail)
    }
}

/// A string's length in characters (runes, as the apiserver and JSON Schema count).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Characters;

impl Measure for Characters {
    type Bound = u64;
    const KEYWORDS: (&'static str, &'static str) = ("minLength", "maxLength");
    const UPPER_FIRST: bool = true;
    fn of(value: &Value) -> Option<i128> {
        value.as_str().map(|text| text.chars().count() as i128)
    }
    fn below(min: u64, value: &Value, _: i128, _: &Path) -> Violation {
        let detail = format!("should be at least {min} chars long");
        (ErrorKind::Invalid, Some(value.clone()), detail)
    }
    fn above(max: u64, _: &Value, _: i128, _: &Path) -> Violation {
        let detail = format!("may not be more than {max} characters");
        (ErrorKind::TooLong, None, detail)
    }
}

/// A list's number of items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListItems;

impl Measure for ListItems {
    type Bound = u64;
    const KEYWORDS: (&'static str, &'static str) = ("minItems", "maxItems");
    const UPPER_FIRST: bool = true;
    fn of(value: &Value) -> Option<i128> {
        value.as_array().map(|list| list.len() as i128)
    }
    fn below(min: u64, _: &Value, len: i128, _: &Path) -> Violation {
        let detail = format!("should have at least {min} items");
        (ErrorKind::Invalid, Some(Value::from(len as u64)), detail)
    }
    fn above(max: u64, _: &Value, len: i128, _: &Path) -> Violation {
        let detail = format!("must have at most {max} items");
        (ErrorKind::TooMany, Some(Value::from(len as u64)), detail)
    }
}

/// An object's (or map's) number of properties.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ObjectProperties;

impl Measure for ObjectProperties {
    type Bound = u64;
    const KEYWORDS: (&'static str, &'static str) = ("minProperties", "maxProperties");
    const UPPER_FIRST: bool = true;
    fn of(value: &Value) -> Option<i128> {
        // The apiserver prunes `null` values before it counts (a nullable field's `null`,
        // which it keeps, is the one case this counts short).
        value
            .as_object()
            .map(|map| map.values().filter(|v| !v.is_null()).count() as i128)
    }
    fn below(min: u64, _: &Value, len: i128, path: &Path) -> Violation {
        let detail = format!(
            "{} in body should have at least {min} properties",
            path.as_str()
        );
        (ErrorKind::Invalid, Some(Value::from(len as u64)), detail)
    }
    fn above(max: u64, _: &Value, len: i128, _: &Path) -> Violation {
        // apiextensions-apiserver reports too many properties with `field.TooMany`, as items.
        let detail = format!("must have at most {max} items");
        (ErrorKind::TooMany, Some(Value::from(len as u64)), detail)
    }
}

fn narrow<T: Ord + Copy>(a: Option<T>, b: Option<T>, keep_greater: bool) -> Option<T> {
    match (a, b) {
        (Some(x), Some(y)) if keep_greater => Some(x.max(y)),
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    }
}

/// A bound as an OpenAPI integer (a `u64` beyond `i64::MAX` is as good as no bound).
fn to_i64<T: Into<i128>>(bound: T) -> i64 {
    i64::try_from(bound.into()).unwrap_or(i64::MAX)
}

impl<M: Measure> Bounds<M> {
    /// Narrows these bounds to their intersection with `other`.
    pub fn intersect(&mut self, other: &Bounds<M>) {
        self.min = narrow(self.min, other.min, true);
        self.max = narrow(self.max, other.max, false);
    }
}

impl<M: Measure> Enforce for Bounds<M> {
    fn phase(&self) -> Phase {
        Phase::Schema
    }
    fn openapi(&self, schema: &mut Map<String, Value>) {
        let (min_key, max_key) = M::KEYWORDS;
        if let Some(min) = self.min {
            tighten(schema, min_key, to_i64(min), true);
        }
        if let Some(max) = self.max {
            tighten(schema, max_key, to_i64(max), false);
        }
    }
    fn json_schema(&self, schema: &mut Map<String, Value>) -> Coverage {
        self.openapi(schema);
        Coverage::Full
    }
    fn check(&self, value: &Value, path: &mut Path, report: &mut Report) {
        let Some(n) = M::of(value) else {
            return;
        };
        let below = self
            .min
            .filter(|&min| n < min.into())
            .map(|min| M::below(min, value, n, path));
        let above = self
            .max
            .filter(|&max| n > max.into())
            .map(|max| M::above(max, value, n, path));
        let violations = if M::UPPER_FIRST {
            [above, below]
        } else {
            [below, above]
        };
        for (kind, shown, detail) in violations.into_iter().flatten() {
            report.reject(path, kind, shown.as_ref(), detail);
        }
    }
}
