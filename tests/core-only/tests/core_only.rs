//! The derive, the CRD and validate() with vitistack-core as the only engine dependency.

use vitistack_core::crd::CustomResourceKind;
use vitistack_core::Validate;
use vitistack_core_only::{Attachment, AttachmentSpec, Mode, Renamed};

fn spec(vlan: u16, gateway: &str) -> AttachmentSpec {
    AttachmentSpec {
        vlan,
        subnet: "10.0.0.0/24".into(),
        gateway: Some(gateway.into()),
        mode: Mode::Trunk,
    }
}

#[test]
fn crd_carries_the_rules() {
    let crd = Attachment::crd();
    assert_eq!(crd["metadata"]["name"], "attachments.example.com");
    assert_eq!(crd["spec"]["scope"], "Namespaced");
    let spec = &crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["spec"];
    assert_eq!(spec["properties"]["vlan"]["maximum"], 4094);
    assert_eq!(
        spec["properties"]["mode"]["enum"],
        serde_json::json!(["trunk", "access"])
    );
    assert_eq!(spec["x-kubernetes-validations"][0]["fieldPath"], ".gateway");
    let schema = Attachment::json_schema();
    assert_eq!(schema["properties"]["kind"]["enum"][0], "Attachment");
}

#[test]
fn validate_reports_every_violation_with_its_path() {
    assert_eq!(
        Attachment::new("a", spec(10, "10.0.0.1")).validate(),
        Ok(())
    );
    let errors = Attachment::new("a", spec(5000, "10.9.0.1"))
        .validate()
        .expect_err("vlan 5000 is out of range");
    let text = errors.to_string();
    assert!(
        text.contains("spec.vlan: Invalid value: 5000: must be less than or equal to 4094"),
        "{text}"
    );
    // The CEL-phase rule is skipped while a schema-phase error exists, as on the apiserver.
    let errors = Attachment::new("a", spec(10, "10.9.0.1"))
        .validate()
        .expect_err("gateway outside the subnet");
    assert_eq!(errors.paths(), vec!["spec.gateway"]);
}

#[test]
fn metadata_name_is_checked() {
    let errors = Attachment::new("Not_A_Label", spec(10, "10.0.0.1"))
        .validate()
        .expect_err("metadata.name is an RFC 1123 label");
    assert_eq!(errors.paths(), vec!["metadata.name"]);
}

#[test]
fn a_crate_override_reaches_the_same_engine() {
    assert!(Renamed { port: 443 }.validate().is_ok());
    let errors = Renamed { port: 70000 }
        .validate()
        .expect_err("port > 65535");
    assert_eq!(errors.paths(), vec!["port"]);
}
