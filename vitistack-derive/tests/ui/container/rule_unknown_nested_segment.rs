use serde::{Deserialize, Serialize};
use vitistack_types::Schema;

/// Boot settings.
#[derive(Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct Boot {
    /// Secure boot.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secure_boot: Option<bool>,
}

/// Firmware settings.
#[derive(Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
#[viti(rule(when = "has(boot.secure)", then = "has(gateway)"))]
pub struct Firmware {
    /// Boot settings.
    pub boot: Boot,
    /// Gateway address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gateway: Option<String>,
}

fn main() {}
