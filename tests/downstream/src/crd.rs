//! A CRD of the user's own, written with vitistack's derive: a VLAN range, a CIDR, a quantity
//! bound and cross-field rules. `VlanAttachment::crd()` is the CRD to install;
//! `validate()` checks in Rust what the apiserver checks, with the same field paths.
//!
//! Not yet here: Kubernetes types embedded as plain fields (`Vec<Condition>`, `LabelSelector`,
//! `Quantity`, ...) — the derive does not know them before the rewrite of issue 12.

use serde::{Deserialize, Serialize};
use vitistack_types::{CustomResource, Schema};

/// A VLAN attached to a node's uplink.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Schema, CustomResource)]
#[serde(rename_all = "camelCase")]
#[crd(
    group = "example.com",
    version = "v1",
    kind = "VlanAttachment",
    namespaced,
    status = "VlanAttachmentStatus"
)]
#[viti(ip_in_cidr(ip = "gateway", cidr = "subnet"))]
#[viti(rule(
    when = "jumboFrames == true",
    then = "mtuProfile == 'jumbo'",
    message = "jumboFrames needs the jumbo MTU profile",
    field_path = ".mtuProfile"
))]
pub struct VlanAttachmentSpec {
    /// VLAN ID.
    #[viti(range(min = 1, max = 4094))]
    pub vlan: u16,
    /// The subnet on the VLAN (CIDR).
    #[viti(cidr)]
    pub subnet: String,
    /// Gateway, inside the subnet.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(ip)]
    pub gateway: Option<String>,
    /// Guaranteed bandwidth, a quantity between 1M and 100G.
    #[viti(quantity(min = "1M", max = "100G"))]
    pub bandwidth: String,
    /// MTU profile: standard (1500) or jumbo (9000).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(one_of("standard", "jumbo"))]
    pub mtu_profile: Option<String>,
    /// Whether jumbo frames are used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jumbo_frames: Option<bool>,
}

/// Observed state of an attachment.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
pub struct VlanAttachmentStatus {
    /// Whether the attachment is up.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ready: Option<bool>,
}
