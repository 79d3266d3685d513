use serde::{Deserialize, Serialize};
use vitistack_types::Schema;

/// A spec.
#[derive(Serialize, Deserialize, Schema)]
pub struct Spec {
    /// The field.
    #[viti(items(min = 2, max = 1))]
    pub field: Vec<String>,
}

fn main() {}
