use serde::{Deserialize, Serialize};
use vitistack_types::Schema;

/// `crate` must name a path.
#[derive(Serialize, Deserialize, Schema)]
#[viti(crate = "not a path")]
pub struct Port {
    /// A port.
    pub port: u32,
}

fn main() {}
