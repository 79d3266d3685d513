use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use vitistack_types::Schema;

/// Common fields.
#[derive(Serialize, Deserialize, Schema)]
pub struct Common {
    /// A name.
    pub name: String,
}

/// A map flattened beside declared fields, rules on a flattened field, a scalar flattened.
#[derive(Serialize, Deserialize, Schema)]
pub struct Spec {
    /// Declared.
    pub size: u32,
    #[serde(flatten)]
    pub rest: BTreeMap<String, String>,
    #[serde(flatten)]
    #[viti(length(max = 3))]
    pub common: Common,
}

/// A map by another name: only the compiler sees through it.
pub type Labels = BTreeMap<String, String>;

/// A map flattened under an alias.
#[derive(Serialize, Deserialize, Schema)]
pub struct Other {
    /// Declared.
    pub size: u32,
    #[serde(flatten)]
    pub labels: Labels,
}

fn main() {}
