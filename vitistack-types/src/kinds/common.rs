//! Types shared by several kinds: conditions, references, resource requirements, IPAM and
//! network interfaces.

use crate::Schema;
use serde::{Deserialize, Serialize};

/// The status of a condition.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Schema)]
pub enum ConditionStatus {
    /// The condition holds.
    True,
    /// The condition does not hold.
    False,
    /// The controller cannot tell.
    Unknown,
}

/// One aspect of an object's current state, as in `metav1.Condition`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct Condition {
    /// Type of condition in CamelCase, e.g. `Ready`.
    #[viti(length(min = 1, max = 316))]
    pub r#type: String,
    /// Status of the condition: True, False or Unknown.
    pub status: ConditionStatus,
    /// A programmatic identifier for the reason of the last transition, in CamelCase.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 1024))]
    pub reason: Option<String>,
    /// A human-readable message about the transition.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 32768))]
    pub message: Option<String>,
    /// When the condition last changed status (RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(date_time)]
    pub last_transition_time: Option<String>,
    /// The `.metadata.generation` the condition was set from.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(range(min = 0))]
    pub observed_generation: Option<i64>,
}

/// A reference to a Secret.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct SecretReference {
    /// Name of the Secret (an RFC 1123 subdomain).
    #[viti(rfc1123_subdomain)]
    pub name: String,
    /// Namespace of the Secret; the referring object's namespace when unset.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(rfc1123_label)]
    pub namespace: Option<String>,
    /// Key inside the Secret's data.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 253))]
    pub key: Option<String>,
}

/// A reference to any Kubernetes object.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct ObjectReference {
    /// API version of the referenced object.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 316))]
    pub api_version: Option<String>,
    /// Kind of the referenced object.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 63))]
    pub kind: Option<String>,
    /// Name of the referenced object.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(rfc1123_subdomain)]
    pub name: Option<String>,
    /// Namespace of the referenced object.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(rfc1123_label)]
    pub namespace: Option<String>,
    /// UID of the referenced object.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 36))]
    pub uid: Option<String>,
}

/// A reference to an object by name and namespace.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct NamespacedName {
    /// Name of the object.
    #[viti(rfc1123_subdomain)]
    pub name: String,
    /// Namespace of the object; the referring object's namespace when unset.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(rfc1123_label)]
    pub namespace: Option<String>,
}

/// Amounts of compute resources.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct ResourceList {
    /// CPU, e.g. `100m` or `2`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(quantity(min = "0"))]
    pub cpu: Option<String>,
    /// Memory, e.g. `128Mi` or `1Gi`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(quantity(min = "0"))]
    pub memory: Option<String>,
    /// Storage, e.g. `10Gi`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(quantity(min = "0"))]
    pub storage: Option<String>,
}

/// Requested and limited compute resources.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct ResourceRequirements {
    /// The minimum amounts required.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requests: Option<ResourceList>,
    /// The maximum amounts allowed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limits: Option<ResourceList>,
}

/// An amount of CPU, memory and storage (total, available or used capacity).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct ResourceQuota {
    /// CPU cores.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(range(min = 0))]
    pub cpu: Option<i64>,
    /// Memory, a Kubernetes quantity.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(quantity(min = "0"))]
    pub memory: Option<String>,
    /// Storage, a Kubernetes quantity.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(quantity(min = "0"))]
    pub storage: Option<String>,
}

/// DNS settings handed to machines on a network.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct DnsConfiguration {
    /// DNS server addresses (IPv4 or IPv6).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(items(max = 16), each(ip))]
    pub servers: Option<Vec<String>>,
    /// DNS search domains.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(items(max = 32), each(dns_name))]
    pub search_domains: Option<Vec<String>>,
}

/// The kind of IP address management.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "lowercase")]
pub enum IpamType {
    /// Addresses are configured statically.
    Static,
    /// Addresses come from an existing DHCP server.
    Dhcp,
    /// Addresses come from a Kea DHCP server managed by Viti Stack.
    Kea,
    /// Addresses are managed outside Viti Stack.
    External,
}

/// DHCP settings of an IPAM configuration.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct IpamDhcp {
    /// Whether DHCP is enabled.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// First address of the DHCP pool.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(ip)]
    pub pool_start: Option<String>,
    /// Last address of the DHCP pool.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(ip)]
    pub pool_end: Option<String>,
    /// Lease duration, a Go duration such as `24h`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(duration)]
    pub lease_time: Option<String>,
}

/// IP address management of a network (the reference's IPAMConfiguration).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
#[viti(ip_in_cidr(ip = "gateway", cidr = "subnet", message = "must be inside subnet"))]
pub struct IpamConfiguration {
    /// IPAM type: static, dhcp, kea or external.
    pub r#type: IpamType,
    /// Network subnet in CIDR notation.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(cidr)]
    pub subnet: Option<String>,
    /// Default gateway address.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(ip)]
    pub gateway: Option<String>,
    /// DNS settings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dns: Option<DnsConfiguration>,
    /// DHCP settings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dhcp: Option<IpamDhcp>,
}

/// The kind of a network interface.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "lowercase")]
pub enum InterfaceType {
    /// A Linux bridge.
    Bridge,
    /// A macvlan interface.
    Macvlan,
    /// An ipvlan interface.
    Ipvlan,
}

/// How an interface gets its address.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "lowercase")]
pub enum IpConfigurationType {
    /// A static address.
    Static,
    /// An address from DHCP.
    Dhcp,
}

/// IP settings of a network interface.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct IpConfiguration {
    /// IP config type: static or dhcp.
    pub r#type: IpConfigurationType,
    /// Static IP address.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(ip)]
    pub address: Option<String>,
    /// Network mask, e.g. `255.255.255.0`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(ip)]
    pub netmask: Option<String>,
    /// Gateway address.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(ip)]
    pub gateway: Option<String>,
}

/// A network interface (the reference's NetworkInterface).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct NetworkInterface {
    /// Interface name.
    #[viti(length(min = 1, max = 63))]
    pub name: String,
    /// Interface type: bridge, macvlan or ipvlan.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r#type: Option<InterfaceType>,
    /// MAC address (six colon-separated hex pairs).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(mac)]
    pub mac_address: Option<String>,
    /// Maximum Transmission Unit.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(range(min = 68, max = 9216))]
    pub mtu: Option<u16>,
    /// VLAN ID (1-4094).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(range(min = 1, max = 4094))]
    pub vlan: Option<u16>,
    /// IP settings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ip_configuration: Option<IpConfiguration>,
}
