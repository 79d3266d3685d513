use serde::{Deserialize, Serialize};
use vitistack_types::Schema;

/// A spec.
#[derive(Serialize, Deserialize, Schema)]
pub struct Spec {
    /// The field.
    #[viti(schemars(inline))]
    pub field: String,
}

fn main() {}
