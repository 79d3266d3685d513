//! A CRD of the user's own (`src/crd.rs`), derived with vitistack's derive, installed on the
//! server: each bad object is refused by `validate()` and by the apiserver at the same field
//! path, and a good one passes both.

mod support;

use kube::api::{Api, PostParams};
use support::*;
use vitistack_downstream::crd::{VlanAttachment, VlanAttachmentSpec};
use vitistack_types::Validate;

fn attachment(name: &str, change: serde_json::Value) -> VlanAttachment {
    let mut spec = serde_json::json!({
        "vlan": 100, "subnet": "10.0.0.0/24", "gateway": "10.0.0.1",
        "bandwidth": "10G", "jumboFrames": true, "mtuProfile": "jumbo"
    });
    for (key, value) in change.as_object().expect("an object") {
        spec[key] = value.clone();
    }
    let spec: VlanAttachmentSpec = serde_json::from_value(spec).expect("a spec");
    VlanAttachment::new(name, spec)
}

#[tokio::test]
async fn validate_and_the_server_name_the_same_fields() {
    let (admin, ns) = user_crd_namespace("user-crd").await;
    let api: Api<VlanAttachment> = Api::namespaced(admin.clone(), &ns);

    let good = attachment("good", serde_json::json!({}));
    good.validate().expect("valid in Rust");
    api.create(&PostParams::default(), &good)
        .await
        .expect("valid for the server");

    let cases = [
        ("vlan", serde_json::json!({"vlan": 5000}), "spec.vlan"),
        (
            "cidr",
            serde_json::json!({"subnet": "10.0.0.0/33"}),
            "spec.subnet",
        ),
        (
            "quantity-max",
            serde_json::json!({"bandwidth": "200G"}),
            "spec.bandwidth",
        ),
        (
            "quantity-min",
            serde_json::json!({"bandwidth": "500k"}),
            "spec.bandwidth",
        ),
        (
            "gateway",
            serde_json::json!({"gateway": "10.9.0.1"}),
            "spec.gateway",
        ),
        (
            "rule",
            serde_json::json!({"mtuProfile": "standard"}),
            "spec.mtuProfile",
        ),
    ];
    for (name, change, path) in cases {
        let bad = attachment(name, change);
        let errors = bad.validate().expect_err(name);
        assert_eq!(errors.paths(), vec![path], "{name}: validate() paths");
        match api.create(&PostParams::default(), &bad).await {
            Err(kube::Error::Api(status)) => {
                assert_eq!(status.code, 422, "{name}: {status:?}");
                assert!(
                    status.message.contains(&format!("{path}: ")),
                    "{name}: the server names another field: {}",
                    status.message
                );
            }
            other => panic!("{name}: the server accepted it: {other:?}"),
        }
    }
}
