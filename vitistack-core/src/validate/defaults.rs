//! Defaulting as the apiserver does it before it validates a custom resource
//! (`apiextensions-apiserver/pkg/apiserver/schema/defaulting/algorithm.go: Default`): an absent
//! property with a `default` gets a copy of it, and so does a `null` where the schema is not
//! nullable (a property, a list item, a map value); defaults are then applied inside what is
//! there, the inserted defaults included. (Go's one pass does not go into a `null` it replaced
//! in a list or a map, but the apiserver defaults a request more than once: the test apiserver
//! returns those filled in too, and so does this.)

use crate::schema::{Node, Type};
use serde_json::Value;

/// Fills in the defaults `node` declares into `value`, in place.
pub fn apply_defaults(node: &Node, value: &mut Value) {
    match (&node.ty, value) {
        (Type::Object { properties }, Value::Object(object)) => {
            for property in properties {
                let Some(default) = declared_default(&property.node) else {
                    continue;
                };
                let missing = object
                    .get(&property.name)
                    .is_none_or(|v| non_nullable_null(v, &property.node));
                if missing {
                    object.insert(property.name.clone(), default.clone());
                }
            }
            for property in properties {
                if let Some(child) = object.get_mut(&property.name) {
                    apply_defaults(&property.node, child);
                }
            }
        }
        (Type::Map { values }, Value::Object(object)) => {
            for child in object.values_mut() {
                replace_null(values, child);
            }
        }
        (Type::Array { items, .. }, Value::Array(elements)) => {
            for element in elements {
                replace_null(items, element);
            }
        }
        _ => {}
    }
}

/// A list item or map value: a non-nullable `null` becomes the default; then it gets its own
/// defaults.
fn replace_null(node: &Node, value: &mut Value) {
    if let Some(default) = declared_default(node).filter(|_| non_nullable_null(value, node)) {
        *value = default.clone();
    }
    apply_defaults(node, value);
}

/// The default a node declares (`default: null` declares none, as in Go).
fn declared_default(node: &Node) -> Option<&Value> {
    node.default.as_ref().filter(|d| !d.is_null())
}

fn non_nullable_null(value: &Value, node: &Node) -> bool {
    value.is_null() && !node.nullable && declared_default(node).is_some()
}

#[cfg(test)]
mod tests {
    use super::apply_defaults;
    use crate::schema::load::load;
    use serde_json::json;

    /// The expectation is the test apiserver's answer (dry-run create of the same object under
    /// the same schema, `-o json`).
    #[test]
    fn absent_and_null_fields_get_their_defaults_and_defaults_inside_them() {
        let schema = json!({
            "type": "object",
            "properties": {
                "a": { "type": "string", "default": "x" },
                "b": { "type": "string", "default": "y" },
                "n": { "type": "string", "nullable": true, "default": "z" },
                "o": {
                    "type": "object",
                    "default": {},
                    "properties": { "inner": { "type": "integer", "default": 3 } }
                },
                "l": { "type": "array", "items": { "type": "integer", "default": 7 } },
                "m": { "type": "object", "additionalProperties": { "type": "object", "default": { "k": 1 }, "properties": { "k": { "type": "integer" }, "j": { "type": "integer", "default": 2 } } } }
            }
        });
        let node = load(&schema).unwrap_or_else(|e| panic!("{e}"));
        let mut value = json!({
            "metadata": { "name": "n" },
            "b": null,
            "n": null,
            "l": [1, null],
            "m": { "p": null, "q": { "k": 5 } }
        });
        apply_defaults(&node, &mut value);
        assert_eq!(
            value,
            json!({
                "metadata": { "name": "n" },
                "a": "x",
                "b": "y",
                "n": null,
                "o": { "inner": 3 },
                "l": [1, 7],
                "m": { "p": { "k": 1, "j": 2 }, "q": { "k": 5, "j": 2 } }
            })
        );
    }
}
