//! The update walk (`check_update`) on hand-built schemas: transition rules only where an old
//! value correlates, removal guards, and ratcheting. The same semantics are checked against the
//! real apiserver by the update corpus (`tests/tests/update_parity.rs`).

use super::{check_update, check_value, Options};
use crate::rules::{KubernetesVersionStep, MayOnlyGrow, Rule};
use crate::schema::{openapi, IntFormat, ListType, Node, Property, Type};
use serde_json::{json, Value};

fn string() -> Node {
    Node::new(Type::String)
}

fn int() -> Node {
    Node::new(Type::Integer(IntFormat::Int64))
}

/// spec: vlan (immutable, 1-4094), ipam.subnet (immutable), root (may only grow), volumes (a
/// list-map by name of sizes that may only grow), sizes (an atomic list of the same),
/// version (one minor at a time), tags (a list-set).
fn schema() -> Node {
    let size = || {
        string()
            .with_rules(Rule::quantity_rules(Some("1Gi"), None))
            .with_rule(Rule::MayOnlyGrow(MayOnlyGrow))
    };
    let volume = Node::object(vec![
        Property::new("name", true, string()),
        Property::new("size", false, size()),
    ]);
    let ipam = Node::object(vec![Property::new(
        "subnet",
        false,
        string().with_rule(Rule::immutable("subnet")),
    )]);
    let spec = Node::object(vec![
        Property::new(
            "vlan",
            false,
            int()
                .with_rule(Rule::range(Some(1), Some(4094)))
                .with_rule(Rule::immutable("vlan")),
        ),
        Property::new("ipam", false, ipam),
        Property::new("root", false, size()),
        Property::new(
            "volumes",
            false,
            Node::array(volume.clone()).with_list_type(ListType::Map(vec!["name".into()])),
        ),
        Property::new("atomic", false, Node::array(volume)),
        Property::new(
            "version",
            false,
            string().with_rule(Rule::KubernetesVersionStep(KubernetesVersionStep)),
        ),
        Property::new(
            "tags",
            false,
            Node::array(string()).with_list_type(ListType::Set),
        ),
    ]);
    Node::object(vec![Property::new("spec", true, spec)])
}

fn update(new: Value, old: Value) -> Vec<String> {
    check_update(&schema(), &new, &old, Options::default())
        .iter()
        .map(ToString::to_string)
        .collect()
}

fn spec(spec: Value) -> Value {
    json!({ "spec": spec })
}

#[test]
fn an_immutable_field_may_be_set_but_not_changed_or_removed() {
    let old = spec(json!({ "vlan": 100 }));
    assert_eq!(
        update(spec(json!({ "vlan": 200 })), old.clone()),
        ["spec.vlan: Invalid value: 200: vlan is immutable once set"]
    );
    assert!(update(spec(json!({ "vlan": 100 })), old.clone()).is_empty());
    assert!(update(spec(json!({ "vlan": 100 })), spec(json!({}))).is_empty());
    assert_eq!(
        update(spec(json!({})), old),
        ["spec.vlan: Required value: vlan is immutable once set"]
    );
}

#[test]
fn removing_the_parent_of_an_immutable_field_is_a_removal_of_the_field() {
    let old = spec(json!({ "ipam": { "subnet": "10.0.0.0/24" } }));
    assert_eq!(
        update(spec(json!({})), old.clone()),
        ["spec.ipam.subnet: Required value: subnet is immutable once set"]
    );
    assert_eq!(
        update(spec(json!({ "ipam": {} })), old),
        ["spec.ipam.subnet: Required value: subnet is immutable once set"]
    );
    // An old object without the field: nothing was set, nothing is removed.
    assert!(update(spec(json!({})), spec(json!({ "ipam": {} }))).is_empty());
}

#[test]
fn a_size_may_grow_but_not_shrink() {
    let old = spec(json!({ "root": "100Gi" }));
    assert_eq!(
        update(spec(json!({ "root": "99Gi" })), old.clone()),
        ["spec.root: Invalid value: \"99Gi\": may not shrink from 100Gi"]
    );
    assert!(update(spec(json!({ "root": "101Gi" })), old.clone()).is_empty());
    // The same amount in another unit is not smaller.
    assert!(update(spec(json!({ "root": "102400Mi" })), old).is_empty());
}

