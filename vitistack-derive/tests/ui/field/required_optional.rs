use serde::{Deserialize, Serialize};
use vitistack_types::Schema;

/// A spec.
#[derive(Serialize, Deserialize, Schema)]
pub struct Spec {
    /// Required already.
    #[viti(required)]
    pub a: String,
    /// A default makes it never missing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[viti(required)]
    pub b: Option<String>,
    /// Optional in the schema only: the Rust type would not read an object without it.
    #[viti(optional)]
    pub c: String,
}

fn main() {}
