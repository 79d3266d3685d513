use serde::{Deserialize, Serialize};
use vitistack_types::Schema;

fn always(_: &serde_json::Value) -> bool {
    true
}

/// Firmware settings.
#[derive(Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
#[viti(rule(when = "secureBoot == true", then = "type == 'uefi'", field_path = "type"))]
pub struct Firmware {
    /// Firmware type.
    pub r#type: String,
    /// Secure boot.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secure_boot: Option<bool>,
    /// Gateway address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gateway: Option<String>,
    /// Subnet.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subnet: Option<String>,
    /// Reserved addresses.
    pub reservations: Vec<String>,
}

fn main() {
    let _ = always;
}
