use serde::{Deserialize, Serialize};
use vitistack_types::Schema;

/// A spec. Each second value would silently replace the first.
#[derive(Serialize, Deserialize, Schema)]
pub struct Spec {
    /// The field.
    #[viti(default = 1, range(min = 1, max = 4, min = 2))]
    #[viti(default = 2)]
    pub field: u32,
    /// A size.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(quantity(max = "1Gi", max = "2Gi"))]
    pub size: Option<String>,
}

fn main() {}
