use serde::{Deserialize, Serialize};
use vitistack_types::Schema;

/// A host and a port.
#[derive(Serialize, Deserialize, Schema)]
pub struct Endpoint(String, u16);

/// A newtype.
#[derive(Serialize, Deserialize, Schema)]
pub struct Name(String);

fn main() {}
