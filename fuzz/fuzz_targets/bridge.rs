//! The schemars bridge on arbitrary JSON taken as a JSON Schema document (definitions under
//! `$defs`/`definitions`, `$ref`s to them, recursive ones included): it returns a node or an
//! error naming a path, never a panic or a hang. A node it returns renders to an OpenAPI schema
//! without a `$ref` anywhere, which, as the schema of a CRD's `spec`, passes the structural lint
//! (what the apiserver demands of a CRD).
#![no_main]
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value};
use vitistack_codegen_lib::lint::lint_structural;
use vitistack_types::schema::{bridge, kubernetes, openapi};

/// Whether a schema has a `$ref` key anywhere (enum values and defaults are data, not schema,
/// but a rendered schema has no `$ref` key in them either unless the input put one there).
fn ref_path(schema: &Value, path: &mut Vec<String>) -> bool {
    let Some(object) = schema.as_object() else {
        return false;
    };
    if object.contains_key("$ref") {
        return true;
    }
    for (key, child) in object {
        if matches!(key.as_str(), "default" | "enum" | "example") {
            continue;
        }
        let children: Vec<&Value> = match child {
            Value::Array(items) => items.iter().collect(),
            other => vec![other],
        };
        path.push(key.clone());
        if children.into_iter().any(|c| ref_path(c, path)) {
            return true;
        }
        path.pop();
    }
    false
}

/// A CRD whose one version has `schema` as its `spec`.
fn crd(schema: &Value) -> Value {
    json!({
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": "fuzzes.example.com"},
        "spec": {
            "group": "example.com",
            "names": {"kind": "Fuzz", "plural": "fuzzes", "singular": "fuzz", "listKind": "FuzzList"},
            "scope": "Namespaced",
            "versions": [{
                "name": "v1", "served": true, "storage": true,
                "schema": {"openAPIV3Schema": {
                    "type": "object",
                    "properties": {"spec": schema}
                }}
            }]
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(schema) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    match bridge::node_from_json_schema(&schema, &kubernetes::Kubernetes) {
        Ok(node) => {
            let rendered = openapi::render(&node);
            let mut path = Vec::new();
            assert!(
                !ref_path(&rendered, &mut path),
                "a $ref survived at {path:?}: {rendered}"
            );
            let findings = lint_structural(&crd(&rendered));
            assert!(
                findings.is_empty(),
                "bridged schema is not structural: {findings:?}\n{rendered}"
            );
        }
        Err(e) => assert!(
            !e.reason.is_empty(),
            "an error without a reason at {:?}",
            e.path
        ),
    }
});
