use serde::{Deserialize, Serialize};
use vitistack_types::Schema;

/// A spec.
#[derive(Serialize, Deserialize, Schema)]
pub struct Spec {
    /// Documented.
    pub name: String,
    // A plain comment is not a doc comment.
    pub size: u32,
    #[viti(range(min = 1))]
    pub count: u8,
}

fn main() {}
