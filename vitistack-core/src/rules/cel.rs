//! Helpers that write CEL (`x-kubernetes-validations`) entries.

use serde_json::{json, Map, Value};

/// Appends one `x-kubernetes-validations` entry.
pub(crate) fn push(
    schema: &mut Map<String, Value>,
    rule: &str,
    message: &str,
    field_path: Option<&str>,
    reason: Option<&str>,
) {
    push_entry(
        schema,
        Entry {
            rule,
            message,
            field_path,
            reason,
            message_expression: None,
            optional_old_self: None,
        },
    );
}

/// The fields of one `x-kubernetes-validations` entry.
pub(crate) struct Entry<'a> {
    pub(crate) rule: &'a str,
    pub(crate) message: &'a str,
    pub(crate) field_path: Option<&'a str>,
    pub(crate) reason: Option<&'a str>,
    pub(crate) message_expression: Option<&'a str>,
    pub(crate) optional_old_self: Option<bool>,
}

/// Appends one `x-kubernetes-validations` entry with every field the apiserver knows.
pub(crate) fn push_entry(schema: &mut Map<String, Value>, e: Entry) {
    let mut entry = json!({ "rule": e.rule });
    // An entry without a message (a CRD may leave it out) has none to write.
    if !e.message.is_empty() {
        entry["message"] = Value::from(e.message);
    }
    if let Some(field_path) = e.field_path {
        entry["fieldPath"] = Value::from(field_path);
    }
    if let Some(reason) = e.reason {
        entry["reason"] = Value::from(reason);
    }
    if let Some(message_expression) = e.message_expression {
        entry["messageExpression"] = Value::from(message_expression);
    }
    if let Some(optional_old_self) = e.optional_old_self {
        entry["optionalOldSelf"] = Value::from(optional_old_self);
    }
    super::push_to(schema, "x-kubernetes-validations", entry);
}

/// A CEL string literal.
pub(crate) fn string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('\'');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// A CEL literal for a JSON scalar.
pub(crate) fn literal(value: &Value) -> String {
    match value {
        Value::String(s) => string(s),
        other => other.to_string(),
    }
}

/// `self.a.b` for the relative path `a.b`.
pub(crate) fn select(path: &str) -> String {
    format!("self.{path}")
}

/// `has(self.a) && has(self.a.b)`: true when every segment of `a.b` is present.
pub(crate) fn has(path: &str) -> String {
    let mut prefix = String::from("self");
    let mut parts = Vec::new();
    for segment in path.split('.') {
        prefix.push('.');
        prefix.push_str(segment);
        parts.push(format!("has({prefix})"));
    }
    parts.join(" && ")
}

/// The value at a relative dotted path inside `value` (absent or null: `None`).
pub(crate) fn lookup<'a>(value: &'a Value, path: &str) -> Option<&'a Value> {
    let mut current = value;
    for segment in path.split('.') {
        current = current.as_object()?.get(segment)?;
    }
    (!current.is_null()).then_some(current)
}
