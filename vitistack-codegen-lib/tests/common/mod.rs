//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

/// A fresh, empty directory under Cargo's per-target test scratch space, removed on drop.
pub struct TempDir(PathBuf);

impl std::ops::Deref for TempDir {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Create a [`TempDir`] named after the test.
pub fn temp_dir(name: &str) -> TempDir {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("vitistack-codegen-tests")
        .join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create temp dir");
    TempDir(dir)
}

/// Path of a file in vitistack-codegen-lib/tests/fixtures (this module is shared with the tests of
/// the `vitistack-codegen` binary package, a sibling directory).
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../vitistack-codegen-lib/tests/fixtures")
        .join(name)
}

/// A minimal v1 CRD for `<plural>.<group>` whose single version has `schema`.
pub fn crd(group: &str, kind: &str, plural: &str, schema: Value) -> Value {
    json!({
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": format!("{plural}.{group}")},
        "spec": {
            "group": group,
            "names": {
                "kind": kind,
                "listKind": format!("{kind}List"),
                "plural": plural,
                "singular": kind.to_lowercase(),
            },
            "scope": "Namespaced",
            "versions": [{
                "name": "v1alpha1",
                "served": true,
                "storage": true,
                "schema": {"openAPIV3Schema": schema},
            }],
        },
    })
}

/// A CRD whose `spec` property is `spec_schema`.
pub fn crd_with_spec(spec_schema: Value) -> Value {
    crd(
        "example.io",
        "Widget",
        "widgets",
        json!({"type": "object", "properties": {"spec": spec_schema}}),
    )
}

/// The path prefix of the first version's root schema.
pub const ROOT: &str = "spec.versions[0].schema.openAPIV3Schema";
