// An unknown key is reported alone: the valid keys around it add no errors.
use serde::{Deserialize, Serialize};
use vitistack_types::Schema;

/// A spec.
#[derive(Serialize, Deserialize, Schema)]
#[viti(ordered(lesser = "min", greater = "max", mesage = "min <= max"), disjont_cidrs(a = "min", b = "max"))]
pub struct Spec {
    /// The lower bound.
    #[viti(range(min = 1, max = 10), rnage(min = 2), odd)]
    pub min: u32,
    /// The upper bound.
    pub max: u32,
}

fn main() {}
