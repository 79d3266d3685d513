use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use vitistack_types::Schema;

/// A tree with any number of children.
#[derive(Serialize, Deserialize, Schema)]
pub struct Tree {
    /// Children, in order.
    pub children: Vec<Tree>,
    /// Children by name.
    pub named: BTreeMap<String, Tree>,
}

fn main() {}
