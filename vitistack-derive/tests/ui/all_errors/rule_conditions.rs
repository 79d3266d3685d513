// Both malformed conditions of one `rule` are reported, and the valid rule next to it adds none.
use serde::{Deserialize, Serialize};
use vitistack_types::Schema;

/// A spec.
#[derive(Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
#[viti(rule(when = "secureBoot ==", then = "has(type"), rule(when = "secureBoot == true", then = "type == 'uefi'"))]
pub struct Spec {
    /// Whether secure boot is on.
    pub secure_boot: bool,
    /// The firmware type.
    pub r#type: String,
}

fn main() {}
