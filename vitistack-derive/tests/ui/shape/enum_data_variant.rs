use serde::{Deserialize, Serialize};
use vitistack_types::Schema;

/// Boot firmware.
#[derive(Serialize, Deserialize, Schema)]
pub enum Firmware {
    /// Legacy BIOS.
    Bios,
    /// UEFI with a vars store.
    Uefi(String),
    /// Something else.
    Custom { name: String },
}

fn main() {}
