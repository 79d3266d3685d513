//! `LoadBalancer`: a load balancer in front of a pool of members.

use super::common::Condition;
use crate::{CustomResource, Schema};
use serde::{Deserialize, Serialize};

/// A load balancer for a cluster, spreading traffic over a pool of member IPs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Schema, CustomResource)]
#[serde(rename_all = "camelCase")]
#[crd(
    group = "vitistack.io",
    version = "v1alpha1",
    kind = "LoadBalancer",
    plural = "loadbalancers",
    namespaced,
    status = "LoadBalancerStatus",
    shortname = "lb",
    category = "viti",
    printcolumn(
        name = "Provider",
        type = "string",
        json_path = ".spec.provider",
        description = "Load balancer provider"
    ),
    printcolumn(
        name = "Method",
        type = "string",
        json_path = ".spec.method",
        description = "Balancing method"
    ),
    printcolumn(
        name = "Phase",
        type = "string",
        json_path = ".status.phase",
        description = "Phase"
    ),
    printcolumn(name = "Age", type = "date", json_path = ".metadata.creationTimestamp")
)]
pub struct LoadBalancerSpec {
    /// Datacenter identifier (2-32 characters of A-Z, a-z, 0-9, '_' and '-');
    /// immutable once set.
    #[viti(length(min = 2, max = 32), pattern = "^[A-Za-z0-9_-]+$", immutable)]
    pub datacenter_identifier: String,
    /// Supervisor cluster identifier (2-32 characters of A-Z, a-z, 0-9, '_' and '-');
    /// immutable once set.
    #[viti(length(min = 2, max = 32), pattern = "^[A-Za-z0-9_-]+$", immutable)]
    pub supervisor_identifier: String,
    /// Cluster identifier (2-32 characters of A-Z, a-z, 0-9, '_' and '-');
    /// immutable once set.
    #[viti(length(min = 2, max = 32), pattern = "^[A-Za-z0-9_-]+$", immutable)]
    pub cluster_identifier: String,
    /// Load balancer provider; immutable once set.
    #[viti(length(min = 1, max = 63), immutable)]
    pub provider: String,
    /// Balancing method: round-robin, least-session or first-alive (default).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(default = "first-alive")]
    pub method: Option<LoadBalancingMethod>,
    /// Member IP addresses: at least one, no repeats.
    #[viti(list(set), items(min = 1, max = 256), each(ip))]
    pub pool_members: Vec<String>,
}

/// How traffic is spread over the pool.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "kebab-case")]
pub enum LoadBalancingMethod {
    /// Each member in turn.
    RoundRobin,
    /// The member with the fewest sessions.
    LeastSession,
    /// The first member that answers.
    FirstAlive,
}

/// Observed state of a load balancer.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct LoadBalancerStatus {
    /// Conditions, keyed by type.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(list(map("type")))]
    pub conditions: Option<Vec<Condition>>,
    /// Phase.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 63))]
    pub phase: Option<String>,
    /// Human-readable status.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 32768))]
    pub message: Option<String>,
    /// When the load balancer was created (RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(date_time)]
    pub created: Option<String>,
    /// Addresses the load balancer serves on.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(items(max = 64), each(ip))]
    pub load_balancer_ips: Option<Vec<String>>,
    /// The method in effect.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<LoadBalancingMethod>,
    /// The members in effect.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(items(max = 256), each(ip))]
    pub pool_members: Option<Vec<String>>,
}
