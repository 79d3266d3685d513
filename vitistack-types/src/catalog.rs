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

use crate::crd::CustomResourceKind;
use crate::kinds::*;

/// Calls `$f::<Kind>()` for every kind, in the order of the reference.
macro_rules! for_each_kind {
    ($f:ident) => {
        vec![
            $f::<Vitistack>(),
            $f::<Machine>(),
            $f::<MachineProvider>(),
            $f::<KubernetesCluster>(),
            $f::<KubernetesProvider>(),
            $f::<NetworkConfiguration>(),
            $f::<NetworkNamespace>(),
            $f::<LoadBalancer>(),
            $f::<KubevirtConfig>(),
            $f::<ProxmoxConfig>(),
        ]
    };
}

/// All CustomResourceDefinitions (`apiextensions.k8s.io/v1`), one per kind, sorted by plural.
pub fn crds() -> Vec<serde_json::Value> {
    let mut crds = for_each_kind!(crd_of);
    crds.sort_by(|a, b| {
        a["spec"]["names"]["plural"]
            .as_str()
            .cmp(&b["spec"]["names"]["plural"].as_str())
    });
    crds
}

fn crd_of<K: CustomResourceKind>() -> serde_json::Value {
    K::crd()
}

/// All JSON Schemas, one per kind, sorted by kind.
pub fn json_schemas() -> Vec<KindSchema> {
    let mut schemas = for_each_kind!(schema_of);
    schemas.sort_by(|a, b| a.kind.cmp(&b.kind));
    schemas
}

fn schema_of<K: CustomResourceKind>() -> KindSchema {
    KindSchema {
        kind: K::KIND.to_string(),
        group: K::GROUP.to_string(),
        version: K::VERSION.to_string(),
        schema: K::json_schema(),
    }
}
