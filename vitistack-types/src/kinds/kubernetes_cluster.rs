//! `KubernetesCluster`: a Kubernetes cluster made by a KubernetesProvider.

use super::common::{Condition, SecretReference};
use super::kubernetes_provider::{ClusterNetworking, ControlPlane, NodeMachineTemplate};
use crate::{CustomResource, Schema};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A Kubernetes cluster, provisioned by a KubernetesProvider on machines of a MachineProvider.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Schema, CustomResource)]
#[serde(rename_all = "camelCase")]
#[crd(
    group = "vitistack.io",
    version = "v1alpha1",
    kind = "KubernetesCluster",
    plural = "kubernetesclusters",
    namespaced,
    status = "KubernetesClusterStatus",
    shortname = "kc",
    category = "viti",
    printcolumn(
        name = "Provider",
        type = "string",
        json_path = ".spec.providerRef.name",
        description = "KubernetesProvider name"
    ),
    printcolumn(
        name = "Version",
        type = "string",
        json_path = ".spec.kubernetesVersion",
        description = "Kubernetes version"
    ),
    printcolumn(
        name = "Phase",
        type = "string",
        json_path = ".status.phase",
        description = "Cluster phase"
    ),
    printcolumn(
        name = "Endpoint",
        type = "string",
        json_path = ".status.endpoint",
        description = "API server URL"
    ),
    printcolumn(name = "Age", type = "date", json_path = ".metadata.creationTimestamp")
)]
pub struct KubernetesClusterSpec {
    /// The KubernetesProvider that creates the cluster; immutable once set.
    #[viti(immutable)]
    pub provider_ref: ProviderReference,
    /// The MachineProvider that provisions the cluster's machines; immutable once set.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(immutable)]
    pub machine_provider_ref: Option<OptionalReference>,
    /// Kubernetes version, like `v1.32.0` or `1.32.0`; may not go down, and goes up at most one
    /// minor version per update (patch versions change freely).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(
        length(max = 32),
        pattern = "^v?[0-9]+\\.[0-9]+\\.[0-9]+$",
        kubernetes_version_step
    )]
    pub kubernetes_version: Option<String>,
    /// The control plane.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub control_plane: Option<ControlPlane>,
    /// Worker pools, keyed by name.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(list(map("name")), items(max = 64))]
    pub workers: Option<Vec<WorkerPool>>,
    /// Cluster networking.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub networking: Option<ClusterNetworking>,
}

/// A reference to a provider by name.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct ProviderReference {
    /// Provider name.
    #[viti(rfc1123_subdomain)]
    pub name: String,
    /// Provider namespace; the cluster's namespace when unset.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(rfc1123_label)]
    pub namespace: Option<String>,
}

/// A reference whose name may be left to defaults.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct OptionalReference {
    /// Object name.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(rfc1123_subdomain)]
    pub name: Option<String>,
    /// Object namespace.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(rfc1123_label)]
    pub namespace: Option<String>,
}

/// A taint effect.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Schema)]
pub enum TaintEffect {
    /// Do not schedule new pods.
    NoSchedule,
    /// Avoid scheduling new pods.
    PreferNoSchedule,
    /// Evict running pods.
    NoExecute,
}

/// A node taint.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct Taint {
    /// Taint key.
    #[viti(length(min = 1, max = 316))]
    pub key: String,
    /// Taint value.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 63))]
    pub value: Option<String>,
    /// Effect: NoSchedule, PreferNoSchedule or NoExecute.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub effect: Option<TaintEffect>,
}

/// A pool of worker nodes.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct WorkerPool {
    /// Pool name, unique.
    #[viti(rfc1123_label)]
    pub name: String,
    /// Node count.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(range(min = 0))]
    pub replicas: Option<i32>,
    /// Machine template of the pool's nodes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub machine_template: Option<NodeMachineTemplate>,
    /// Labels put on the pool's nodes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub labels: Option<BTreeMap<String, String>>,
    /// Taints put on the pool's nodes.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(items(max = 64))]
    pub taints: Option<Vec<Taint>>,
}

/// Cluster lifecycle phase.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Schema)]
pub enum KubernetesClusterPhase {
    /// Accepted.
    Pending,
    /// Being created.
    Provisioning,
    /// Serving.
    Ready,
    /// Being upgraded.
    Upgrading,
    /// Creation or upgrade failed.
    Failed,
    /// Being deleted.
    Deleting,
}

/// Replica counts of a node group.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct ReplicaStatus {
    /// Desired nodes.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(range(min = 0))]
    pub replicas: Option<i32>,
    /// Ready nodes.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(range(min = 0))]
    pub ready_replicas: Option<i32>,
}

/// Replica counts of a worker pool.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct WorkerPoolStatus {
    /// Pool name.
    #[viti(length(max = 63))]
    pub name: String,
    /// Desired nodes.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(range(min = 0))]
    pub replicas: Option<i32>,
    /// Ready nodes.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(range(min = 0))]
    pub ready_replicas: Option<i32>,
}

/// Observed state of a cluster.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct KubernetesClusterStatus {
    /// Phase: Pending, Provisioning, Ready, Upgrading, Failed or Deleting.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phase: Option<KubernetesClusterPhase>,
    /// Conditions, keyed by type.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(list(map("type")))]
    pub conditions: Option<Vec<Condition>>,
    /// HTTPS URL of the cluster's API server.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(url, pattern = "^https://")]
    pub endpoint: Option<String>,
    /// Running Kubernetes version.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 32))]
    pub kubernetes_version: Option<String>,
    /// Control plane replicas.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub control_plane: Option<ReplicaStatus>,
    /// Worker pool replicas, keyed by name.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(list(map("name")), items(max = 64))]
    pub workers: Option<Vec<WorkerPoolStatus>>,
    /// Secret holding the cluster's kubeconfig.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kubeconfig_secret_ref: Option<SecretReference>,
}
