use serde::{Deserialize, Serialize};
use vitistack_types::Schema;

/// The derive is told the engine is somewhere it is not.
#[derive(Serialize, Deserialize, Schema)]
#[viti(crate = "crate::nowhere")]
pub struct Port {
    /// A port.
    #[viti(range(min = 1, max = 65535))]
    pub port: u32,
}

fn main() {}
