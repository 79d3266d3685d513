use serde::{Deserialize, Serialize};
use vitistack_types::Schema;

/// A spec.
#[derive(Serialize, Deserialize, Schema)]
pub struct Spec {
    /// An unquoted key.
    #[viti(default = {port: 80})]
    pub a: std::collections::BTreeMap<String, i32>,
    /// A key twice.
    #[viti(default = {"port": 80, "port": 81})]
    pub b: std::collections::BTreeMap<String, i32>,
    /// Not JSON.
    #[viti(default = nil)]
    pub c: Vec<String>,
}

fn main() {}
