use serde::{Deserialize, Serialize};
use vitistack_types::Schema;

/// A spec.
#[derive(Serialize, Deserialize, Schema)]
pub struct Spec {
    /// The field.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(one_of("a"))]
    pub field: Option<Vec<String>>,
}

fn main() {}
