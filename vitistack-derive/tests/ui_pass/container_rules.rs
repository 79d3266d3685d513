//! Every cross-field rule form.

use serde::{Deserialize, Serialize};
use vitistack_types::{Schema, Validate};

fn type_is_set(value: &serde_json::Value) -> bool {
    value.get("type").is_some()
}

/// Every container rule.
#[derive(Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
#[viti(
    rule(when = "secureBoot == true", then = "type == 'uefi'", message = "secureBoot needs uefi", field_path = ".type"),
    rule(when = "type in ['bios', \"uefi\"]", then = "has(ipam.subnet)", reason = "required"),
    rule(when = "!has(gateway)", then = "!has(ipam)", reason = "forbidden"),
    rule(when = "count == -3", then = "count in [1, 2]", reason = "invalid"),
    ip_in_cidr(ip = "gateway", cidr = "ipam.subnet"),
    ip_in_cidr(each = "reservations", ip = "address", cidr = "ipam.subnet", message = "must be inside the subnet", field_path = ".reservations"),
    ordered(lesser = "min", greater = "max"),
    ordered(lesser = "poolStart", greater = "poolEnd", by = "ipv4"),
    ordered(lesser = "request", greater = "limit", by = "quantity", message = "request must not exceed limit"),
    disjoint_cidrs(a = "podCIDR", b = "serviceCIDR"),
)]
#[viti(cel(rule = "has(self.type)", message = "type is required", check = type_is_set, field_path = ".type", reason = "duplicate"))]
#[viti(cel(rule = "self.min <= self.max", message = "min must not exceed max"))]
#[viti(cel(
    rule = "!has(self.gateway) || self.gateway != oldSelf.?gateway.orValue('')",
    message = "gateway must change",
    message_expression = "'gateway ' + self.gateway + ' must change'",
    optional_old_self = true,
    field_path = ".gateway",
    reason = "forbidden"
))]
// Fields are named on the wire (`rename_all`, `rename`); only the first step is checked against
// this struct, so `self.ipam.subnet` and the comprehension's `r.address` are left to the engine.
#[viti(cel(
    rule = "!has(self.secureBoot) || self.podCIDR != self.serviceCIDR || has(self.ipam.subnet) || oldSelf.?poolEnd == optional.of(self.poolEnd)",
    message = "networks must differ",
    message_expression = "'pool ' + self.poolStart + '-' + self.poolEnd",
    optional_old_self = true
))]
#[viti(cel(rule = "self.reservations.all(r, r.address != '')", message = "addresses are set"))]
// A comprehension variable named `self` is not the object: `self.zz` is the map literal's key.
#[viti(cel(rule = "[{'zz': 1}].all(self, self.zz == 1)", message = "a shadowed self"))]
pub struct Rules {
    /// Firmware type.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r#type: Option<String>,
    /// Secure boot.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secure_boot: Option<bool>,
    /// A count.
    pub count: i32,
    /// Gateway.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gateway: Option<String>,
    /// IPAM.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ipam: Option<Ipam>,
    /// Reservations.
    pub reservations: Vec<Reservation>,
    /// Lower bound.
    pub min: u32,
    /// Upper bound.
    pub max: u32,
    /// First pool address.
    pub pool_start: String,
    /// Last pool address.
    pub pool_end: String,
    /// Requested memory.
    pub request: String,
    /// Memory limit.
    pub limit: String,
    /// Pod network.
    #[serde(rename = "podCIDR")]
    pub pod_cidr: String,
    /// Service network.
    #[serde(rename = "serviceCIDR")]
    pub service_cidr: String,
}

/// IPAM settings.
#[derive(Serialize, Deserialize, Schema)]
pub struct Ipam {
    /// Subnet.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subnet: Option<String>,
}

/// A reservation with a flattened one: its fields are its type's, so a rule naming them is left
/// to the engine.
#[derive(Serialize, Deserialize, Schema)]
#[viti(cel(rule = "self.address != self.name", message = "address is not the name"))]
pub struct Flattened {
    /// Name.
    pub name: String,
    /// The reservation's fields.
    #[serde(flatten)]
    pub reservation: Reservation,
}

/// A reservation.
#[derive(Serialize, Deserialize, Schema)]
pub struct Reservation {
    /// Reserved address.
    pub address: String,
}

fn main() {
    let _ = <Rules as Schema>::schema();
    let _ = |r: &Rules| r.validate();
    let _ = <Flattened as Schema>::schema();
}
