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
use vitistack_e2e::agreement::{failures, report, server_problems, sorted};
use vitistack_e2e::cel_corpus::{self, CorpusKind, KINDS};
use vitistack_e2e::server::{self, Verdict, CEL_SKIPPED};
use vitistack_e2e::*;
use vitistack_types::report::FieldError;

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

/// One case's outcome on the apiserver.
struct Asked {
    name: String,
    kind: &'static CorpusKind,
    /// The object sent (the new one for an update).
    object: Value,
    /// The stored object an update replaces.
    old: Option<Value>,
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
            kind,
            object,
            old: None,
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
            kind,
            object,
            old: Some(old),
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
    let mut failed = failures(
        &creates,
        |a| a.name.clone(),
        |a| server_problems(&a.verdict, &a.invalid),
    );
    failed.extend(failures(
        &updates,
        |a| a.name.clone(),
        |a| server_problems(&a.verdict, &a.invalid),
    ));
    report("", all.len(), &failed);
    assert!(
        all.len() >= 150 && rejected >= 80,
        "only {} cases, {rejected} rejected",
        all.len()
    );
}

/// What `validate()` (or `validate_update()`) says about a case.
fn rust_verdict(asked: &Asked) -> Result<Vec<FieldError>, String> {
    match &asked.old {
        None => (asked.kind.validate)(&asked.object),
        Some(old) => (asked.kind.validate_update)(&asked.object, old),
    }
}

/// `validate()` against the apiserver on one case: the same verdict and paths, and each of the
/// apiserver's causes (`<path>: <message>`) word for word among Rust's errors.
fn rust_problems(asked: &Asked) -> Vec<String> {
    let errors = match rust_verdict(asked) {
        Ok(errors) => errors,
        Err(e) => return vec![format!("validate(): {e}")],
    };
    let mut problems = Vec::new();
    let server_ok = matches!(asked.verdict, Verdict::Accepted(_));
    if server_ok != errors.is_empty() {
        problems.push(format!(
            "the apiserver {} it, validate() {}",
            if server_ok { "accepted" } else { "rejected" },
            if errors.is_empty() {
                "accepts it"
            } else {
                "rejects it"
            }
        ));
    }
    let ours = sorted(errors.iter().map(|e| e.path.clone()));
    let theirs = sorted(asked.verdict.paths());
    if ours != theirs {
        problems.push(format!(
            "validate() paths {ours:?}, apiserver paths {theirs:?}"
        ));
    }
    if let Verdict::Rejected { causes, .. } = &asked.verdict {
        let said: BTreeSet<(String, String)> = errors
            .iter()
            .map(|e| (e.path.clone(), e.message()))
            .collect();
        for (path, message) in causes {
            if message.contains(CEL_SKIPPED) {
                continue;
            }
            if !said.contains(&(path.clone(), message.clone())) {
                problems.push(format!(
                    "validate() lacks the apiserver's {path}: {message}"
                ));
            }
        }
    }
    if !problems.is_empty() {
        let said: Vec<String> = errors.iter().map(ToString::to_string).collect();
        problems.push(format!("(validate(): {said:?})"));
    }
    problems
}

#[tokio::test]
async fn validate_and_the_apiserver_agree_on_every_cel_case() {
    let client = client().await;
    ensure_corpus_crds(&client).await;
    let namespace = test_namespace("celparity").await;
    let creates = ask_creates(&client, &namespace).await;
    let updates = ask_updates(&client, &namespace)
        .await
        .unwrap_or_else(|problems| panic!("{}", problems.join("\n")));
    let all: Vec<Asked> = creates.into_iter().chain(updates).collect();
    let mut failed = failures(
        &all,
        |a| a.name.clone(),
        |a| match known_gap(a) {
            None => rust_problems(a),
            Some(_) if rust_problems(a).is_empty() => {
                vec![
                    "validate() agrees with the apiserver now: drop the case's KNOWN_GAPS entry"
                        .into(),
                ]
            }
            Some(_) => Vec::new(),
        },
    );
    for (at, _) in KNOWN_GAPS {
        if !all.iter().any(|a| a.kind.kind == *at || a.name == *at) {
            failed.push(format!(
                "KNOWN_GAPS names {at:?}, which is no kind or case of the corpus"
            ));
        }
    }
    let gaps = all.iter().filter(|a| known_gap(a).is_some()).count();
    println!(
        "{} CEL cases: validate() agrees with the apiserver on {}, {gaps} are known gaps",
        all.len(),
        all.len() - gaps
    );
    report("CEL", all.len(), &failed);
}

/// Where `validate()` is known to disagree with the apiserver, with why: gaps of the CEL engine
/// (`vitistack_core::cel`), reported to its owners. An entry names a kind (every case of it) or a
/// case. A listed case must still disagree: once it agrees, the test fails until the entry goes.
/// Every other case must agree.
const KNOWN_GAPS: &[(&str, &str)] = &[];

/// The known gap of a case, if any.
fn known_gap(asked: &Asked) -> Option<&'static str> {
    KNOWN_GAPS
        .iter()
        .find(|(at, _)| asked.kind.kind == *at || asked.name == *at)
        .map(|(_, why)| *why)
}

/// Every rule of the corpus compiles in the CEL engine against the schema of its node (what
/// `vitistack-codegen verify` and `lint` check, `vitistack_codegen_lib::lint_cel_rules`), as it does
/// on the apiserver (which accepted every corpus CRD).
#[test]
fn every_corpus_rule_compiles_in_the_engine() {
    let mut findings = Vec::new();
    for kind in KINDS {
        for finding in vitistack_codegen_lib::lint_cel_rules(&(kind.crd)()) {
            findings.push(finding.to_string());
        }
    }
    assert!(findings.is_empty(), "{}", findings.join("\n"));
}
