//! The Helm chart `charts/vitistack-crds` and `kustomization.yaml` (the CRDs), rendered by the
//! real tools (helm and kustomize, built from their Go modules by `scripts/build-tools.sh` into
//! `target/bin`): `helm lint`, what each value does to `helm template`, the ClusterRoles, and
//! `kustomize build .` (what `kubectl kustomize .` runs) giving the CRDs of `crds/`.
//! The install against a real apiserver is `tests/tests/helm.rs`.

#[path = "../../vitistack-codegen-lib/tests/common/mod.rs"]
mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use serde_json::Value;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// `target/bin/<tool>`, built by the project's script if needed. Panics (never skips) when it
/// cannot be built.
fn tool(name: &str) -> PathBuf {
    static BUILT: OnceLock<Result<(), String>> = OnceLock::new();
    let built = BUILT.get_or_init(|| {
        let out = Command::new("bash")
            .arg(repo().join("scripts/build-tools.sh"))
            .output()
            .map_err(|e| format!("cannot run scripts/build-tools.sh: {e}"))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(String::from_utf8_lossy(&out.stderr).into_owned())
        }
    });
    if let Err(e) = built {
        panic!("scripts/build-tools.sh failed (helm and kustomize are built with Go):\n{e}");
    }
    repo().join("target/bin").join(name)
}

/// helm with its caches and config in a scratch directory (nothing under $HOME).
fn helm(args: &[&str]) -> Output {
    let home = Path::new(env!("CARGO_TARGET_TMPDIR")).join("helm-home");
    Command::new(tool("helm"))
        .args(args)
        .env("HELM_CACHE_HOME", home.join("cache"))
        .env("HELM_CONFIG_HOME", home.join("config"))
        .env("HELM_DATA_HOME", home.join("data"))
        .current_dir(repo())
        .output()
        .expect("run helm")
}

fn stdout(out: &Output, what: &str) -> String {
    assert!(
        out.status.success(),
        "{what} failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).expect("UTF-8 output")
}

/// The non-empty documents of a YAML stream.
fn documents(text: &str) -> Vec<Value> {
    vitistack_codegen_lib::yaml::parse_documents(text, "output").expect("valid YAML")
}

/// `helm template` of the chart with `--set` values, as documents.
fn template(sets: &[&str]) -> Vec<Value> {
    let mut args = vec!["template", "rel", "charts/vitistack-crds"];
    for set in sets {
        args.extend(["--set", set]);
    }
    documents(&stdout(&helm(&args), "helm template"))
}

/// The strings of a JSON array (none for anything else).
fn strs(value: &Value) -> Vec<&str> {
    value
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect()
}

fn of_kind<'a>(docs: &'a [Value], kind: &str) -> Vec<&'a Value> {
    docs.iter().filter(|d| d["kind"] == kind).collect()
}

#[test]
fn helm_lint_passes_and_the_values_schema_is_enforced() {
    let out = helm(&["lint", "--strict", "charts/vitistack-crds"]);
    stdout(&out, "helm lint");
    let out = helm(&[
        "lint",
        "--strict",
        "charts/vitistack-crds",
        "--set",
        "crds.keep=maybe",
    ]);
    assert!(
        !out.status.success(),
        "a string for crds.keep passed helm lint"
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("/crds/keep"), "{text}");
}

#[test]
fn default_values_render_every_crd_of_crds_dir_with_keep_and_the_three_cluster_roles() {
    let docs = template(&[]);
    let crds = of_kind(&docs, "CustomResourceDefinition");
    let expected =
        documents(&std::fs::read_to_string(repo().join("crds.yaml")).expect("read crds.yaml"));
    assert_eq!(crds.len(), 10);
    assert_eq!(expected.len(), 10);
    for want in &expected {
        let name = &want["metadata"]["name"];
        let got = crds
            .iter()
            .find(|c| c["metadata"]["name"] == *name)
            .unwrap_or_else(|| panic!("{name} not rendered"));
        assert_eq!(got["spec"], want["spec"], "{name}: spec differs from crds/");
        assert_eq!(
            got["metadata"]["annotations"]["helm.sh/resource-policy"],
            "keep"
        );
        assert_eq!(
            got["metadata"]["labels"]["app.kubernetes.io/managed-by"],
            "Helm"
        );
        assert_eq!(
            got["metadata"]["labels"]["app.kubernetes.io/version"],
            env!("CARGO_PKG_VERSION")
        );
    }
    let roles = of_kind(&docs, "ClusterRole");
    let names: Vec<&str> = roles
        .iter()
        .filter_map(|r| r["metadata"]["name"].as_str())
        .collect();
    assert_eq!(
        names,
        ["vitistack-view", "vitistack-edit", "vitistack-admin"]
    );
    for (role, to) in roles.iter().zip(["view", "edit", "admin"]) {
        let label = format!("rbac.authorization.k8s.io/aggregate-to-{to}");
        assert_eq!(role["metadata"]["labels"][label.as_str()], "true", "{role}");
    }
}

