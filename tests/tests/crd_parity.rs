//! Issue #24: `vitistack-codegen validate --crd` checks any CRD's objects as the apiserver does.
//!
//! The corpus of `tests/corpus/any-crd/` (third-party CRDs chosen for their CEL use, the valid
//! examples their projects ship, and the create and update cases of `cases.yaml` and
//! `updates.yaml`) runs on the real apiserver: every CRD installed, every example and create
//! case sent as a dry-run create, every update case's old object stored for real and its update
//! sent as a dry-run PUT, all with strict field validation. The apiserver is the oracle: its
//! verdict and field paths must be the case's reviewed literals (an example must be accepted).
//!
//! Then every case runs through `validate --crd` (the checker of `vitistack-codegen validate`,
//! with the corpus CRDs; `--old` with the stored old objects for updates): the same verdict as
//! the apiserver, every field path the apiserver names among ours, and each of the apiserver's
//! causes (`<path>: <message>`, CEL rule messages included) word for word among our findings.
//! The project's own corpus runs through `--crd crds/` and the built-in validator alike.

use std::collections::BTreeSet;

use serde_json::Value;
use vitistack_codegen_lib::validate::{
    CheckOptions, Checker, CrdKinds, Finding, OldObjects, Outcome, Source,
};
use vitistack_codegen_lib::yaml::split_documents;
use vitistack_codegen_lib::Codegen;
use vitistack_e2e::agreement::{failures, report, server_problems};
use vitistack_e2e::crd_corpus::{self, Served};
use vitistack_e2e::server::{self, Verdict};
use vitistack_e2e::*;

/// One case's outcome on the apiserver.
struct Asked {
    name: String,
    /// The object sent (the new one for an update).
    object: Value,
    /// The stored object an update replaces.
    old: Option<Value>,
    invalid: Option<Vec<String>>,
    verdict: Verdict,
}

async fn install_corpus_crds(client: &kube::Client) {
    for file in crd_corpus::crd_files() {
        apply_crd(client, &file.crd)
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", file.path.display()));
    }
}

fn served_of<'a>(
    served: &'a std::collections::BTreeMap<(String, String), Served>,
    name: &str,
    object: &Value,
) -> &'a Served {
    crd_corpus::served_for(served, object)
        .unwrap_or_else(|| panic!("{name}: no corpus CRD serves {}", object["kind"]))
}

/// The apiserver's verdict on every shipped example and create case.
async fn ask_creates(client: &kube::Client, namespace: &str) -> Vec<Asked> {
    let served = crd_corpus::served();
    let cases = crd_corpus::cases();
    let examples = crd_corpus::examples()
        .into_iter()
        .map(|(name, object)| (name, object, None));
    let written = cases.iter().map(|case| {
        (
            case.name.clone(),
            crd_corpus::build(case, &cases),
            case.invalid.clone(),
        )
    });
    let mut out = Vec::new();
    for (name, object, invalid) in examples.chain(written) {
        let resource = served_of(&served, &name, &object);
        let object = crd_corpus::placed(&object, resource, namespace, None);
        let collection = crd_corpus::collection(&object, resource);
        let verdict = server::create_at(client, &collection, &object, true).await;
        out.push(Asked {
            name,
            object,
            old: None,
            invalid,
            verdict,
        });
    }
    out
}

