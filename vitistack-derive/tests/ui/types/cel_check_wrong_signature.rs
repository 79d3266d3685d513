use serde::{Deserialize, Serialize};
use vitistack_types::Schema;

fn non_empty(text: &str) -> bool {
    !text.is_empty()
}

/// A spec.
#[derive(Serialize, Deserialize, Schema)]
#[viti(cel(rule = "self.name != ''", message = "name must not be empty", check = non_empty))]
pub struct Spec {
    /// The name.
    pub name: String,
}

fn main() {}