#[test]
fn cluster_roles_never_write_status_or_touch_crds() {
    let docs = template(&[]);
    let writes = [
        "create",
        "update",
        "patch",
        "delete",
        "deletecollection",
        "*",
    ];
    for role in of_kind(&docs, "ClusterRole") {
        let name = &role["metadata"]["name"];
        for rule in role["rules"].as_array().expect("rules") {
            let groups: Vec<&str> = strs(&rule["apiGroups"]);
            assert_eq!(
                groups,
                ["vitistack.io"],
                "{name}: a rule outside vitistack.io"
            );
            let resources: Vec<&str> = strs(&rule["resources"]);
            let verbs: Vec<&str> = strs(&rule["verbs"]);
            if resources.iter().any(|r| r.contains('/') || *r == "*") {
                assert!(
                    !verbs.iter().any(|v| writes.contains(v)),
                    "{name} writes a subresource: {rule}"
                );
            }
        }
    }
    let view = of_kind(&docs, "ClusterRole")[0].clone();
    let verbs = &view["rules"][0]["verbs"];
    assert_eq!(verbs, &serde_json::json!(["get", "list", "watch"]));
}

#[test]
fn values_switch_crds_roles_keep_and_add_labels_and_annotations() {
    let docs = template(&[
        "crds.keep=false",
        "labels.team=platform",
        "annotations.owner=ops",
    ]);
    assert_eq!(docs.len(), 13);
    for doc in &docs {
        let metadata = &doc["metadata"];
        assert_eq!(
            metadata["labels"]["team"], "platform",
            "{}",
            metadata["name"]
        );
        assert_eq!(
            metadata["annotations"]["owner"], "ops",
            "{}",
            metadata["name"]
        );
        assert!(metadata["annotations"]
            .get("helm.sh/resource-policy")
            .is_none());
    }
    let docs = template(&["crds.install=false"]);
    assert!(of_kind(&docs, "CustomResourceDefinition").is_empty());
    assert_eq!(of_kind(&docs, "ClusterRole").len(), 3);
    let docs = template(&["rbac.aggregate=false"]);
    assert!(of_kind(&docs, "ClusterRole").is_empty());
    assert_eq!(of_kind(&docs, "CustomResourceDefinition").len(), 10);
}

#[test]
fn kustomize_renders_the_ten_crds_of_crds_yaml() {
    let out = Command::new(tool("kustomize"))
        .args(["build", "."])
        .current_dir(repo())
        .output()
        .expect("run kustomize");
    let mut rendered = documents(&stdout(&out, "kustomize build ."));
    let mut expected =
        documents(&std::fs::read_to_string(repo().join("crds.yaml")).expect("read crds.yaml"));
    let name = |v: &Value| v["metadata"]["name"].as_str().unwrap_or("").to_owned();
    rendered.sort_by_key(name);
    expected.sort_by_key(name);
    assert_eq!(rendered.len(), 10);
    assert_eq!(rendered, expected);
}

fn codegen(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vitistack-codegen"))
        .args(args)
        .output()
        .expect("run vitistack-codegen")
}

#[test]
fn verify_catches_an_edited_chart_file_and_a_stale_crd_template() {
    let dir = common::temp_dir("chart-verify");
    let out_dir = dir.to_str().expect("UTF-8 path");
    assert!(codegen(&["generate", "--out-dir", out_dir])
        .status
        .success());
    assert!(codegen(&["verify", "--dir", out_dir]).status.success());
    for rel in ["crds.yaml", "kustomization.yaml", "docs/api-reference.md"] {
        assert!(dir.join(rel).is_file(), "{rel} not generated");
    }

    let values = dir.join("charts/vitistack-crds/values.yaml");
    let text = std::fs::read_to_string(&values).expect("values.yaml");
    std::fs::write(&values, text.replace("keep: true", "keep: false")).expect("edit");
    let stale = dir.join("charts/vitistack-crds/templates/crds/gadgets.yaml");
    std::fs::write(&stale, "# a kind that is gone\n").expect("write");
    let out = codegen(&["verify", "--dir", out_dir]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("values.yaml differs"), "{stderr}");
    assert!(stderr.contains("gadgets.yaml is stale"), "{stderr}");

    assert!(codegen(&["generate", "--out-dir", out_dir])
        .status
        .success());
    assert!(!stale.exists(), "generate removes the stale template");
    assert!(codegen(&["verify", "--dir", out_dir]).status.success());
}
