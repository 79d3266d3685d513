use serde::{Deserialize, Serialize};
use vitistack_types::Schema;

/// Common fields.
#[derive(Serialize, Deserialize, Schema)]
pub struct Common {
    /// A name.
    pub name: String,
}

/// A spec.
#[derive(Serialize, Deserialize, Schema)]
pub struct Spec {
    /// Shared fields.
    #[serde(flatten)]
    pub common: Common,
}

fn main() {}
