use serde::{Deserialize, Serialize};
use vitistack_types::Schema;

/// A spec.
#[derive(Serialize, Deserialize, Schema)]
pub struct Spec {
    /// A size that may only grow must be a quantity string.
    #[viti(may_only_grow)]
    pub size: u64,
}

fn main() {}
