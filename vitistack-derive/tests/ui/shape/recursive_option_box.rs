use serde::{Deserialize, Serialize};
use vitistack_types::Schema;

/// A binary tree.
#[derive(Serialize, Deserialize, Schema)]
pub struct Tree {
    /// Left subtree.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub left: Option<Box<Tree>>,
}

fn main() {}
