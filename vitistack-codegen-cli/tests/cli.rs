//! The built binary: exit codes 0/1/2, messages, `--help` on every subcommand.

#[path = "../../vitistack-codegen-lib/tests/common/mod.rs"]
mod common;

use std::path::Path;
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vitistack-codegen"))
        .args(args)
        .output()
        .expect("run vitistack-codegen")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn help_on_every_subcommand() {
    for sub in [
        &[][..],
        &["generate"],
        &["crds"],
        &["verify"],
        &["sanitize"],
        &["validate"],
        &["conversion"],
        &["migrate"],
        &["import"],
    ] {
        let mut args: Vec<&str> = sub.to_vec();
        args.push("--help");
        let out = run(&args);
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        assert!(
            text(&out.stdout).contains("Usage: vitistack-codegen"),
            "{args:?}"
        );
    }
    assert!(text(&run(&["--help"]).stdout).contains("Exit codes"));
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(run(&[]).status.code(), Some(2));
    assert_eq!(run(&["bogus"]).status.code(), Some(2));
    assert_eq!(run(&["sanitize"]).status.code(), Some(2));
    assert_eq!(run(&["generate", "--no-such-flag"]).status.code(), Some(2));
}

#[test]
fn generate_then_verify_is_clean_and_stable() {
    let dir = common::temp_dir("cli-generate");
    let d = dir.to_str().unwrap();
    let out = run(&["generate", "--out-dir", d]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let first = snapshot(&dir);
    let out = run(&["generate", "--out-dir", d]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(snapshot(&dir), first, "generate is byte-stable");
    let out = run(&["verify", "--dir", d]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
}

fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for sub in ["crds", "schemas"] {
        collect(&dir.join(sub), dir, &mut out);
    }
    out.sort();
    out
}

fn collect(path: &Path, base: &Path, out: &mut Vec<(String, Vec<u8>)>) {
    let Ok(entries) = std::fs::read_dir(path) else {
        return;
    };
    for e in entries {
        let p = e.unwrap().path();
        if p.is_dir() {
            collect(&p, base, out);
        } else {
            out.push((
                p.strip_prefix(base).unwrap().display().to_string(),
                std::fs::read(&p).unwrap(),
            ));
        }
    }
}

#[test]
fn verify_detects_drift_with_a_diff_naming_the_file() {
    let dir = common::temp_dir("cli-verify-drift");
    let d = dir.to_str().unwrap();
    assert_eq!(run(&["generate", "--out-dir", d]).status.code(), Some(0));
    // Edit a generated file if the catalog has any; an extra generated-pattern file is drift
    // either way.
    let edited = snapshot(&dir).into_iter().next().map(|(rel, content)| {
        let mut content = content;
        content.extend_from_slice(b"# local edit\n");
        std::fs::write(dir.join(&rel), content).unwrap();
        rel
    });
    std::fs::create_dir_all(dir.join("crds")).unwrap();
    std::fs::write(dir.join("crds/example.io_strays.yaml"), "kind: Stray\n").unwrap();
    let out = run(&["verify", "--dir", d]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("--- a/crds/example.io_strays.yaml"),
        "{stdout}"
    );
    assert!(stdout.contains("-kind: Stray"), "{stdout}");
    if let Some(rel) = edited {
        let rel = rel.replace('\\', "/");
        assert!(stdout.contains(&format!("--- a/{rel}")), "{stdout}");
        assert!(stdout.contains("-# local edit"), "{stdout}");
    }
    assert!(
        text(&out.stderr).contains("verify failed"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn verify_missing_dir_is_drift_only_when_something_is_generated() {
    let dir = common::temp_dir("cli-verify-empty");
    let out = run(&["verify", "--dir", dir.to_str().unwrap()]);
    let catalog_empty = vitistack_types::catalog::crds().is_empty()
        && vitistack_types::catalog::json_schemas().is_empty();
    assert_eq!(out.status.code(), Some(if catalog_empty { 0 } else { 1 }));
}

#[test]
fn crds_prints_a_parsable_stream() {
    let out = run(&["crds"]);
    assert_eq!(out.status.code(), Some(0));
    let docs = vitistack_codegen_lib::yaml::parse_documents(&text(&out.stdout), "stdout").unwrap();
    assert_eq!(docs, vitistack_types::catalog::crds());
}

#[test]
fn sanitize_to_stdout_and_in_place() {
    let fixture = common::fixture("schemars-crd.yaml");
    let out = run(&["sanitize", fixture.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("format: int32"), "{stdout}");
    let crd_part = stdout.split_once("\n---\n").unwrap().1;
    assert!(!crd_part.contains("uint"), "{stdout}");
    assert!(
        stdout.contains("  format: uint8\n"),
        "the ConfigMap passes through: {stdout}"
    );
    let stderr = text(&out.stderr);
    assert!(stderr.contains("schemars-crd.yaml: document 2 (widgets.example.io): spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.u8: format \"uint8\" -> \"int32\""), "{stderr}");

    let dir = common::temp_dir("cli-sanitize");
    let copy = dir.join("crd.yaml");
    std::fs::copy(&fixture, &copy).unwrap();
    let c = copy.to_str().unwrap();
    assert_eq!(run(&["sanitize", "--in-place", c]).status.code(), Some(0));
    assert_eq!(std::fs::read_to_string(&copy).unwrap(), stdout);
    // Idempotent: a second pass changes nothing.
    let again = run(&["sanitize", "--in-place", c]);
    assert_eq!(again.status.code(), Some(0));
    assert!(text(&again.stderr).contains("0 change(s)"));
    assert_eq!(std::fs::read_to_string(&copy).unwrap(), stdout);
}

#[test]
fn sanitize_io_and_yaml_errors_exit_2_naming_the_file() {
    let dir = common::temp_dir("cli-sanitize-errors");
    let missing = dir.join("nope.yaml");
    let out = run(&["sanitize", missing.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("nope.yaml"),
        "{}",
        text(&out.stderr)
    );

    let bad = dir.join("bad.yaml");
    std::fs::write(&bad, "a: 1\nb: [unclosed\n").unwrap();
    let good = dir.join("good.yaml");
    let good_text = std::fs::read_to_string(common::fixture("schemars-crd.yaml")).unwrap();
    std::fs::write(&good, &good_text).unwrap();
    let out = run(&[
        "sanitize",
        "--in-place",
        good.to_str().unwrap(),
        bad.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("bad.yaml: invalid YAML"), "{stderr}");
    assert!(stderr.contains("line 2"), "{stderr}");
    // Nothing is written when any input fails.
    assert_eq!(std::fs::read_to_string(&good).unwrap(), good_text);
}

#[test]
fn import_writes_the_committed_modules_and_refuses_what_it_cannot_say() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let dir = common::temp_dir("cli-import");
    let input = root.join("crds/vitistack.io_networknamespaces.yaml");
    let out = run(&[
        "import",
        input.to_str().unwrap(),
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let committed = root.join("tests/import-roundtrip/imported/network_namespace_v1alpha1.rs");
    assert_eq!(
        std::fs::read_to_string(dir.join("network_namespace_v1alpha1.rs")).unwrap(),
        std::fs::read_to_string(committed).unwrap(),
        "the CLI writes what tests/tests/import_roundtrip.rs compiles"
    );
    let scale = root.join(
        "tests/corpus/compat-history/cluster-api/cluster.x-k8s.io_machinedrainrules@v1.10.0.yaml",
    );
    let out = run(&[
        "import",
        scale.to_str().unwrap(),
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("error: CRD machinedrainrules.cluster.x-k8s.io: spec.versions[0].subresources: only `status: {}` is imported yet"),
        "{}",
        text(&out.stderr)
    );
}
