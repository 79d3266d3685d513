use serde::{Deserialize, Serialize};
use vitistack_types::Schema;

/// Limits.
#[derive(Serialize, Deserialize, Schema)]
#[viti(cel(rule = "self.min <= ", message = "min must not exceed max"))]
pub struct Limits {
    /// Lower bound.
    pub min: u32,
    /// Upper bound.
    pub max: u32,
}

fn main() {}
