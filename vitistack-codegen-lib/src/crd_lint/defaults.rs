//! A `default` must be valid against its own node's schema: the apiserver prunes it (unknown
//! fields refused: `must not have unknown fields`), validates it with the node's value
//! validations (type, bounds, enum, pattern, format, nested members) and its CEL rules
//! (`pkg/apiserver/schema/defaulting/validation.go`), and refuses the CRD at
//! `...<node>.default[.member...]`.
//!
//! The value validations run through the `jsonschema` crate on the node converted to a Draft 7
//! schema ([`json_schema`]); the rules through the CEL engine. The messages are the crate's, the
//! paths the apiserver's. To be replaced by the validator walk of `vitistack_core::validate` on
//! the node loaded by `vitistack_core::schema::load` once that loader exists: one validator for
//! objects and defaults.

use serde_json::{json, Map, Value};
use vitistack_core::cel::types::Decl;
use vitistack_core::cel::{Budget, Outcome, Program, ValidationRule};

use super::api_path::ApiPath;
use super::issue::{Check, Issue};
use super::walk::NodeContext;

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
    let schema = json_schema(&node);
    let validator = match crate::json_schema::options().build(&schema) {
        Ok(v) => v,
        Err(e) => {
            out.push(Issue {
                path,
                field: at.field.clone(),
                severity: super::issue::Severity::NotChecked,
                check: Check::Default,
                message: format!("the default was not checked: its schema does not convert: {e}"),
            });
            return;
        }
    };
    let before = out.len();
    for error in validator.iter_errors(default) {
        let inner = inner_path(&path, error.instance_path().as_str());
        out.push(Issue::refused(
            inner,
            &at.field,
            Check::Default,
            format!("Invalid value: {}", error),
        ));
    }
    if out.len() == before {
        rules(default, &node, at.resource_root, &path, &at.field, out);
    }
}

/// `.default.a.[1]`: the apiserver's path of a member of a default (`field.Path` children named
/// by key, list items as `[i]` children).
fn inner_path(path: &ApiPath, pointer: &str) -> ApiPath {
    let mut p = path.clone();
    for token in pointer.split('/').skip(1) {
        let token = token.replace("~1", "/").replace("~0", "~");
        p = if token.parse::<usize>().is_ok() {
            p.child(&format!("[{token}]"))
        } else {
            p.child(&token)
        };
    }
    p
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

/// The node's value validations as a Draft 7 JSON Schema: `nullable` admits null, a boolean
/// `exclusiveMaximum`/`exclusiveMinimum` becomes the numeric form, int-or-string admits both,
/// the `x-kubernetes-*` extensions and `default`s are left out.
pub(crate) fn json_schema(node: &Value) -> Value {
    let Some(obj) = node.as_object() else {
        return json!({});
    };
    let mut out = Map::new();
    for (k, v) in obj {
        match k.as_str() {
            "type" if obj.get("nullable") == Some(&Value::Bool(true)) => {
                out.insert(k.clone(), json!([v, "null"]));
            }
            "enum" if obj.get("nullable") == Some(&Value::Bool(true)) => {
                let mut values = v.as_array().cloned().unwrap_or_default();
                values.push(Value::Null);
                out.insert(k.clone(), Value::Array(values));
            }
            "type" | "enum" | "pattern" | "minLength" | "maxLength" | "minItems" | "maxItems"
            | "minProperties" | "maxProperties" | "multipleOf" | "required" | "format" => {
                out.insert(k.clone(), v.clone());
            }
            "maximum" | "minimum" => {
                let exclusive = if k == "maximum" {
                    "exclusiveMaximum"
                } else {
                    "exclusiveMinimum"
                };
                if obj.get(exclusive) == Some(&Value::Bool(true)) {
                    out.insert(exclusive.to_owned(), v.clone());
                } else {
                    out.insert(k.clone(), v.clone());
                }
            }
            "properties" => {
                let props: Map<String, Value> = v
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(name, s)| (name.clone(), json_schema(s)))
                    .collect();
                out.insert(k.clone(), Value::Object(props));
            }
            "items" | "not" => {
                out.insert(k.clone(), json_schema(v));
            }
            "additionalProperties" => {
                let converted = if v.is_object() {
                    json_schema(v)
                } else {
                    v.clone()
                };
                out.insert(k.clone(), converted);
            }
            "allOf" | "anyOf" | "oneOf" => {
                let members: Vec<Value> = v
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(json_schema)
                    .collect();
                out.insert(k.clone(), Value::Array(members));
            }
            _ => {}
        }
    }
    if obj.get("x-kubernetes-int-or-string") == Some(&Value::Bool(true)) {
        out.insert("type".to_owned(), json!(["integer", "string"]));
    }
    Value::Object(out)
}

/// The CEL rules of the node and every node below it, evaluated on the default (as a create:
/// no old value, so transition rules do not run).
fn rules(
    value: &Value,
    schema: &Value,
    resource_root: bool,
    path: &ApiPath,
    field: &str,
    out: &mut Vec<Issue>,
) {
    if let Some(entries) = schema
        .get("x-kubernetes-validations")
        .and_then(Value::as_array)
    {
        if let Some(decl) = Decl::from_schema(schema, "self", resource_root) {
            for entry in entries {
                let rule = ValidationRule::from_json(entry);
                let Ok(program) = Program::compile(&rule, &decl) else {
                    continue;
                };
                let mut at = vitistack_core::report::Path::default();
                let outcome = program.evaluate(value, None, &mut at, &mut Budget::default());
                if let Outcome::Violation(_) | Outcome::Error(_) | Outcome::Halt(_) = outcome {
                    out.push(Issue::refused(
                        path.clone(),
                        field,
                        Check::Default,
                        format!("Invalid value: {value}: failed rule: {}", rule.rule),
                    ));
                }
            }
        }
    }
    match value {
        Value::Object(members) => {
            for (k, v) in members {
                let member_schema = schema
                    .get("properties")
                    .and_then(|p| p.get(k))
                    .or_else(|| schema.get("additionalProperties").filter(|s| s.is_object()));
                if let Some(s) = member_schema {
                    let embedded =
                        s.get("x-kubernetes-embedded-resource") == Some(&Value::Bool(true));
                    rules(v, s, embedded, &path.child(k), field, out);
                }
            }
        }
        Value::Array(items) => {
            if let Some(s) = schema.get("items") {
                for (i, v) in items.iter().enumerate() {
                    rules(v, s, false, &path.child(&format!("[{i}]")), field, out);
                }
            }
        }
        _ => {}
    }
}
