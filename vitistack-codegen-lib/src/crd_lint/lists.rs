//! List-type and map-key rules (`ValidateCustomResourceDefinitionOpenAPISchema` and
//! `validateMapListKeysMapSet` in k8s.io/apiextensions-apiserver's `validation.go`), with the
//! apiserver's paths and texts.

use serde_json::{Map, Value};

use super::issue::{Check, Issue};
use super::walk::NodeContext;

fn text<'a>(obj: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    obj.get(key).and_then(Value::as_str)
}

/// The list-type and map-type findings of one node.
pub(crate) fn check(obj: &Map<String, Value>, at: &NodeContext, out: &mut Vec<Issue>) {
    let path = &at.path;
    let mut refuse = |p: super::api_path::ApiPath, message: String| {
        out.push(Issue::refused(p, &at.field, Check::ListType, message));
    };
    let ty = text(obj, "type");
    let map_type = obj.get("x-kubernetes-map-type");
    let list_type = text(obj, "x-kubernetes-list-type");
    let keys: Vec<&str> = obj
        .get("x-kubernetes-list-map-keys")
        .and_then(Value::as_array)
        .map(|k| k.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if map_type.is_some() && ty != Some("object") {
        refuse(
            path.child("type"),
            must_be(ty, "object if x-kubernetes-map-type is specified"),
        );
    }
    if let Some(m) = map_type.and_then(Value::as_str) {
        if m != "atomic" && m != "granular" {
            refuse(
                path.child("x-kubernetes-map-type"),
                format!("Unsupported value: \"{m}\": supported values: \"atomic\", \"granular\""),
            );
        }
    }
    let items = obj.get("items").and_then(Value::as_object);
    if list_type.is_some() && ty != Some("array") {
        refuse(
            path.child("type"),
            must_be(ty, "array if x-kubernetes-list-type is specified"),
        );
    } else if list_type == Some("set") {
        if let Some(items) = items {
            match text(items, "type") {
                Some("array") if text(items, "x-kubernetes-list-type").is_some_and(|t| t != "atomic") => refuse(
                    path.child("items").child("x-kubernetes-list-type"),
                    "Invalid value: must be atomic as item of a list with x-kubernetes-list-type=set".to_owned(),
                ),
                Some("object") if text(items, "x-kubernetes-map-type") != Some("atomic") => refuse(
                    path.child("items").child("x-kubernetes-map-type"),
                    "Invalid value: null: must be atomic as item of a list with x-kubernetes-list-type=set".to_owned(),
                ),
                _ => {}
            }
        }
    }
    if let Some(l) = list_type {
        if !["atomic", "set", "map"].contains(&l) {
            refuse(
                path.child("x-kubernetes-list-type"),
                format!(
                    "Unsupported value: \"{l}\": supported values: \"atomic\", \"set\", \"map\""
                ),
            );
        }
    }
    if !keys.is_empty() && list_type != Some("map") {
        let message = match list_type {
            None => {
                "Required value: must be map if x-kubernetes-list-map-keys is non-empty".to_owned()
            }
            Some(l) => format!(
                "Invalid value: \"{l}\": must be map if x-kubernetes-list-map-keys is non-empty"
            ),
        };
        refuse(path.child("x-kubernetes-list-type"), message);
    }
    if list_type == Some("map") {
        if keys.is_empty() {
            refuse(
                path.child("x-kubernetes-list-map-keys"),
                "Required value: must not be empty if x-kubernetes-list-type is map".to_owned(),
            );
        }
        match items {
            None => refuse(
                path.child("items"),
                "Required value: must have a schema if x-kubernetes-list-type is map".to_owned(),
            ),
            Some(items) if text(items, "type") != Some("object") => refuse(
                path.child("items").child("type"),
                must_be(
                    text(items, "type"),
                    "object if parent array's x-kubernetes-list-type is map",
                ),
            ),
            Some(items) => map_keys(items, &keys, at, &mut refuse),
        }
    }
    if matches!(list_type, Some("set" | "map")) {
        if let Some(items) = items {
            if items.get("nullable") == Some(&Value::Bool(true)) {
                refuse(
                    path.child("items").child("nullable"),
                    format!(
                        "Forbidden: cannot be nullable when x-kubernetes-list-type is {}",
                        list_type.unwrap_or_default()
                    ),
                );
            }
        }
    }
}

/// The keys of a list-map: scalar properties of the item, each once, required or defaulted,
/// not nullable.
fn map_keys(
    items: &Map<String, Value>,
    keys: &[&str],
    at: &NodeContext,
    refuse: &mut dyn FnMut(super::api_path::ApiPath, String),
) {
    let path = &at.path;
    let props = items.get("properties").and_then(Value::as_object);
    let required: Vec<&str> = items
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let shown = serde_json::to_string(keys).unwrap_or_default();
    for (i, key) in keys.iter().enumerate() {
        let key_path = path.child("items").child("properties").key(key);
        match props.and_then(|p| p.get(*key)) {
            None => refuse(
                path.child("x-kubernetes-list-map-keys"),
                format!("Invalid value: {shown}: entries must all be names of item properties"),
            ),
            Some(schema) => {
                if matches!(
                    schema.get("type").and_then(Value::as_str),
                    Some("array" | "object")
                ) {
                    refuse(
                        key_path.child("type"),
                        "Invalid value: \"object\": must be a scalar type if parent array's x-kubernetes-list-type is map".to_owned(),
                    );
                }
                if !required.contains(key) && schema.get("default").is_none() {
                    refuse(
                        key_path.child("default"),
                        "Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property".to_owned(),
                    );
                }
                if schema.get("nullable") == Some(&Value::Bool(true)) {
                    refuse(
                        key_path.child("nullable"),
                        "Forbidden: this property is in x-kubernetes-list-map-keys, so it cannot be nullable".to_owned(),
                    );
                }
            }
        }
        if keys[..i].contains(key) {
            refuse(
                path.child("x-kubernetes-list-map-keys"),
                format!("Invalid value: {shown}: must not contain duplicate entries"),
            );
        }
    }
}

fn must_be(ty: Option<&str>, what: &str) -> String {
    match ty {
        None => format!("Required value: must be {what}"),
        Some(t) => format!("Invalid value: \"{t}\": must be {what}"),
    }
}
