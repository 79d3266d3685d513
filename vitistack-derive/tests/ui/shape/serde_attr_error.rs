use serde::{Deserialize, Serialize};
use vitistack_types::Schema;

/// A spec.
#[derive(Serialize, Deserialize, Schema)]
#[serde(rename_all = "camel")]
pub struct Spec {
    /// A name.
    pub name: String,
}

fn main() {}