#[test]
fn list_map_items_are_matched_by_key_and_atomic_list_items_not_at_all() {
    let old = spec(json!({
        "volumes": [{ "name": "a", "size": "10Gi" }, { "name": "b", "size": "20Gi" }],
        "atomic": [{ "name": "a", "size": "10Gi" }],
    }));
    // Reordered, b shrunk, a new volume c smaller than anything: only b is named, at its new index.
    let new = spec(json!({
        "volumes": [
            { "name": "c", "size": "1Gi" },
            { "name": "b", "size": "19Gi" },
            { "name": "a", "size": "10Gi" },
        ],
        "atomic": [{ "name": "a", "size": "5Gi" }],
    }));
    assert_eq!(
        update(new, old),
        ["spec.volumes[1].size: Invalid value: \"19Gi\": may not shrink from 20Gi"]
    );
}

#[test]
fn a_version_moves_up_one_minor_at_a_time_and_patches_freely() {
    let old = spec(json!({ "version": "v1.32.3" }));
    for ok in ["v1.33.0", "v1.32.0", "1.32.9", "v1.33.12"] {
        assert!(
            update(spec(json!({ "version": ok })), old.clone()).is_empty(),
            "{ok}"
        );
    }
    for bad in ["v1.34.0", "v1.31.9", "v2.32.3", "v0.33.0"] {
        assert_eq!(
            update(spec(json!({ "version": bad })), old.clone()),
            [format!(
                "spec.version: Invalid value: \"{bad}\": may go up at most one minor version from v1.32.3"
            )],
        );
    }
}

#[test]
fn a_create_runs_no_transition_rule() {
    let object = spec(json!({ "vlan": 200, "root": "1Gi", "version": "v1.40.0" }));
    assert!(check_value(&schema(), &object, Options::default()).is_empty());
}

#[test]
fn an_unchanged_invalid_value_is_ratcheted_and_a_changed_one_is_not() {
    let old = spec(json!({ "vlan": 5000, "root": "10Mi", "ipam": { "subnet": "x" } }));
    // vlan and root unchanged (both break a rule): accepted; another field changed.
    let new =
        spec(json!({ "vlan": 5000, "root": "10Mi", "ipam": { "subnet": "x" }, "tags": ["a"] }));
    assert!(update(new, old.clone()).is_empty());
    // root changed but still below 1Gi (a CEL rule): rejected, and only root.
    let new = spec(json!({ "vlan": 5000, "root": "20Mi", "ipam": { "subnet": "x" } }));
    assert_eq!(
        update(new, old.clone()),
        ["spec.root: Invalid value: \"20Mi\": must be a Kubernetes quantity of at least 1Gi"]
    );
    // vlan changed: the immutability rule is never ratcheted, the range is checked again.
    let new = spec(json!({ "vlan": 5001, "root": "10Mi", "ipam": { "subnet": "x" } }));
    assert_eq!(
        update(new, old),
        [
            "spec.vlan: Invalid value: 5001: must be less than or equal to 4094",
            "spec.vlan: Invalid value: 5001: vlan is immutable once set"
        ]
    );
}

#[test]
fn list_uniqueness_is_checked_only_when_the_old_object_passed_it() {
    let dup = spec(json!({ "tags": ["a", "a"] }));
    assert!(update(spec(json!({ "tags": ["a", "a", "b"] })), dup).is_empty());
    assert_eq!(
        update(
            spec(json!({ "tags": ["b", "b"] })),
            spec(json!({ "tags": ["b"] }))
        ),
        ["spec.tags[1]: Duplicate value: \"b\""]
    );
}

#[test]
fn the_crd_carries_the_transition_rules_and_the_removal_guards() {
    let rendered = openapi::render(&schema());
    let spec = &rendered["properties"]["spec"];
    assert_eq!(
        spec["properties"]["vlan"]["x-kubernetes-validations"][0],
        json!({ "rule": "self == oldSelf", "message": "vlan is immutable once set" })
    );
    let guards = spec["x-kubernetes-validations"].as_array().expect("guards");
    assert_eq!(
        guards,
        &[
            json!({
                "rule": "!(has(oldSelf.vlan)) || has(self.vlan)",
                "message": "vlan is immutable once set",
                "fieldPath": ".vlan",
                "reason": "FieldValueRequired",
            }),
            json!({
                "rule": "!(has(oldSelf.ipam) && has(oldSelf.ipam.subnet)) || has(self.ipam)",
                "message": "subnet is immutable once set",
                "fieldPath": ".ipam.subnet",
                "reason": "FieldValueRequired",
            }),
        ]
    );
    assert_eq!(
        spec["properties"]["root"]["x-kubernetes-validations"][1]["messageExpression"],
        "'may not shrink from ' + oldSelf"
    );
}
