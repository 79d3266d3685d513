use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use vitistack_types::Schema;

/// VLAN names.
#[derive(Serialize, Deserialize, Schema)]
pub struct Vlans {
    /// Name of each VLAN id.
    pub names: BTreeMap<u32, String>,
}

fn main() {}
