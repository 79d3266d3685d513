//! Every field attribute, on the types it is meant for (plain and optional).

use serde::{Deserialize, Serialize};
use vitistack_types::{Schema, Validate};

/// Every field rule.
#[derive(Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct Fields {
    /// Integer bounds, negative too.
    #[viti(range(min = -10, max = 10))]
    pub range: i32,
    /// Only a lower bound.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(range(min = 1))]
    pub lower: Option<u16>,
    /// Only an upper bound.
    #[viti(range(max = 4094))]
    pub upper: u64,
    /// An odd integer, with a range in a second attribute.
    #[viti(odd)]
    #[viti(range(min = 1, max = 7))]
    pub odd: u8,
    /// String length.
    #[viti(length(min = 1, max = 63))]
    pub length: String,
    /// A pattern.
    #[viti(pattern = "^[a-z]+$")]
    pub pattern: String,
    /// An enum of strings.
    #[viti(one_of("a", "b",))]
    pub one_of: String,
    /// Every string format.
    #[viti(ip)]
    pub ip: String,
    /// A CIDR.
    #[viti(cidr)]
    pub cidr: String,
    /// IP or CIDR.
    #[viti(ip_or_cidr)]
    pub ip_or_cidr: String,
    /// A MAC address.
    #[viti(mac)]
    pub mac: String,
    /// A URL.
    #[viti(url, pattern = "^https://")]
    pub url: String,
    /// A duration.
    #[viti(duration)]
    pub duration: String,
    /// A date-time.
    #[viti(date_time)]
    pub date_time: String,
    /// A label.
    #[viti(rfc1123_label)]
    pub label: String,
    /// A subdomain.
    #[viti(rfc1123_subdomain)]
    pub subdomain: String,
    /// A DNS name.
    #[viti(dns_name)]
    pub dns_name: String,
    /// A port range.
    #[viti(port_range)]
    pub port_range: String,
    /// A quantity, unbounded.
    #[viti(quantity)]
    pub quantity: String,
    /// A quantity with bounds, optional.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(quantity(min = "128Mi", max = "1024Gi"))]
    pub memory: Option<String>,
    /// A quantity with a lower bound only.
    #[viti(quantity(min = "0"))]
    pub cpu: String,
    /// A set with bounds and a rule on each item.
    #[viti(list(set), items(min = 1, max = 256), each(ip))]
    pub set: Vec<String>,
    /// Several rules on each item of an optional list.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(each(length(max = 63), pattern = "^[a-z]+$"))]
    pub optional_list: Option<Vec<String>>,
    /// Integer rules on each item.
    #[viti(each(range(min = 1, max = 4094), odd))]
    pub vlans: Vec<u16>,
    /// A map list, unique by a non-key field too.
    #[viti(list(map("name")), items(max = 64), unique_by = "macAddress")]
    pub interfaces: Vec<Interface>,
    /// A map list with two keys.
    #[viti(list(map("name", "port")))]
    pub ports: Vec<Port>,
    /// Integer, string and boolean defaults.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(default = 1)]
    pub count: Option<u8>,
    /// A negative default.
    #[viti(default = -1)]
    pub offset: i64,
    /// A string default.
    #[viti(default = "first-alive")]
    pub method: String,
    /// A boolean default.
    #[viti(default = false)]
    pub enabled: bool,
    /// Immutable once set: an integer, an optional string, an object.
    #[viti(immutable)]
    pub vlan: u16,
    /// An optional immutable string.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(immutable, length(max = 63))]
    pub network_id: Option<String>,
    /// An immutable object.
    #[viti(immutable)]
    pub port: Port,
    /// A quantity that may only grow.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(quantity(min = "1Gi"), may_only_grow)]
    pub size: Option<String>,
    /// A Kubernetes version, one minor at a time.
    #[viti(kubernetes_version_step)]
    pub version: String,
    /// Items of a list-map (matched with old items by key) that may not change.
    #[viti(list(map("name")), each(immutable))]
    pub pinned: Vec<Port>,
}

/// A network interface.
#[derive(Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct Interface {
    /// Interface name.
    pub name: String,
    /// MAC address.
    #[viti(mac)]
    pub mac_address: String,
}

/// A port.
#[derive(Serialize, Deserialize, Schema)]
pub struct Port {
    /// Port name.
    pub name: String,
    /// Port number.
    pub port: u16,
}

fn main() {
    let _ = <Fields as Schema>::schema();
    let _ = |f: &Fields| f.validate();
}
