//! The ten kinds of `vitistack.io/v1alpha1`, one module each, and their shared types.
//!
//! [`for_each_kind!`](crate::for_each_kind) below is the one list of the kinds: this module's
//! `pub mod`s and re-exports, the [registry](crate::registry) (and through it the
//! [catalog](crate::catalog)), the [unstructured](crate::unstructured) helpers and the fuzz
//! targets are all made from it. Adding a kind is a module here and one row in that list
//! (ARCHITECTURE.md, "Adding a kind").

pub mod common;

/// The one list of the kinds, in the order of the API reference: calls the macro `callback`
/// with, for every kind, its type and, in brackets, its module, spec and status types and the
/// names of its two [unstructured](crate::unstructured) helpers, after the bracketed `args`
/// (empty when not given):
///
/// ```text
/// for_each_kind!(callback! [args]) expands to
/// callback! { [args] Vitistack [vitistack, VitistackSpec, VitistackStatus,
///     vitistack_to_unstructured, vitistack_from_unstructured], Machine [...], ... }
/// ```
///
/// `callback` may be a path (`$crate::helper!`), so other crates build on the same list: the
/// fuzz crate's `each_kind!` does.
///
/// ```
/// macro_rules! names {
///     ([] $($kind:ident $rest:tt),*) => { [$(stringify!($kind)),*] };
/// }
/// let names = vitistack_types::for_each_kind!(names!);
/// let registered: Vec<&str> = vitistack_types::registry::kinds().iter().map(|k| k.kind).collect();
/// assert_eq!(names.to_vec(), registered);
/// ```
#[macro_export]
macro_rules! for_each_kind {
    ($($callback:tt)::+ ! $([ $($args:tt)* ])?) => {
        $($callback)::+! {
            [$($($args)*)?]
            Vitistack [vitistack, VitistackSpec, VitistackStatus,
                vitistack_to_unstructured, vitistack_from_unstructured],
            Machine [machine, MachineSpec, MachineStatus,
                machine_to_unstructured, machine_from_unstructured],
            MachineProvider [machine_provider, MachineProviderSpec, MachineProviderStatus,
                machine_provider_to_unstructured, machine_provider_from_unstructured],
            KubernetesCluster [kubernetes_cluster, KubernetesClusterSpec, KubernetesClusterStatus,
                kubernetes_cluster_to_unstructured, kubernetes_cluster_from_unstructured],
            KubernetesProvider [kubernetes_provider, KubernetesProviderSpec, KubernetesProviderStatus,
                kubernetes_provider_to_unstructured, kubernetes_provider_from_unstructured],
            NetworkConfiguration [network_configuration, NetworkConfigurationSpec,
                NetworkConfigurationStatus, network_configuration_to_unstructured,
                network_configuration_from_unstructured],
            NetworkNamespace [network_namespace, NetworkNamespaceSpec, NetworkNamespaceStatus,
                network_namespace_to_unstructured, network_namespace_from_unstructured],
            LoadBalancer [load_balancer, LoadBalancerSpec, LoadBalancerStatus,
                load_balancer_to_unstructured, load_balancer_from_unstructured],
            KubevirtConfig [kubevirt_config, KubevirtConfigSpec, KubevirtConfigStatus,
                kubevirt_config_to_unstructured, kubevirt_config_from_unstructured],
            ProxmoxConfig [proxmox_config, ProxmoxConfigSpec, ProxmoxConfigStatus,
                proxmox_config_to_unstructured, proxmox_config_from_unstructured]
        }
    };
}

/// One module per kind, and its kind, spec and status at this module's root.
macro_rules! kind_modules {
    ([] $($kind:ident [$module:ident, $spec:ident, $status:ident, $to:ident, $from:ident]),*) => {
        $(
            pub mod $module;
            pub use $module::{$kind, $spec, $status};
        )*
    };
}

for_each_kind!(kind_modules!);
