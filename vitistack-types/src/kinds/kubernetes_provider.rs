//! `KubernetesProvider`: a Kubernetes cluster provisioning backend, and the cluster shapes it
//! shares with `KubernetesCluster`.

use super::machine::MachineResources;
use crate::{CustomResource, Schema};
use serde::{Deserialize, Serialize};

/// A Kubernetes cluster provisioning backend (Talos, kubeadm or k3s) and its cluster template.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Schema, CustomResource)]
#[serde(rename_all = "camelCase")]
#[crd(
    group = "vitistack.io",
    version = "v1alpha1",
    kind = "KubernetesProvider",
    plural = "kubernetesproviders",
    namespaced,
    status = "KubernetesProviderStatus",
    shortname = "kp",
    category = "viti",
    printcolumn(
        name = "Type",
        type = "string",
        json_path = ".spec.type",
        description = "Provider type"
    ),
    printcolumn(
        name = "Version",
        type = "string",
        json_path = ".spec.clusterTemplate.kubernetesVersion",
        description = "Kubernetes version of new clusters"
    ),
    printcolumn(
        name = "Ready",
        type = "boolean",
        json_path = ".status.ready",
        description = "Provider readiness"
    ),
    printcolumn(name = "Age", type = "date", json_path = ".metadata.creationTimestamp")
)]
pub struct KubernetesProviderSpec {
    /// Provider type: talos, kubeadm or k3s; immutable once set.
    #[viti(immutable)]
    pub r#type: KubernetesProviderType,
    /// Template of the clusters this provider creates.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cluster_template: Option<ClusterTemplate>,
    /// Cluster networking.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub networking: Option<ClusterNetworking>,
    /// Add-ons.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub addons: Option<Addons>,
}

/// A kind of Kubernetes provider.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "lowercase")]
pub enum KubernetesProviderType {
    /// Talos Linux.
    Talos,
    /// kubeadm.
    Kubeadm,
    /// k3s.
    K3s,
}

/// Template of a cluster.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct ClusterTemplate {
    /// Kubernetes version, like `v1.32.0` or `1.32.0`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 32), pattern = "^v?[0-9]+\\.[0-9]+\\.[0-9]+$")]
    pub kubernetes_version: Option<String>,
    /// Container network interface.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cni: Option<Cni>,
    /// Control plane.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub control_plane: Option<ControlPlane>,
    /// Worker groups, keyed by name.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(list(map("name")), items(max = 64))]
    pub workers: Option<Vec<WorkerGroup>>,
}

/// A CNI plugin.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "lowercase")]
pub enum CniType {
    /// Calico.
    Calico,
    /// Flannel.
    Flannel,
    /// Cilium.
    Cilium,
}

/// Container network interface of a cluster.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct Cni {
    /// CNI type: calico, flannel or cilium.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r#type: Option<CniType>,
    /// CNI-specific configuration, kept as is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub config: Option<serde_json::Map<String, serde_json::Value>>,
}

/// The machines of a node group.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct NodeMachineTemplate {
    /// Resources of each machine (as Machine spec.resources).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resources: Option<MachineResources>,
}

/// The control plane of a cluster.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct ControlPlane {
    /// Control plane node count: odd, 1-7.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(range(min = 1, max = 7), odd)]
    pub replicas: Option<u8>,
    /// Control plane machine template.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub machine_template: Option<NodeMachineTemplate>,
}

/// A group of worker nodes.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct WorkerGroup {
    /// Worker group name, unique.
    #[viti(rfc1123_label)]
    pub name: String,
    /// Worker node count.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(range(min = 0))]
    pub replicas: Option<i32>,
    /// Worker machine template.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub machine_template: Option<NodeMachineTemplate>,
}

/// Networking of a cluster.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
#[viti(disjoint_cidrs(
    a = "podCIDR",
    b = "serviceCIDR",
    message = "podCIDR and serviceCIDR must not overlap"
))]
pub struct ClusterNetworking {
    /// Pod network CIDR.
    #[serde(rename = "podCIDR", skip_serializing_if = "Option::is_none")]
    #[viti(cidr)]
    pub pod_cidr: Option<String>,
    /// Service network CIDR (must not overlap podCIDR).
    #[serde(rename = "serviceCIDR", skip_serializing_if = "Option::is_none")]
    #[viti(cidr)]
    pub service_cidr: Option<String>,
    /// Cluster DNS domain.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(dns_name)]
    pub dns_domain: Option<String>,
}

/// Cluster add-ons.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct Addons {
    /// CoreDNS.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dns: Option<DnsAddon>,
    /// Ingress controller.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ingress: Option<IngressAddon>,
    /// Storage classes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub storage: Option<StorageAddon>,
}

/// The DNS add-on.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct DnsAddon {
    /// Enable CoreDNS.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// DNS configuration, kept as is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub config: Option<serde_json::Map<String, serde_json::Value>>,
}

/// An ingress controller.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "lowercase")]
pub enum IngressType {
    /// ingress-nginx.
    Nginx,
    /// Traefik.
    Traefik,
    /// Istio.
    Istio,
}

/// The ingress add-on.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct IngressAddon {
    /// Enable the ingress controller.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Ingress type: nginx, traefik or istio.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r#type: Option<IngressType>,
}

/// The storage add-on.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct StorageAddon {
    /// Enable storage classes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Default storage class.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(rfc1123_subdomain)]
    pub default_class: Option<String>,
}

/// Observed state of a Kubernetes provider.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct KubernetesProviderStatus {
    /// Provider readiness.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ready: Option<bool>,
    /// Supported Kubernetes versions.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(items(max = 64), each(length(max = 32)))]
    pub supported_versions: Option<Vec<String>>,
    /// Active cluster count (`activeConlusters`, the reference's typo, is read too).
    #[serde(alias = "activeConlusters", skip_serializing_if = "Option::is_none")]
    #[viti(range(min = 0))]
    pub active_clusters: Option<i64>,
}
