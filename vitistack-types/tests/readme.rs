//! The README's quickstart code, compiled and run, so the README cannot rot.

use serde::{Deserialize, Serialize};
use vitistack_types::kinds::{machine::*, Machine};
use vitistack_types::{CustomResource, Schema, Validate};

#[test]
fn types_quickstart() -> Result<(), Box<dyn std::error::Error>> {
    let machine = Machine::new(
        "web-01",
        MachineSpec {
            provider_ref: MachineProviderReference {
                name: "proxmox-a".into(),
                ..Default::default()
            },
            resources: Some(MachineResources {
                memory: Some(Memory { size: "8Gi".into() }),
                ..Default::default()
            }),
            storage: None,
            networking: None,
            operating_system: None,
            boot: None,
            cloud_init: None,
        },
    );
    machine.validate()?; // every violation, with apiserver-style paths
    let yaml = serde_saphyr::to_string(&machine)?; // exactly the wire format
    assert!(yaml.contains("apiVersion: vitistack.io/v1alpha1"), "{yaml}");
    assert!(yaml.contains("size: 8Gi"), "{yaml}");
    assert!(!yaml.contains("null"), "{yaml}");
    Ok(())
}

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
}

/// Observed state of an attachment.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
pub struct AttachmentStatus {
    /// Whether the attachment is up.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ready: Option<bool>,
}

#[test]
fn derive_quickstart() {
    use vitistack_types::crd::CustomResourceKind;
    let crd = Attachment::crd();
    assert_eq!(crd["metadata"]["name"], "attachments.example.com");
    let spec = &crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["spec"];
    assert_eq!(spec["properties"]["vlan"]["maximum"], 4094);
    assert_eq!(spec["x-kubernetes-validations"][0]["fieldPath"], ".gateway");
    let bad = Attachment::new(
        "a",
        AttachmentSpec {
            vlan: 5000,
            subnet: "10.0.0.0/24".into(),
            gateway: Some("10.9.0.1".into()),
        },
    );
    let errors = bad.validate().expect_err("two violations");
    assert_eq!(errors.paths(), vec!["spec.gateway", "spec.vlan"]);
}
