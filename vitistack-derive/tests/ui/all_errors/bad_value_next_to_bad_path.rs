// A value of the wrong type does not hide a bad path in the same rule or the next one.
use serde::{Deserialize, Serialize};
use vitistack_types::Schema;

/// A spec.
#[derive(Serialize, Deserialize, Schema)]
#[viti(ordered(lesser = "nope", greater = 5), ip_in_cidr(ip = "gateway", cidr = "subnett", field_path = "gateway"))]
pub struct Spec {
    /// A gateway.
    #[viti(ip)]
    pub gateway: String,
    /// A subnet.
    #[viti(cidr)]
    pub subnet: String,
}

fn main() {}
