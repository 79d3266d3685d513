//! The errors of a failing junctor branch, worded as kube-openapi words the same keyword
//! outside a junctor (the apiserver reports them beside the junctor's own message): the
//! `jsonschema` crate finds them, this module says them the apiserver's way, at the field they
//! are about.

use super::numbers::go_number;
use crate::report::{ErrorKind, Path, Reject, Report};
use jsonschema::error::ValidationErrorKind as Kind;
use jsonschema::paths::LocationSegment;
use jsonschema::{ValidationError, Validator};
use serde_json::{Number, Value};

/// The errors of `value` against `branch`, counted (the apiserver reports the errors of the
/// `anyOf`/`oneOf` branch with the fewest).
pub(super) fn count(branch: &Validator, value: &Value) -> usize {
    branch.iter_errors(value).count()
}

/// Reports every error of `value` (at `path`) against `branch`.
pub(super) fn report(branch: &Validator, value: &Value, path: &Path, report: &mut Report) {
    for error in branch.iter_errors(value) {
        one(&error, value, path, report);
    }
}

fn one(error: &ValidationError, root: &Value, base: &Path, report: &mut Report) {
    // The field the error is about, and its value.
    let mut path = base.clone();
    let mut instance = Some(root);
    for segment in error.instance_path().iter() {
        match segment {
            LocationSegment::Property(name) => {
                path.push_field(&name);
                instance = instance.and_then(|v| v.get(name.as_ref()));
            }
            LocationSegment::Index(i) => {
                path.push_index(i);
                instance = instance.and_then(|v| v.get(i));
            }
        }
    }
    let shown = instance.cloned().unwrap_or(Value::Null);
    let at = path.as_str().to_string();
    let number = |limit: &Value| match limit {
        Value::Number(n) => go_number(n),
        other => other.to_string(),
    };
    let (kind, value, detail) = match error.kind() {
        Kind::Pattern { pattern } => (
            ErrorKind::Invalid,
            Some(shown),
            format!("{at} in body should match '{pattern}'"),
        ),
        Kind::Minimum { limit } => (
            ErrorKind::Invalid,
            Some(shown),
            format!(
                "{at} in body should be greater than or equal to {}",
                number(limit)
            ),
        ),
        Kind::ExclusiveMinimum { limit } => (
            ErrorKind::Invalid,
            Some(shown),
            format!("{at} in body should be greater than {}", number(limit)),
        ),
        Kind::Maximum { limit } => (
            ErrorKind::Invalid,
            Some(shown),
            format!(
                "{at} in body should be less than or equal to {}",
                number(limit)
            ),
        ),
        Kind::ExclusiveMaximum { limit } => (
            ErrorKind::Invalid,
            Some(shown),
            format!("{at} in body should be less than {}", number(limit)),
        ),
        Kind::MinLength { limit } => (
            ErrorKind::Invalid,
            Some(shown),
            format!("{at} in body should be at least {limit} chars long"),
        ),
        Kind::MaxLength { limit } => (
            ErrorKind::TooLong,
            None,
            format!("may not be more than {limit} characters"),
        ),
        Kind::MinItems { limit } => (
            ErrorKind::Invalid,
            Some(shown),
            format!("{at} in body should have at least {limit} items"),
        ),
        Kind::MaxItems { limit } => {
            let len = shown.as_array().map_or(0, Vec::len);
            (
                ErrorKind::TooMany,
                Some(Value::from(len)),
                format!("must have at most {limit} items"),
            )
        }
        Kind::MinProperties { limit } => {
            let len = shown.as_object().map_or(0, |m| m.len());
            (
                ErrorKind::Invalid,
                Some(Value::from(len)),
                format!("{at} in body should have at least {limit} properties"),
            )
        }
        Kind::MaxProperties { limit } => {
            let len = shown.as_object().map_or(0, |m| m.len());
            (
                ErrorKind::TooMany,
                Some(Value::from(len)),
                format!("must have at most {limit} items"),
            )
        }
        Kind::MultipleOf { multiple_of, .. } => {
            let factor =
                Number::from_f64(*multiple_of).map_or(multiple_of.to_string(), |n| go_number(&n));
            (
                ErrorKind::Invalid,
                Some(shown),
                format!("{at} in body should be a multiple of {factor}"),
            )
        }
        Kind::Required { property } => {
            let mut field = path.clone();
            field.push_field(property.as_str().unwrap_or_default());
            report.reject(&field, ErrorKind::Required, None, "");
            return;
        }
        Kind::Enum { options } => {
            let supported: Vec<String> = options
                .as_array()
                .into_iter()
                .flatten()
                .map(|v| match v {
                    Value::String(text) => format!("{text:?}"),
                    other => format!("{:?}", other.to_string()),
                })
                .collect();
            (
                ErrorKind::NotSupported,
                Some(shown),
                format!("supported values: {}", supported.join(", ")),
            )
        }
        // Nested junctors and what has no kube-openapi twin: the crate's own words.
        _ => (
            ErrorKind::Invalid,
            Some(shown),
            format!("{at} in body: {error}"),
        ),
    };
    report.reject(&path, kind, value.as_ref(), detail);
}
