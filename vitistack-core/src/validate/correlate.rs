//! How the apiserver pairs the nodes of an updated object with the old object's
//! (`k8s.io/apiserver/pkg/cel/common.CorrelatedObject`): object fields and map values by name,
//! list-map items by their keys; items of other lists do not correlate.

use crate::schema::{ListType, Node, Type};
use serde_json::Value;
use std::collections::HashSet;

/// Whether an update left `new` as `old` was, the way ratcheting decides it
/// (`CachedDeepEqual`): objects and maps field by field through the schema (a field the schema
/// does not name, as in a free-form object, never counts as unchanged), list-maps item by key,
/// other lists and scalars by plain equality. `metadata` always counts as changed: a stored
/// object's metadata has fields beyond `name`, which the schema does not name.
pub(crate) fn unchanged(node: &Node, new: &Value, old: &Value) -> bool {
    match (new, old) {
        (Value::Object(n), Value::Object(o)) => {
            n.len() == o.len()
                && n.iter().all(|(key, value)| {
                    let (Some(child), Some(old_value)) = (field_schema(node, key), o.get(key))
                    else {
                        return false;
                    };
                    unchanged(child, value, old_value)
                })
        }
        (Value::Array(n), Value::Array(o)) => match &node.ty {
            Type::Array {
                items,
                list: ListType::Map(keys),
            } => {
                n.len() == o.len()
                    && n.iter().all(|element| {
                        item(o, element, keys).is_some_and(|old| unchanged(items, element, old))
                    })
            }
            _ => n == o,
        },
        _ => new == old,
    }
}

/// The schema of the field `key` of an object node (`None`: the field does not correlate).
fn field_schema<'a>(node: &'a Node, key: &str) -> Option<&'a Node> {
    match &node.ty {
        Type::Object { properties } => properties.iter().find(|p| p.name == key).map(|p| &p.node),
        Type::Map { values } => Some(values),
        _ => None,
    }
}

/// The item of the old list-map with the same keys as `element`.
pub(crate) fn item<'a>(old: &'a [Value], element: &Value, keys: &[String]) -> Option<&'a Value> {
    let key = map_key(element, keys)?;
    old.iter().find(|o| map_key(o, keys).as_ref() == Some(&key))
}

/// The key of a list-map item: its key fields' values, in order (`None` when one is missing).
pub(crate) fn map_key(element: &Value, keys: &[String]) -> Option<Value> {
    let object = element.as_object()?;
    let mut key = Vec::with_capacity(keys.len());
    for name in keys {
        key.push(object.get(name)?.clone());
    }
    Some(Value::Array(key))
}

/// Each element whose key equals an earlier element's key, with that key. Keys are compared by
/// their compact JSON text in a hash set, so a long list stays linear.
pub(crate) fn duplicates(
    elements: &[Value],
    key: impl Fn(&Value) -> Option<Value>,
) -> Vec<(usize, Value)> {
    let mut seen = HashSet::with_capacity(elements.len());
    let mut out = Vec::new();
    for (index, element) in elements.iter().enumerate() {
        let Some(k) = key(element) else { continue };
        if !seen.insert(k.to_string()) {
            out.push((index, k));
        }
    }
    out
}

/// Whether any list-set or list-map in `value` has a repeated item or key. The apiserver checks
/// list uniqueness on an update only when the old object passes it.
pub(crate) fn has_list_duplicates(node: &Node, value: &Value) -> bool {
    match (&node.ty, value) {
        (Type::Object { properties }, Value::Object(map)) => properties.iter().any(|p| {
            map.get(&p.name)
                .is_some_and(|v| has_list_duplicates(&p.node, v))
        }),
        (Type::Map { values }, Value::Object(map)) => {
            map.values().any(|v| has_list_duplicates(values, v))
        }
        (Type::Array { items, list }, Value::Array(elements)) => {
            let repeated = match list {
                ListType::Atomic => false,
                ListType::Set => !duplicates(elements, |v| Some(v.clone())).is_empty(),
                ListType::Map(keys) => !duplicates(elements, |v| map_key(v, keys)).is_empty(),
            };
            repeated || elements.iter().any(|v| has_list_duplicates(items, v))
        }
        _ => false,
    }
}
