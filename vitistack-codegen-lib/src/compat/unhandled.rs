//! crdify's catch-all: a change of a schema keyword that no check understands is reported
//! (`unhandled`), never passed as compatible.

use serde_json::Value;

use super::constraints::show_set;
use super::junctors::canonical;

/// The keywords some check compares, the keywords that only document, and the ones that hold
/// the children (compared as fields of their own).
const UNDERSTOOD: &[&str] = &[
    // checks
    "type",
    "enum",
    "default",
    "maximum",
    "minimum",
    "exclusiveMaximum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "maxItems",
    "minItems",
    "maxProperties",
    "minProperties",
    "pattern",
    "format",
    "uniqueItems",
    "nullable",
    "required",
    "x-kubernetes-list-type",
    "x-kubernetes-list-map-keys",
    "x-kubernetes-validations",
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    // documentation: changes break nobody
    "description",
    "title",
    "example",
    "externalDocs",
    // children
    "properties",
    "items",
];

/// One message per keyword outside [`UNDERSTOOD`] whose values differ between the layers of
/// the old and the new field (`additionalProperties` counts when it is `true`/`false`, not a
/// schema).
pub fn unhandled_changes(old: &[&Value], new: &[&Value]) -> Vec<String> {
    let (a, b) = (others(old), others(new));
    let mut keys: Vec<&str> = a.iter().chain(&b).map(|(k, _)| k.as_str()).collect();
    keys.sort_unstable();
    keys.dedup();
    keys.into_iter()
        .filter_map(|key| {
            let of = |set: &[(String, String)]| -> Vec<String> {
                set.iter()
                    .filter(|(k, _)| k == key)
                    .map(|(_, v)| v.clone())
                    .collect()
            };
            let (x, y) = (of(&a), of(&b));
            (x != y).then(|| format!("{key} changed: {} -> {}", show_set(&x), show_set(&y)))
        })
        .collect()
}

/// (keyword, canonical value) of every keyword of the layers that no check understands, sorted.
fn others(layers: &[&Value]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = layers
        .iter()
        .filter_map(|l| l.as_object())
        .flat_map(|m| m.iter())
        .filter(|(k, v)| {
            let child_schema = k.as_str() == "additionalProperties" && v.is_object();
            !(UNDERSTOOD.contains(&k.as_str()) || child_schema)
        })
        .map(|(k, v)| (k.clone(), canonical(v)))
        .collect();
    out.sort();
    out.dedup();
    out
}
