use serde::{Deserialize, Serialize};
use vitistack_types::Schema;

/// A spec.
#[derive(Serialize, Deserialize, Schema)]
pub struct Spec {
    /// Serialised as `null` when unset.
    pub name: Option<String>,
    /// `default` alone does not help: it is about reading, not writing.
    #[serde(default)]
    pub size: Option<u32>,
}

fn main() {}
