use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use vitistack_types::Schema;

/// Ports.
#[derive(Serialize, Deserialize, Schema)]
pub struct Ports {
    /// Service of each port.
    pub services: HashMap<i64, String>,
    /// Nested inside an Option, still checked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub optional: Option<HashMap<bool, String>>,
}

fn main() {}
