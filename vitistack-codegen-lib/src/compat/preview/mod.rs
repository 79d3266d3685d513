//! The preview of stored objects (`compat OLD NEW --objects PATH`, `--objects-from-cluster`):
//! what happens to objects stored under OLD once the CRD is moved to NEW.
//!
//! For each object the apiserver's steps are replayed:
//! 1. stored under OLD: pruned and defaulted by OLD's schema of its version (a dump of a
//!    stored object is unchanged by this; a manifest gets what a create would give it);
//! 2. read under NEW: pruned and defaulted again by NEW's schema (`read.rs`);
//! 3. validated against NEW as a create ([`check_value`]): what NEW rejects in it;
//! 4. an update that changes nothing but a label (the smallest write a
//!    controller makes) is validated as the apiserver does, with ratcheting
//!    ([`check_update`], old = the object as read): schema errors and false rules on unchanged
//!    nodes are dropped, while transition rules (which see `oldSelf == self`), rule evaluation
//!    errors, the root's `apiVersion`/`kind` and whatever is checked at the root itself (a
//!    required field, a rule), which every update changes (its metadata), are never ratcheted.
//!
//! Each object gets an [`Outcome`]: `valid`, `ratcheted` (NEW rejects it, an unchanged update
//! goes through), `blocked` (even that update is refused: the object must be fixed before any
//! write of it goes through, a label, a finalizer or a spec change) or `unchecked` (its CRD could
//! not be read, or its version is not served by NEW: said, never passed).
//!
//! [`check_value`]: vitistack_core::validate::check_value
//! [`check_update`]: vitistack_core::validate::check_update

#[cfg(feature = "client")]
pub mod cluster;
mod objects;
pub mod output;
mod read;
mod schema_source;

use std::collections::HashMap;

use serde::Serialize;
use serde_json::Value;
use vitistack_core::schema::Node;
use vitistack_core::validate::{check_update, check_value, Options};

use super::LoadedCrd;

pub use objects::{read_objects, StoredObject};
pub use output::render;

/// The label the simulated update sets (any change outside the failing fields would do).
pub const UPDATE_LABEL: &str = "compat.vitistack.io/preview";

/// What moving the CRD to NEW does to one stored object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// NEW accepts the object.
    Valid,
    /// NEW rejects the object, but an update that leaves the failing fields unchanged goes
    /// through (ratcheting).
    Ratcheted,
    /// Even an update that leaves the failing fields unchanged is refused (a transition rule
    /// can refuse it although NEW accepts the object as a create).
    Blocked,
    /// Not checked (see the notes): the schema could not be read, or the version is gone.
    Unchecked,
}

impl Outcome {
    /// The name used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Valid => "valid",
            Outcome::Ratcheted => "ratcheted",
            Outcome::Blocked => "blocked",
            Outcome::Unchecked => "unchecked",
        }
    }
}

/// The preview's verdict on one object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verdict {
    /// Where the object came from (`FILE: document N`, or `cluster`).
    pub origin: String,
    /// Its `apiVersion`.
    pub api_version: String,
    /// Its `kind`.
    pub kind: String,
    /// Its namespace (empty for cluster-scoped objects and manifests without one).
    pub namespace: String,
    /// Its name (or `generateName`).
    pub name: String,
    /// The verdict.
    pub outcome: Outcome,
    /// What NEW rejects in the object read under it (`path: message`).
    pub rejected: Vec<String>,
    /// Why an unchanged update is refused (for [`Outcome::Blocked`]).
    pub update_refused: Vec<String>,
    /// Why the object was not checked, or what was assumed.
    pub notes: Vec<String>,
}

/// The verdicts on every object of a kind OLD or NEW defines.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Preview {
    /// One verdict per object, in input order.
    pub verdicts: Vec<Verdict>,
    /// Objects of kinds neither side defines (not previewed).
    pub skipped: usize,
}

impl Preview {
    /// Whether some object cannot be written after the move without a fix, or was not
    /// checked (exit code 1).
    pub fn needs_attention(&self) -> bool {
        self.verdicts
            .iter()
            .any(|v| matches!(v.outcome, Outcome::Blocked | Outcome::Unchecked))
    }

    /// How many verdicts have `outcome`.
    pub fn count(&self, outcome: Outcome) -> usize {
        self.verdicts
            .iter()
            .filter(|v| v.outcome == outcome)
            .count()
    }
}

/// Previews every object of `objects` whose kind OLD or NEW defines.
pub fn preview(old: &[LoadedCrd], new: &[LoadedCrd], objects: &[StoredObject]) -> Preview {
    let mut nodes = Nodes::default();
    let mut out = Preview::default();
    for object in objects {
        match verdict(old, new, object, &mut nodes) {
            Some(v) => out.verdicts.push(v),
            None => out.skipped += 1,
        }
    }
    out
}

/// Which side of the comparison a CRD is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Side {
    Old,
    New,
}

/// The CRDs read so far, by side and name (each CRD read once).
#[derive(Default)]
struct Nodes(HashMap<(Side, String), schema_source::ReadCrd>);

