//! Defaulting, as the apiserver applies it to a custom resource before validating it
//! (apiextensions-apiserver's `structuraldefaulting`): a property that is absent, or `null`
//! where the schema does not allow null, takes its schema's `default`; a `null` that may not be
//! null and has no default is dropped (pruned), as the apiserver drops it. Defaults apply
//! inside defaults, list items and map values too, top down, so a CEL rule or a bound sees the
//! object the apiserver stores.

use serde_json::Value;
use vitistack_core::schema::{Node, Type};

/// Applies the defaults of `node`'s tree to `value`, in place.
pub fn apply_defaults(node: &Node, value: &mut Value) {
    match (&node.ty, value) {
        (Type::Object { properties }, Value::Object(map)) => {
            for property in properties {
                let child = &property.node;
                let absent = match map.get(&property.name) {
                    None => true,
                    Some(Value::Null) => !child.nullable,
                    Some(_) => false,
                };
                if absent {
                    match &child.default {
                        Some(default) => {
                            map.insert(property.name.clone(), default.clone());
                        }
                        None => {
                            if map.get(&property.name).is_some_and(Value::is_null) {
                                map.remove(&property.name);
                            }
                            continue;
                        }
                    }
                }
                if let Some(v) = map.get_mut(&property.name) {
                    apply_defaults(child, v);
                }
            }
        }
        (Type::Array { items, .. }, Value::Array(list)) => {
            for item in list {
                apply_defaults(items, item);
            }
        }
        (Type::Map { values }, Value::Object(map)) => {
            for v in map.values_mut() {
                apply_defaults(values, v);
            }
        }
        _ => {}
    }
}
