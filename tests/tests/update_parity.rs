//! Issue #14: the update-time rules of decisions.md §6, three enforcers. Every case of
//! `tests/corpus/updates.yaml` (see `vitistack_e2e::update_corpus`) stores its old object on the
//! real apiserver, then sends the new object as a dry-run PUT and as a dry-run JSON merge patch;
//! `check_update` (what `validate_update` runs) checks the same new object against the stored
//! one. Both requests and Rust must name exactly the case's field paths, and each of Rust's
//! update-rule errors must read as a line of the apiserver's message. (The third enforcer,
//! `vitistack-codegen validate --old`, runs the same cases in vitistack-codegen-cli's
//! `update_corpus.rs`.)
//!
//! Ratcheting needs old objects that break today's rules. They are stored honestly, the way an
//! object from an older, laxer schema would be: the CRDs are swapped for copies without value
//! rules (`lax_crd`), the old objects of the `lax` cases are created, and the real CRDs are put
//! back before any update is sent.

use serde_json::{json, Value};
use std::time::Duration;
use vitistack_e2e::server::{self, Verdict};
use vitistack_e2e::update_corpus::{self, UpdateCase};
use vitistack_e2e::*;
use vitistack_types::registry;
use vitistack_types::validate::{check_update, Options, CEL_SKIPPED};

fn significant(mut paths: Vec<String>) -> Vec<String> {
    paths.sort();
    paths.dedup();
    paths
}

fn plural_of(object: &Value) -> &'static str {
    let kind = object["kind"].as_str().expect("kind");
    registry::by_kind(kind).expect("kind").plural
}

