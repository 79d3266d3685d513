//! `compat` on real CRD histories (issue 27 item 6): every pair of `tests/corpus/compat-history/`
//! (a CRD file as shipped in two consecutive released versions of a Go module, see each project's
//! SOURCE.md) is compared, and its findings must be exactly the ones judged by hand in
//! `expected.yaml`. How compat's verdicts differ from crdify's on the same pairs is a table
//! measured by hand, `docs/compat-vs-crdify.md`: crdify is not served by the Go module proxy, so
//! it is no test oracle here.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::Value;

use vitistack_codegen_lib::compat::{self, Config, Format, LoadedCrd};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn corpus() -> PathBuf {
    repo().join("tests/corpus/compat-history")
}

/// One pair and its judgement, from `expected.yaml`.
struct Pair {
    old: String,
    new: String,
    findings: Vec<String>,
}

fn strings(value: &Value, key: &str, pair: &str) -> Vec<String> {
    value[key]
        .as_array()
        .unwrap_or_else(|| panic!("expected.yaml: {pair}: `{key}` is not a list"))
        .iter()
        .map(|v| v.as_str().expect("a string").to_owned())
        .collect()
}

fn pairs() -> Vec<Pair> {
    let path = corpus().join("expected.yaml");
    let text = std::fs::read_to_string(&path).expect("read expected.yaml");
    let docs = vitistack_codegen_lib::yaml::parse_documents(&text, "expected.yaml").expect("YAML");
    docs[0]
        .as_array()
        .expect("a list of pairs")
        .iter()
        .map(|p| {
            let old = p["old"].as_str().expect("old").to_owned();
            assert!(
                p["judged"].as_str().is_some_and(|j| !j.is_empty()),
                "{old}: no judgement"
            );
            Pair {
                findings: strings(p, "findings", &old),
                new: p["new"].as_str().expect("new").to_owned(),
                old,
            }
        })
        .collect()
}

fn load(file: &str) -> LoadedCrd {
    let path = corpus().join(file);
    let mut crds = compat::load(path.to_str().expect("UTF-8 path")).expect("a CRD");
    assert_eq!(crds.len(), 1, "{file}: one CRD per file");
    crds.remove(0)
}

/// The corpus: at least 30 pairs, and every stored revision is in some pair.
#[test]
fn the_corpus_is_complete() {
    let pairs = pairs();
    assert!(pairs.len() >= 30, "{} pairs", pairs.len());
    let used: BTreeSet<&str> = pairs
        .iter()
        .flat_map(|p| [p.old.as_str(), p.new.as_str()])
        .collect();
    for project in std::fs::read_dir(corpus()).expect("list corpus") {
        let project = project.expect("entry").path();
        if !project.is_dir() {
            continue;
        }
        let name = project.file_name().unwrap().to_string_lossy().into_owned();
        assert!(project.join("SOURCE.md").is_file(), "{name}: no SOURCE.md");
        assert!(project.join("LICENSE").is_file(), "{name}: no LICENSE");
        for file in std::fs::read_dir(&project).expect("list project") {
            let file = file
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned();
            if file.ends_with(".yaml") {
                let key = format!("{name}/{file}");
                assert!(used.contains(key.as_str()), "{key} is in no pair");
            }
        }
    }
}

/// `compat`'s findings on every pair are the ones judged by hand.
#[test]
fn findings_on_real_histories_are_the_judged_ones() {
    let mut wrong = Vec::new();
    for pair in pairs() {
        let report = compat::compare(&[load(&pair.old)], &[load(&pair.new)], &Config::default());
        let got: Vec<String> = compat::render(&report.findings, Format::Text)
            .lines()
            .map(str::to_owned)
            .collect();
        if got != pair.findings {
            wrong.push(format!(
                "{} -> {}:\n  got:      {got:#?}\n  expected: {:#?}",
                pair.old, pair.new, pair.findings
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
