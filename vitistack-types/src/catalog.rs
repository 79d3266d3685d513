//! Every kind's generated artifacts: the CRDs and the JSON Schemas.
//!
//! This is what `vitistack-codegen generate` writes to `crds/` and `schemas/`.

pub use crate::crd::KindSchema;

use crate::registry::{kinds, KindInfo};

/// All CustomResourceDefinitions (`apiextensions.k8s.io/v1`), one per kind, sorted by plural.
pub fn crds() -> Vec<serde_json::Value> {
    let mut crds: Vec<serde_json::Value> = kinds().iter().map(KindInfo::crd).collect();
    crds.sort_by(|a, b| {
        a["spec"]["names"]["plural"]
            .as_str()
            .cmp(&b["spec"]["names"]["plural"].as_str())
    });
    crds
}

/// All JSON Schemas, one per kind, sorted by kind.
pub fn json_schemas() -> Vec<KindSchema> {
    let mut schemas: Vec<KindSchema> = kinds().iter().map(KindInfo::json_schema).collect();
    schemas.sort_by(|a, b| a.kind.cmp(&b.kind));
    schemas
}
