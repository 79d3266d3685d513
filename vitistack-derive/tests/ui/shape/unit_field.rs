use serde::{Deserialize, Serialize};
use vitistack_types::Schema;

/// A marker.
#[derive(Serialize, Deserialize, Schema)]
pub struct Marker {
    /// Nothing.
    pub nothing: (),
}

fn main() {}
