//! `MachineProvider`: a machine provisioning backend.

use super::common::{ResourceQuota, SecretReference};
use crate::{CustomResource, Schema};
use serde::{Deserialize, Serialize};

/// A machine provisioning backend (Proxmox, KubeVirt or VMware).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Schema, CustomResource)]
#[serde(rename_all = "camelCase")]
#[crd(
    group = "vitistack.io",
    version = "v1alpha1",
    kind = "MachineProvider",
    plural = "machineproviders",
    namespaced,
    status = "MachineProviderStatus",
    shortname = "mp",
    category = "viti",
    printcolumn(
        name = "Type",
        type = "string",
        json_path = ".spec.type",
        description = "Provider type"
    ),
    printcolumn(
        name = "Ready",
        type = "boolean",
        json_path = ".status.ready",
        description = "Provider readiness"
    ),
    printcolumn(
        name = "Machines",
        type = "integer",
        json_path = ".status.machines",
        description = "Active machine count"
    ),
    printcolumn(name = "Age", type = "date", json_path = ".metadata.creationTimestamp")
)]
#[viti(
    rule(
        when = "has(config.proxmox)",
        then = "type == 'proxmox'",
        message = "config.proxmox is allowed only with type proxmox",
        field_path = ".config.proxmox",
        reason = "forbidden"
    ),
    rule(
        when = "has(config.kubevirt)",
        then = "type == 'kubevirt'",
        message = "config.kubevirt is allowed only with type kubevirt",
        field_path = ".config.kubevirt",
        reason = "forbidden"
    )
)]
pub struct MachineProviderSpec {
    /// Provider type: proxmox, kubevirt or vmware; immutable once set.
    #[viti(immutable)]
    pub r#type: MachineProviderType,
    /// Connection to the provider API.
    pub endpoint: ProviderEndpoint,
    /// Authentication.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credentials: Option<ProviderAuthentication>,
    /// Provider-specific configuration.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub config: Option<ProviderConfig>,
    /// Resource templates, keyed by name.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(list(map("name")), items(max = 128))]
    pub templates: Option<Vec<MachineTemplate>>,
    /// Capacity management.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capacity: Option<ProviderCapacity>,
}

/// A kind of machine provider.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "lowercase")]
pub enum MachineProviderType {
    /// Proxmox VE.
    Proxmox,
    /// KubeVirt.
    Kubevirt,
    /// VMware vSphere.
    Vmware,
}

/// Connection to a provider API.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct ProviderEndpoint {
    /// Provider API URL (http or https).
    #[viti(url)]
    pub url: String,
    /// Skip TLS verification.
    #[serde(
        rename = "insecureSkipTLSVerify",
        skip_serializing_if = "Option::is_none"
    )]
    pub insecure_skip_tls_verify: Option<bool>,
    /// Connection timeout, a Go duration such as `30s`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(duration)]
    pub timeout: Option<String>,
}

/// An authentication method.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "lowercase")]
pub enum AuthenticationType {
    /// User and password.
    Password,
    /// API token.
    Token,
    /// Client certificate.
    Certificate,
}

/// Authentication to a provider.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct ProviderAuthentication {
    /// Auth type: password, token or certificate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r#type: Option<AuthenticationType>,
    /// Secret holding the credentials.
    pub secret_ref: SecretReference,
}

/// Provider-specific configuration.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct ProviderConfig {
    /// Proxmox settings (type proxmox only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proxmox: Option<ProxmoxProviderConfig>,
    /// KubeVirt settings (type kubevirt only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kubevirt: Option<KubevirtProviderConfig>,
}

/// Proxmox defaults of a provider.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct ProxmoxProviderConfig {
    /// Default Proxmox node.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(rfc1123_label)]
    pub node: Option<String>,
    /// Default storage pool.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 253))]
    pub storage: Option<String>,
    /// Default network bridge.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 15))]
    pub network_bridge: Option<String>,
}

/// KubeVirt defaults of a provider.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct KubevirtProviderConfig {
    /// Default storage class.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(rfc1123_subdomain)]
    pub storage_class: Option<String>,
    /// Default network policy.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 253))]
    pub network_policy: Option<String>,
}

/// Resources of a machine template.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct TemplateResources {
    /// CPU cores (1-128).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(range(min = 1, max = 128))]
    pub cpu: Option<u8>,
    /// Memory size, 128Mi-1024Gi.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(quantity(min = "128Mi", max = "1024Gi"))]
    pub memory: Option<String>,
    /// Storage size, 1Gi-100Ti.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(quantity(min = "1Gi", max = "100Ti"))]
    pub storage: Option<String>,
}

/// A named machine resource template.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct MachineTemplate {
    /// Template name, unique.
    #[viti(rfc1123_label)]
    pub name: String,
    /// Resources of machines made from the template.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resources: Option<TemplateResources>,
}

/// Capacity management of a provider.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct ProviderCapacity {
    /// Maximum concurrent machines.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(range(min = 0))]
    pub max_machines: Option<i64>,
    /// Resources held back from scheduling: cpu cores, memory and storage quantities.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reserved_resources: Option<ResourceQuota>,
}

/// Capacity of a provider as observed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct CapacityStatus {
    /// Total available resources.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<ResourceQuota>,
    /// Currently available resources.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub available: Option<ResourceQuota>,
    /// Currently used resources.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub used: Option<ResourceQuota>,
}

/// Observed state of a machine provider.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct MachineProviderStatus {
    /// Provider readiness.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ready: Option<bool>,
    /// Capacity.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capacity: Option<CapacityStatus>,
    /// Active machine count.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(range(min = 0))]
    pub machines: Option<i64>,
}
