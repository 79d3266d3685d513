// Every malformed item of one #[viti(...)] is reported, including the items of a nested list.
use serde::{Deserialize, Serialize};
use vitistack_types::Schema;

/// A spec.
#[derive(Serialize, Deserialize, Schema)]
pub struct Spec {
    /// The field.
    #[viti(range(min = "one", most = 4), lenght(max = 3), odd = 1, each(ipp, range()))]
    pub field: u32,
}

fn main() {}
