use serde::{Deserialize, Serialize};
use vitistack_types::Schema;

/// A reserved address.
#[derive(Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct Reservation {
    /// The address.
    pub ip_address: String,
}

/// A subnet with reservations.
#[derive(Serialize, Deserialize, Schema)]
#[viti(ip_in_cidr(each = "reservations", ip = "address", cidr = "subnet"))]
pub struct Subnet {
    /// Subnet (CIDR).
    pub subnet: String,
    /// Reserved addresses.
    pub reservations: Vec<Reservation>,
}

fn main() {}
