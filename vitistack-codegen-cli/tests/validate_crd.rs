//! `vitistack-codegen validate --crd`, run as the built binary: third-party CRDs (the any-CRD
//! corpus's, tests/corpus/any-crd) checked as the apiserver checks their objects: defaults
//! before validation, versions that are not served, updates with `--old`, rules the engine
//! cannot compile (never passed as valid), paths without a CRD, hostile CRDs, every output.
//! Verdicts against the live apiserver: tests/tests/crd_parity.rs.

#[path = "../../vitistack-codegen-lib/tests/common/mod.rs"]
mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use serde_json::Value;

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vitistack-codegen"))
        .args(args)
        .output()
        .expect("run vitistack-codegen")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[track_caller]
fn assert_code(out: &Output, expected: i32) {
    assert_eq!(
        out.status.code(),
        Some(expected),
        "stdout:\n{}\nstderr:\n{}",
        text(&out.stdout),
        text(&out.stderr)
    );
}

fn corpus(project: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/corpus/any-crd")
        .join(project)
        .display()
        .to_string()
}

fn write(dir: &Path, name: &str, content: &str) -> String {
    let path: PathBuf = dir.join(name);
    std::fs::write(&path, content).expect("write");
    path.display().to_string()
}

const CLUSTER_QUEUE: &str = "apiVersion: kueue.x-k8s.io/v1beta2
kind: ClusterQueue
metadata: {name: team-a}
spec:
  cohortName: all
  preemption:
    borrowWithinCohort: {policy: LowerPriority}
";

#[test]
fn a_default_is_applied_before_the_cel_rule_that_reads_it() {
    // reclaimWithinCohort is absent: its default, Never, makes the preemption rule fail, as on
    // the apiserver (the corpus case "reclaimWithinCohort defaulted to Never ...").
    let dir = common::temp_dir("crd-defaults");
    let f = write(&dir, "cq.yaml", CLUSTER_QUEUE);
    let out = run(&["validate", "--crd", &corpus("kueue"), &f]);
    assert_code(&out, 1);
    assert_eq!(
        text(&out.stdout).trim_end(),
        format!("{f}:1: ClusterQueue/team-a: spec.preemption: Invalid value: reclaimWithinCohort=Never and borrowWithinCohort.Policy!=Never")
    );
    let fixed = CLUSTER_QUEUE.replace(
        "preemption:\n",
        "preemption:\n    reclaimWithinCohort: Any\n",
    );
    let f = write(&dir, "fixed.yaml", &fixed);
    assert_code(&run(&["validate", "--crd", &corpus("kueue"), &f]), 0);
}

#[test]
fn a_version_the_crd_does_not_serve_is_named() {
    let dir = common::temp_dir("crd-version");
    let f = write(
        &dir,
        "cq.yaml",
        &CLUSTER_QUEUE.replace("v1beta2", "v1alpha9"),
    );
    let out = run(&["validate", "--crd", &corpus("kueue"), &f]);
    assert_code(&out, 1);
    assert_eq!(
        text(&out.stdout).trim_end(),
        format!("{f}:1: ClusterQueue/team-a: apiVersion: kueue.x-k8s.io/v1alpha9 is not a version CRD clusterqueues.kueue.x-k8s.io serves (served: v1beta1, v1beta2)")
    );
}

#[test]
fn old_objects_bring_transition_rules_and_ratcheting() {
    let dir = common::temp_dir("crd-old");
    let queue = "apiVersion: kueue.x-k8s.io/v1beta2
kind: LocalQueue
metadata: {name: q, namespace: team}
spec: {clusterQueue: team-a}
";
    let old = write(&dir, "old.yaml", queue);
    let moved = write(&dir, "moved.yaml", &queue.replace("team-a}", "team-b}"));
    let out = run(&["validate", "--crd", &corpus("kueue"), "--old", &old, &moved]);
    assert_code(&out, 1);
    assert_eq!(
        text(&out.stdout).trim_end(),
        format!("{moved}:1: LocalQueue/q: spec.clusterQueue: Invalid value: \"team-b\": field is immutable")
    );
    // As a create, the same document is valid.
    assert_code(&run(&["validate", "--crd", &corpus("kueue"), &moved]), 0);
}

