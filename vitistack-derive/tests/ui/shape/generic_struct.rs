use serde::{Deserialize, Serialize};
use vitistack_types::Schema;

/// A wrapper.
#[derive(Serialize, Deserialize, Schema)]
pub struct Wrapper<T> {
    /// The wrapped value.
    pub inner: T,
}

fn main() {}
