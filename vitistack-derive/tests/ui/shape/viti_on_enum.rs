use serde::{Deserialize, Serialize};
use vitistack_types::Schema;

/// A phase.
#[derive(Serialize, Deserialize, Schema)]
#[viti(rule(when = "has(a)", then = "has(b)"))]
pub enum Phase {
    /// Running.
    #[viti(length(max = 3))]
    Running,
}

fn main() {}
