//! Renders a schema tree as a structural OpenAPI v3 schema for a CRD (`openAPIV3Schema`).
//!
//! Structural means: every node typed, no `$ref`, no typed junctors, only formats the apiserver
//! knows (`int32`, `int64`, `double`, `date-time`), and `maxLength`/`maxItems` on what CEL reads.

use super::{FormatKeyword, IntFormat, ListType, Node, Type};
use crate::rules::Enforce;
use serde_json::{json, Map, Value};

/// The OpenAPI v3 form of a node.
pub fn render(node: &Node) -> Value {
    let mut schema = shape(&node.ty);
    if let Some(description) = &node.description {
        schema.insert("description".into(), Value::from(description.as_str()));
    }
    if let Some(default) = &node.default {
        schema.insert("default".into(), default.clone());
    }
    for rule in &node.rules {
        rule.openapi(&mut schema);
    }
    keywords(node, &mut schema);
    Value::Object(schema)
}

/// The keywords of the node's own fields (beyond shape, description, default and rules).
fn keywords(node: &Node, schema: &mut Map<String, Value>) {
    match &node.format {
        FormatKeyword::Implied => {}
        FormatKeyword::Absent => {
            schema.remove("format");
        }
        FormatKeyword::Named(format) => {
            schema.insert("format".into(), Value::from(format.as_str()));
        }
    }
    if node.nullable {
        schema.insert("nullable".into(), Value::Bool(true));
    }
    if node.preserve_unknown_fields {
        schema.insert(
            "x-kubernetes-preserve-unknown-fields".into(),
            Value::Bool(true),
        );
    }
    if node.embedded_resource {
        schema.insert("x-kubernetes-embedded-resource".into(), Value::Bool(true));
    }
    if let Some(allows) = node.additional_properties {
        schema.insert("additionalProperties".into(), Value::Bool(allows));
    }
    if !node.required_undeclared.is_empty() {
        let mut required = match schema.remove("required") {
            Some(Value::Array(names)) => names,
            _ => Vec::new(),
        };
        required.extend(
            node.required_undeclared
                .iter()
                .map(|n| Value::from(n.as_str())),
        );
        schema.insert("required".into(), Value::Array(required));
    }
    for (key, value) in &node.verbatim {
        schema.insert(key.clone(), value.clone());
    }
}

fn shape(ty: &Type) -> Map<String, Value> {
    let value = match ty {
        Type::String => json!({ "type": "string" }),
        Type::Integer(IntFormat::Int32) => json!({ "type": "integer", "format": "int32" }),
        Type::Integer(IntFormat::Int64) => json!({ "type": "integer", "format": "int64" }),
        Type::Number => json!({ "type": "number", "format": "double" }),
        Type::Boolean => json!({ "type": "boolean" }),
        // Structural: no `type` beside the marker (the apiserver takes it as integer-or-string).
        Type::IntOrString => json!({ "x-kubernetes-int-or-string": true }),
        Type::Array { items, list } => array(items, list),
        Type::Object { properties } => {
            let mut schema = json!({ "type": "object" });
            // What the schema did not write (an implicit `metadata`) is not written back.
            let properties: Vec<_> = properties.iter().filter(|p| !p.node.implicit).collect();
            let rendered: Map<String, Value> = properties
                .iter()
                .map(|p| (p.name.clone(), render(&p.node)))
                .collect();
            if !rendered.is_empty() {
                schema["properties"] = Value::Object(rendered);
            }
            let required: Vec<&str> = properties
                .iter()
                .filter(|p| p.required)
                .map(|p| p.name.as_str())
                .collect();
            if !required.is_empty() {
                schema["required"] = json!(required);
            }
            schema
        }
        Type::Map { values } => json!({ "type": "object", "additionalProperties": render(values) }),
        Type::FreeForm => json!({ "type": "object", "x-kubernetes-preserve-unknown-fields": true }),
        Type::Metadata {
            name,
            generate_name,
        } => {
            let mut schema = json!({ "type": "object" });
            let declared: Map<String, Value> = [("name", name), ("generateName", generate_name)]
                .into_iter()
                .filter_map(|(field, node)| Some((field.to_string(), render(node.as_ref()?))))
                .collect();
            if !declared.is_empty() {
                schema["properties"] = Value::Object(declared);
            }
            schema
        }
        Type::Any => json!({}),
    };
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

fn array(items: &Node, list: &ListType) -> Value {
    let mut schema = json!({ "type": "array", "items": render(items) });
    match list {
        ListType::Atomic => {}
        ListType::Set => schema["x-kubernetes-list-type"] = json!("set"),
        ListType::Map(keys) => {
            schema["x-kubernetes-list-type"] = json!("map");
            schema["x-kubernetes-list-map-keys"] = json!(keys);
        }
    }
    schema
}
