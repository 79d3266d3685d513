use serde::{Deserialize, Serialize};
use vitistack_types::Schema;

/// A big number.
#[derive(Serialize, Deserialize, Schema)]
pub struct Big {
    /// Unsigned.
    pub unsigned: u128,
    /// Signed, inside a list.
    pub signed: Vec<i128>,
}

fn main() {}
