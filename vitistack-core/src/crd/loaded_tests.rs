//! Reading whole CRDs: names, scope, versions and their flags, and errors at the apiserver's
//! paths.

use super::read_crd;
use crate::crd::Scope;
use serde_json::{json, Value};

fn crd(versions: Value) -> Value {
    json!({
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": { "name": "widgets.example.com" },
        "spec": {
            "group": "example.com",
            "scope": "Cluster",
            "names": { "kind": "Widget", "plural": "widgets", "shortNames": ["wd"] },
            "versions": versions
        }
    })
}

fn schema() -> Value {
    json!({ "openAPIV3Schema": { "type": "object", "properties": { "spec": { "type": "object", "properties": { "size": { "type": "integer" } } } } } })
}

#[test]
fn a_crd_is_read_with_every_version() {
    let versions = json!([
        { "name": "v1", "served": true, "storage": true, "schema": schema(), "subresources": { "status": {} } },
        { "name": "v1beta1", "served": false, "storage": false, "deprecated": true, "schema": schema() }
    ]);
    let loaded = read_crd(&crd(versions)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(loaded.group, "example.com");
    assert_eq!(loaded.names.kind, "Widget");
    assert_eq!(loaded.names.plural, "widgets");
    assert_eq!(loaded.names.short_names, ["wd"]);
    assert_eq!(loaded.scope, Scope::Cluster);
    let flags: Vec<(&str, bool, bool, bool, bool)> = loaded
        .versions
        .iter()
        .map(|v| {
            (
                v.name.as_str(),
                v.served,
                v.storage,
                v.deprecated,
                v.subresources.status,
            )
        })
        .collect();
    assert_eq!(
        flags,
        [
            ("v1", true, true, false, true),
            ("v1beta1", false, false, true, false)
        ]
    );
    assert!(loaded.versions[0].node.lookup("spec.size").is_some());
}

#[test]
fn schema_errors_carry_the_version_path() {
    let mut bad = schema();
    bad["openAPIV3Schema"]["properties"]["spec"]["properties"]["size"]["type"] = json!("int");
    let versions = json!([
        { "name": "v1", "served": true, "storage": true, "schema": schema() },
        { "name": "v2", "served": true, "storage": false, "schema": bad },
        { "name": "v3", "served": true, "storage": false }
    ]);
    let errors = read_crd(&crd(versions)).err().unwrap_or_default();
    let paths: Vec<&str> = errors.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "spec.versions[1].schema.openAPIV3Schema.properties[spec].properties[size].type",
            "spec.versions[2].schema.openAPIV3Schema",
        ]
    );
}

#[test]
fn what_is_not_a_crd_is_an_error() {
    let errors = read_crd(&json!({ "apiVersion": "v1", "kind": "ConfigMap" }))
        .err()
        .unwrap_or_default();
    assert_eq!(errors.0.len(), 1);
}
