//! Issue #4: one rule, three enforcers. Every corpus case runs through Rust `validate`, the JSON
//! Schemas in `schemas/` (read from disk), and the real apiserver (server-side dry run,
//! fieldValidation=Strict; status cases as a dry-run PUT to `/status`): the verdicts must agree,
//! and the field paths of all three must be the same.
//!
//! Cases come from `tests/corpus/` (see `vitistack_e2e::corpus`): hand-written ones for objects
//! (`cases.yaml`, one or more per rule of decisions.md) and for status (`status.yaml`), and
//! edge cases on both sides of every bound of decisions.md, written there as literals
//! (`bounds.yaml`).

use serde_json::{json, Value};
use std::collections::BTreeMap;
use vitistack_e2e::corpus::{self, Case, Target};
use vitistack_e2e::server::{self, Verdict};
use vitistack_e2e::*;
use vitistack_types::registry;
use vitistack_types::rules::Rule;
use vitistack_types::schema::{Node, Type};
use vitistack_types::validate::{check_value, Options, CEL_SKIPPED};

/// Sorted, distinct paths. Nothing is dropped: an object-level violation has the path "" on
/// every side (the apiserver's note that it skipped CEL rules is dropped where it is read).
fn significant(mut paths: Vec<String>) -> Vec<String> {
    paths.sort();
    paths.dedup();
    paths
}

/// The objects the status cases update: one per example, created for real once.
#[derive(Default)]
struct Stored(BTreeMap<String, Value>);

impl Stored {
    /// The stored example of `case`, created on first use.
    async fn of(&mut self, client: &kube::Client, case: &Case, namespace: &str) -> &Value {
        if !self.0.contains_key(&case.example) {
            // Its own name: the object cases dry-run creates of the example's name.
            let mut object = corpus::base(case, namespace);
            let name = format!(
                "{}-status",
                object["metadata"]["name"].as_str().expect("name")
            );
            set_path(&mut object, "metadata.name", json!(name));
            let kind = object["kind"].as_str().expect("kind");
            let plural = registry::by_kind(kind).expect("kind").plural;
            let stored = match server::create(client, plural, namespace, &object, false).await {
                Verdict::Accepted(stored) => stored,
                Verdict::Rejected { message, .. } => {
                    panic!("{}: example rejected: {message}", case.example)
                }
            };
            self.0.insert(case.example.clone(), stored);
        }
        &self.0[&case.example]
    }
}

/// The server's verdict on a case: a dry-run create, or a dry-run status update of the stored
/// example (same name and resourceVersion, the case's status).
async fn ask_server(
    client: &kube::Client,
    stored: &mut Stored,
    case: &Case,
    object: &Value,
    namespace: &str,
) -> Verdict {
    let kind = object["kind"].as_str().expect("kind");
    let plural = registry::by_kind(kind).expect("kind").plural;
    match case.target {
        Target::Object => server::create(client, plural, namespace, object, true).await,
        Target::Status => {
            let stored = stored.of(client, case, namespace).await;
            let mut update = object.clone();
            update["metadata"] = stored["metadata"].clone();
            let name = stored["metadata"]["name"]
                .as_str()
                .expect("name")
                .to_string();
            server::replace_status_with(client, plural, namespace, &name, &update, true).await
        }
    }
}

