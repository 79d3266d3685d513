//! `KubevirtConfig` `vitistack.io/v1alpha1`, imported from the CRD `kubevirtconfigs.vitistack.io` by `vitistack-codegen import`.

// clippy takes the same `type = "..."` in two printcolumn(...) for a duplicated attribute,
// and variant names are the wire values, shared prefixes and all.
#![allow(clippy::duplicated_attributes, clippy::enum_variant_names)]

use serde::{Deserialize, Serialize};
use vitistack_types::{CustomResource, Schema};

/// Observed state of the KubevirtConfig, written by its controller through the status subresource.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Schema)]
pub struct KubevirtConfigStatus {
    /// Applied KubeVirt version.
    #[serde(rename = "appliedVersion")]
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 32))]
    pub applied_version: Option<String>,
    /// Status conditions, keyed by type.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(list(map("type")))]
    pub conditions: Option<Vec<KubevirtConfigStatusConditionsItem>>,
    /// Configuration phase.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 63))]
    pub phase: Option<String>,
}

/// One aspect of an object's current state, as in `metav1.Condition`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Schema)]
pub struct KubevirtConfigStatusConditionsItem {
    /// When the condition last changed status (RFC 3339).
    #[serde(rename = "lastTransitionTime")]
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(format = "date-time")]
    pub last_transition_time: Option<String>,
    /// A human-readable message about the transition.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 32768))]
    pub message: Option<String>,
    /// The `.metadata.generation` the condition was set from.
    #[serde(rename = "observedGeneration")]
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(range(min = 0))]
    pub observed_generation: Option<i64>,
    /// A programmatic identifier for the reason of the last transition, in CamelCase.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 1024))]
    pub reason: Option<String>,
    /// Status of the condition: True, False or Unknown.
    #[viti(one_of("True", "False", "Unknown"))]
    pub status: String,
    /// Type of condition in CamelCase, e.g. `Ready`.
    #[viti(length(min = 1, max = 316))]
    pub r#type: String,
}

/// Desired state of the KubevirtConfig.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Schema, CustomResource)]
#[crd(
    group = "vitistack.io",
    version = "v1alpha1",
    kind = "KubevirtConfig",
    plural = "kubevirtconfigs",
    namespaced,
    status = "KubevirtConfigStatus",
    doc = "Configuration of the KubeVirt operator integration.",
    shortname = "kvc",
    category = "viti",
    printcolumn(
        description = "Desired KubeVirt version",
        json_path = ".spec.kubevirt.version",
        name = "Version",
        type = "string"
    ),
    printcolumn(
        description = "Applied KubeVirt version",
        json_path = ".status.appliedVersion",
        name = "Applied",
        type = "string"
    ),
    printcolumn(
        description = "Configuration phase",
        json_path = ".status.phase",
        name = "Phase",
        type = "string"
    ),
    printcolumn(json_path = ".metadata.creationTimestamp", name = "Age", type = "date")
)]
pub struct KubevirtConfigSpec {
    /// Feature gates, keyed by name.
    #[serde(rename = "featureGates")]
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(items(max = 256), list(map("name")))]
    pub feature_gates: Option<Vec<KubevirtConfigSpecFeatureGatesItem>>,
    /// KubeVirt installation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kubevirt: Option<KubevirtConfigSpecKubevirt>,
    /// Network defaults.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub network: Option<KubevirtConfigSpecNetwork>,
    /// Resource defaults.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resources: Option<KubevirtConfigSpecResources>,
    /// Storage defaults.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub storage: Option<KubevirtConfigSpecStorage>,
}

/// Storage defaults.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Schema)]
pub struct KubevirtConfigSpecStorage {
    /// Supported access modes.
    #[serde(rename = "accessModes")]
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(items(max = 4), list(set))]
    pub access_modes: Option<Vec<KubevirtConfigSpecStorageAccessModesItem>>,
    /// Default storage class.
    #[serde(rename = "defaultStorageClass")]
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(
        length(max = 253),
        pattern = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"
    )]
    pub default_storage_class: Option<String>,
    /// Supported volume modes (Filesystem, Block).
    #[serde(rename = "volumeModes")]
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(items(max = 2), list(set))]
    pub volume_modes: Option<Vec<KubevirtConfigSpecStorageVolumeModesItem>>,
}

/// A volume mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Schema)]
pub enum KubevirtConfigSpecStorageVolumeModesItem {
    /// `Filesystem`.
    #[serde(rename = "Filesystem")]
    Filesystem,
    /// `Block`.
    #[serde(rename = "Block")]
    Block,
}

/// A volume access mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Schema)]
pub enum KubevirtConfigSpecStorageAccessModesItem {
    /// `ReadWriteOnce`.
    #[serde(rename = "ReadWriteOnce")]
    ReadWriteOnce,
    /// `ReadOnlyMany`.
    #[serde(rename = "ReadOnlyMany")]
    ReadOnlyMany,
    /// `ReadWriteMany`.
    #[serde(rename = "ReadWriteMany")]
    ReadWriteMany,
    /// `ReadWriteOncePod`.
    #[serde(rename = "ReadWriteOncePod")]
    ReadWriteOncePod,
}

/// Resource defaults.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Schema)]
pub struct KubevirtConfigSpecResources {
    /// Supported emulated machines.
    #[serde(rename = "emulatedMachines")]
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(items(max = 64), list(set), each(length(max = 128)))]
    pub emulated_machines: Option<Vec<String>>,
    /// Default machine type.
    #[serde(rename = "machineType")]
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 128))]
    pub machine_type: Option<String>,
    /// Default CPU model.
    #[serde(rename = "vmiCPUModel")]
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 128))]
    pub vmi_cpumodel: Option<String>,
}

/// Network defaults.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Schema)]
pub struct KubevirtConfigSpecNetwork {
    /// Network binding configuration, kept as is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub binding: Option<serde_json::Map<String, serde_json::Value>>,
    /// Default network interface.
    #[serde(rename = "defaultNetworkInterface")]
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 63))]
    pub default_network_interface: Option<String>,
}

/// KubeVirt installation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Schema)]
pub struct KubevirtConfigSpecKubevirt {
    /// KubeVirt namespace.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 63), pattern = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    pub namespace: Option<String>,
    /// KubeVirt version.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 32))]
    pub version: Option<String>,
}

/// A KubeVirt feature gate.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Schema)]
pub struct KubevirtConfigSpecFeatureGatesItem {
    /// Whether the feature is enabled.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Feature gate name, unique.
    #[viti(length(min = 1, max = 128))]
    pub name: String,
}
