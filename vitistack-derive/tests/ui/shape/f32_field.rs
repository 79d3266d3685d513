use serde::{Deserialize, Serialize};
use vitistack_types::Schema;

/// A ratio.
#[derive(Serialize, Deserialize, Schema)]
pub struct Ratio {
    /// The value.
    pub value: f32,
    /// Optional, still checked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub other: Option<f32>,
}

fn main() {}
