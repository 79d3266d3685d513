use serde::{Deserialize, Serialize};
use vitistack_types::Schema;

/// Limits.
#[derive(Serialize, Deserialize, Schema)]
#[viti(cel(rule = "self.min <= self.max", message = "min must not exceed max", optional_old_self = true))]
pub struct Limits {
    /// Lower bound.
    pub min: u32,
    /// Upper bound.
    pub max: u32,
}

fn main() {}
