//! The apiserver's check that a number in an integer field converts to the field's format.
//!
//! kube-openapi's number validator (`IsValueValidAgainstRange`, called with the prefix
//! "Checked") parses every number of an `integer` field as its `format` (`int32`, else `int64`)
//! and, when that fails (a fraction such as `1.5`, or a value beyond the format's range such as
//! `2147483648` for `int32`), adds a plain error, not a field error. apiextensions-apiserver then
//! reports it at the root of the validation it ran (`kubeOpenAPIResultToFieldErrors`): the
//! object (`""`) for a create or update, `status` for a `/status` update, which validates the
//! status alone; the message names the field relative to that root. This is besides the field's
//! own type or bound error, and it does not stop the CEL rules (it is an `Invalid value`).
//!
//! It has nothing to do with CEL: the root gets the error whether or not it carries CEL rules.

use crate::report::{ErrorKind, FieldError, Path, Report};
use crate::rules::as_integer;
use crate::rules::Rule;
use crate::schema::{FormatKeyword, IntFormat};
use serde_json::Value;

/// How an integer field's format is named in the messages: `with format int32`, or
/// `(default format)` for an `integer` written without one (a loaded CRD's).
#[derive(Debug, Clone, Copy)]
pub(super) struct Format<'a> {
    /// The width the value is parsed as.
    pub(super) width: IntFormat,
    /// The `format` keyword of the node.
    pub(super) written: &'a FormatKeyword,
}

impl Format<'_> {
    fn label(&self) -> String {
        match self.written {
            FormatKeyword::Absent => "(default format)".to_string(),
            FormatKeyword::Named(name) => format!("with format {name}"),
            FormatKeyword::Implied => format!("with format {}", self.width.as_str()),
        }
    }
}

/// Reports at the validation root (the first `root` bytes of `path`) when `value`, a number in
/// an integer field of `format` at `path`, does not convert to that format.
pub(super) fn check(format: Format, value: &Value, path: &Path, root: usize, report: &mut Report) {
    // Strings and other non-numbers get the type error only.
    if !value.is_number() || fits(format.width, value) {
        return;
    }
    at_root(path, root, report, |field| {
        format!(
            "Checked value must be of type integer {} in {field}",
            format.label()
        )
    });
}

/// Reports, as kube-openapi does on every value of the field, each bound of a loaded integer
/// field that is no integer of its format (`minimum: 0.5`).
pub(super) fn bounds(
    format: Format,
    rules: &[Rule],
    path: &Path,
    root: usize,
    report: &mut Report,
) {
    for rule in rules {
        let Rule::Number(range) = rule else { continue };
        for (limit, name) in [(&range.min, "Minimum"), (&range.max, "Maximum")] {
            let Some(limit) = limit else { continue };
            if fits(format.width, &Value::Number(limit.value.clone())) {
                continue;
            }
            at_root(path, root, report, |field| {
                format!(
                    "{name} boundary value must be of type integer {} in {field}",
                    format.label()
                )
            });
        }
    }
}

/// An error at the validation root whose text names the field relative to it.
fn at_root(path: &Path, root: usize, report: &mut Report, detail: impl FnOnce(&str) -> String) {
    let text = path.as_str();
    let (root_path, relative) = text.split_at_checked(root).unwrap_or(("", text));
    report.push(FieldError::new(
        root_path,
        ErrorKind::Invalid,
        Some(&Value::String(String::new())),
        detail(relative.trim_start_matches('.')),
    ));
}

