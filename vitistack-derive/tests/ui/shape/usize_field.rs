use serde::{Deserialize, Serialize};
use vitistack_types::Schema;

/// A count.
#[derive(Serialize, Deserialize, Schema)]
pub struct Count {
    /// The count.
    pub count: usize,
    /// An offset.
    pub offset: isize,
}

fn main() {}
