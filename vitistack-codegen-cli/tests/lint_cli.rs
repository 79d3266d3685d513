//! `vitistack-codegen lint` as a built binary: exit codes 0/1/2, the apiserver's paths in every
//! output format, non-CRD documents skipped, and `--kube-version`. (What the apiserver refuses
//! is proven against the live server by tests/tests/lint_parity.rs.)

#[path = "../../vitistack-codegen-lib/tests/common/mod.rs"]
mod common;

use std::path::Path;
use std::process::{Command, Output};

use serde_json::{json, Value};

fn lint(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vitistack-codegen"))
        .arg("lint")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run vitistack-codegen")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `widgets.example.com` with `spec.size` = `size`, written as YAML after `before` (other
/// documents of the stream).
fn write_crd(path: &Path, size: Value, before: &str) {
    let crd = common::crd(
        "example.com",
        "Widget",
        "widgets",
        json!({"type": "object", "properties": {"spec": {"type": "object", "properties": {"size": size}}}}),
    );
    let yaml = vitistack_codegen_lib::yaml::to_yaml(&crd).expect("YAML");
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, format!("{before}{yaml}")).expect("write CRD");
}

const SIZE_PATH: &str = "spec.validation.openAPIV3Schema.properties[spec].properties[size]";

#[test]
fn exit_1_names_the_apiservers_path_and_skips_other_documents() {
    let dir = common::temp_dir("lint-exit1");
    let config_map = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n---\n";
    write_crd(
        &dir.join("crds/w.yaml"),
        json!({"type": "integer", "maximum": 5, "default": 9}),
        config_map,
    );
    let out = lint(&dir, &["crds"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.starts_with(&format!(
            "crds/w.yaml:2: widgets.example.com: refused: {SIZE_PATH}.default: Invalid value"
        )),
        "{stdout}"
    );
    assert!(stdout.contains("(field spec.size)"), "{stdout}");
    assert!(
        text(&out.stderr).contains("note: crds/w.yaml:1: not an apiextensions.k8s.io/v1 CustomResourceDefinition (v1 ConfigMap): skipped"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn exit_0_when_clean_and_2_for_a_path_without_crds() {
    let dir = common::temp_dir("lint-exit02");
    write_crd(
        &dir.join("ok.yaml"),
        json!({"type": "integer", "maximum": 5, "default": 3}),
        "",
    );
    let out = lint(&dir, &["ok.yaml"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    std::fs::write(
        dir.join("cm.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n",
    )
    .expect("write");
    let out = lint(&dir, &["ok.yaml", "cm.yaml"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("error: cm.yaml: no CustomResourceDefinition found"),
        "{}",
        text(&out.stderr)
    );
    let out = lint(&dir, &["missing.yaml"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
}

#[test]
fn json_and_sarif_carry_path_field_check_and_level() {
    let dir = common::temp_dir("lint-formats");
    write_crd(
        &dir.join("w.yaml"),
        json!({"type": "string", "pattern": "^(?=a)"}),
        "",
    );
    let out = lint(&dir, &["w.yaml", "-o", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let issues: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(issues[0]["path"], json!(format!("{SIZE_PATH}.pattern")));
    assert_eq!(issues[0]["field"], json!("spec.size"));
    assert_eq!(issues[0]["check"], json!("pattern"));
    assert_eq!(issues[0]["severity"], json!("refused"));
    let out = lint(&dir, &["w.yaml", "-o", "sarif"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let log: Value = serde_json::from_slice(&out.stdout).expect("SARIF JSON");
    let result = &log["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], json!("pattern"));
    assert_eq!(result["level"], json!("error"));
    assert_eq!(
        result["locations"][0]["logicalLocations"][0]["fullyQualifiedName"],
        json!(format!("widgets.example.com:{SIZE_PATH}.pattern"))
    );
}

#[test]
fn kube_version_reports_libraries_the_older_apiserver_lacks() {
    let dir = common::temp_dir("lint-kube-version");
    let semver = json!({"type": "string", "maxLength": 20,
        "x-kubernetes-validations": [{"rule": "isSemver(self)"}]});
    write_crd(&dir.join("w.yaml"), semver, "");
    // Semver arrived at compatibility 1.33: a 1.33 apiserver compiles new rules at 1.32.
    let out = lint(&dir, &["w.yaml", "--kube-version", "1.33"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains(&format!("{SIZE_PATH}.x-kubernetes-validations[0].rule: a 1.33 apiserver compiles new rules at compatibility version 1.32, which lacks library.SemverLib")), "{}", text(&out.stdout));
    let out = lint(&dir, &["w.yaml", "--kube-version", "1.34"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    let out = lint(&dir, &["w.yaml", "--kube-version", "1.29"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
}

#[test]
fn a_rule_over_the_cost_budget_is_refused_with_the_bound_that_brings_it_under() {
    let dir = common::temp_dir("lint-cost");
    let list = json!({"type": "array", "items": {"type": "string", "maxLength": 64},
        "x-kubernetes-validations": [{"rule": "self.all(x, self.exists(y, x == y))"}]});
    write_crd(&dir.join("w.yaml"), list, "");
    let out = lint(&dir, &["w.yaml"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains(&format!(
            "{SIZE_PATH}.x-kubernetes-validations[0].rule: Forbidden: estimated rule cost exceeds budget by factor of"
        )),
        "{stdout}"
    );
    assert!(stdout.contains("add maxItems: "), "{stdout}");
    let out = lint(&dir, &["w.yaml", "--cost", "-o", "json"]);
    let issues: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert!(
        issues
            .as_array()
            .expect("array")
            .iter()
            .any(|i| i["severity"] == json!("info") && i["check"] == json!("cost")),
        "{issues:#}"
    );
}
