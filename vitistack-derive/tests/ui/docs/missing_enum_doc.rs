use serde::{Deserialize, Serialize};
use vitistack_types::Schema;

#[derive(Serialize, Deserialize, Schema)]
pub enum Phase {
    /// Running.
    Running,
}

fn main() {}
