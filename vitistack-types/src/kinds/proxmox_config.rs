//! `ProxmoxConfig`: configuration of the Proxmox operator integration.

use super::machine_provider::TemplateResources;
use crate::{CustomResource, Schema};
use serde::{Deserialize, Serialize};

/// Configuration of the Proxmox operator integration.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema, CustomResource)]
#[serde(rename_all = "camelCase")]
#[crd(
    group = "vitistack.io",
    version = "v1alpha1",
    kind = "ProxmoxConfig",
    plural = "proxmoxconfigs",
    namespaced,
    status = "ProxmoxConfigStatus",
    shortname = "pxc",
    category = "viti",
    printcolumn(
        name = "Endpoint",
        type = "string",
        json_path = ".spec.cluster.endpoint",
        description = "Proxmox API endpoint"
    ),
    printcolumn(
        name = "Version",
        type = "string",
        json_path = ".status.clusterVersion",
        description = "Proxmox cluster version"
    ),
    printcolumn(
        name = "Ready",
        type = "boolean",
        json_path = ".status.ready",
        description = "Configuration readiness"
    ),
    printcolumn(name = "Age", type = "date", json_path = ".metadata.creationTimestamp")
)]
pub struct ProxmoxConfigSpec {
    /// The Proxmox cluster.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cluster: Option<ProxmoxCluster>,
    /// Authentication.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authentication: Option<ProxmoxAuthentication>,
    /// Defaults for new VMs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub defaults: Option<ProxmoxDefaults>,
    /// Resource limits.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limits: Option<ProxmoxLimits>,
    /// VM templates, keyed by name.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(list(map("name")), items(max = 128))]
    pub templates: Option<Vec<ProxmoxTemplate>>,
}

/// A Proxmox cluster.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct ProxmoxCluster {
    /// Proxmox nodes: at least one RFC 1123 label, no repeats.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(list(set), items(min = 1, max = 128), each(rfc1123_label))]
    pub nodes: Option<Vec<String>>,
    /// Cluster API endpoint (http or https URL).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(url)]
    pub endpoint: Option<String>,
}

/// A Proxmox authentication realm type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "lowercase")]
pub enum ProxmoxAuthType {
    /// Linux PAM.
    Pam,
    /// Proxmox VE authentication server.
    Pve,
    /// Active Directory.
    Ad,
    /// LDAP.
    Ldap,
}

/// Authentication to Proxmox.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct ProxmoxAuthentication {
    /// Auth type: pam, pve, ad or ldap.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r#type: Option<ProxmoxAuthType>,
    /// Authentication realm.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 63))]
    pub realm: Option<String>,
}

/// Defaults for new VMs.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct ProxmoxDefaults {
    /// Default storage pool.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 253))]
    pub storage: Option<String>,
    /// Default network bridge.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 15))]
    pub network: Option<String>,
    /// Default OS type.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 63))]
    pub os_type: Option<String>,
}

/// Resource limits per node and VM.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct ProxmoxLimits {
    /// Maximum VMs per node (at least 1).
    #[serde(rename = "maxVMsPerNode", skip_serializing_if = "Option::is_none")]
    #[viti(range(min = 1))]
    pub max_vms_per_node: Option<i64>,
    /// Maximum CPU cores per VM (1-128).
    #[serde(rename = "maxCPUCores", skip_serializing_if = "Option::is_none")]
    #[viti(range(min = 1, max = 128))]
    pub max_cpu_cores: Option<u8>,
    /// Maximum memory per VM (a quantity).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(quantity(min = "0"))]
    pub max_memory: Option<String>,
}

/// A VM template.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct ProxmoxTemplate {
    /// Template ID (digits only).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 10), pattern = "^[0-9]+$")]
    pub id: Option<String>,
    /// Template name, unique.
    #[viti(length(min = 1, max = 63))]
    pub name: String,
    /// Operating system type.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 63))]
    pub os_type: Option<String>,
    /// Default resources (as MachineProvider templates[].resources).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resources: Option<TemplateResources>,
}

/// Observed state of a Proxmox configuration.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct ProxmoxConfigStatus {
    /// Configuration readiness.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ready: Option<bool>,
    /// Proxmox cluster version.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 32))]
    pub cluster_version: Option<String>,
    /// Available Proxmox nodes.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(items(max = 128), each(length(max = 63)))]
    pub available_nodes: Option<Vec<String>>,
}
