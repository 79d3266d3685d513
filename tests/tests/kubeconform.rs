//! kubeconform (v0.8.0, built from the Go module proxy into target/bin by
//! tests/tools/build-go-tool.sh) with the committed `schemas/`, as users run it: it accepts
//! every example and rejects every corpus case whose violation JSON Schema can express, except
//! where the only violation is of one of the project's own formats (`ip`, `cidr`, `quantity`,
//! ...), which kubeconform does not know and so does not check: those it must accept, a known
//! limit for kubeconform users that this test keeps visible. Fails loudly when Go is missing.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use vitistack_e2e::corpus::{self, Case};
use vitistack_e2e::{repo_root, schemas_from_disk, EXAMPLES};
use vitistack_types::rules::{JsonFormat, StringFormat};

const MODULE: &str = "github.com/yannh/kubeconform/cmd/kubeconform";
const VERSION: &str = "v0.8.0";

/// Builds kubeconform once (the script does nothing when the binary is current).
fn kubeconform() -> PathBuf {
    let out = Command::new("bash")
        .arg(repo_root().join("tests/tools/build-go-tool.sh"))
        .args([MODULE, VERSION])
        .output()
        .expect("run tests/tools/build-go-tool.sh");
    assert!(
        out.status.success(),
        "building kubeconform failed (Go is needed):\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    PathBuf::from(String::from_utf8_lossy(&out.stdout).trim())
}

/// kubeconform's verdict (`statusValid`, `statusInvalid`, ...) on each file, by file name.
fn verdicts(files: &[PathBuf]) -> Vec<(PathBuf, String, String)> {
    let out = Command::new(kubeconform())
        .current_dir(repo_root())
        .args([
            "-schema-location",
            "schemas/{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json",
            "-strict",
            "-output",
            "json",
            "-verbose",
        ])
        .args(files)
        .output()
        .expect("run kubeconform");
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "kubeconform output is not JSON ({e}):\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let resources = report["resources"].as_array().cloned().unwrap_or_default();
    resources
        .iter()
        .map(|r| {
            (
                PathBuf::from(r["filename"].as_str().unwrap_or_default()),
                r["status"].as_str().unwrap_or_default().to_string(),
                r["msg"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[test]
fn kubeconform_accepts_every_example_with_schemas() {
    let files: Vec<PathBuf> = EXAMPLES
        .iter()
        .map(|(_, stem)| repo_root().join("examples").join(format!("{stem}.yaml")))
        .collect();
    let results = verdicts(&files);
    assert_eq!(results.len(), files.len(), "{results:#?}");
    for (file, status, msg) in results {
        assert_eq!(status, "statusValid", "{}: {msg}", file.display());
    }
}

/// The corpus cases JSON Schema can see: invalid, not marked `json_schema_cannot`; for edge
/// cases, the value beyond an integer bound.
fn expressible_invalid_cases() -> Vec<Case> {
    let mut cases: Vec<Case> = corpus::hand_written()
        .into_iter()
        .filter(|c| c.invalid.is_some() && c.json_schema_cannot.is_none())
        .collect();
    cases.extend(
        corpus::edge_cases()
            .into_iter()
            .filter(|c| matches!(c.edge, Some((_, false))) && c.json_schema_cannot.is_none()),
    );
    cases
}

/// The project's JSON Schema formats that other validators do not know (`date-time` is
/// standard).
fn custom_formats() -> Vec<&'static str> {
    JsonFormat::ALL
        .iter()
        .map(|f| f.name())
        .filter(|name| *name != StringFormat::DateTime.json_format())
        .collect()
}

#[test]
fn kubeconform_rejects_every_schema_expressible_corpus_case() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("kubeconform-corpus");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch directory");
    let schemas = schemas_from_disk();
    let custom = custom_formats();
    let cases = expressible_invalid_cases();
    let mut files = Vec::new();
    let mut expect_valid = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let file = dir.join(format!("case-{i}.json"));
        let object = corpus::build(case, "default");
        std::fs::write(&file, serde_json::to_vec(&object).expect("JSON")).expect("write case");
        files.push(file);
        // What the project's validator finds; if all of it is a custom format, kubeconform
        // sees nothing wrong.
        let kind = object["kind"].as_str().expect("kind");
        let violations = schemas.validate(kind, &object);
        assert!(!violations.is_empty(), "{}: schemas/ accept it", case.name);
        expect_valid.push(violations.iter().all(|v| {
            custom
                .iter()
                .any(|f| v.message.ends_with(&format!("is not a {f:?}")))
        }));
    }
    let results = verdicts(&files);
    assert_eq!(results.len(), cases.len(), "one result per case");
    let mut wrong = Vec::new();
    for (file, status, msg) in &results {
        let i = files.iter().position(|f| f == file).expect("known file");
        let expected = if expect_valid[i] {
            "statusValid"
        } else {
            "statusInvalid"
        };
        if status != expected {
            wrong.push(format!(
                "{}: {status}, expected {expected} {msg}",
                cases[i].name
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "kubeconform disagrees on {} of {} cases:\n{}",
        wrong.len(),
        cases.len(),
        wrong.join("\n")
    );
    let rejected = expect_valid.iter().filter(|v| !**v).count();
    println!(
        "kubeconform rejects {rejected} of {} cases; {} only break a custom format",
        cases.len(),
        cases.len() - rejected
    );
    assert!(rejected >= 250, "only {rejected} cases rejected");
}