/// Whether the number is a whole number in the range of `format`. `1.0` counts as 1, as in the
/// apiserver's decoding; beyond `i64` the apiserver holds a float, which never converts.
fn fits(format: IntFormat, value: &Value) -> bool {
    let Some(n) = as_integer(value) else {
        return false;
    };
    match format {
        IntFormat::Int32 => i32::try_from(n).is_ok(),
        IntFormat::Int64 => i64::try_from(n).is_ok(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(format: IntFormat, value: Value, path: &str, root: usize) -> Report {
        let mut report = Report::new();
        let format = Format {
            width: format,
            written: &FormatKeyword::Implied,
        };
        check(format, &value, &Path::from_text(path), root, &mut report);
        report
    }

    #[test]
    fn a_fraction_is_reported_at_the_root_naming_the_field() {
        let report = run(IntFormat::Int32, json!(1.5), "spec.cpu.threads", 0);
        assert_eq!(report.len(), 1, "{report:?}");
        assert_eq!(report[0].path, "");
        assert_eq!(report[0].kind, ErrorKind::Invalid);
        assert_eq!(
            report[0].to_string(),
            "Invalid value: \"\": Checked value must be of type integer with format int32 in spec.cpu.threads"
        );
    }

    #[test]
    fn under_a_status_root_the_field_is_named_relative_to_it() {
        let report = run(
            IntFormat::Int32,
            json!(2147483648_i64),
            "status.workers[0].replicas",
            6,
        );
        assert_eq!(report[0].path, "status");
        assert!(
            report[0].detail.ends_with(" in workers[0].replicas"),
            "{report:?}"
        );
    }

    #[test]
    fn the_range_is_the_formats() {
        assert!(run(IntFormat::Int32, json!(2147483647), "a", 0).is_empty());
        assert!(run(IntFormat::Int32, json!(-2147483648), "a", 0).is_empty());
        assert_eq!(
            run(IntFormat::Int32, json!(-2147483649_i64), "a", 0).len(),
            1
        );
        assert!(run(IntFormat::Int64, json!(2147483648_i64), "a", 0).is_empty());
        assert!(run(IntFormat::Int64, json!(1.0), "a", 0).is_empty());
        assert_eq!(run(IntFormat::Int64, json!(0.5), "a", 0).len(), 1);
        assert_eq!(run(IntFormat::Int64, json!(u64::MAX), "a", 0).len(), 1);
        assert!(run(IntFormat::Int32, json!("1.5"), "a", 0).is_empty());
    }

    /// A resource: `status.replicas` and `spec.pools[].replicas`, both int32 (status first, so
    /// the walk must leave the status root behind for `spec`).
    fn resource() -> crate::schema::Node {
        use crate::schema::{Node, Property, Type};
        let int32 = || Node::new(Type::Integer(IntFormat::Int32));
        let pool = Node::object(vec![Property::new("replicas", false, int32())]);
        Node::object(vec![
            Property::new("metadata", false, Node::metadata()),
            Property::new(
                "status",
                false,
                Node::object(vec![Property::new("replicas", false, int32())]),
            ),
            Property::new(
                "spec",
                false,
                Node::object(vec![Property::new("pools", false, Node::array(pool))]),
            ),
        ])
    }

    fn roots(node: &crate::schema::Node, value: &Value) -> Vec<(String, String)> {
        crate::validate::check_value(node, value, crate::validate::Options::default())
            .into_iter()
            .filter(|e| e.detail.starts_with("Checked"))
            .map(|e| (e.path, e.detail))
            .collect()
    }

    #[test]
    fn the_walk_reports_list_items_at_the_object_and_status_fields_at_status() {
        let value = json!({
            "metadata": {"name": "a"},
            "spec": {"pools": [{"replicas": 1}, {"replicas": 2147483648_i64}]},
            "status": {"replicas": 1.5}
        });
        let found = roots(&resource(), &value);
        let detail = |field: &str| {
            format!("Checked value must be of type integer with format int32 in {field}")
        };
        assert_eq!(
            found,
            [
                ("status".to_string(), detail("replicas")),
                (String::new(), detail("spec.pools[1].replicas")),
            ]
        );
    }

    #[test]
    fn a_status_field_of_a_plain_object_is_no_validation_root() {
        let crate::schema::Type::Object { properties } = resource().ty else {
            unreachable!("resource() is an object")
        };
        // Without metadata it is not a resource: no status subresource.
        let plain = crate::schema::Node::object(properties.into_iter().skip(1).collect());
        let found = roots(&plain, &json!({"status": {"replicas": 1.5}}));
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "");
        assert!(found[0].1.ends_with(" in status.replicas"), "{found:?}");
    }
}
