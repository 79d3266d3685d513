//! `vitistack-codegen validate --old`, run as the built binary on the update corpus
//! (`tests/corpus/updates.yaml`, the cases the apiserver and `validate_update` are held to in
//! `tests/tests/update_parity.rs`): every new object, checked as an update of its old object,
//! names exactly the case's field paths. Plus what `--old` does around the corpus: a document
//! without an old object is a create, unusable old objects are input errors.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::{json, Value};
use vitistack_e2e::update_corpus;

/// The apiserver's note that it skipped CEL rules: not a violation of a field.
const CEL_SKIPPED: &str = "some validation rules were not checked";

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vitistack-codegen"))
        .args(args)
        .output()
        .expect("run vitistack-codegen")
}

/// A fresh directory for one test's files.
fn dir(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// A YAML stream of JSON documents.
fn stream(documents: &[Value]) -> String {
    documents.iter().map(|d| format!("---\n{d}\n")).collect()
}

fn write(path: &PathBuf, documents: &[Value]) -> String {
    std::fs::write(path, stream(documents)).expect("write");
    path.display().to_string()
}

/// The JSON findings of a run, as (object name → sorted distinct field paths).
fn paths_by_name(out: &Output) -> BTreeMap<String, Vec<String>> {
    let findings: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let mut by_name: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for finding in findings {
        let message = finding["message"].as_str().unwrap_or_default();
        if message.contains(CEL_SKIPPED) {
            continue;
        }
        let name = finding["name"].as_str().unwrap_or_default().to_string();
        let path = finding["path"].as_str().unwrap_or_default().to_string();
        let paths = by_name.entry(name).or_default();
        paths.push(path);
        paths.sort();
        paths.dedup();
    }
    by_name
}

#[test]
fn validate_old_names_the_paths_of_every_update_case() {
    let cases = update_corpus::cases();
    let (mut olds, mut news) = (Vec::new(), Vec::new());
    for (i, case) in cases.iter().enumerate() {
        let old = update_corpus::build_old(case, i, "corpus");
        news.push(update_corpus::build_new(case, &old));
        olds.push(old);
    }
    let dir = dir("update-corpus");
    let old = write(&dir.join("old.yaml"), &olds);
    let new = write(&dir.join("new.yaml"), &news);
    let out = run(&["validate", "--old", &old, &new, "-o", "json"]);
    let found = paths_by_name(&out);

    let mut failures = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let expected = case.invalid.clone().map(|mut p| {
            p.sort();
            p.dedup();
            p
        });
        let got = found.get(&update_corpus::object_name(i)).cloned();
        if got != expected {
            failures.push(format!(
                "{}: validate --old paths {got:?}, case says {expected:?}",
                case.name
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} update cases disagree:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    // Some updates are rejected: exit 1, and the summary counts every document.
    assert_eq!(out.status.code(), Some(1));
    let rejected = cases.iter().filter(|c| c.invalid.is_some()).count();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "{} valid, {rejected} invalid",
            cases.len() - rejected
        )),
        "{stderr}"
    );
}

/// The example NetworkConfiguration as an old object, and the same with another VLAN.
fn vlan_pair() -> (Value, Value) {
    let case: update_corpus::UpdateCase = serde_json::from_value(json!({
        "name": "vlan", "example": "networkconfiguration", "set": { "spec.vlan": 200 }
    }))
    .expect("case");
    let old = update_corpus::build_old(&case, 0, "default");
    let new = update_corpus::build_new(&case, &old);
    (old, new)
}

#[test]
fn an_update_rule_is_reported_in_the_apiservers_words_in_every_output_format() {
    let (old, new) = vlan_pair();
    let dir = dir("update-words");
    let old = write(&dir.join("old.yaml"), &[old]);
    let new = write(&dir.join("new.yaml"), &[new]);
    let text = run(&["validate", "--old", &old, &new]);
    assert_eq!(text.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&text.stdout),
        format!(
            "{new}:1: NetworkConfiguration/update-000: spec.vlan: Invalid value: 200: vlan is immutable once set\n"
        )
    );
    for format in ["json", "junit", "tap", "sarif"] {
        let out = run(&["validate", "--old", &old, &new, "-o", format]);
        assert_eq!(out.status.code(), Some(1), "{format}");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            stdout.contains("vlan is immutable once set"),
            "{format}: {stdout}"
        );
    }
}

#[test]
fn a_document_without_an_old_object_is_a_create() {
    let (old, new) = vlan_pair();
    let dir = dir("update-create");
    // The old object has another name, namespace, kind or apiVersion (its content otherwise the
    // old object's, which as the old object would fail the update): nothing correlates.
    for (path, value) in [
        ("/metadata/name", json!("other")),
        ("/metadata/namespace", json!("elsewhere")),
        ("/kind", json!("NetworkNamespace")),
        ("/apiVersion", json!("vitistack.io/v1beta1")),
    ] {
        let mut unrelated = old.clone();
        *unrelated.pointer_mut(path).expect("path") = value;
        let old = write(&dir.join("old.yaml"), &[unrelated]);
        let new = write(&dir.join("new.yaml"), std::slice::from_ref(&new));
        let out = run(&["validate", "--old", &old, &new]);
        assert_eq!(out.status.code(), Some(0), "{path}: {out:?}");
    }
    // An old directory is walked: the old object in it is found.
    let olds = dir.join("olds");
    std::fs::create_dir_all(&olds).expect("dir");
    write(&olds.join("nc.yaml"), &[old]);
    let new = write(&dir.join("new.yaml"), &[new]);
    let out = run(&["validate", "--old", &olds.display().to_string(), &new]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
}

#[test]
fn unusable_old_objects_are_input_errors() {
    let (old, new) = vlan_pair();
    let dir = dir("update-errors");
    let new = write(&dir.join("new.yaml"), &[new]);
    let missing = dir.join("missing.yaml").display().to_string();
    let twice = write(&dir.join("twice.yaml"), &[old.clone(), old]);
    let nameless = write(&dir.join("nameless.yaml"), &[json!({ "kind": "Machine" })]);
    for (old, says) in [
        (missing.as_str(), "missing.yaml"),
        (twice.as_str(), "a second old object"),
        (
            nameless.as_str(),
            "needs apiVersion, kind and metadata.name",
        ),
    ] {
        let out = run(&["validate", "--old", old, &new]);
        assert_eq!(out.status.code(), Some(2), "{old}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(says), "{old}: {stderr}");
    }
}
