use serde::{Deserialize, Serialize};
use vitistack_types::Schema;

/// A spec.
#[derive(Serialize, Deserialize, Schema)]
pub struct Spec {
    /// The field.
    #[viti(quantity(max = "1e2147483648"))]
    pub field: String,
}

fn main() {}
