//! Every kind's generated artifacts: the CRDs and the JSON Schemas.
//!
//! This is what `vitistack-codegen generate` writes to `crds/` and `schemas/`.

pub use crate::crd::KindSchema;

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
    KindSchema::of::<K>()
}
