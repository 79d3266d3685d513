//! The update corpus in `tests/corpus/updates.yaml`: hand-written update cases for the rules of
//! decisions.md §6 (immutable fields, sizes that may only grow, one Kubernetes minor version at
//! a time) and for ratcheting. Each case makes an old object from an example, then the new
//! object from the old one; `invalid` is the field paths the apiserver names (absent: the update
//! is accepted). Run against the real apiserver and `check_update` by `update_parity.rs`, and
//! through `vitistack-codegen validate --old` by the CLI's `update_corpus.rs`.

use crate::{example, remove_path, repo_root, set_path};
use serde::Deserialize;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// One update case.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdateCase {
    /// What the case shows.
    pub name: String,
    /// Example file stem the old object starts from.
    pub example: String,
    /// Field paths to remove from the example to make the old object (before `before`).
    #[serde(default)]
    pub before_remove: Vec<String>,
    /// Field path → value to set on the example to make the old object.
    #[serde(default)]
    pub before: BTreeMap<String, Value>,
    /// The old object breaks a rule of today's CRD: it is stored while the CRD lacks its value
    /// rules (see [`lax_crd`]), as an object stored under an older, laxer schema would be.
    #[serde(default)]
    pub lax: bool,
    /// Field paths the update removes from the old object (before `set`).
    #[serde(default)]
    pub remove: Vec<String>,
    /// Field path → value the update sets on the old object.
    #[serde(default)]
    pub set: BTreeMap<String, Value>,
    /// The field paths a rejection names; absent for an accepted update.
    #[serde(default)]
    pub invalid: Option<Vec<String>>,
}

/// The cases of `tests/corpus/updates.yaml`, in order.
pub fn cases() -> Vec<UpdateCase> {
    let path = repo_root().join("tests/corpus/updates.yaml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The object name of case `index` (each case has its own object).
pub fn object_name(index: usize) -> String {
    format!("update-{index:03}")
}

/// The old object of case `index` in `namespace`: the example without status, renamed, then
/// `before_remove` and `before`.
pub fn build_old(case: &UpdateCase, index: usize, namespace: &str) -> Value {
    let mut object = example(&case.example);
    if let Some(map) = object.as_object_mut() {
        map.remove("status");
    }
    set_path(&mut object, "metadata.name", json!(object_name(index)));
    set_path(&mut object, "metadata.namespace", json!(namespace));
    for path in &case.before_remove {
        remove_path(&mut object, path);
    }
    for (path, value) in &case.before {
        set_path(&mut object, path, value.clone());
    }
    object
}

/// The new object: `old` (as stored, with its metadata) after `remove` and `set`.
pub fn build_new(case: &UpdateCase, old: &Value) -> Value {
    let mut object = old.clone();
    for path in &case.remove {
        remove_path(&mut object, path);
    }
    for (path, value) in &case.set {
        set_path(&mut object, path, value.clone());
    }
    object
}

/// The JSON merge patch (RFC 7386) that turns `old` into `new`: changed fields with their new
/// value, removed fields as `null`, lists whole.
pub fn merge_patch(old: &Value, new: &Value) -> Value {
    match (old, new) {
        (Value::Object(o), Value::Object(n)) => {
            let mut patch = Map::new();
            for (key, old_value) in o {
                match n.get(key) {
                    None => {
                        patch.insert(key.clone(), Value::Null);
                    }
                    Some(new_value) if new_value != old_value => {
                        patch.insert(key.clone(), merge_patch(old_value, new_value));
                    }
                    Some(_) => {}
                }
            }
            for (key, new_value) in n {
                if !o.contains_key(key) {
                    patch.insert(key.clone(), new_value.clone());
                }
            }
            Value::Object(patch)
        }
        _ => new.clone(),
    }
}

/// Keywords a lax CRD drops: every value rule (bounds, patterns, enums, formats, CEL) and list
/// uniqueness. Types, required fields and defaults stay, so the CRD stays structural.
const LAX_DROPS: &[&str] = &[
    "x-kubernetes-validations",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "pattern",
    "enum",
    "format",
    "minItems",
    "maxItems",
    "minProperties",
    "maxProperties",
    "x-kubernetes-list-type",
    "x-kubernetes-list-map-keys",
];

/// `crd` without its value rules: the schema an object that breaks today's rules was stored
/// under.
pub fn lax_crd(crd: &Value) -> Value {
    fn strip(node: &mut Value) {
        match node {
            Value::Object(map) => {
                for key in LAX_DROPS {
                    map.remove(*key);
                }
                map.values_mut().for_each(strip);
            }
            Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let mut lax = crd.clone();
    if let Some(versions) = lax["spec"]["versions"].as_array_mut() {
        for version in versions {
            strip(&mut version["schema"]["openAPIV3Schema"]);
        }
    }
    lax
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_merge_patch_sets_changes_nulls_removals_and_keeps_lists_whole() {
        let old = json!({ "a": 1, "b": { "c": 2, "d": 3 }, "l": [1, 2], "same": true });
        let new = json!({ "a": 2, "b": { "c": 2 }, "l": [1], "same": true, "e": "x" });
        assert_eq!(
            merge_patch(&old, &new),
            json!({ "a": 2, "b": { "d": null }, "l": [1], "e": "x" })
        );
    }

    #[test]
    fn a_lax_crd_keeps_types_and_required_but_no_value_rule() {
        let crd = json!({ "spec": { "versions": [{ "schema": { "openAPIV3Schema": {
            "type": "object", "required": ["spec"],
            "properties": { "spec": { "type": "object", "properties": { "vlan": {
                "type": "integer", "maximum": 4094,
                "x-kubernetes-validations": [{ "rule": "self == oldSelf" }] } } } } } } }] } });
        let vlan = &lax_crd(&crd)["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]
            ["spec"]["properties"]["vlan"];
        assert_eq!(vlan, &json!({ "type": "integer" }));
    }
}
