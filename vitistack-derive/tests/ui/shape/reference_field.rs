use serde::{Deserialize, Serialize};
use vitistack_types::Schema;

/// Borrowed data.
#[derive(Serialize, Deserialize, Schema)]
pub struct Borrowed {
    /// A fixed array.
    pub bytes: [u8; 4],
}

fn main() {}
