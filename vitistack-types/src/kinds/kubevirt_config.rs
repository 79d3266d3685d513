//! `KubevirtConfig`: configuration of the KubeVirt operator integration.

use super::common::Condition;
use crate::{CustomResource, Schema};
use serde::{Deserialize, Serialize};

/// Configuration of the KubeVirt operator integration.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema, CustomResource)]
#[serde(rename_all = "camelCase")]
#[crd(
    group = "vitistack.io",
    version = "v1alpha1",
    kind = "KubevirtConfig",
    plural = "kubevirtconfigs",
    namespaced,
    status = "KubevirtConfigStatus",
    shortname = "kvc",
    category = "viti",
    printcolumn(
        name = "Version",
        type = "string",
        json_path = ".spec.kubevirt.version",
        description = "Desired KubeVirt version"
    ),
    printcolumn(
        name = "Applied",
        type = "string",
        json_path = ".status.appliedVersion",
        description = "Applied KubeVirt version"
    ),
    printcolumn(
        name = "Phase",
        type = "string",
        json_path = ".status.phase",
        description = "Configuration phase"
    ),
    printcolumn(name = "Age", type = "date", json_path = ".metadata.creationTimestamp")
)]
pub struct KubevirtConfigSpec {
    /// KubeVirt installation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kubevirt: Option<KubevirtInstallation>,
    /// Feature gates, keyed by name.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(list(map("name")), items(max = 256))]
    pub feature_gates: Option<Vec<FeatureGate>>,
    /// Resource defaults.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resources: Option<KubevirtResources>,
    /// Storage defaults.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub storage: Option<KubevirtStorage>,
    /// Network defaults.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub network: Option<KubevirtNetwork>,
}

/// The KubeVirt installation.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct KubevirtInstallation {
    /// KubeVirt version.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 32))]
    pub version: Option<String>,
    /// KubeVirt namespace.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(rfc1123_label)]
    pub namespace: Option<String>,
}

/// A KubeVirt feature gate.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct FeatureGate {
    /// Feature gate name, unique.
    #[viti(length(min = 1, max = 128))]
    pub name: String,
    /// Whether the feature is enabled.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
}

/// Resource defaults of virtual machines.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct KubevirtResources {
    /// Default CPU model.
    #[serde(rename = "vmiCPUModel", skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 128))]
    pub vmi_cpu_model: Option<String>,
    /// Default machine type.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 128))]
    pub machine_type: Option<String>,
    /// Supported emulated machines.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(list(set), items(max = 64), each(length(max = 128)))]
    pub emulated_machines: Option<Vec<String>>,
}

/// A volume mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Schema)]
pub enum VolumeMode {
    /// A filesystem.
    Filesystem,
    /// A raw block device.
    Block,
}

/// A volume access mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Schema)]
pub enum AccessMode {
    /// Read-write by one node.
    ReadWriteOnce,
    /// Read-only by many nodes.
    ReadOnlyMany,
    /// Read-write by many nodes.
    ReadWriteMany,
    /// Read-write by one pod.
    ReadWriteOncePod,
}

/// Storage defaults of virtual machines.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct KubevirtStorage {
    /// Default storage class.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(rfc1123_subdomain)]
    pub default_storage_class: Option<String>,
    /// Supported volume modes (Filesystem, Block).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(list(set), items(max = 2))]
    pub volume_modes: Option<Vec<VolumeMode>>,
    /// Supported access modes.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(list(set), items(max = 4))]
    pub access_modes: Option<Vec<AccessMode>>,
}

/// Network defaults of virtual machines.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct KubevirtNetwork {
    /// Default network interface.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 63))]
    pub default_network_interface: Option<String>,
    /// Network binding configuration, kept as is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub binding: Option<serde_json::Map<String, serde_json::Value>>,
}

/// Observed state of a KubeVirt configuration.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct KubevirtConfigStatus {
    /// Configuration phase.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 63))]
    pub phase: Option<String>,
    /// Applied KubeVirt version.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 32))]
    pub applied_version: Option<String>,
    /// Status conditions, keyed by type.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(list(map("type")))]
    pub conditions: Option<Vec<Condition>>,
}
