//! Issue #23: a CEL rule written once is enforced by the apiserver and by `validate()`. The
//! kinds of `vitistack_e2e::cel_kinds` carry raw `#[viti(cel(...))]` rules with no hand-written
//! check; together they use every CEL library a 1.37 apiserver offers CRD rules, plus
//! `messageExpression`, `reason`, `fieldPath` and transition rules.
//!
//! Every case of `tests/corpus/cel.yaml` is sent to the real apiserver as a dry-run create and
//! run through the kind's `validate()`; every case of `tests/corpus/cel_updates.yaml` stores its
//! history for real, sends its update as a dry-run PUT and runs `validate_update()` against the
//! stored object. The apiserver is the oracle: its verdict and paths must be the case's (reviewed
//! literals), and `validate()` must give the same verdict, the same paths, and each of the
//! apiserver's causes word for word (message or evaluated messageExpression, reason, value).

use serde_json::Value;
use std::collections::BTreeSet;
use vitistack_e2e::cel_corpus::{self, KINDS};
use vitistack_e2e::server::{self, Verdict};
use vitistack_e2e::*;

/// Installs the corpus CRDs (once per test binary); the apiserver refuses a CRD whose rule does
/// not compile at its compatibility version or costs too much, so this also checks that every
/// rule of the corpus is one a 1.37 apiserver accepts for a new CRD.
async fn ensure_corpus_crds(client: &kube::Client) {
    static DONE: tokio::sync::OnceCell<()> = tokio::sync::OnceCell::const_new();
    DONE.get_or_init(|| async {
        for kind in KINDS {
            apply_crd(client, &(kind.crd)())
                .await
                .unwrap_or_else(|e| panic!("the CRD of {}: {e}", kind.kind));
        }
    })
    .await;
}

fn sorted(paths: impl IntoIterator<Item = String>) -> Vec<String> {
    paths
        .into_iter()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// One case's outcome on the apiserver.
struct Asked {
    name: String,
    invalid: Option<Vec<String>>,
    verdict: Verdict,
}

/// The apiserver's verdict on every create case.
async fn ask_creates(client: &kube::Client, namespace: &str) -> Vec<Asked> {
    let mut out = Vec::new();
    for case in cel_corpus::cases() {
        let kind = cel_corpus::kind_named(&case.kind);
        let object = cel_corpus::object(kind.kind, "case", namespace, &case.spec);
        let verdict = server::create_in(
            client,
            &cel_corpus::api(),
            kind.plural,
            namespace,
            &object,
            true,
        )
        .await;
        out.push(Asked {
            name: case.name,
            invalid: case.invalid,
            verdict,
        });
    }
    out
}

/// Stores each update case's history for real, then asks for its update as a dry run.
async fn ask_updates(client: &kube::Client, namespace: &str) -> Result<Vec<Asked>, Vec<String>> {
    let api = cel_corpus::api();
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for (i, case) in cel_corpus::update_cases().into_iter().enumerate() {
        let kind = cel_corpus::kind_named(&case.kind);
        let name = format!("update-{i:03}");
        let mut stored: Option<Value> = None;
        for spec in &case.history {
            let verdict = match &stored {
                None => {
                    let object = cel_corpus::object(kind.kind, &name, namespace, spec);
                    server::create_in(client, &api, kind.plural, namespace, &object, false).await
                }
                Some(old) => {
                    let mut object = old.clone();
                    object["spec"] = spec.clone();
                    server::replace_in(client, &api, kind.plural, namespace, &name, &object, false)
                        .await
                }
            };
            match verdict {
                Verdict::Accepted(object) => stored = Some(object),
                Verdict::Rejected { message, .. } => {
                    problems.push(format!("{}: history {spec} rejected: {message}", case.name));
                    stored = None;
                    break;
                }
            }
        }
        let Some(old) = stored else {
            problems.push(format!("{}: nothing stored", case.name));
            continue;
        };
        let mut object = old.clone();
        object["spec"] = case.spec.clone();
        let verdict =
            server::replace_in(client, &api, kind.plural, namespace, &name, &object, true).await;
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

fn report(what: &str, asked: &[Asked], check: impl Fn(&Asked) -> Vec<String>) {
    let failures: Vec<String> = asked
        .iter()
        .filter_map(|a| {
            let problems = check(a);
            (!problems.is_empty()).then(|| format!("{}:\n    {}", a.name, problems.join("\n    ")))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} {what} cases disagree:\n{}",
        failures.len(),
        asked.len(),
        failures.join("\n")
    );
}

#[tokio::test]
async fn the_apiserver_says_what_the_cel_corpus_says() {
    let client = client().await;
    ensure_corpus_crds(&client).await;
    let namespace = test_namespace("celcorpus").await;
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
        "{} CEL cases ({} updates): {rejected} rejected by the apiserver",
        all.len(),
        updates.len()
    );
    report("create", &creates, server_problems);
    report("update", &updates, server_problems);
    assert!(
        all.len() >= 150 && rejected >= 80,
        "only {} cases, {rejected} rejected",
        all.len()
    );
}
