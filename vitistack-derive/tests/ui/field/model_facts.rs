use serde::{Deserialize, Serialize};
use vitistack_types::Schema;

/// A spec.
#[derive(Serialize, Deserialize, Schema)]
pub struct Spec {
    /// Neither atomic nor granular.
    #[viti(map_type = "merge")]
    pub a: std::collections::BTreeMap<String, i32>,
    /// A factor of zero.
    #[viti(multiple_of = 0)]
    pub b: i32,
    /// No bound.
    #[viti(number(exclusive_min))]
    pub c: f64,
    /// Exclusive without its bound.
    #[viti(number(max = 2, exclusive_min))]
    pub d: f64,
    /// Not a number.
    #[viti(multiple_of = "2")]
    pub e: i32,
}

/// Number rules on a string.
#[derive(Serialize, Deserialize, Schema)]
pub struct Other {
    /// A string.
    #[viti(number(min = 1.5))]
    pub s: String,
}

fn main() {}
