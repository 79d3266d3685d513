use serde::{Deserialize, Serialize};
use vitistack_types::Schema;

#[derive(Serialize, Deserialize, Schema)]
pub struct Spec {
    /// A name.
    pub name: String,
}

fn main() {}
