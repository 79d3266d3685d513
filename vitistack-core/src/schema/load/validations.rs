//! `x-kubernetes-validations`: each entry a [`RawCel`] rule for the CEL engine (no Rust fast
//! path: `check: None`), with every field the apiserver knows.

use super::errors::join;
use super::reader::Reader;
use crate::rules::{RawCel, Reason, Rule};
use crate::schema::Node;
use serde_json::{Map, Value};

/// The fields of one entry (`ValidationRule`).
const FIELDS: &[&str] = &[
    "rule",
    "message",
    "messageExpression",
    "reason",
    "fieldPath",
    "optionalOldSelf",
];

/// Adds a rule per entry of the node's `x-kubernetes-validations`.
pub(super) fn read(reader: &mut Reader, object: &Map<String, Value>, path: &str, node: &mut Node) {
    let key = "x-kubernetes-validations";
    let Some(entries) = object.get(key) else {
        return;
    };
    let Some(entries) = entries.as_array() else {
        reader.error(&join(path, key), "must be a list of rules");
        return;
    };
    for (i, entry) in entries.iter().enumerate() {
        let at = join(path, &format!("{key}[{i}]"));
        if let Some(rule) = entry_rule(reader, entry, &at) {
            node.push_rule(Rule::Cel(rule));
        }
    }
}

fn entry_rule(reader: &mut Reader, entry: &Value, at: &str) -> Option<RawCel> {
    let Some(entry) = entry.as_object() else {
        reader.error(at, "must be an object with a `rule`");
        return None;
    };
    for field in entry.keys() {
        if !FIELDS.contains(&field.as_str()) {
            reader.error(&join(at, field), "not a field of a validation rule");
        }
    }
    let text = |reader: &mut Reader, field: &str| -> Option<String> {
        match entry.get(field) {
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => {
                reader.error(&join(at, field), "must be a string");
                None
            }
            None => None,
        }
    };
    let rule = text(reader, "rule");
    let message = text(reader, "message");
    let message_expression = text(reader, "messageExpression");
    let field_path = text(reader, "fieldPath");
    let reason_text = text(reader, "reason");
    let reason = match reason_text.as_deref() {
        None => Reason::Invalid,
        Some(name) => Reason::from_cel(name).unwrap_or_else(|| {
            let message = format!("Unsupported value: {name:?}: supported values: \"FieldValueDuplicate\", \"FieldValueForbidden\", \"FieldValueInvalid\", \"FieldValueRequired\"");
            reader.error(&join(at, "reason"), message);
            Reason::Invalid
        }),
    };
    let optional_old_self = match entry.get("optionalOldSelf") {
        Some(Value::Bool(b)) => Some(*b),
        Some(_) => {
            reader.error(&join(at, "optionalOldSelf"), "must be a boolean");
            None
        }
        None => None,
    };
    let Some(rule) = rule else {
        reader.error(&join(at, "rule"), "Required value: rule is not specified");
        return None;
    };
    let message = message.unwrap_or_default();
    if entry.contains_key("message") && message.is_empty() {
        reader.error(
            &join(at, "message"),
            "the model cannot hold an empty message written out (it is the same as none)",
        );
    }
    Some(RawCel {
        rule,
        message,
        field_path,
        reason,
        check: None,
        message_expression,
        optional_old_self,
        reason_written: reason_text.as_deref() == Some("FieldValueInvalid"),
        ..Default::default()
    })
}
