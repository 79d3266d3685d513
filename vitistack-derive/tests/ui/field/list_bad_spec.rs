use serde::{Deserialize, Serialize};
use vitistack_types::Schema;

/// A spec.
#[derive(Serialize, Deserialize, Schema)]
pub struct Spec {
    /// The field.
    #[viti(list(merge))]
    pub field: Vec<String>,
}

fn main() {}
