//! A CRD of the user's own, written with vitistack's derive: a VLAN range, a CIDR, a quantity
//! bound and cross-field rules, and Kubernetes types embedded as plain fields (a `Vec<Condition>`,
//! a `LabelSelector`, a `Quantity`, ... a `PodTemplateSpec`), as operators write them.
//! `VlanAttachment::crd()` is the CRD to install; `validate()` checks in Rust what the apiserver
//! checks, with the same field paths.

use k8s_openapi::api::core::v1::{LocalObjectReference, PodTemplateSpec, ResourceRequirements};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{Condition, LabelSelector, Time};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use schemars::JsonSchema;
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
    /// The nodes the VLAN is attached to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub node_selector: Option<LabelSelector>,
    /// Burst allowance above the guaranteed bandwidth.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub burst: Option<Quantity>,
    /// The health-check port of the uplink agent, by number or by name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub health_port: Option<IntOrString>,
    /// Not attached before this time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_before: Option<Time>,
    /// The Secret holding the switch credentials.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credentials: Option<LocalObjectReference>,
    /// Resources of the uplink agent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agent_resources: Option<ResourceRequirements>,
    /// The pod that runs the uplink agent on each node.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agent_template: Option<PodTemplateSpec>,
    /// How the uplink bonds its interfaces: a type with its own `JsonSchema`, opted in.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(schemars)]
    pub bond: Option<Bond>,
}

/// A bond of interfaces. Its schema is schemars' (`#[viti(schemars)]` on the field bridges it),
/// its rules `#[schemars(...)]` attributes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Bond {
    /// Bonding mode.
    pub mode: BondMode,
    /// Member interfaces, one to eight.
    #[schemars(length(min = 1, max = 8))]
    pub members: Vec<String>,
    /// Link monitoring interval in milliseconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 10, max = 1000))]
    pub miimon: Option<u32>,
}

/// A bonding mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum BondMode {
    /// One member active, the others standing by.
    ActiveBackup,
    /// IEEE 802.3ad link aggregation.
    Lacp,
}

/// Observed state of an attachment.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
pub struct VlanAttachmentStatus {
    /// Whether the attachment is up.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ready: Option<bool>,
    /// The attachment's conditions (a list map keyed by `type`, as Kubernetes declares it).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<Condition>,
}
