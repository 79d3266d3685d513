//! `NetworkConfiguration`: a network, its VLAN, IP address management, DHCP and firewall rules.

use super::common::DnsConfiguration;
use crate::{CustomResource, Schema};
use serde::{Deserialize, Serialize};

/// Network interface configuration and VLAN settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Schema, CustomResource)]
#[serde(rename_all = "camelCase")]
#[crd(
    group = "vitistack.io",
    version = "v1alpha1",
    kind = "NetworkConfiguration",
    plural = "networkconfigurations",
    namespaced,
    status = "NetworkConfigurationStatus",
    shortname = "nc",
    category = "viti",
    printcolumn(
        name = "Network",
        type = "string",
        json_path = ".spec.networkId",
        description = "Network identifier"
    ),
    printcolumn(
        name = "VLAN",
        type = "integer",
        json_path = ".spec.vlan",
        description = "VLAN ID"
    ),
    printcolumn(
        name = "Subnet",
        type = "string",
        json_path = ".spec.ipam.subnet",
        description = "Subnet (CIDR)"
    ),
    printcolumn(
        name = "Ready",
        type = "boolean",
        json_path = ".status.ready",
        description = "Network readiness"
    ),
    printcolumn(name = "Age", type = "date", json_path = ".metadata.creationTimestamp")
)]
#[viti(
    rule(
        when = "dhcp.enabled == true",
        then = "ipam.type == 'kea'",
        message = "dhcp may be enabled only when ipam.type is kea",
        field_path = ".dhcp.enabled"
    ),
    ip_in_cidr(
        ip = "dhcp.poolStart",
        cidr = "ipam.subnet",
        message = "must be inside spec.ipam.subnet"
    ),
    ip_in_cidr(
        ip = "dhcp.poolEnd",
        cidr = "ipam.subnet",
        message = "must be inside spec.ipam.subnet"
    ),
    ip_in_cidr(
        each = "dhcp.reservations",
        ip = "ipAddress",
        cidr = "ipam.subnet",
        message = "every reservation's ipAddress must be inside spec.ipam.subnet"
    ),
    ordered(
        lesser = "dhcp.poolStart",
        greater = "dhcp.poolEnd",
        by = "ipv4",
        message = "poolStart must not be after poolEnd"
    )
)]
pub struct NetworkConfigurationSpec {
    /// Unique network identifier (an RFC 1123 label); immutable once set.
    #[viti(rfc1123_label, immutable)]
    pub network_id: String,
    /// VLAN ID (1-4094); immutable once set.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(range(min = 1, max = 4094), immutable)]
    pub vlan: Option<u16>,
    /// Bridge interface name.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 15))]
    pub bridge: Option<String>,
    /// Maximum Transmission Unit (68-9216).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(range(min = 68, max = 9216))]
    pub mtu: Option<u16>,
    /// IP address management.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ipam: Option<NetworkIpam>,
    /// DHCP server (only when ipam.type is kea).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dhcp: Option<DhcpConfiguration>,
    /// Isolation and firewall rules.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub security: Option<NetworkSecurity>,
}

/// IPAM type of a network.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "lowercase")]
pub enum NetworkIpamType {
    /// Static addresses.
    Static,
    /// An external DHCP server.
    Dhcp,
    /// A Kea DHCP server managed by Viti Stack.
    Kea,
}

/// IP address management of a network.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
#[viti(
    rule(
        when = "type in ['static', 'kea']",
        then = "has(subnet)",
        message = "subnet is required when type is static or kea"
    ),
    ip_in_cidr(
        ip = "gateway",
        cidr = "subnet",
        message = "must be inside spec.ipam.subnet"
    )
)]
pub struct NetworkIpam {
    /// IPAM type: static, dhcp or kea.
    pub r#type: NetworkIpamType,
    /// Network subnet (CIDR); required for static and kea; immutable once set.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(cidr, immutable)]
    pub subnet: Option<String>,
    /// Default gateway, inside the subnet.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(ip)]
    pub gateway: Option<String>,
    /// DNS settings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dns: Option<DnsConfiguration>,
}

/// DHCP server settings of a network.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct DhcpConfiguration {
    /// Enable the DHCP server.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// DHCP pool start address (inside the subnet).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(ip)]
    pub pool_start: Option<String>,
    /// DHCP pool end address (inside the subnet, not before poolStart).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(ip)]
    pub pool_end: Option<String>,
    /// DHCP lease duration, a Go duration such as `24h`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(duration)]
    pub lease_time: Option<String>,
    /// Fixed reservations, keyed by MAC address.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(list(map("macAddress")), items(max = 1024))]
    pub reservations: Option<Vec<DhcpReservation>>,
}

/// A fixed DHCP reservation.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct DhcpReservation {
    /// MAC address for the reservation.
    #[viti(mac)]
    pub mac_address: String,
    /// Reserved IP address (inside the subnet).
    #[viti(ip)]
    pub ip_address: String,
    /// Reserved hostname.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(dns_name)]
    pub hostname: Option<String>,
}

/// Isolation and firewall rules of a network.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct NetworkSecurity {
    /// Enable network isolation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub isolation: Option<bool>,
    /// Firewall rules, applied in order.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(items(max = 256))]
    pub firewall_rules: Option<Vec<FirewallRule>>,
}

/// Traffic direction of a firewall rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Incoming traffic.
    Ingress,
    /// Outgoing traffic.
    Egress,
}

/// Protocol of a firewall rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "lowercase")]
pub enum Protocol {
    /// TCP.
    Tcp,
    /// UDP.
    Udp,
    /// ICMP (takes no port).
    Icmp,
}

/// What a firewall rule does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "lowercase")]
pub enum FirewallAction {
    /// Let the traffic through.
    Allow,
    /// Drop the traffic.
    Deny,
}

/// A firewall rule.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
#[viti(rule(
    when = "protocol == 'icmp'",
    then = "!has(port)",
    message = "port is not allowed for protocol icmp"
))]
pub struct FirewallRule {
    /// Rule direction: ingress or egress.
    pub direction: Direction,
    /// Protocol: tcp, udp or icmp.
    pub protocol: Protocol,
    /// Port `N` or port range `N-M` (1 <= N <= M <= 65535); not for icmp.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(port_range)]
    pub port: Option<String>,
    /// Source IP or CIDR.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(ip_or_cidr)]
    pub source: Option<String>,
    /// Destination IP or CIDR.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(ip_or_cidr)]
    pub destination: Option<String>,
    /// Action: allow or deny.
    pub action: FirewallAction,
}

/// Observed state of a network.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct NetworkConfigurationStatus {
    /// Network readiness.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ready: Option<bool>,
    /// Currently allocated IP addresses.
    #[serde(rename = "allocatedIPs", skip_serializing_if = "Option::is_none")]
    #[viti(items(max = 65536), each(ip))]
    pub allocated_ips: Option<Vec<String>>,
    /// Connected machine references (names).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(items(max = 65536), each(length(max = 253)))]
    pub connected_machines: Option<Vec<String>>,
}
