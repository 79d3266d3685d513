//! `NetworkNamespace` `vitistack.io/v1alpha1`, imported from the CRD `networknamespaces.vitistack.io` by `vitistack-codegen import`.

// clippy takes the same `type = "..."` in two printcolumn(...) for a duplicated attribute,
// and variant names are the wire values, shared prefixes and all.
#![allow(clippy::duplicated_attributes, clippy::enum_variant_names)]

use serde::{Deserialize, Serialize};
use vitistack_types::{CustomResource, Schema};

/// Observed state of the NetworkNamespace, written by its controller through the status subresource.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Schema)]
pub struct NetworkNamespaceStatus {
    /// Current IP address usage.
    #[serde(rename = "ipAddressCount")]
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(range(min = 0))]
    pub ip_address_count: Option<i64>,
    /// Current network count.
    #[serde(rename = "networkCount")]
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(range(min = 0))]
    pub network_count: Option<i64>,
    /// Namespace phase: Active or Terminating.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(one_of("Active", "Terminating"))]
    pub phase: Option<String>,
}

/// Desired state of the NetworkNamespace.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Schema, CustomResource)]
#[crd(
    group = "vitistack.io",
    version = "v1alpha1",
    kind = "NetworkNamespace",
    plural = "networknamespaces",
    namespaced,
    status = "NetworkNamespaceStatus",
    doc = "A network isolation boundary and its limits.",
    shortname = "nn",
    category = "viti",
    printcolumn(
        description = "Isolation level",
        json_path = ".spec.isolation.level",
        name = "Isolation",
        type = "string"
    ),
    printcolumn(
        description = "QoS class",
        json_path = ".spec.qos.class",
        name = "QoS",
        type = "string"
    ),
    printcolumn(
        description = "Namespace phase",
        json_path = ".status.phase",
        name = "Phase",
        type = "string"
    ),
    printcolumn(json_path = ".metadata.creationTimestamp", name = "Age", type = "date")
)]
pub struct NetworkNamespaceSpec {
    /// Default network policies.
    #[serde(rename = "defaultPolicy")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_policy: Option<NetworkNamespaceSpecDefaultPolicy>,
    /// Isolation level and allowed peers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub isolation: Option<NetworkNamespaceSpecIsolation>,
    /// Resource limits.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limits: Option<NetworkNamespaceSpecLimits>,
    /// Quality of service.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub qos: Option<NetworkNamespaceSpecQos>,
}

/// Quality of service.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Schema)]
pub struct NetworkNamespaceSpecQos {
    /// QoS class: guaranteed, burstable or best-effort.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(one_of("guaranteed", "burstable", "best-effort"))]
    pub class: Option<String>,
    /// Network priority (0-255).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(range(min = 0, max = 255))]
    pub priority: Option<i32>,
}

/// Resource limits.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Schema)]
pub struct NetworkNamespaceSpecLimits {
    /// Bandwidth limit, e.g. `100Mbps`, `1Gbps`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 32), pattern = "^[0-9]+(\\.[0-9]+)?[KMGT]?bps$")]
    pub bandwidth: Option<String>,
    /// Maximum IP addresses.
    #[serde(rename = "ipAddresses")]
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(range(min = 0))]
    pub ip_addresses: Option<i64>,
    /// Maximum networks in the namespace.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(range(min = 0))]
    pub networks: Option<i64>,
}

/// Isolation level and allowed peers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Schema)]
pub struct NetworkNamespaceSpecIsolation {
    /// Namespaces allowed to communicate (RFC 1123 labels, no repeats).
    #[serde(rename = "allowedNamespaces")]
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(
        items(max = 256),
        list(set),
        each(length(max = 63), pattern = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
    )]
    pub allowed_namespaces: Option<Vec<String>>,
    /// Isolation level: strict, moderate or none.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(one_of("strict", "moderate", "none"))]
    pub level: Option<String>,
}

/// Default network policies.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Schema)]
pub struct NetworkNamespaceSpecDefaultPolicy {
    /// Default egress: allow or deny.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(one_of("allow", "deny"))]
    pub egress: Option<String>,
    /// Default ingress: allow or deny.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(one_of("allow", "deny"))]
    pub ingress: Option<String>,
}
