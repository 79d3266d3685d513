//! A third-party CRD built on vitistack-core alone: the derive expands to `::vitistack_core`
//! paths, found in this crate's own dependencies (`vitistack-types` is not one of them).

use serde::{Deserialize, Serialize};
use vitistack_derive::{CustomResource, Schema};

/// A VLAN attachment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Schema, CustomResource)]
#[serde(rename_all = "camelCase")]
#[crd(
    group = "example.com",
    version = "v1",
    kind = "Attachment",
    namespaced,
    status = "AttachmentStatus"
)]
#[viti(ip_in_cidr(ip = "gateway", cidr = "subnet"))]
pub struct AttachmentSpec {
    /// VLAN ID.
    #[viti(range(min = 1, max = 4094))]
    pub vlan: u16,
    /// Subnet (CIDR).
    #[viti(cidr)]
    pub subnet: String,
    /// Gateway inside the subnet.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(ip)]
    pub gateway: Option<String>,
    /// How the attachment is used.
    pub mode: Mode,
}

/// How an attachment is used.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Tagged traffic.
    Trunk,
    /// Untagged traffic.
    Access,
}

/// Observed state of an attachment.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
pub struct AttachmentStatus {
    /// Whether the attachment is up.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ready: Option<bool>,
}

/// The engine under another name, as a crate re-exporting it would offer it.
pub mod engine {
    pub use vitistack_core::*;
}

/// A type whose derive is told where the engine is (`crate = "..."`, like serde's).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Schema)]
#[viti(crate = "crate::engine")]
pub struct Renamed {
    /// A port.
    #[viti(range(min = 1, max = 65535))]
    pub port: u32,
}
