//! `vitistack-codegen conversion`: the webhook stanza with a caBundle, in both address forms,
//! and the mistakes it names.

use serde_json::{json, Value};
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vitistack-codegen"))
        .args(args)
        .output()
        .expect("run vitistack-codegen")
}

fn temp(name: &str, text: &str) -> String {
    let path = std::env::temp_dir().join(format!(
        "vitistack-codegen-conversion-{}-{name}",
        std::process::id()
    ));
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

const CA: &str = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

#[test]
fn example_crd_in_url_form_with_the_ca_bundle() {
    let ca = temp("ca.crt", CA);
    let out = run(&[
        "conversion",
        "--example",
        "--url",
        "https://127.0.0.1:9443/convert",
        "--ca-bundle",
        &ca,
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let crd: Value = serde_saphyr::from_slice(&out.stdout).unwrap();
    let names: Vec<&str> = crd["spec"]["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["v1alpha1", "v1beta1"]);
    let expected_ca =
        "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUIKLS0tLS1FTkQgQ0VSVElGSUNBVEUtLS0tLQo=";
    assert_eq!(
        crd["spec"]["conversion"],
        json!({"strategy": "Webhook", "webhook": {"conversionReviewVersions": ["v1"],
            "clientConfig": {"url": "https://127.0.0.1:9443/convert", "caBundle": expected_ca}}})
    );
}

#[test]
fn crd_files_get_the_reference_service_by_default() {
    let crds =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../crds/vitistack.io_machines.yaml");
    let out = run(&["conversion", crds.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let crd: Value = serde_saphyr::from_slice(&out.stdout).unwrap();
    assert_eq!(
        crd["spec"]["conversion"]["webhook"]["clientConfig"],
        json!({"service": {"name": "vitistack-conversion-webhook", "namespace": "vitistack-system", "path": "/convert"}})
    );
    assert_eq!(crd["metadata"]["name"], "machines.vitistack.io");
}

#[test]
fn mistakes_are_named_and_exit_2() {
    let key = temp("key.pem", "-----BEGIN PRIVATE KEY-----\n");
    let not_crd = temp(
        "cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n",
    );
    for (args, expected) in [
        (
            vec![
                "conversion",
                "--example",
                "--url",
                "http://127.0.0.1/convert",
            ],
            "https:// only",
        ),
        (
            vec!["conversion", "--example", "--ca-bundle", key.as_str()],
            "expected PEM certificates",
        ),
        (
            vec![
                "conversion",
                "--example",
                "--ca-bundle",
                "/nonexistent/ca.crt",
            ],
            "--ca-bundle /nonexistent/ca.crt",
        ),
        (
            vec!["conversion", "--example", "--service", "justaname"],
            "expected NAMESPACE/NAME",
        ),
        (
            vec!["conversion", not_crd.as_str()],
            "no CustomResourceDefinition",
        ),
    ] {
        let out = run(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
}
