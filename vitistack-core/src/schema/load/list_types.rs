//! What the apiserver requires of list and map types beyond structure (server-side apply needs
//! it): a list-map's items are objects whose key properties are scalars, each required or
//! defaulted; a list-set's items are scalars or atomic; `x-kubernetes-map-type` is `atomic` or
//! `granular`, on objects only. Each error in the apiserver's words and at its path.

use super::errors::join;
use super::reader::Reader;
use crate::schema::ListType;
use serde_json::{Map, Value};

/// The list type `list` of the array schema `object` at `path`, against its items.
pub(super) fn check(reader: &mut Reader, object: &Map<String, Value>, list: &ListType, path: &str) {
    let Some(items) = object.get("items").and_then(Value::as_object) else {
        return;
    };
    let items_path = join(path, "items");
    let items_type = items.get("type").cloned().unwrap_or(Value::Null);
    match list {
        ListType::Atomic => {}
        ListType::Set => {
            let atomic =
                items.get("x-kubernetes-map-type").and_then(Value::as_str) == Some("atomic");
            if items_type.as_str() == Some("object") && !atomic {
                let shown = items
                    .get("x-kubernetes-map-type")
                    .cloned()
                    .unwrap_or(Value::Null);
                let message = format!("Invalid value: {shown}: must be atomic as item of a list with x-kubernetes-list-type=set");
                reader.error(&join(&items_path, "x-kubernetes-map-type"), message);
            }
        }
        ListType::Map(keys) => {
            if items_type.as_str() != Some("object") {
                let message = format!("Invalid value: {items_type}: must be object if parent array's x-kubernetes-list-type is map");
                reader.error(&join(&items_path, "type"), message);
                return;
            }
            let empty = Map::new();
            let properties = items
                .get("properties")
                .and_then(Value::as_object)
                .unwrap_or(&empty);
            if !keys.iter().all(|k| properties.contains_key(k)) {
                let shown = Value::from(keys.clone());
                let message =
                    format!("Invalid value: {shown}: entries must all be names of item properties");
                reader.error(&join(path, "x-kubernetes-list-map-keys"), message);
                return;
            }
            let required: Vec<&str> = items
                .get("required")
                .and_then(Value::as_array)
                .map(|r| r.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            for key in keys {
                let Some(property) = properties.get(key) else {
                    continue;
                };
                let at = join(&items_path, &format!("properties[{key}]"));
                let key_type = property.get("type").cloned().unwrap_or(Value::Null);
                if !matches!(
                    key_type.as_str(),
                    Some("string" | "integer" | "number" | "boolean")
                ) {
                    let message = format!("Invalid value: {key_type}: must be a scalar type if parent array's x-kubernetes-list-type is map");
                    reader.error(&join(&at, "type"), message);
                }
                if !required.contains(&key.as_str()) && property.get("default").is_none() {
                    let message = "Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property";
                    reader.error(&join(&at, "default"), message);
                }
            }
        }
    }
}

/// `x-kubernetes-map-type: map_type` on a node whose written `type` is `ty`.
pub(super) fn check_map_type(
    reader: &mut Reader,
    map_type: &Value,
    ty: Value,
    object_like: bool,
    path: &str,
) {
    if !matches!(map_type.as_str(), Some("atomic" | "granular")) {
        let message =
            format!("Unsupported value: {map_type}: supported values: \"atomic\", \"granular\"");
        reader.error(&join(path, "x-kubernetes-map-type"), message);
    }
    if !object_like {
        let message =
            format!("Invalid value: {ty}: must be object if x-kubernetes-map-type is specified");
        reader.error(&join(path, "type"), message);
    }
}
