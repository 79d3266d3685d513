//! `NetworkNamespace`: a network isolation boundary for multi-tenancy.

use crate::{CustomResource, Schema};
use serde::{Deserialize, Serialize};

/// A network isolation boundary and its limits.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema, CustomResource)]
#[serde(rename_all = "camelCase")]
#[crd(
    group = "vitistack.io",
    version = "v1alpha1",
    kind = "NetworkNamespace",
    plural = "networknamespaces",
    namespaced,
    status = "NetworkNamespaceStatus",
    shortname = "nn",
    category = "viti",
    printcolumn(
        name = "Isolation",
        type = "string",
        json_path = ".spec.isolation.level",
        description = "Isolation level"
    ),
    printcolumn(
        name = "QoS",
        type = "string",
        json_path = ".spec.qos.class",
        description = "QoS class"
    ),
    printcolumn(
        name = "Phase",
        type = "string",
        json_path = ".status.phase",
        description = "Namespace phase"
    ),
    printcolumn(name = "Age", type = "date", json_path = ".metadata.creationTimestamp")
)]
pub struct NetworkNamespaceSpec {
    /// Isolation level and allowed peers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub isolation: Option<Isolation>,
    /// Default network policies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_policy: Option<DefaultPolicy>,
    /// Resource limits.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limits: Option<NetworkLimits>,
    /// Quality of service.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub qos: Option<Qos>,
}

/// How strictly a namespace is isolated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "lowercase")]
pub enum IsolationLevel {
    /// No traffic except to allowed namespaces.
    Strict,
    /// Some traffic allowed.
    Moderate,
    /// No isolation.
    None,
}

/// Isolation of a network namespace.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct Isolation {
    /// Isolation level: strict, moderate or none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<IsolationLevel>,
    /// Namespaces allowed to communicate (RFC 1123 labels, no repeats).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(list(set), items(max = 256), each(rfc1123_label))]
    pub allowed_namespaces: Option<Vec<String>>,
}

/// A default policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "lowercase")]
pub enum PolicyAction {
    /// Allow.
    Allow,
    /// Deny.
    Deny,
}

/// Default network policies of a namespace.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct DefaultPolicy {
    /// Default ingress: allow or deny.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ingress: Option<PolicyAction>,
    /// Default egress: allow or deny.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub egress: Option<PolicyAction>,
}

/// Resource limits of a network namespace.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct NetworkLimits {
    /// Maximum networks in the namespace.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(range(min = 0))]
    pub networks: Option<i64>,
    /// Maximum IP addresses.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(range(min = 0))]
    pub ip_addresses: Option<i64>,
    /// Bandwidth limit, e.g. `100Mbps`, `1Gbps`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 32), pattern = "^[0-9]+(\\.[0-9]+)?[KMGT]?bps$")]
    pub bandwidth: Option<String>,
}

/// A QoS class.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "kebab-case")]
pub enum QosClass {
    /// Guaranteed bandwidth.
    Guaranteed,
    /// Burstable bandwidth.
    Burstable,
    /// Best effort.
    BestEffort,
}

/// Quality of service of a network namespace.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct Qos {
    /// QoS class: guaranteed, burstable or best-effort.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub class: Option<QosClass>,
    /// Network priority (0-255).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority: Option<u8>,
}

/// Phase of a network namespace.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Schema)]
pub enum NetworkNamespacePhase {
    /// In use.
    Active,
    /// Being deleted.
    Terminating,
}

/// Observed state of a network namespace.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct NetworkNamespaceStatus {
    /// Namespace phase: Active or Terminating.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phase: Option<NetworkNamespacePhase>,
    /// Current network count.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(range(min = 0))]
    pub network_count: Option<i64>,
    /// Current IP address usage.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(range(min = 0))]
    pub ip_address_count: Option<i64>,
}
