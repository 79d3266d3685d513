// Errors on different fields, of the syntax and of the check, all come out of one compile.
use serde::{Deserialize, Serialize};
use vitistack_types::Schema;

/// A spec.
#[derive(Serialize, Deserialize, Schema)]
pub struct Spec {
    /// A name.
    #[viti(pattern = "(unclosed")]
    pub name: String,
    /// A size.
    #[viti(rnage(min = 1))]
    pub size: u32,
    /// A memory size.
    #[viti(quantity(min = "lots"), length(min = 5, max = 1))]
    pub memory: String,
    pub undocumented: u32,
}

fn main() {}