/// Stores each update case's old object for real, then asks for its update as a dry run.
async fn ask_updates(client: &kube::Client, namespace: &str) -> Result<Vec<Asked>, Vec<String>> {
    let served = crd_corpus::served();
    let cases = crd_corpus::cases();
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for (i, case) in crd_corpus::update_cases().into_iter().enumerate() {
        let (old, new) = crd_corpus::build_update(&case, &cases);
        let resource = served_of(&served, &case.name, &old);
        let name = format!("{namespace}-update-{i:03}");
        let old = crd_corpus::placed(&old, resource, namespace, Some(&name));
        let collection = crd_corpus::collection(&old, resource);
        let stored = match server::create_at(client, &collection, &old, false).await {
            Verdict::Accepted(stored) => stored,
            Verdict::Rejected { message, .. } => {
                problems.push(format!(
                    "{}: the old object is rejected: {message}",
                    case.name
                ));
                continue;
            }
        };
        let mut new = crd_corpus::placed(&new, resource, namespace, Some(&name));
        new["metadata"]["resourceVersion"] = stored["metadata"]["resourceVersion"].clone();
        let verdict = server::replace_at(client, &collection, &name, &new, true).await;
        out.push(Asked {
            name: case.name,
            object: new,
            old: Some(stored),
            invalid: case.invalid,
            verdict,
        });
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

#[tokio::test]
async fn the_apiserver_says_what_the_any_crd_corpus_says() {
    let client = client().await;
    install_corpus_crds(&client).await;
    let namespace = test_namespace("anycrd").await;
    let creates = ask_creates(&client, &namespace).await;
    let updates = ask_updates(&client, &namespace)
        .await
        .unwrap_or_else(|problems| panic!("{}", problems.join("\n")));
    let all: Vec<&Asked> = creates.iter().chain(&updates).collect();
    let rejected = all
        .iter()
        .filter(|a| matches!(a.verdict, Verdict::Rejected { .. }))
        .count();
    println!(
        "{} any-CRD cases ({} updates): {rejected} rejected by the apiserver",
        all.len(),
        updates.len()
    );
    let failed = failures(
        &all,
        |a| a.name.clone(),
        |a| server_problems(&a.verdict, &a.invalid),
    );
    report("any-CRD", all.len(), &failed);
}

/// The corpus CRDs, as `--crd tests/corpus/any-crd/<project>` reads them.
fn corpus_crds() -> CrdKinds {
    let mut crds = CrdKinds::default();
    for file in crd_corpus::crd_files() {
        let name = file.path.display().to_string();
        let text = std::fs::read_to_string(&file.path).expect("CRD file");
        crds.add_text(&name, &text)
            .unwrap_or_else(|e| panic!("--crd {name}: {e}"));
    }
    crds
}

/// One document through a checker: its outcome and findings.
fn check(checker: &Checker, object: &Value) -> (Outcome, Vec<Finding>) {
    let text = serde_json::to_string(object).expect("JSON");
    let doc = &split_documents(&text)[0];
    let mut findings = Vec::new();
    let outcome = checker
        .check_document("case.json", 1, doc, &mut |f| findings.push(f))
        .expect("a document");
    (outcome, findings)
}

/// The messages of every CEL rule of the corpus CRDs (`message`, else `failed rule: <rule>`):
/// how a cause of the apiserver is known to come from a rule.
fn cel_messages() -> BTreeSet<String> {
    fn visit(node: &Value, out: &mut BTreeSet<String>) {
        match node {
            Value::Object(map) => {
                if let Some(Value::Array(rules)) = map.get("x-kubernetes-validations") {
                    for rule in rules {
                        let message = match (rule["message"].as_str(), rule["rule"].as_str()) {
                            (Some(m), _) if !m.is_empty() => m.to_owned(),
                            (_, Some(r)) => format!("failed rule: {r}"),
                            _ => continue,
                        };
                        out.insert(message);
                    }
                }
                map.values().for_each(|v| visit(v, out));
            }
            Value::Array(items) => items.iter().for_each(|v| visit(v, out)),
            _ => {}
        }
    }
    let mut out = BTreeSet::new();
    for file in crd_corpus::crd_files() {
        visit(&file.crd, &mut out);
    }
    out
}

/// `validate --crd` against the apiserver on one case.
fn cli_problems(checker: &Checker, rules: &BTreeSet<String>, asked: &Asked) -> Vec<String> {
    let (outcome, findings) = check(checker, &asked.object);
    let mut problems = Vec::new();
    let server_ok = matches!(asked.verdict, Verdict::Accepted(_));
    let ours_ok = outcome == Outcome::Valid;
    if server_ok != ours_ok {
        problems.push(format!(
            "the apiserver {} it, validate --crd says {outcome:?}",
            if server_ok { "accepted" } else { "rejected" },
        ));
    }
    let ours: BTreeSet<String> = findings.iter().map(|f| f.path.clone()).collect();
    for path in asked.verdict.paths() {
        if !ours.contains(&path) {
            problems.push(format!(
                "validate --crd does not name the apiserver's {path:?}"
            ));
        }
    }
    if let Verdict::Rejected { causes, .. } = &asked.verdict {
        let said: BTreeSet<(String, String)> = findings
            .iter()
            .map(|f| (f.path.clone(), f.message.clone()))
            .collect();
        let from_a_rule = |message: &str| rules.iter().any(|m| message.ends_with(m.as_str()));
        for (path, message) in causes.iter().filter(|(_, m)| from_a_rule(m)) {
            if !said.contains(&(path.clone(), message.clone())) {
                problems.push(format!(
                    "validate --crd lacks the apiserver's rule message {path}: {message}"
                ));
            }
        }
    }
    if !problems.is_empty() {
        let said: Vec<String> = findings.iter().map(ToString::to_string).collect();
        problems.push(format!("(validate --crd: {said:?})"));
    }
    problems
}

#[tokio::test]
async fn validate_crd_and_the_apiserver_agree_on_every_case() {
    let client = client().await;
    install_corpus_crds(&client).await;
    let namespace = test_namespace("anycrdcli").await;
    let creates = ask_creates(&client, &namespace).await;
    let updates = ask_updates(&client, &namespace)
        .await
        .unwrap_or_else(|problems| panic!("{}", problems.join("\n")));
    let checker = Checker::for_kinds(CheckOptions::default(), &Codegen::vitistack())
        .expect("checker")
        .with_crds(corpus_crds());
    let mut old = OldObjects::default();
    for asked in &updates {
        let stored = serde_json::to_string(asked.old.as_ref().expect("old")).expect("JSON");
        old.add_text(&asked.name, &stored).expect("old object");
    }
    let update_checker = Checker::for_kinds(CheckOptions::default(), &Codegen::vitistack())
        .expect("checker")
        .with_crds(corpus_crds())
        .with_old(old);
    let creates: Vec<&Asked> = creates.iter().collect();
    let updates: Vec<&Asked> = updates.iter().collect();
    let rules = cel_messages();
    let mut failed = failures(
        &creates,
        |a| a.name.clone(),
        |a| cli_problems(&checker, &rules, a),
    );
    failed.extend(failures(
        &updates,
        |a| a.name.clone(),
        |a| cli_problems(&update_checker, &rules, a),
    ));
    report("validate --crd", creates.len() + updates.len(), &failed);
}

/// The project's own corpus (tests/corpus/cases.yaml and the bounds' edge cases) through
/// `--crd crds/` and through the built-in validator: the same outcome and the same field paths.
/// (The messages on `metadata.name` differ by design: `--crd` says what the apiserver says of
/// any custom resource, an RFC 1123 subdomain, beside the CRD's own pattern; the built-in
/// validator says RFC 1123 label, the rule of vitistack objects.)
#[test]
fn crd_crds_agrees_with_the_built_in_validator_on_the_project_corpus() {
    let mut crds = CrdKinds::default();
    for (path, _) in crd_files() {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(&path).expect("CRD file");
        crds.add_text(&name, &text).expect("crds/");
    }
    let built_in =
        Checker::for_kinds(CheckOptions::default(), &Codegen::vitistack()).expect("checker");
    let from_crds = Checker::for_kinds(CheckOptions::default(), &Codegen::vitistack())
        .expect("checker")
        .with_crds(crds);
    let cases = vitistack_e2e::corpus::hand_written()
        .into_iter()
        .chain(vitistack_e2e::corpus::edge_cases());
    let mut failed = Vec::new();
    let mut total = 0;
    for case in cases {
        total += 1;
        let object = vitistack_e2e::corpus::build(&case, "corpus");
        let ours = check(&from_crds, &object);
        let theirs = check(&built_in, &object);
        let paths = |findings: &[Finding]| -> BTreeSet<String> {
            findings.iter().map(|f| f.path.clone()).collect()
        };
        let unsupported = ours.1.iter().any(|f| f.source == Source::Unsupported);
        if ours.0 != theirs.0 || paths(&ours.1) != paths(&theirs.1) || unsupported {
            failed.push(format!(
                "{}:\n    --crd crds/: {:?} {:?}\n    built-in:    {:?} {:?}",
                case.name,
                ours.0,
                ours.1.iter().map(ToString::to_string).collect::<Vec<_>>(),
                theirs.0,
                theirs.1.iter().map(ToString::to_string).collect::<Vec<_>>()
            ));
        }
    }
    report("project corpus (--crd crds/ vs built-in)", total, &failed);
    assert!(total >= 100, "only {total} cases");
}
