//! A stored object as the apiserver hands it out under a schema: what the storage codec of a
//! custom resource does on every read (`apiextensions-apiserver`'s `schemaCoercingDecoder`,
//! then `unstructuredDefaulter`): unknown fields pruned (`structuralpruning.Prune`), nulls of
//! fields without a default dropped (`PruneNonNullableNullsWithoutDefaults`), then defaults
//! filled in where a field is absent or null (`structuraldefaulting.Default`, which descends
//! into the values it has just defaulted).
//!
//! The same steps run on a create and on every write, so applying them with OLD's schema gives
//! the object as stored, and again with NEW's schema the object as read after the CRD moved.
//!
//! `apiVersion`, `kind` and `metadata` at the root and in embedded resources are kept whatever
//! the schema says (the apiserver coerces them apart); so are the fields of a node with
//! `x-kubernetes-preserve-unknown-fields`. A null stays where the node is `nullable`.

use serde_json::{Map, Value};
use vitistack_core::schema::{Node, Type};

/// The fields every resource keeps.
const RESOURCE_FIELDS: &[&str] = &["apiVersion", "kind", "metadata"];

/// Prunes and defaults `value` in place under `node`, at the root of an object.
pub(super) fn read_as(node: &Node, value: &mut Value) {
    coerce(node, value, true);
}

fn coerce(node: &Node, value: &mut Value, root: bool) {
    match (&node.ty, value) {
        (Type::Object { properties }, Value::Object(map)) => {
            let resource = root || node.embedded_resource;
            if !node.preserve_unknown_fields {
                map.retain(|key, _| {
                    properties.iter().any(|p| &p.name == key)
                        || (resource && RESOURCE_FIELDS.contains(&&**key))
                });
            }
            for property in properties {
                if resource && RESOURCE_FIELDS.contains(&property.name.as_str()) {
                    continue;
                }
                fill(&property.node, map, &property.name);
            }
        }
        (Type::Map { values }, Value::Object(map)) => {
            let keys: Vec<String> = map.keys().cloned().collect();
            for key in keys {
                fill(values, map, &key);
            }
        }
        (Type::Array { items, .. }, Value::Array(elements)) => {
            for element in elements {
                coerce(items, element, false);
            }
        }
        // Scalars, free-form and untyped values (kept as they are) and values of the wrong
        // type (the validator reports them).
        _ => {}
    }
}

/// One field of an object or map: a null without a default is dropped (unless nullable), an
/// absent field or a null one (unless nullable) with a default gets it, and what is there is
/// coerced in turn.
fn fill(node: &Node, map: &mut Map<String, Value>, key: &str) {
    let missing = match map.get(key) {
        None => true,
        Some(Value::Null) => !node.nullable,
        Some(_) => false,
    };
    match (&node.default, missing) {
        (Some(default), true) => {
            map.insert(key.to_owned(), default.clone());
        }
        (None, true) => {
            map.remove(key);
            return;
        }
        (_, false) => {}
    }
    if let Some(child) = map.get_mut(key) {
        coerce(node, child, false);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use vitistack_core::schema::{IntFormat, Property};

    fn property(name: &str, node: Node) -> Property {
        Property {
            name: name.to_owned(),
            required: false,
            node,
        }
    }

    #[test]
    fn prunes_unknown_fields_drops_nulls_and_fills_defaults_inside_defaults() {
        let inner = Node::object(vec![property(
            "depth",
            Node::new(Type::String).with_default(json!("deep")),
        )]);
        let node = Node::object(vec![
            property("metadata", Node::metadata()),
            property(
                "spec",
                Node::object(vec![
                    property("mode", Node::new(Type::String).with_default(json!("a"))),
                    property("gone", Node::new(Type::String)),
                    property("nested", inner.with_default(json!({}))),
                    property(
                        "items",
                        Node::array(Node::object(vec![property(
                            "x",
                            Node::new(Type::Integer(IntFormat::Int64)).with_default(json!(1)),
                        )])),
                    ),
                ]),
            ),
        ]);
        let mut object = json!({
            "apiVersion": "g/v1", "kind": "K",
            "metadata": {"name": "n", "labels": {"a": "b"}},
            "unknown": 1,
            "spec": {"mode": null, "gone": null, "extra": true, "items": [{"y": 2}]}
        });
        read_as(&node, &mut object);
        assert_eq!(
            object,
            json!({
                "apiVersion": "g/v1", "kind": "K",
                "metadata": {"name": "n", "labels": {"a": "b"}},
                "spec": {"mode": "a", "nested": {"depth": "deep"}, "items": [{"x": 1}]}
            })
        );
    }

    #[test]
    fn nullable_nulls_and_preserved_fields_stay() {
        let mut nullable = Node::new(Type::String).with_default(json!("d"));
        nullable.nullable = true;
        let mut open = Node::object(vec![property("known", Node::new(Type::String))]);
        open.preserve_unknown_fields = true;
        let node = Node::object(vec![property(
            "spec",
            Node::object(vec![property("n", nullable), property("open", open)]),
        )]);
        let mut object = json!({"spec": {"n": null, "open": {"known": "k", "extra": 1}}});
        let before = object.clone();
        read_as(&node, &mut object);
        assert_eq!(object, before);
    }
}
