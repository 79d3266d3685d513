//! Every kind's generated artifacts: the CRDs and the JSON Schemas.
//!
//! This is what `vitistack-codegen generate` writes to `crds/` and `schemas/`.

/// One generated JSON Schema for a kind.
#[derive(Debug, Clone)]
pub struct KindSchema {
    /// The kind, e.g. `Machine`.
    pub kind: String,
    /// The API group, e.g. `vitistack.io`.
    pub group: String,
    /// The version, e.g. `v1alpha1`.
    pub version: String,
    /// The JSON Schema document (draft 7) for a whole object of this kind.
    pub schema: serde_json::Value,
}

/// All CustomResourceDefinitions (`apiextensions.k8s.io/v1`), one per kind, sorted by plural.
pub fn crds() -> Vec<serde_json::Value> {
    Vec::new()
}

/// All JSON Schemas, one per kind, sorted by kind.
pub fn json_schemas() -> Vec<KindSchema> {
    Vec::new()
}
