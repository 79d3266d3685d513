use serde::{Deserialize, Serialize};
use vitistack_types::Schema;

/// A spec.
#[derive(Serialize, Deserialize, Schema)]
pub struct Spec {
    /// Sizes in an atomic list: the apiserver cannot match an item with its old value.
    #[viti(each(may_only_grow))]
    pub sizes: Vec<String>,
}

fn main() {}
