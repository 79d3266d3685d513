use serde::{Deserialize, Serialize};
use vitistack_types::Schema;

/// Nothing at all.
#[derive(Serialize, Deserialize, Schema)]
pub struct Empty;

fn main() {}
