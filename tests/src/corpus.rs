//! The parity corpus in `tests/corpus/`: hand-written object cases (`cases.yaml`), hand-written
//! status cases (`status.yaml`), and the bounds of decisions.md as literals (`bounds.yaml`), from
//! which the edge cases are made. Used by `parity.rs` (three enforcers agree) and
//! `kubeconform.rs` (kubeconform with `schemas/` agrees).

use crate::{example, remove_path, repo_root, set_path, EXAMPLES};
use num_bigint::BigInt;
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use vitistack_types::formats::Quantity;

/// What a case sends to the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Target {
    /// A create of the object (without status).
    #[default]
    Object,
    /// A PUT of the whole object (with status) to its `/status` subresource.
    Status,
}

/// One corpus case.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// What the case shows.
    pub name: String,
    /// Example file stem the object starts from.
    pub example: String,
    /// Field path → value to set.
    #[serde(default)]
    pub set: BTreeMap<String, Value>,
    /// Field paths to remove (before `set`).
    #[serde(default)]
    pub remove: Vec<String>,
    /// The field paths a rejection names; absent for a valid case.
    #[serde(default)]
    pub invalid: Option<Vec<String>>,
    /// Why JSON Schema cannot see this violation (it then must call the object valid).
    #[serde(default)]
    pub json_schema_cannot: Option<String>,
    /// The paths JSON Schema names where they differ from the apiserver's (a list's
    /// `uniqueItems` names the list, an `if`/`then` the field it constrains): reviewed literals.
    #[serde(default)]
    pub json_schema_paths: Option<Vec<String>>,
    /// Paths of `invalid` the Rust validator does not name yet: a known gap, kept visible (the
    /// test fails once Rust names them, so the mark goes).
    #[serde(default)]
    pub rust_misses: Vec<String>,
    /// Whether the case is a create or a status update (from the file it is in).
    #[serde(skip)]
    pub target: Target,
    /// Set for edge cases: the bounded field and whether the value is inside the bound.
    #[serde(skip)]
    pub edge: Option<(String, bool)>,
}

/// One bound of decisions.md, as literals.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bound {
    /// Example file stem.
    pub example: String,
    /// The bounded field.
    pub path: String,
    /// Lower bound: an integer, or a quantity literal (a string).
    #[serde(default)]
    pub min: Option<Value>,
    /// Upper bound, likewise.
    #[serde(default)]
    pub max: Option<Value>,
    /// Other fields to set first, so that the bounded field is in a valid object.
    #[serde(default)]
    pub set: BTreeMap<String, Value>,
    /// Paths the apiserver names beyond the upper bound that the Rust validator does not (see
    /// [`Case::rust_misses`]).
    #[serde(default)]
    pub rust_misses_above_max: Vec<String>,
    /// The text of `docs/spec/decisions.md` that states the bound (its literals are in it).
    #[serde(default)]
    pub decision: Option<String>,
    /// Why the bound is there when decisions.md does not state it.
    #[serde(default)]
    pub beyond_decisions: Option<String>,
    /// `int32` or `uint32` when the upper bound is that integer format's limit, not a decision.
    #[serde(default)]
    pub format: Option<String>,
}

impl Bound {
    /// The kind of the bound's example.
    pub fn kind(&self) -> &'static str {
        kind_of(&self.example)
    }

    /// Where the bound's value goes: an object create, or a status update for `status.*`.
    pub fn target(&self) -> Target {
        if self.path.starts_with("status.") {
            Target::Status
        } else {
            Target::Object
        }
    }

    /// The value one step beyond the bound as decisions states it: above its upper end where
    /// that is a decision (not an integer format's limit), else below its lower end.
    pub fn beyond_the_decision(&self) -> Value {
        match (&self.max, &self.format, &self.min) {
            (Some(max), None, _) => step(max, 1),
            (_, _, Some(min)) => step(min, -1),
            _ => panic!("{}: no bound decisions.md states", self.path),
        }
    }
}

