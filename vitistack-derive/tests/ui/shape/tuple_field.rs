use serde::{Deserialize, Serialize};
use vitistack_types::Schema;

/// An endpoint.
#[derive(Serialize, Deserialize, Schema)]
pub struct Endpoint {
    /// Host and port.
    pub address: (String, u16),
    /// Pairs in a list.
    pub more: Vec<(String, u16)>,
}

fn main() {}