#[tokio::test]
async fn rust_json_schema_and_apiserver_agree_on_every_case() {
    let client = client().await;
    ensure_crds(&client).await;
    let namespace = test_namespace("parity").await;
    let schemas = schemas_from_disk();
    let mut cases = corpus::hand_written();
    let hand = cases.len();
    cases.extend(corpus::edge_cases());

    let mut stored = Stored::default();
    let mut failures = Vec::new();
    let (mut valid, mut invalid, mut blind, mut status) = (0, 0, 0, 0);
    for case in &cases {
        let object = corpus::build(case, &namespace);
        let kind = object["kind"].as_str().expect("kind").to_string();
        let info = registry::by_kind(&kind).expect("kind");
        let rust = significant(
            check_value(info.root_schema(), &object, Options { strict: true })
                .into_iter()
                .filter(|e| e.detail != CEL_SKIPPED)
                .map(|e| e.path)
                .collect(),
        );
        let json_schema = significant(
            schemas
                .validate(&kind, &object)
                .into_iter()
                .map(|v| v.path)
                .collect(),
        );
        let verdict = ask_server(&client, &mut stored, case, &object, &namespace).await;
        let server_paths = significant(verdict.paths());
        let server_ok = matches!(verdict, Verdict::Accepted(_));

        let found = Found {
            rust: &rust,
            json_schema: &json_schema,
            server: &server_paths,
            server_ok,
        };
        let mut problems = match &case.edge {
            Some((path, inside)) => edge_problems(path, *inside, case, &found),
            None => exact_problems(case, &found),
        };
        if case.edge.is_none() && object == corpus::base(case, &namespace) {
            problems.push("the case is its example unchanged: it tests nothing new".into());
        }
        if let (Verdict::Rejected { message, .. }, false) = (&verdict, problems.is_empty()) {
            problems.push(format!("(apiserver: {message})"));
        }
        match (server_ok, &case.json_schema_cannot) {
            (true, _) => valid += 1,
            (false, Some(_)) => {
                invalid += 1;
                blind += 1
            }
            (false, None) => invalid += 1,
        }
        status += usize::from(case.target == Target::Status);
        if !problems.is_empty() {
            failures.push(format!("{}:\n    {}", case.name, problems.join("\n    ")));
        }
    }
    println!(
        "{} cases ({hand} hand-written, {status} through /status): {valid} valid, {invalid} invalid, {blind} invisible to JSON Schema",
        cases.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {} cases disagree:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    assert!(
        cases.len() >= 500 && status >= 60,
        "only {} cases ({hand} hand-written, {status} through /status)",
        cases.len()
    );
}

/// What the three enforcers said about one object.
struct Found<'a> {
    rust: &'a [String],
    json_schema: &'a [String],
    server: &'a [String],
    server_ok: bool,
}

/// A hand-written case: the apiserver's verdict and paths are exactly the case's, Rust's paths
/// are the apiserver's, and so are JSON Schema's unless the case says why it cannot see the
/// violation (JSON Schema must then accept the object).
fn exact_problems(case: &Case, f: &Found) -> Vec<String> {
    let mut problems = Vec::new();
    if f.server_ok != case.invalid.is_none() {
        problems.push(format!(
            "apiserver {} it, the case says {}",
            if f.server_ok { "accepted" } else { "rejected" },
            if case.invalid.is_none() {
                "valid"
            } else {
                "invalid"
            }
        ));
    }
    let expected = significant(case.invalid.clone().unwrap_or_default());
    if f.server != expected.as_slice() {
        problems.push(format!(
            "apiserver paths {:?}, case says {expected:?}",
            f.server
        ));
    }
    problems.extend(rust_problems(case, f));
    let json_schema_expected = case.json_schema_paths.as_deref().unwrap_or(f.server);
    match &case.json_schema_cannot {
        None if f.json_schema != json_schema_expected => problems.push(format!(
            "JSON Schema paths {:?}, expected {json_schema_expected:?} (apiserver {:?})",
            f.json_schema, f.server
        )),
        Some(_) if !f.json_schema.is_empty() => problems.push(format!(
            "JSON Schema rejected a case marked json_schema_cannot ({:?}); drop the mark",
            f.json_schema
        )),
        _ => {}
    }
    problems
}

/// Rust names what the apiserver names, except the paths the case marks as a known gap
/// (`rust_misses`), which the apiserver must name and Rust must not.
fn rust_problems(case: &Case, f: &Found) -> Vec<String> {
    let expected: Vec<String> = f
        .server
        .iter()
        .filter(|p| !case.rust_misses.contains(p))
        .cloned()
        .collect();
    let mut problems = Vec::new();
    if f.rust != expected.as_slice() {
        problems.push(format!(
            "Rust paths {:?} != apiserver paths {:?} (known gaps {:?})",
            f.rust, f.server, case.rust_misses
        ));
    }
    for missed in &case.rust_misses {
        if !f.server.contains(missed) {
            problems.push(format!(
                "the apiserver no longer names {missed:?}: drop it from rust_misses"
            ));
        }
    }
    problems
}