/// A CRD of one kind whose rule is `rule`, and a document of it.
fn one_rule_crd(dir: &Path, rule: &str) -> (String, String) {
    let crd = format!(
        "apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {{name: widgets.example.org}}
spec:
  group: example.org
  names: {{kind: Widget, plural: widgets, singular: widget, listKind: WidgetList}}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                size: {{type: integer}}
              x-kubernetes-validations:
                - rule: {rule:?}
"
    );
    let crd = write(dir, "crd.yaml", &crd);
    let doc = write(
        dir,
        "widget.yaml",
        "apiVersion: example.org/v1\nkind: Widget\nmetadata: {name: w}\nspec: {size: 3}\n",
    );
    (crd, doc)
}

#[test]
fn a_rule_the_engine_cannot_compile_is_reported_never_passed() {
    let dir = common::temp_dir("crd-unsupported");
    let (crd, doc) = one_rule_crd(&dir, "self.size.noSuchFunction()");
    let out = run(&["validate", "--crd", &crd, "-o", "json", &doc]);
    assert_code(&out, 2);
    let findings: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let findings = findings.as_array().expect("array");
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0]["source"], "unsupported");
    assert_eq!(findings[0]["path"], "spec");
    let message = findings[0]["message"].as_str().unwrap_or_default();
    for part in [
        "\"self.size.noSuchFunction()\"",
        "CRD widgets.example.org",
        "version v1",
    ] {
        assert!(message.contains(part), "{message}");
    }
    // A rule it can compile decides as usual.
    let (crd, doc) = one_rule_crd(&dir, "self.size < 3");
    let out = run(&["validate", "--crd", &crd, &doc]);
    assert_code(&out, 1);
    assert!(
        text(&out.stdout).contains("spec: Invalid value: failed rule: self.size < 3"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn every_output_format_carries_crd_findings() {
    let dir = common::temp_dir("crd-outputs");
    let f = write(&dir, "cq.yaml", CLUSTER_QUEUE);
    for format in ["text", "json", "junit", "tap", "sarif"] {
        let out = run(&["validate", "--crd", &corpus("kueue"), "-o", format, &f]);
        assert_code(&out, 1);
        assert!(
            text(&out.stdout)
                .contains("reclaimWithinCohort=Never and borrowWithinCohort.Policy!=Never"),
            "{format}: {}",
            text(&out.stdout)
        );
    }
}

#[test]
fn a_path_without_a_crd_is_an_input_error_naming_it() {
    let dir = common::temp_dir("crd-none");
    let f = write(&dir, "cq.yaml", CLUSTER_QUEUE);
    let examples = corpus("kueue/examples");
    let out = run(&["validate", "--crd", &examples, &f]);
    assert_code(&out, 2);
    assert!(
        text(&out.stderr).contains(&format!(
            "--crd {examples}: no CustomResourceDefinition found"
        )),
        "{}",
        text(&out.stderr)
    );
    let missing = dir.join("missing").display().to_string();
    let out = run(&["validate", "--crd", &missing, &f]);
    assert_code(&out, 2);
    assert!(text(&out.stderr).contains(&format!("--crd {missing}")));
}

#[test]
fn a_hostile_crd_ends_quickly_in_an_input_error() {
    let dir = common::temp_dir("crd-hostile");
    // Nested 5,000 levels deep: beyond the schema loader's depth bound.
    let mut schema = String::from("{type: string}");
    for _ in 0..5000 {
        schema = format!("{{type: object, properties: {{a: {schema}}}}}");
    }
    let crd = format!(
        "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {{name: deeps.example.org}}\nspec:\n  group: example.org\n  names: {{kind: Deep, plural: deeps}}\n  scope: Namespaced\n  versions:\n    - name: v1\n      served: true\n      storage: true\n      schema:\n        openAPIV3Schema: {schema}\n"
    );
    let crd = write(&dir, "deep.yaml", &crd);
    let doc = write(
        &dir,
        "doc.yaml",
        "apiVersion: example.org/v1\nkind: Deep\nmetadata: {name: d}\n",
    );
    let start = Instant::now();
    let out = run(&["validate", "--crd", &crd, &doc]);
    assert_code(&out, 2);
    assert!(
        text(&out.stderr).contains(&format!("--crd {crd}")),
        "{}",
        text(&out.stderr)
    );
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "{:?}",
        start.elapsed()
    );
}
