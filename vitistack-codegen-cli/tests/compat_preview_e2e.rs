//! Issue 27 item 5: `vitistack-codegen compat OLD NEW --objects-from-cluster`, the built binary,
//! against the real test server through `$KUBECONFIG`: the objects of OLD's CRD (installed, five
//! objects stored) are listed in pages of two and previewed under NEW (a transition rule added:
//! the objects it refuses are blocked, exit 1). Which verdict the apiserver gives each object
//! is proven by `tests/tests/compat_preview.rs`; this test proves the command's cluster path.

use std::process::Command;

use kube::api::{Api, ApiResource, DynamicObject, PostParams};
use serde_json::{json, Value};
use vitistack_e2e::{apiserver, apply_crd, client, test_namespace};

/// A CRD of this run's own group (a CRD deleted right after use can stay Terminating for a
/// while, so every run has its own), with `size` under `size_schema`.
fn dials(size_schema: Value) -> Value {
    let group = format!("d{}.preview-cli.e2e.vitistack.io", std::process::id());
    json!({
        "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
        "metadata": {"name": format!("dials.{group}")},
        "spec": {"group": group, "scope": "Namespaced",
            "names": {"plural": "dials", "singular": "dial", "kind": "Dial", "listKind": "DialList"},
            "versions": [{"name": "v1", "served": true, "storage": true, "schema": {"openAPIV3Schema": {
                "type": "object",
                "properties": {"spec": {"type": "object", "properties": {"size": size_schema}}},
            }}}]},
    })
}

#[tokio::test]
async fn objects_from_the_cluster_of_kubeconfig_are_listed_in_pages_and_previewed() {
    let client = client().await;
    let namespace = test_namespace("compat-preview-cli").await;
    let old = dials(json!({"type": "integer"}));
    let new = dials(json!({"type": "integer", "x-kubernetes-validations": [
        {"rule": "self <= 10 || self < oldSelf", "message": "a size above 10 may only decrease"}]}));
    apply_crd(&client, &old).await.expect("install OLD");
    let group = old["spec"]["group"].as_str().expect("group").to_owned();
    let resource = ApiResource {
        api_version: format!("{group}/v1"),
        group,
        version: "v1".into(),
        kind: "Dial".into(),
        plural: "dials".into(),
    };
    let api: Api<DynamicObject> = Api::namespaced_with(client.clone(), &namespace, &resource);
    let objects = [("a", 1), ("b", 20), ("c", 2), ("d", 30), ("e", 40)];
    for (name, size) in objects {
        let object: DynamicObject = serde_json::from_value(json!({
            "apiVersion": resource.api_version, "kind": "Dial",
            "metadata": {"name": name}, "spec": {"size": size},
        }))
        .expect("a dial");
        api.create(&PostParams::default(), &object)
            .await
            .unwrap_or_else(|e| panic!("create {name}: {e}"));
    }

    let dir = std::env::temp_dir().join(format!("compat-preview-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    std::fs::write(dir.join("old.json"), old.to_string()).expect("write OLD");
    std::fs::write(dir.join("new.json"), new.to_string()).expect("write NEW");
    let out = Command::new(env!("CARGO_BIN_EXE_vitistack-codegen"))
        .args(["compat", "old.json", "new.json", "--objects-from-cluster"])
        .args(["--page-size", "2", "--output", "json"])
        .env("KUBECONFIG", apiserver::kubeconfig_path())
        .current_dir(&dir)
        .output()
        .expect("run vitistack-codegen compat");
    std::fs::remove_dir_all(&dir).expect("remove temp dir");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let report: Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    let mut verdicts: Vec<(String, String, String)> = report["objects"]
        .as_array()
        .expect("objects")
        .iter()
        .map(|v| {
            let text = |key: &str| v[key].as_str().unwrap_or_default().to_owned();
            (text("name"), text("outcome"), text("origin"))
        })
        .collect();
    verdicts.sort();
    let origin = format!("cluster: dials.{}/v1", resource.group);
    let expected: Vec<(String, String, String)> = [
        ("a", "valid"),
        ("b", "blocked"),
        ("c", "valid"),
        ("d", "blocked"),
        ("e", "blocked"),
    ]
    .iter()
    .map(|(name, outcome)| (name.to_string(), outcome.to_string(), origin.clone()))
    .collect();
    assert_eq!(verdicts, expected, "{stderr}");
    assert!(
        stderr.contains("5 stored object(s) previewed: 2 valid, 0 ratcheted, 3 blocked"),
        "{stderr}"
    );
}