/// The value one step (one unit) from an integer bound or a quantity literal (`1024Gi` + 1 =
/// `1099511627777`).
fn step(literal: &Value, step: i64) -> Value {
    match literal {
        Value::Number(n) => json!(n.as_i64().expect("integer bound") + step),
        Value::String(q) => json!((integer_of(q) + BigInt::from(step)).to_string()),
        other => panic!("bound {other} is not a number or quantity"),
    }
}

/// The kind whose example file stem is `stem`.
pub fn kind_of(stem: &str) -> &'static str {
    EXAMPLES
        .iter()
        .find(|(_, s)| *s == stem)
        .map(|(k, _)| *k)
        .unwrap_or_else(|| panic!("no example {stem}"))
}

fn load<T: serde::de::DeserializeOwned>(file: &str) -> T {
    let path = repo_root().join("tests/corpus").join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The hand-written cases: `cases.yaml` (objects) then `status.yaml` (status updates).
pub fn hand_written() -> Vec<Case> {
    let mut cases: Vec<Case> = load("cases.yaml");
    let mut status: Vec<Case> = load("status.yaml");
    for case in &mut status {
        case.target = Target::Status;
    }
    cases.extend(status);
    cases
}

/// The bounds of `bounds.yaml`.
pub fn bounds() -> Vec<Bound> {
    load("bounds.yaml")
}

/// Four cases per two-sided bound (two per one-sided one): each bound value is valid, one step
/// beyond it is not. Quantities step by one unit (`1024Gi` + 1 = `1099511627777`).
pub fn edge_cases() -> Vec<Case> {
    let mut cases = Vec::new();
    for bound in bounds() {
        let target = bound.target();
        let mut quantity = false;
        let mut edges = Vec::new();
        for (literal, by) in [(&bound.min, -1), (&bound.max, 1)] {
            if let Some(literal) = literal {
                quantity |= literal.is_string();
                edges.push((literal.clone(), true));
                edges.push((step(literal, by), false));
            }
        }
        let above_max = bound.max.is_some().then(|| edges.len() - 1);
        for (i, (value, inside)) in edges.into_iter().enumerate() {
            let mut set = bound.set.clone();
            set.insert(bound.path.clone(), value.clone());
            cases.push(Case {
                name: format!("{} {} = {value} (edge)", bound.kind(), bound.path),
                example: bound.example.clone(),
                set,
                remove: Vec::new(),
                invalid: None,
                json_schema_cannot: quantity.then(|| "quantity bounds".to_string()),
                json_schema_paths: None,
                rust_misses: if Some(i) == above_max {
                    bound.rust_misses_above_max.clone()
                } else {
                    Vec::new()
                },
                target,
                edge: Some((bound.path.clone(), inside)),
            });
        }
    }
    cases
}

/// The exact integer value of an integral quantity literal (`128Mi` → 134217728).
fn integer_of(literal: &str) -> BigInt {
    let (mantissa, exponent) = Quantity::parse(literal)
        .unwrap_or_else(|e| panic!("bound {literal}: {e}"))
        .to_decimal();
    assert!(exponent >= 0, "{literal} is not integral");
    mantissa * BigInt::from(10).pow(exponent as u32)
}

/// The object a case sends, in `namespace`: the example (without status for an object case),
/// then `remove`, then `set`.
pub fn build(case: &Case, namespace: &str) -> Value {
    let mut object = example(&case.example);
    if case.target == Target::Object {
        if let Some(map) = object.as_object_mut() {
            map.remove("status");
        }
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

/// The object a case starts from (its example, built with nothing removed or set).
pub fn base(case: &Case, namespace: &str) -> Value {
    let plain = Case {
        name: String::new(),
        example: case.example.clone(),
        set: BTreeMap::new(),
        remove: Vec::new(),
        invalid: None,
        json_schema_cannot: None,
        json_schema_paths: None,
        rust_misses: Vec::new(),
        target: case.target,
        edge: None,
    };
    build(&plain, namespace)
}
