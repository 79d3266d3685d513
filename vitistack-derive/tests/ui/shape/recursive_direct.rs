use serde::{Deserialize, Serialize};
use vitistack_types::Schema;

/// A linked list node.
#[derive(Serialize, Deserialize, Schema)]
pub struct Node {
    /// The value.
    pub value: String,
    /// The next node.
    pub next: Box<Node>,
    /// The same, spelled `Self`.
    pub again: Box<Self>,
}

fn main() {}