/// Polls a dry-run create of `object` under another name until `accepted` is the verdict (the
/// apiserver switches to a changed CRD a moment after it is Established).
async fn wait_until(
    client: &kube::Client,
    object: &Value,
    namespace: &str,
    accepted: bool,
) -> Result<(), String> {
    let mut probe = object.clone();
    set_path(&mut probe, "metadata.name", json!("probe"));
    for _ in 0..120 {
        let verdict = server::create(client, plural_of(&probe), namespace, &probe, true).await;
        if matches!(verdict, Verdict::Accepted(_)) == accepted {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    Err(format!(
        "the apiserver did not {} {} {} within 30 s",
        if accepted { "accept" } else { "reject" },
        object["kind"],
        object["metadata"]["name"]
    ))
}

/// Stores the old objects: the lax ones under lax CRDs (each must be one today's CRD rejects),
/// then, with the real CRDs back, the others. Returns the stored objects by case index and the
/// problems found.
async fn store_old_objects(
    client: &kube::Client,
    cases: &[UpdateCase],
    namespace: &str,
) -> (Vec<Option<Value>>, Vec<String>) {
    let mut stored = vec![None; cases.len()];
    let mut problems = Vec::new();
    let olds: Vec<Value> = cases
        .iter()
        .enumerate()
        .map(|(i, case)| update_corpus::build_old(case, i, namespace))
        .collect();
    let lax: Vec<usize> = (0..cases.len()).filter(|&i| cases[i].lax).collect();
    for &i in &lax {
        if let Verdict::Accepted(_) =
            server::create(client, plural_of(&olds[i]), namespace, &olds[i], true).await
        {
            problems.push(format!(
                "{}: marked lax, but today's CRD accepts its old object",
                cases[i].name
            ));
        }
    }
    let crds = crd_files();
    for (_, crd) in &crds {
        apply_crd(client, &update_corpus::lax_crd(crd))
            .await
            .expect("lax CRD");
    }
    for &i in &lax {
        match wait_until(client, &olds[i], namespace, true).await {
            Ok(()) => {
                stored[i] = created(client, &cases[i], &olds[i], namespace, &mut problems).await
            }
            Err(e) => problems.push(format!("{}: {e}", cases[i].name)),
        }
    }
    // The real CRDs go back whatever happened above.
    for (_, crd) in &crds {
        apply_crd(client, crd).await.expect("CRD");
    }
    // Every kind's real CRD is in use again before an update is sent: the first lax old object
    // of each kind is rejected again (every CRD was swapped, so every kind needs one).
    let mut first_lax_of_kind = std::collections::BTreeMap::new();
    for &i in &lax {
        first_lax_of_kind.entry(plural_of(&olds[i])).or_insert(i);
    }
    for (_, crd) in &crds {
        let plural = crd["spec"]["names"]["plural"].as_str().expect("plural");
        let Some(&i) = first_lax_of_kind.get(plural) else {
            panic!("no lax update case for {plural}: nothing shows that its real CRD is back");
        };
        if let Err(e) = wait_until(client, &olds[i], namespace, false).await {
            panic!("the real CRD of {plural} is not back: {e}");
        }
    }
    for i in (0..cases.len()).filter(|&i| !cases[i].lax) {
        stored[i] = created(client, &cases[i], &olds[i], namespace, &mut problems).await;
    }
    (stored, problems)
}

async fn created(
    client: &kube::Client,
    case: &UpdateCase,
    old: &Value,
    namespace: &str,
    problems: &mut Vec<String>,
) -> Option<Value> {
    match server::create(client, plural_of(old), namespace, old, false).await {
        Verdict::Accepted(stored) => Some(stored),
        Verdict::Rejected { message, .. } => {
            problems.push(format!("{}: old object rejected: {message}", case.name));
            None
        }
    }
}

/// Whether a message is one of the update rules' (decisions.md §6).
fn is_update_rule(detail: &str) -> bool {
    detail.ends_with(" is immutable once set")
        || detail.starts_with("may not shrink from ")
        || detail.starts_with("may go up at most one minor version from ")
}

/// What one way of sending the update said, against the case's expectation.
fn compare(way: &str, expected: &Option<Vec<String>>, paths: &[String], ok: bool) -> Vec<String> {
    let mut problems = Vec::new();
    let want = significant(expected.clone().unwrap_or_default());
    if ok != expected.is_none() {
        problems.push(format!(
            "{way} {} it, the case says {}",
            if ok { "accepted" } else { "rejected" },
            if expected.is_none() {
                "valid"
            } else {
                "invalid"
            }
        ));
    }
    if paths != want.as_slice() {
        problems.push(format!("{way} paths {paths:?}, case says {want:?}"));
    }
    problems
}

#[tokio::test]
async fn apiserver_put_merge_patch_and_validate_update_agree_on_every_update_case() {
    let client = client().await;
    ensure_crds(&client).await;
    let namespace = test_namespace("update").await;
    let cases = update_corpus::cases();
    let (stored, mut failures) = store_old_objects(&client, &cases, &namespace).await;

    let (mut valid, mut invalid, mut lax) = (0, 0, 0);
    for (case, stored) in cases.iter().zip(&stored) {
        let Some(old) = stored else { continue };
        let new = update_corpus::build_new(case, old);
        let plural = plural_of(old);
        let name = old["metadata"]["name"].as_str().expect("name");
        let put = server::replace(&client, plural, &namespace, name, &new, true).await;
        let patch = update_corpus::merge_patch(old, &new);
        let patched = server::merge_patch(&client, plural, &namespace, name, &patch, true).await;
        let info = registry::by_kind(old["kind"].as_str().expect("kind")).expect("kind");
        let rust: Vec<_> = check_update(info.root_schema(), &new, old, Options { strict: true })
            .into_iter()
            .filter(|e| e.detail != CEL_SKIPPED)
            .collect();

        let mut problems = Vec::new();
        if new == *old {
            problems.push("the update changes nothing: it tests nothing".to_string());
        }
        for (way, verdict) in [("PUT", &put), ("merge patch", &patched)] {
            let ok = matches!(verdict, Verdict::Accepted(_));
            problems.extend(compare(
                way,
                &case.invalid,
                &significant(verdict.paths()),
                ok,
            ));
            if let Verdict::Rejected { message, .. } = verdict {
                if !problems.is_empty() {
                    problems.push(format!("({way}: {message})"));
                }
            }
        }
        // Rust words each violation of an update rule as the apiserver does: its line is in
        // the PUT's message. (The create rules' wording is not part of this corpus.)
        if let Verdict::Rejected { message, .. } = &put {
            for error in rust.iter().filter(|e| is_update_rule(&e.detail)) {
                let line = error.to_string();
                if !message.contains(&line) {
                    problems.push(format!("the apiserver's message lacks Rust's {line:?}"));
                }
            }
        }
        let rust_paths = significant(rust.iter().map(|e| e.path.clone()).collect());
        problems.extend(compare(
            "validate_update",
            &case.invalid,
            &rust_paths,
            rust.is_empty(),
        ));
        if !problems.is_empty() {
            let said: Vec<String> = rust.iter().map(ToString::to_string).collect();
            problems.push(format!("(Rust: {said:?})"));
            failures.push(format!("{}:\n    {}", case.name, problems.join("\n    ")));
        }
        match case.invalid {
            None => valid += 1,
            Some(_) => invalid += 1,
        }
        lax += usize::from(case.lax);
    }
    println!(
        "{} update cases: {valid} accepted, {invalid} rejected, {lax} with an old object that breaks today's rules",
        cases.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {} update cases disagree:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    assert!(cases.len() >= 120, "only {} update cases", cases.len());
}
