//! A `default` must be valid against its own node's schema: the apiserver prunes it (unknown
//! fields refused: `must not have unknown fields`), validates it with the node's value
//! validations (type, bounds, enum, pattern, format, nested members) and its CEL rules
//! (`pkg/apiserver/schema/defaulting/validation.go`), and refuses the CRD at
//! `...<node>.default[.member...]`.
//!
//! The node is read by the schema loader (`vitistack_core::schema::load`) and the default is
//! checked by the validator walk of objects (`vitistack_core::validate::check_value`): one
//! validator for objects and defaults. A node the loader refuses is not structural (the
//! structural check reports it) and its default is reported as not checked.

use serde_json::{json, Map, Value};

use super::issue::{Check, Issue, Severity};
use super::walk::NodeContext;

/// The name of the node in the resource its default is checked in.
const MEMBER: &str = "defaulted";

/// The findings of the `default` of one node.
pub(crate) fn check(obj: &Map<String, Value>, at: &NodeContext, out: &mut Vec<Issue>) {
    let Some(default) = obj.get("default") else {
        return;
    };
    if at.in_junctor {
        return;
    }
    let path = at.path.child("default");
    let node = Value::Object(obj.clone());
    if let Some(pruned) = unknown_fields(default, &node) {
        out.push(Issue::refused(
            path,
            &at.field,
            Check::Default,
            format!("Invalid value: {default}: must not have unknown fields ({pruned})"),
        ));
        return;
    }
    // The node as a member of a resource (the loader reads a schema as a resource root, with
    // metadata, which the node is not): the default is checked as that member's value.
    let wrapper = json!({"type": "object", "properties": {MEMBER: node}});
    if let Ok(loaded) = vitistack_core::schema::load::load(&wrapper) {
        // The validator walk of objects: value validations first, then the CEL rules.
        let options = vitistack_core::validate::Options { strict: false };
        let object = json!({"metadata": {"name": "default"}, MEMBER: default});
        for error in vitistack_core::validate::check_value(&loaded, &object, options) {
            // Errors of the member only (not the walk's note that rules were skipped).
            let Some(rest) = error.path.strip_prefix(MEMBER) else {
                continue;
            };
            let member = match rest.strip_prefix('.') {
                Some(rest) => path.child(rest),
                None if rest.is_empty() => path.clone(),
                None => path.child(rest),
            };
            out.push(Issue::refused(
                member,
                &at.field,
                Check::Default,
                error.message(),
            ));
        }
        return;
    }
    out.push(Issue {
        path,
        field: at.field.clone(),
        severity: Severity::NotChecked,
        check: Check::Default,
        message: "the default was not checked: the schema loader does not read this node"
            .to_owned(),
    });
}
/// The first member pruning would remove (`a.extra`), if any.
fn unknown_fields(value: &Value, schema: &Value) -> Option<String> {
    match value {
        Value::Object(members) => {
            if schema.get("x-kubernetes-preserve-unknown-fields") == Some(&Value::Bool(true))
                && schema.get("properties").is_none()
                && schema.get("additionalProperties").is_none()
            {
                return None;
            }
            let props = schema.get("properties").and_then(Value::as_object);
            let values = schema.get("additionalProperties").filter(|v| v.is_object());
            let preserve =
                schema.get("x-kubernetes-preserve-unknown-fields") == Some(&Value::Bool(true));
            for (k, v) in members {
                let member_schema = props.and_then(|p| p.get(k)).or(values);
                match member_schema {
                    Some(s) => {
                        if let Some(inner) = unknown_fields(v, s) {
                            return Some(format!("{k}.{inner}"));
                        }
                    }
                    None if preserve
                        || schema.get("additionalProperties") == Some(&Value::Bool(true)) => {}
                    None if schema.get("x-kubernetes-embedded-resource")
                        == Some(&Value::Bool(true))
                        && ["apiVersion", "kind", "metadata"].contains(&k.as_str()) => {}
                    None => return Some(k.clone()),
                }
            }
            None
        }
        Value::Array(items) => {
            let item_schema = schema.get("items")?;
            items.iter().enumerate().find_map(|(i, v)| {
                unknown_fields(v, item_schema).map(|inner| format!("[{i}].{inner}"))
            })
        }
        _ => None,
    }
}
