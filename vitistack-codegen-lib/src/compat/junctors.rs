//! `anyOf`, `oneOf` and `not` compared as constraints: the values they admit, never as fields.
//!
//! Each junctor of a field (on its own schema or an `allOf` layer) is one constraint; a new
//! constraint is fine when an old one of the same kind admitted no more values:
//! - `anyOf`: an old group whose alternatives are all still alternatives of the new group (an
//!   alternative added only loosens);
//! - `oneOf`: the same alternatives (an added one may make values match twice, and fail);
//! - `not`: the same schema.
//!
//! Alternatives are compared as canonical JSON (keys sorted, descriptions dropped), so the
//! order of alternatives and of keys means nothing. A constraint removed only loosens.

use serde_json::Value;

use crate::canonical::sort_keys;

/// Every junctor finding of a field: (check, message).
pub fn junctor_changes(old: &[&Value], new: &[&Value]) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    for (key, fits) in [
        ("anyOf", subset as fn(&[String], &[String]) -> bool),
        ("oneOf", equal),
        ("not", equal),
    ] {
        let (before, after) = (groups(old, key), groups(new, key));
        for group in &after {
            if !before.iter().any(|b| fits(b, group)) {
                let what = if before.is_empty() {
                    "constraint added"
                } else {
                    "constraint changed"
                };
                out.push((key, format!("{key} {what}: {}", group.join(" | "))));
            }
        }
    }
    out
}

fn subset(old: &[String], new: &[String]) -> bool {
    old.iter().all(|o| new.contains(o))
}

fn equal(old: &[String], new: &[String]) -> bool {
    old == new
}

/// The `key` junctors of the layers, each as its sorted canonical alternatives (`not`: one).
fn groups(layers: &[&Value], key: &str) -> Vec<Vec<String>> {
    layers
        .iter()
        .filter_map(|l| l.get(key))
        .map(|j| {
            let mut alternatives: Vec<String> = match j {
                Value::Array(items) => items.iter().map(canonical).collect(),
                one => vec![canonical(one)],
            };
            alternatives.sort();
            alternatives.dedup();
            alternatives
        })
        .collect()
}

/// `value` as compact JSON with sorted keys and without `description` texts (a property named
/// `description` is a schema, and stays).
pub fn canonical(value: &Value) -> String {
    sort_keys(&without_descriptions(value)).to_string()
}

fn without_descriptions(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(k, v)| !(k.as_str() == "description" && v.is_string()))
                .map(|(k, v)| (k.clone(), without_descriptions(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_descriptions).collect()),
        other => other.clone(),
    }
}
