//! `Gizmo` in `lossless.example`: a hub (`v2`) with fields the old version (`v1`) never had, and
//! the conversions a user writes, which know only the old version's fields (`size`, `label`)
//! and build the hub with `..Default::default()`.

#![allow(dead_code)] // each includer uses its part

use vitistack_conversion::{ConversionError, Convertible};

pub mod v2 {
    use serde::{Deserialize, Serialize};
    use vitistack_types::{CustomResource, Schema};

    /// A gizmo (the hub): the old version's fields and several the old version never had.
    #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema, CustomResource)]
    #[serde(rename_all = "camelCase")]
    #[crd(
        group = "lossless.example",
        version = "v2",
        kind = "Gizmo",
        plural = "gizmos",
        namespaced,
        status = "GizmoStatus",
        storage
    )]
    pub struct GizmoSpec {
        /// Size.
        pub size: i32,
        /// Label.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub label: Option<String>,
        /// Tags (new in v2).
        #[serde(skip_serializing_if = "Option::is_none")]
        pub tags: Option<Vec<String>>,
        /// Limits (new in v2).
        #[serde(skip_serializing_if = "Option::is_none")]
        pub limits: Option<Limits>,
    }

    /// Limits (new in v2).
    #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
    #[serde(rename_all = "camelCase")]
    pub struct Limits {
        /// CPU.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub cpu: Option<i32>,
        /// Memory.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub memory: Option<String>,
    }

    /// Status.
    #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
    #[serde(rename_all = "camelCase")]
    pub struct GizmoStatus {
        /// Phase.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub phase: Option<String>,
        /// Observed generation (new in v2).
        #[serde(skip_serializing_if = "Option::is_none")]
        pub observed: Option<i64>,
    }

    impl vitistack_conversion::Hub for Gizmo {}
}

pub mod v1 {
    use serde::{Deserialize, Serialize};
    use vitistack_types::{CustomResource, Schema};

    /// A gizmo (the old version).
    #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema, CustomResource)]
    #[serde(rename_all = "camelCase")]
    #[crd(
        group = "lossless.example",
        version = "v1",
        kind = "Gizmo",
        plural = "gizmos",
        namespaced,
        status = "GizmoStatus"
    )]
    pub struct GizmoSpec {
        /// Size.
        pub size: i32,
        /// Label.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub label: Option<String>,
    }

    /// Status.
    #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
    #[serde(rename_all = "camelCase")]
    pub struct GizmoStatus {
        /// Phase.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub phase: Option<String>,
    }
}

/// The conversions a user writes: only the fields v1 has.
impl Convertible<v2::Gizmo> for v1::Gizmo {
    fn to_hub(self) -> Result<v2::Gizmo, ConversionError> {
        Ok(v2::Gizmo {
            metadata: self.metadata,
            spec: v2::GizmoSpec {
                size: self.spec.size,
                label: self.spec.label,
                ..Default::default()
            },
            status: self.status.map(|s| v2::GizmoStatus {
                phase: s.phase,
                ..Default::default()
            }),
        })
    }

    fn from_hub(hub: v2::Gizmo) -> Result<Self, ConversionError> {
        Ok(v1::Gizmo {
            metadata: hub.metadata,
            spec: v1::GizmoSpec {
                size: hub.spec.size,
                label: hub.spec.label,
            },
            status: hub.status.map(|s| v1::GizmoStatus { phase: s.phase }),
        })
    }
}
