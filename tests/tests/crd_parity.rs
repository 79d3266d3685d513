//! Issue #24: `vitistack-codegen validate --crd` checks any CRD's objects as the apiserver does.
//!
//! The corpus of `tests/corpus/any-crd/` (third-party CRDs chosen for their CEL use, the valid
//! examples their projects ship, and the create and update cases of `cases.yaml` and
//! `updates.yaml`) runs on the real apiserver: every CRD installed, every example and create
//! case sent as a dry-run create, every update case's old object stored for real and its update
//! sent as a dry-run PUT, all with strict field validation. The apiserver is the oracle: its
//! verdict and field paths must be the case's reviewed literals (an example must be accepted).

use std::collections::BTreeSet;

use serde_json::Value;
use vitistack_e2e::crd_corpus::{self, Served};
use vitistack_e2e::server::{self, Verdict};
use vitistack_e2e::*;

/// One case's outcome on the apiserver.
struct Asked {
    name: String,
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

fn sorted(paths: impl IntoIterator<Item = String>) -> Vec<String> {
    paths
        .into_iter()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
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

/// The apiserver's paths on a case against the case's reviewed paths.
fn server_problems(asked: &Asked) -> Vec<String> {
    let accepted = matches!(asked.verdict, Verdict::Accepted(_));
    let mut problems = Vec::new();
    if accepted != asked.invalid.is_none() {
        problems.push(format!(
            "the apiserver {} it, the case says {}",
            if accepted { "accepted" } else { "rejected" },
            if asked.invalid.is_none() {
                "valid"
            } else {
                "invalid"
            }
        ));
    }
    let expected = sorted(asked.invalid.clone().unwrap_or_default());
    let paths = sorted(asked.verdict.paths());
    if paths != expected {
        problems.push(format!(
            "apiserver paths {paths:?}, the case says {expected:?}"
        ));
    }
    if let (Verdict::Rejected { message, .. }, false) = (&asked.verdict, problems.is_empty()) {
        problems.push(format!("(apiserver: {message})"));
    }
    problems
}

/// The failures of `check` on `asked`, each with its case name.
fn failures(asked: &[&Asked], check: impl Fn(&Asked) -> Vec<String>) -> Vec<String> {
    asked
        .iter()
        .filter_map(|a| {
            let problems = check(a);
            (!problems.is_empty()).then(|| format!("{}:\n    {}", a.name, problems.join("\n    ")))
        })
        .collect()
}

fn report(what: &str, total: usize, failures: &[String]) {
    assert!(
        failures.is_empty(),
        "{} of {total} {what} cases disagree:\n{}",
        failures.len(),
        failures.join("\n")
    );
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
    report("any-CRD", all.len(), &failures(&all, server_problems));
}