impl Nodes {
    fn get(&mut self, side: Side, crd: &LoadedCrd, version: &str) -> Result<&Node, String> {
        let read = self
            .0
            .entry((side, crd.name.clone()))
            .or_insert_with(|| schema_source::read(&crd.crd));
        schema_source::version_node(read, version)
    }
}

fn verdict(
    old: &[LoadedCrd],
    new: &[LoadedCrd],
    object: &StoredObject,
    nodes: &mut Nodes,
) -> Option<Verdict> {
    let text = |pointer: &str| {
        object
            .value
            .pointer(pointer)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let api_version = text("/apiVersion");
    let kind = text("/kind");
    let (group, version) = api_version.rsplit_once('/').unwrap_or(("", &api_version));
    let old_crd = defining(old, group, &kind);
    let new_crd = defining(new, group, &kind);
    if old_crd.is_none() && new_crd.is_none() {
        return None;
    }
    let name = match text("/metadata/name") {
        name if name.is_empty() => text("/metadata/generateName"),
        name => name,
    };
    let mut verdict = Verdict {
        origin: object.origin.clone(),
        api_version: api_version.clone(),
        kind: kind.clone(),
        namespace: text("/metadata/namespace"),
        name,
        outcome: Outcome::Unchecked,
        rejected: Vec::new(),
        update_refused: Vec::new(),
        notes: Vec::new(),
    };
    let Some(new_crd) = new_crd else {
        verdict.outcome = Outcome::Blocked;
        verdict.update_refused.push(format!(
            "NEW has no CRD for {kind}.{group}: the CRD is gone, and its objects with it"
        ));
        return Some(verdict);
    };
    if !served(&new_crd.crd, version) {
        verdict.notes.push(format!(
            "NEW does not serve version {version}: read the object through a served version \
             (compat does not convert objects)"
        ));
        return Some(verdict);
    }
    let mut value = object.value.clone();
    if let Some(old_crd) = old_crd {
        match nodes.get(Side::Old, old_crd, version) {
            Ok(node) => {
                read::read_as(node, &mut value);
                let old_errors = check_value(node, &value, Options { strict: false });
                if !old_errors.is_empty() {
                    let all: Vec<String> = old_errors.iter().map(ToString::to_string).collect();
                    verdict.notes.push(format!(
                        "OLD rejects it too ({}): it cannot have been created as it is",
                        all.join("; ")
                    ));
                }
            }
            Err(e) => verdict
                .notes
                .push(format!("OLD: {e}; the object is taken as stored")),
        }
    }
    let node = match nodes.get(Side::New, new_crd, version) {
        Ok(node) => node,
        Err(e) => {
            verdict.notes.push(format!("NEW: {e}"));
            return Some(verdict);
        }
    };
    read::read_as(node, &mut value);
    let options = Options { strict: false };
    verdict.rejected = check_value(node, &value, options)
        .iter()
        .map(ToString::to_string)
        .collect();
    // Always tried: a transition rule can refuse the update of an object a create accepts.
    let updated = with_update_label(&value);
    verdict.update_refused = check_update(node, &updated, &value, options)
        .iter()
        .map(ToString::to_string)
        .collect();
    verdict.outcome = match (
        verdict.update_refused.is_empty(),
        verdict.rejected.is_empty(),
    ) {
        (false, _) => Outcome::Blocked,
        (true, false) => Outcome::Ratcheted,
        (true, true) => Outcome::Valid,
    };
    Some(verdict)
}

/// The CRD of `crds` that defines `kind` in `group`.
fn defining<'a>(crds: &'a [LoadedCrd], group: &str, kind: &str) -> Option<&'a LoadedCrd> {
    crds.iter().find(|c| {
        c.crd.pointer("/spec/group").and_then(Value::as_str) == Some(group)
            && c.crd.pointer("/spec/names/kind").and_then(Value::as_str) == Some(kind)
    })
}

/// Whether `crd` lists `version` as served.
fn served(crd: &Value, version: &str) -> bool {
    crd.pointer("/spec/versions")
        .and_then(Value::as_array)
        .is_some_and(|versions| {
            versions.iter().any(|v| {
                v.get("name").and_then(Value::as_str) == Some(version)
                    && v.get("served").and_then(Value::as_bool) == Some(true)
            })
        })
}

/// `value` with [`UPDATE_LABEL`] set: the write the preview simulates.
fn with_update_label(value: &Value) -> Value {
    let mut updated = value.clone();
    if let Some(object) = updated.as_object_mut() {
        let metadata = object
            .entry("metadata")
            .or_insert_with(|| Value::Object(Default::default()));
        if let Some(metadata) = metadata.as_object_mut() {
            let labels = metadata
                .entry("labels")
                .or_insert_with(|| Value::Object(Default::default()));
            if let Some(labels) = labels.as_object_mut() {
                labels.insert(UPDATE_LABEL.to_owned(), Value::from("update"));
            }
        }
    }
    updated
}
