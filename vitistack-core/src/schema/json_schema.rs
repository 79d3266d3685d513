//! Renders a schema tree as a JSON Schema (draft 7, what yaml-language-server and kubeconform
//! read), carrying every rule JSON Schema can express.

use super::{metadata_map_rules, OBJECT_META_FIELDS};
use super::{ListType, Node, Type};
use crate::rules::{Coverage, Enforce};
use serde_json::{json, Map, Value};

/// A rule JSON Schema expresses only in part or not at all, and where it sits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    /// The schema path of the node, e.g. `spec.ipam`.
    pub path: String,
    /// What is missing and why.
    pub coverage: Coverage,
}

/// The JSON Schema form of a node, plus the rules it could not fully express.
pub fn render(node: &Node) -> (Value, Vec<Gap>) {
    let mut gaps = Vec::new();
    let value = render_at(node, "", &mut gaps);
    (value, gaps)
}

fn render_at(node: &Node, path: &str, gaps: &mut Vec<Gap>) -> Value {
    let mut schema = shape(&node.ty, path, gaps);
    if let Some(description) = &node.description {
        schema.insert("description".into(), Value::from(description.as_str()));
    }
    if let Some(default) = &node.default {
        schema.insert("default".into(), default.clone());
    }
    for rule in &node.rules {
        let coverage = rule.json_schema(&mut schema);
        if coverage != Coverage::Full {
            gaps.push(Gap {
                path: path.to_string(),
                coverage,
            });
        }
    }
    // Fields the CRD keeps are not unknown to its JSON Schema either.
    if node.preserve_unknown_fields {
        schema.remove("additionalProperties");
    }
    if let Some(allows) = node.additional_properties {
        schema.insert("additionalProperties".into(), Value::Bool(allows));
    }
    let mut schema = Value::Object(schema);
    if node.nullable {
        allow_null(&mut schema);
    }
    schema
}

fn join(path: &str, segment: &str) -> String {
    if path.is_empty() {
        segment.to_string()
    } else {
        format!("{path}.{segment}")
    }
}

fn shape(ty: &Type, path: &str, gaps: &mut Vec<Gap>) -> Map<String, Value> {
    let value = match ty {
        Type::String => json!({ "type": "string" }),
        Type::Integer(_) => json!({ "type": "integer" }),
        Type::Number => json!({ "type": "number" }),
        Type::Boolean => json!({ "type": "boolean" }),
        Type::IntOrString => json!({ "type": ["integer", "string"] }),
        Type::Array { items, list } => {
            let mut schema =
                json!({ "type": "array", "items": render_at(items, &format!("{path}[]"), gaps) });
            match list {
                ListType::Atomic => {}
                ListType::Set => schema["uniqueItems"] = json!(true),
                ListType::Map(_) => gaps.push(Gap {
                    path: path.to_string(),
                    coverage: Coverage::Partial(MAP_KEYS_GAP),
                }),
            }
            schema
        }
        Type::Object { properties } => {
            let mut rendered = Map::new();
            for p in properties {
                let mut child = render_at(&p.node, &join(path, &p.name), gaps);
                if !p.required {
                    allow_null(&mut child);
                }
                rendered.insert(p.name.clone(), child);
            }
            let required: Vec<&str> = properties
                .iter()
                .filter(|p| p.required)
                .map(|p| p.name.as_str())
                .collect();
            let mut schema =
                json!({ "type": "object", "properties": rendered, "additionalProperties": false });
            if !required.is_empty() {
                schema["required"] = json!(required);
            }
            schema
        }
        Type::Map { values } => {
            json!({ "type": "object", "additionalProperties": render_at(values, &format!("{path}[]"), gaps) })
        }
        Type::FreeForm => json!({ "type": "object" }),
        Type::Metadata {
            name,
            generate_name,
        } => metadata(name.as_deref(), generate_name.as_deref(), path, gaps),
        Type::Any => json!({}),
    };
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// `ObjectMeta` as a client may send it: the fields it has, a name rule, labels and annotation
/// keys checked, and a name or generateName required.
fn metadata(
    name: Option<&Node>,
    generate_name: Option<&Node>,
    path: &str,
    gaps: &mut Vec<Gap>,
) -> Value {
    let mut properties = Map::new();
    for field in OBJECT_META_FIELDS {
        properties.insert(field.to_string(), json!({}));
    }
    for (field, node) in [("name", name), ("generateName", generate_name)] {
        if let Some(node) = node {
            let schema = render_at(node, &join(path, field), gaps);
            properties.insert(field.to_string(), schema);
        }
    }
    // What the rules cannot say (the annotations' total size) is left to validate() and the
    // apiserver; `metadata` is not a gap of the kind's own schema.
    for (field, rule) in metadata_map_rules() {
        let mut map = Map::new();
        map.insert("type".into(), Value::from("object"));
        rule.json_schema(&mut map);
        properties.insert(field.to_string(), Value::Object(map));
    }
    json!({
        "type": "object",
        "properties": properties,
        "additionalProperties": false,
        "anyOf": [{ "required": ["name"] }, { "required": ["generateName"] }],
    })
}

/// The apiserver prunes `null` from optional fields, so an optional field may be written as
/// `field:` with no value (YAML null). The JSON Schema accepts that too.
fn allow_null(schema: &mut Value) {
    match schema.get_mut("type") {
        Some(Value::String(ty)) => {
            let ty = std::mem::take(ty);
            schema["type"] = json!([ty, "null"]);
            if let Some(Value::Array(values)) = schema.get_mut("enum") {
                values.push(Value::Null);
            }
        }
        Some(Value::Array(types)) => types.push(json!("null")),
        _ => {}
    }
}

const MAP_KEYS_GAP: &str = "list-type map: JSON Schema cannot require items to be unique by their key fields (uniqueItems compares whole items)";
