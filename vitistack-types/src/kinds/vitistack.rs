//! `Vitistack`: the core infrastructure configuration.

use super::common::{Condition, SecretReference};
use crate::{CustomResource, Schema};
use serde::{Deserialize, Serialize};

/// Core configuration of a Viti Stack installation: providers, settings and quotas.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema, CustomResource)]
#[serde(rename_all = "camelCase")]
#[crd(
    group = "vitistack.io",
    version = "v1alpha1",
    kind = "Vitistack",
    plural = "vitistacks",
    namespaced,
    status = "VitistackStatus",
    shortname = "vs",
    category = "viti",
    printcolumn(
        name = "Phase",
        type = "string",
        json_path = ".status.phase",
        description = "Current phase"
    ),
    printcolumn(
        name = "Machines",
        type = "integer",
        json_path = ".status.resources.machines",
        description = "Current machine count"
    ),
    printcolumn(
        name = "Networks",
        type = "integer",
        json_path = ".status.resources.networks",
        description = "Current network count"
    ),
    printcolumn(name = "Age", type = "date", json_path = ".metadata.creationTimestamp")
)]
pub struct VitistackSpec {
    /// Infrastructure providers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub infrastructure: Option<Infrastructure>,
    /// Global settings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub settings: Option<Settings>,
    /// Resource quotas.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quotas: Option<Quotas>,
}

/// The infrastructure providers of an installation.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct Infrastructure {
    /// Providers, keyed by name.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(list(map("name")), items(max = 64))]
    pub providers: Option<Vec<InfrastructureProvider>>,
}

/// A kind of infrastructure provider.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "lowercase")]
pub enum InfrastructureProviderType {
    /// Proxmox VE.
    Proxmox,
    /// Talos Linux.
    Talos,
    /// KubeVirt.
    Kubevirt,
    /// Kea DHCP.
    Kea,
}

/// Credentials of a provider.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct ProviderCredentials {
    /// Secret containing the credentials.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret_ref: Option<SecretReference>,
}

/// One infrastructure provider.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct InfrastructureProvider {
    /// Provider type: proxmox, talos, kubevirt or kea.
    pub r#type: InfrastructureProviderType,
    /// Provider instance name, unique.
    #[viti(rfc1123_label)]
    pub name: String,
    /// Provider API endpoint, an http(s) URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(url)]
    pub endpoint: Option<String>,
    /// Provider region or zone.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 63))]
    pub region: Option<String>,
    /// Credentials.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credentials: Option<ProviderCredentials>,
}

/// Global settings.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct Settings {
    /// Default storage class for volumes.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(rfc1123_subdomain)]
    pub default_storage_class: Option<String>,
    /// Default network policy.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 253))]
    pub default_network_policy: Option<String>,
    /// Monitoring integration.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub monitoring: Option<Monitoring>,
    /// Centralized logging.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub logging: Option<Logging>,
}

/// Monitoring integration.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct Monitoring {
    /// Enable monitoring integration.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Monitoring namespace.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(rfc1123_label)]
    pub namespace: Option<String>,
}

/// Centralized logging.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
#[viti(rule(
    when = "enabled == true",
    then = "has(endpoint)",
    message = "endpoint is required when logging is enabled"
))]
pub struct Logging {
    /// Enable centralized logging (requires endpoint).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Log aggregation endpoint.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 2048))]
    pub endpoint: Option<String>,
}

/// Resource quotas.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct Quotas {
    /// Machine quotas.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub machines: Option<MachineQuota>,
    /// Storage quotas.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub storage: Option<StorageQuota>,
    /// Network quotas.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub network: Option<NetworkQuota>,
}

/// Machine quotas.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
#[viti(ordered(
    lesser = "perProvider",
    greater = "total",
    message = "perProvider must not exceed total"
))]
pub struct MachineQuota {
    /// Maximum machines across providers.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(range(min = 0))]
    pub total: Option<i64>,
    /// Maximum machines per provider (at most total).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(range(min = 0))]
    pub per_provider: Option<i64>,
}

/// Storage quotas.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
#[viti(ordered(
    lesser = "perMachine",
    greater = "total",
    by = "quantity",
    message = "perMachine must not exceed total"
))]
pub struct StorageQuota {
    /// Total storage quota, e.g. `1Ti`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(quantity(min = "0"))]
    pub total: Option<String>,
    /// Maximum storage per machine (at most total).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(quantity(min = "0"))]
    pub per_machine: Option<String>,
}

/// Network quotas.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct NetworkQuota {
    /// Maximum networks per namespace.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(range(min = 0))]
    pub max_networks: Option<i64>,
}

/// Phase of an installation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Schema)]
pub enum VitistackPhase {
    /// Being set up.
    Pending,
    /// In use.
    Active,
    /// Setup failed.
    Failed,
}

/// Status of one provider.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct ProviderStatus {
    /// Provider name.
    #[viti(length(max = 63))]
    pub name: String,
    /// Provider type.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 63))]
    pub r#type: Option<String>,
    /// Whether the provider is ready.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ready: Option<bool>,
    /// Human-readable status.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 32768))]
    pub message: Option<String>,
    /// Last successful sync (RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(date_time)]
    pub last_sync_time: Option<String>,
}

/// Current resource usage.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct ResourceUsage {
    /// Current machine count.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(range(min = 0))]
    pub machines: Option<i64>,
    /// Current network count.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(range(min = 0))]
    pub networks: Option<i64>,
    /// Current storage usage (a quantity).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(quantity(min = "0"))]
    pub storage: Option<String>,
}

/// Observed state of an installation.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct VitistackStatus {
    /// Current phase: Pending, Active or Failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phase: Option<VitistackPhase>,
    /// Status conditions, keyed by type.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(list(map("type")))]
    pub conditions: Option<Vec<Condition>>,
    /// Provider status information, keyed by name.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(list(map("name")), items(max = 64))]
    pub providers: Option<Vec<ProviderStatus>>,
    /// Current resource usage.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resources: Option<ResourceUsage>,
}
