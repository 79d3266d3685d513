//! The CEL parity corpus: the cases of `tests/corpus/cel.yaml` (creates) and
//! `tests/corpus/cel_updates.yaml` (updates) for the kinds of [`crate::cel_kinds`], and what the
//! test needs to send them to the apiserver and through `validate()` / `validate_update()`.

use crate::cel_kinds::{
    CelMessages, CelNetwork, CelNumbers, CelShapes, CelStandard, CelStrings, CelTransitions, GROUP,
    VERSION,
};
use crate::repo_root;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{json, Value};
use vitistack_types::crd::CustomResourceKind;
use vitistack_types::report::FieldError;
use vitistack_types::validate::{Validate, ValidateUpdate};

/// One create case.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CelCase {
    /// What the case shows.
    pub name: String,
    /// The kind (one of [`KINDS`]).
    pub kind: String,
    /// The object's spec.
    pub spec: Value,
    /// The field paths the apiserver names; absent when it accepts the object.
    #[serde(default)]
    pub invalid: Option<Vec<String>>,
}

/// One update case.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CelUpdateCase {
    /// What the case shows.
    pub name: String,
    /// The kind (one of [`KINDS`]).
    pub kind: String,
    /// The specs stored for real before the update: created, then updated in turn.
    pub history: Vec<Value>,
    /// The spec of the update.
    pub spec: Value,
    /// The field paths the apiserver names; absent when it accepts the update.
    #[serde(default)]
    pub invalid: Option<Vec<String>>,
}

fn load<T: DeserializeOwned>(file: &str) -> T {
    let path = repo_root().join("tests/corpus").join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The create cases, in file order.
pub fn cases() -> Vec<CelCase> {
    load("cel.yaml")
}

/// The update cases, in file order.
pub fn update_cases() -> Vec<CelUpdateCase> {
    load("cel_updates.yaml")
}

/// What validation said: every violation, or why the object could not be validated at all.
pub type Verdict = Result<Vec<FieldError>, String>;

/// A corpus kind: its names, its CRD, and its typed `validate()` / `validate_update()` reached
/// from JSON.
pub struct CorpusKind {
    /// The kind.
    pub kind: &'static str,
    /// The plural resource name.
    pub plural: &'static str,
    /// The CRD.
    pub crd: fn() -> Value,
    /// Deserialises an object into the kind's type and runs `validate()`.
    pub validate: fn(&Value) -> Verdict,
    /// Deserialises both objects and runs `new.validate_update(&old)`.
    pub validate_update: fn(&Value, &Value) -> Verdict,
}

fn typed<K: DeserializeOwned>(object: &Value) -> Result<K, String> {
    serde_json::from_value(object.clone()).map_err(|e| format!("does not deserialise: {e}"))
}

fn validate<K: DeserializeOwned + Validate>(object: &Value) -> Verdict {
    Ok(match typed::<K>(object)?.validate() {
        Ok(()) => Vec::new(),
        Err(errors) => errors.0,
    })
}

fn validate_update<K: DeserializeOwned + ValidateUpdate>(new: &Value, old: &Value) -> Verdict {
    Ok(match typed::<K>(new)?.validate_update(&typed::<K>(old)?) {
        Ok(()) => Vec::new(),
        Err(errors) => errors.0,
    })
}

const fn kind<K>() -> CorpusKind
where
    K: CustomResourceKind + DeserializeOwned + Validate + ValidateUpdate,
{
    CorpusKind {
        kind: K::KIND,
        plural: K::PLURAL,
        crd: K::crd,
        validate: validate::<K>,
        validate_update: validate_update::<K>,
    }
}

/// Every corpus kind.
pub const KINDS: &[CorpusKind] = &[
    kind::<CelStandard>(),
    kind::<CelStrings>(),
    kind::<CelNetwork>(),
    kind::<CelNumbers>(),
    kind::<CelShapes>(),
    kind::<CelMessages>(),
    kind::<CelTransitions>(),
];

/// The corpus kind `name`.
pub fn kind_named(name: &str) -> &'static CorpusKind {
    KINDS
        .iter()
        .find(|k| k.kind == name)
        .unwrap_or_else(|| panic!("no corpus kind {name}"))
}

/// `/apis/<group>/<version>` of the corpus kinds.
pub fn api() -> String {
    format!("/apis/{GROUP}/{VERSION}")
}

/// A whole object of `kind` named `name` in `namespace` with `spec`.
pub fn object(kind: &str, name: &str, namespace: &str, spec: &Value) -> Value {
    json!({
        "apiVersion": format!("{GROUP}/{VERSION}"),
        "kind": kind,
        "metadata": {"name": name, "namespace": namespace},
        "spec": spec,
    })
}
