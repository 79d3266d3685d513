//! Issue #4: one rule, three enforcers. Every corpus case runs through Rust `validate`, the JSON
//! Schemas in `schemas/`, and the real apiserver (server-side dry run, fieldValidation=Strict):
//! the verdicts must agree, and the Rust field paths must be the apiserver's.
//!
//! Cases come from `tests/corpus/cases.yaml` (written by hand, one or more per rule of
//! decisions.md) and from the schemas: both sides of every integer range and quantity bound of a
//! field the examples set.

use num_bigint::BigInt;
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use vitistack_codegen::json_schema::SchemaSet;
use vitistack_e2e::server::{self, Verdict};
use vitistack_e2e::*;
use vitistack_types::formats::Quantity;
use vitistack_types::registry;
use vitistack_types::rules::Rule;
use vitistack_types::schema::{Node, Type};
use vitistack_types::validate::{check_value, Options};

/// One corpus case.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    /// Example file stem the object starts from.
    example: String,
    /// Field path → value to set.
    #[serde(default)]
    set: BTreeMap<String, Value>,
    /// Field paths to remove.
    #[serde(default)]
    remove: Vec<String>,
    /// The field paths a rejection names; absent for a valid case.
    #[serde(default)]
    invalid: Option<Vec<String>>,
    /// Why JSON Schema cannot see this violation (it then must call the object valid).
    #[serde(default)]
    json_schema_cannot: Option<String>,
    /// Set for generated bound cases: the bounded field and whether the value is inside.
    #[serde(skip)]
    edge: Option<(String, bool)>,
}

