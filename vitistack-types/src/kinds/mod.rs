//! The ten kinds of `vitistack.io/v1alpha1`, one module each, and their shared types.

pub mod common;
pub mod kubernetes_cluster;
pub mod kubernetes_provider;
pub mod kubevirt_config;
pub mod load_balancer;
pub mod machine;
pub mod machine_provider;
pub mod network_configuration;
pub mod network_namespace;
pub mod proxmox_config;
pub mod vitistack;

pub use kubernetes_cluster::{KubernetesCluster, KubernetesClusterSpec, KubernetesClusterStatus};
pub use kubernetes_provider::{
    KubernetesProvider, KubernetesProviderSpec, KubernetesProviderStatus,
};
pub use kubevirt_config::{KubevirtConfig, KubevirtConfigSpec, KubevirtConfigStatus};
pub use load_balancer::{LoadBalancer, LoadBalancerSpec, LoadBalancerStatus};
pub use machine::{Machine, MachineSpec, MachineStatus};
pub use machine_provider::{MachineProvider, MachineProviderSpec, MachineProviderStatus};
pub use network_configuration::{
    NetworkConfiguration, NetworkConfigurationSpec, NetworkConfigurationStatus,
};
pub use network_namespace::{NetworkNamespace, NetworkNamespaceSpec, NetworkNamespaceStatus};
pub use proxmox_config::{ProxmoxConfig, ProxmoxConfigSpec, ProxmoxConfigStatus};
pub use vitistack::{Vitistack, VitistackSpec, VitistackStatus};