/// An edge case: the bounded field is named exactly when the value is outside the literal bound;
/// Rust says what the apiserver says (other rules, e.g. `perProvider <= total`, may fire as
/// well), and so does JSON Schema when the bound is the only rule involved.
fn edge_problems(path: &str, inside: bool, case: &Case, f: &Found) -> Vec<String> {
    let mut problems = Vec::new();
    let named = f.server.iter().any(|p| p == path);
    if named == inside {
        problems.push(format!(
            "apiserver paths {:?}: {path} should {}be named",
            f.server,
            if inside { "not " } else { "" }
        ));
    }
    problems.extend(rust_problems(case, f));
    let pure = f.server.is_empty() || f.server == [path.to_string()];
    let expected: &[String] = if case.json_schema_cannot.is_some() {
        &[]
    } else {
        f.server
    };
    if pure && f.json_schema != expected {
        problems.push(format!(
            "JSON Schema paths {:?}, expected {expected:?} (apiserver {:?})",
            f.json_schema, f.server
        ));
    }
    problems
}

/// The bounds of the Rust schema (from which the CRDs and schemas are rendered) are exactly the
/// literals of `tests/corpus/bounds.yaml`: a bound changed, added or dropped in the code fails
/// here, and the literals themselves are checked against the server by the test above.
#[test]
fn every_bound_of_the_schema_is_pinned_in_the_corpus() {
    type Bounds = BTreeMap<(String, String), (Option<Value>, Option<Value>)>;
    fn walk(kind: &str, node: &Node, path: &str, out: &mut Bounds) {
        let child = |name: &str| {
            if path.is_empty() {
                name.to_string()
            } else {
                format!("{path}.{name}")
            }
        };
        match &node.ty {
            Type::Object { properties } => {
                for p in properties {
                    walk(kind, &p.node, &child(&p.name), out);
                }
            }
            Type::Array { items, .. } => walk(kind, items, &format!("{path}[0]"), out),
            Type::Map { values } => walk(kind, values, &child("*"), out),
            _ => {}
        }
        for rule in &node.rules {
            let (min, max) = match rule {
                Rule::Range(r) => (r.min.map(|n| json!(n)), r.max.map(|n| json!(n))),
                Rule::Quantity(q) => (
                    q.min_literal().map(|s| json!(s)),
                    q.max_literal().map(|s| json!(s)),
                ),
                _ => continue,
            };
            out.insert((kind.to_string(), path.to_string()), (min, max));
        }
    }
    let mut schema = Bounds::new();
    for info in registry::kinds() {
        walk(info.kind, info.root_schema(), "", &mut schema);
    }
    let mut pinned = Bounds::new();
    for bound in corpus::bounds() {
        let key = (bound.kind().to_string(), bound.path.clone());
        let duplicate = pinned.insert(key.clone(), (bound.min, bound.max));
        assert!(duplicate.is_none(), "{key:?} is pinned twice");
    }
    let mut differences = Vec::new();
    for key in schema.keys().chain(pinned.keys()) {
        let (s, p) = (schema.get(key), pinned.get(key));
        if s != p && !differences.iter().any(|(k, _, _)| k == key) {
            differences.push((key.clone(), s.cloned(), p.cloned()));
        }
    }
    assert!(
        differences.is_empty(),
        "bounds of the Rust schema vs tests/corpus/bounds.yaml ((kind, path), schema, corpus):\n{}",
        differences
            .iter()
            .map(|d| format!("{d:?}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// The words and numbers of a text (`1–128` is `1` and `128`, `` `gpu.count` `` is `gpu` and
/// `count`).
fn tokens(text: &str) -> Vec<&str> {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|t| !t.is_empty())
        .collect()
}

/// A bound's literal as decisions.md writes it (`128Mi`, `4094`).
fn literal_text(literal: &Value) -> String {
    match literal {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Each bound of `tests/corpus/bounds.yaml` is the one `docs/spec/decisions.md` states: its quote
/// is in decisions.md and names the field, and its literals are in the quote (an upper bound
/// may instead be its integer format's limit, marked). A bound decisions.md does not state gives
/// its reason. With `every_bound_of_the_schema_is_pinned_in_the_corpus`, a bound changed in the
/// code fails even when bounds.yaml is changed with it, unless decisions.md says so.
#[test]
fn every_bound_is_one_decisions_md_states() {
    let path = repo_root().join("docs/spec/decisions.md");
    let decisions = std::fs::read_to_string(&path).expect("docs/spec/decisions.md");
    let collapse = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
    let decisions = collapse(&decisions);
    let mut problems = Vec::new();
    for bound in corpus::bounds() {
        let what = format!("{} {}", bound.kind(), bound.path);
        let quoted = match (&bound.decision, &bound.beyond_decisions) {
            (Some(quote), None) => {
                if !decisions.contains(&collapse(quote)) {
                    problems.push(format!("{what}: decisions.md does not say {quote:?}"));
                }
                tokens(quote)
            }
            (None, Some(reason)) if !reason.trim().is_empty() => Vec::new(),
            _ => {
                problems.push(format!(
                    "{what}: needs a decision or else a reason, not both"
                ));
                continue;
            }
        };
        let segments: Vec<&str> = tokens(&bound.path);
        if bound.decision.is_some() && !segments.iter().rev().take(2).any(|s| quoted.contains(s)) {
            problems.push(format!("{what}: {quoted:?} does not name the field"));
        }
        let format_max = match bound.format.as_deref() {
            None => None,
            Some("int32") => Some(json!(i32::MAX)),
            Some("uint32") => Some(json!(u32::MAX)),
            Some(other) => {
                problems.push(format!("{what}: unknown format {other}"));
                continue;
            }
        };
        if format_max.is_some() && bound.max != format_max {
            problems.push(format!(
                "{what}: max {:?} is not the {:?} limit",
                bound.max, bound.format
            ));
        }
        let stated = [Some(&bound.min), format_max.is_none().then_some(&bound.max)];
        for literal in stated.into_iter().flatten().flatten() {
            let literal = literal_text(literal);
            if bound.decision.is_some() && !quoted.contains(&literal.as_str()) {
                problems.push(format!("{what}: {literal} is not in {:?}", bound.decision));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "bounds.yaml vs decisions.md:\n{}",
        problems.join("\n")
    );
}

/// Each bound has a hand-written case (`cases.yaml`, `status.yaml`) one step beyond it as
/// decisions.md states it, rejected at the bound's path: a check of the bound that does not come
/// from the list the edge cases are made from.
#[test]
fn every_bound_has_a_hand_written_case_beyond_it() {
    let cases = corpus::hand_written();
    let mut missing = Vec::new();
    for bound in corpus::bounds() {
        let beyond = bound.beyond_the_decision();
        let found = cases.iter().any(|case| {
            case.example == bound.example
                && case.target == bound.target()
                && case.set.get(&bound.path) == Some(&beyond)
                && case
                    .invalid
                    .as_ref()
                    .is_some_and(|p| p.contains(&bound.path))
        });
        if !found {
            missing.push(format!("{} {} = {beyond}", bound.kind(), bound.path));
        }
    }
    assert!(
        missing.is_empty(),
        "bounds without a hand-written case one step beyond (rejected there):\n{}",
        missing.join("\n")
    );
}

/// The rules JSON Schema cannot (fully) express, each with its reason. A new gap fails here until
/// it is listed.
#[test]
fn rules_json_schema_cannot_express_are_listed_with_reasons() {
    use vitistack_types::rules::Coverage;
    use vitistack_types::schema::json_schema;
    let mut gaps = std::collections::BTreeSet::new();
    for info in registry::kinds() {
        for gap in json_schema::render(info.root_schema()).1 {
            let reason = match gap.coverage {
                Coverage::Partial(r) | Coverage::None(r) => r,
                Coverage::Full => continue,
            };
            gaps.insert(reason);
        }
    }
    let listed = std::collections::BTreeSet::from([
        "JSON Schema cannot compare quantities: the `quantity` format checks the syntax, the bounds are left to validate() and the apiserver",
        "JSON Schema cannot relate two fields' values (IP inside CIDR)",
        "JSON Schema cannot compare two fields' values",
        "JSON Schema cannot compare two CIDRs",
        "JSON Schema's uniqueItems compares whole items, not one field of them",
        "list-type map: JSON Schema cannot require items to be unique by their key fields (uniqueItems compares whole items)",
        "JSON Schema sees one document, not an update: it cannot compare a value with the old one (CEL transition rules)",
    ]);
    assert_eq!(gaps, listed);
}