fn hand_written() -> Vec<Case> {
    let path = repo_root().join("tests/corpus/cases.yaml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Field paths (with `[0]` for lists) of every integer range and quantity bound whose field the
/// example sets, with values just inside and just outside each bound.
fn edge_cases() -> Vec<Case> {
    let mut cases = Vec::new();
    for (kind, stem) in EXAMPLES {
        let info = registry::by_kind(kind).expect("kind");
        let object = example(stem);
        let mut found = Vec::new();
        bounded_fields(info.root_schema(), "", &object, &mut found);
        // Status is not sent with a create; its bounds are checked by the status tests.
        for (path, edges, quantity) in found.into_iter().filter(|(p, _, _)| p.starts_with("spec."))
        {
            for (value, valid) in edges {
                cases.push(Case {
                    name: format!("{kind} {path} = {value} (edge)"),
                    example: stem.to_string(),
                    set: BTreeMap::from([(path.clone(), value)]),
                    remove: Vec::new(),
                    invalid: None,
                    json_schema_cannot: quantity.then(|| "quantity bounds".to_string()),
                    edge: Some((path.clone(), valid)),
                });
            }
        }
    }
    cases
}

type Edges = Vec<(Value, bool)>;

/// `(path, edges, is a quantity)` of every bounded field the example sets.
fn bounded_fields(node: &Node, path: &str, object: &Value, out: &mut Vec<(String, Edges, bool)>) {
    match &node.ty {
        Type::Object { properties } => {
            for p in properties {
                let child = if path.is_empty() {
                    p.name.clone()
                } else {
                    format!("{path}.{}", p.name)
                };
                if get_path(object, &child).is_some() {
                    bounded_fields(&p.node, &child, object, out);
                }
            }
        }
        Type::Array { items, .. } => {
            let first = format!("{path}[0]");
            if get_path(object, &first).is_some() {
                bounded_fields(items, &first, object, out);
            }
        }
        _ => {}
    }
    for rule in &node.rules {
        let mut edges = Vec::new();
        match rule {
            Rule::Range(range) => {
                if let Some(min) = range.min {
                    edges.push((json!(min), true));
                    edges.push((json!(min - 1), false));
                }
                if let Some(max) = range.max {
                    edges.push((json!(max), true));
                    edges.push((json!(max + 1), false));
                }
            }
            Rule::Quantity(q) => {
                for (bound, step) in [(q.min_literal(), -1), (q.max_literal(), 1)] {
                    let Some(bound) = bound else { continue };
                    edges.push((json!(bound), true));
                    edges.push((
                        json!((integer_of(bound) + BigInt::from(step)).to_string()),
                        false,
                    ));
                }
            }
            _ => {}
        }
        if !edges.is_empty() {
            out.push((path.to_string(), edges, matches!(rule, Rule::Quantity(_))));
        }
    }
}

/// The exact integer value of an integral quantity literal (`128Mi` → 134217728).
fn integer_of(literal: &str) -> BigInt {
    let (mantissa, exponent) = Quantity::parse(literal).expect("bound parses").to_decimal();
    assert!(exponent >= 0, "{literal} is not integral");
    mantissa * BigInt::from(10).pow(exponent as u32)
}

fn build(case: &Case, namespace: &str) -> Value {
    let mut object = example(&case.example);
    if let Some(map) = object.as_object_mut() {
        map.remove("status");
    }
    set_path(&mut object, "metadata.namespace", json!(namespace));
    for path in &case.remove {
        remove_path(&mut object, path);
    }
    for (path, value) in &case.set {
        set_path(&mut object, path, value.clone());
    }
    object
}

fn significant(mut paths: Vec<String>) -> Vec<String> {
    // The apiserver's "some rules were not checked" note has no field.
    paths.retain(|p| !p.is_empty() && p != "<nil>");
    paths.sort();
    paths.dedup();
    paths
}

#[tokio::test]
async fn rust_json_schema_and_apiserver_agree_on_every_case() {
    let client = client().await;
    ensure_crds(&client).await;
    let namespace = test_namespace("parity").await;
    let schemas = SchemaSet::new().expect("JSON Schemas build");
    let mut cases = hand_written();
    let hand = cases.len();
    cases.extend(edge_cases());

    let mut failures = Vec::new();
    let (mut valid, mut invalid, mut blind) = (0, 0, 0);
    for case in &cases {
        let object = build(case, &namespace);
        let kind = object["kind"].as_str().expect("kind").to_string();
        let info = registry::by_kind(&kind).expect("kind");
        let rust = significant(
            check_value(info.root_schema(), &object, Options { strict: true })
                .into_iter()
                .map(|e| e.path)
                .collect(),
        );
        let json_schema_ok = schemas.validate(&kind, &object).is_empty();
        let verdict = server::create(&client, info.plural, &namespace, &object, true).await;
        let server_paths = significant(verdict.paths());
        let server_ok = matches!(verdict, Verdict::Accepted(_));

        let found = Found {
            rust: &rust,
            server: &server_paths,
            server_ok,
            json_schema_ok,
        };
        let problems = match &case.edge {
            Some((path, inside)) => edge_problems(path, *inside, case, &found),
            None => exact_problems(case, &found),
        };
        match (server_ok, &case.json_schema_cannot) {
            (true, _) => valid += 1,
            (false, Some(_)) => {
                invalid += 1;
                blind += 1
            }
            (false, None) => invalid += 1,
        }
        if !problems.is_empty() {
            failures.push(format!("{}:\n    {}", case.name, problems.join("\n    ")));
        }
    }
    println!("{} cases ({hand} hand-written): {valid} valid, {invalid} invalid, {blind} invisible to JSON Schema", cases.len());
    assert!(
        failures.is_empty(),
        "{} of {} cases disagree:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    assert!(
        cases.len() >= 200,
        "only {} cases ({hand} hand-written)",
        cases.len()
    );
}

/// What the three enforcers said about one object.
struct Found<'a> {
    rust: &'a [String],
    server: &'a [String],
    server_ok: bool,
    json_schema_ok: bool,
}

/// A hand-written case: the apiserver's paths are exactly the case's, Rust's are the apiserver's,
/// and JSON Schema agrees on the verdict unless the case says why it cannot.
fn exact_problems(case: &Case, f: &Found) -> Vec<String> {
    let mut problems = Vec::new();
    let expected = significant(case.invalid.clone().unwrap_or_default());
    if f.server != expected.as_slice() {
        problems.push(format!(
            "apiserver paths {:?}, case says {expected:?}",
            f.server
        ));
    }
    if f.rust != f.server {
        problems.push(format!(
            "Rust paths {:?} != apiserver paths {:?}",
            f.rust, f.server
        ));
    }
    match (
        case.invalid.is_some(),
        &case.json_schema_cannot,
        f.json_schema_ok,
    ) {
        (false, _, false) => problems.push("JSON Schema rejected a valid object".into()),
        (true, None, true) => problems.push("JSON Schema accepted it".into()),
        (true, Some(_), false) => problems
            .push("JSON Schema rejected a case marked json_schema_cannot; drop the mark".into()),
        _ => {}
    }
    problems
}

/// A generated bound case: the bounded field is named exactly when the value is outside; Rust
/// says what the apiserver says (other rules, e.g. `perProvider <= total`, may fire as well).
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
    if f.rust != f.server {
        problems.push(format!(
            "Rust paths {:?} != apiserver paths {:?}",
            f.rust, f.server
        ));
    }
    let pure = f.server.is_empty() || f.server == [path.to_string()];
    if pure && case.json_schema_cannot.is_none() && f.json_schema_ok != f.server_ok {
        problems.push(format!(
            "JSON Schema says valid={}, apiserver valid={}",
            f.json_schema_ok, f.server_ok
        ));
    }
    problems
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
    ]);
    assert_eq!(gaps, listed);
}
