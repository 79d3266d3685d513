//! Names of the API: group, version, labels, phases and condition types.

/// The API group of every kind.
pub const GROUP: &str = "vitistack.io";
/// The API version of every kind.
pub const VERSION: &str = "v1alpha1";
/// `group/version`.
pub const API_VERSION: &str = "vitistack.io/v1alpha1";
/// The category every kind is in (`kubectl get vitistack`).
pub const CATEGORY: &str = "vitistack";

/// Label keys put on objects.
pub mod labels {
    /// The KubernetesCluster a Machine belongs to.
    pub const CLUSTER_NAME: &str = "cluster.vitistack.io/cluster-name";
    /// The role of a cluster Machine: `control-plane` or `worker`.
    pub const CLUSTER_ROLE: &str = "cluster.vitistack.io/role";
    /// The worker pool of a cluster Machine.
    pub const CLUSTER_NODEPOOL: &str = "cluster.vitistack.io/nodepool";
    /// The provider that manages an object.
    pub const PROVIDER: &str = "vitistack.io/provider";
    /// Value of [`CLUSTER_ROLE`] for control plane machines.
    pub const ROLE_CONTROL_PLANE: &str = "control-plane";
    /// Value of [`CLUSTER_ROLE`] for worker machines.
    pub const ROLE_WORKER: &str = "worker";
}

/// Condition types controllers set.
pub mod conditions {
    /// The object is ready for use.
    pub const READY: &str = "Ready";
    /// The object is being provisioned.
    pub const PROVISIONING: &str = "Provisioning";
    /// The object's configuration is invalid or failed to apply.
    pub const DEGRADED: &str = "Degraded";
    /// The provider backing the object is reachable.
    pub const PROVIDER_READY: &str = "ProviderReady";
}
