//! Update-time rules (decisions.md §6): rules that compare a field with its value in the object
//! being replaced. On the apiserver they are CEL transition rules (`oldSelf`), which it runs only
//! where the new value has an old one to compare with: a field present in both objects, a
//! list-map item whose keys are in both lists. They never fire on a create, and they are never
//! ratcheted (an unchanged value passes them anyway).
//!
//! A field's own rule is not run when the new object lacks the field, so "immutable once set"
//! also needs a rule on the enclosing object that catches the removal: a [`RemovalGuard`], which
//! the schema model puts on every object node that needs one (`schema::removal_guards`), after
//! the object's own rules.

use super::{cel, Coverage, Enforce, Phase};
use crate::formats::Quantity;
use crate::report::{ErrorKind, Path, Reject, Report};
use serde_json::{json, Map, Value};

/// Why `schemas/` carries no trace of these rules.
const NO_JSON_SCHEMA: &str =
    "JSON Schema sees one document, not an update: it cannot compare a value with the old one (CEL transition rules)";

/// The Rust side of a transition rule: compares a value with its correlated old value.
pub trait Transition {
    /// Checks `new` against `old` (both present) at `path`, adding every violation to `report`.
    fn check_update(&self, new: &Value, old: &Value, path: &mut Path, report: &mut Report);
}

/// "Immutable once set": may be set when unset; may not change or be removed afterwards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Immutable {
    /// The field's wire name, for the message (`vlan is immutable once set`).
    pub field: String,
}

impl Immutable {
    /// The message, worded once for the change and the removal.
    pub fn message(&self) -> String {
        format!("{} is immutable once set", self.field)
    }
}

/// "May only grow": a quantity that may not become smaller than its old value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MayOnlyGrow;

/// A Kubernetes version (`v1.32.3` or `1.32.3`) that may not go down and may go up by at most
/// one minor version per update; patch versions change freely within a minor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KubernetesVersionStep;

/// The version syntax the step rule understands (the field's own pattern).
pub const KUBERNETES_VERSION_PATTERN: &str = "^v?[0-9]+\\.[0-9]+\\.[0-9]+$";

/// Appends a transition rule with a static `message` and an optional `messageExpression`.
fn push_transition(
    schema: &mut Map<String, Value>,
    rule: &str,
    message: &str,
    message_expression: Option<&str>,
) {
    let mut entry = json!({ "rule": rule, "message": message });
    if let Some(expression) = message_expression {
        entry["messageExpression"] = Value::from(expression);
    }
    super::push_to(schema, "x-kubernetes-validations", entry);
}

/// The value the apiserver shows for a CEL failure: the value itself for a scalar, nothing for
/// an object or list (`field.OmitValueType`).
fn shown(value: &Value) -> Option<&Value> {
    (!value.is_object() && !value.is_array()).then_some(value)
}

/// Reports `new` at `path` as an invalid value (a scalar: the apiserver shows it).
fn invalid(path: &Path, new: &Value, detail: String, report: &mut Report) {
    report.reject(path, ErrorKind::Invalid, Some(new), detail);
}

/// The text of a JSON string, or its JSON form (what CEL's `+` would not accept anyway).
fn text(value: &Value) -> String {
    value
        .as_str()
        .map_or_else(|| value.to_string(), str::to_string)
}

impl Enforce for Immutable {
    fn phase(&self) -> Phase {
        Phase::Cel
    }
    fn openapi(&self, schema: &mut Map<String, Value>) {
        push_transition(schema, "self == oldSelf", &self.message(), None);
    }
    fn json_schema(&self, _: &mut Map<String, Value>) -> Coverage {
        Coverage::None(NO_JSON_SCHEMA)
    }
    fn check(&self, _: &Value, _: &mut Path, _: &mut Report) {
        // A create has no old value: nothing to compare.
    }
}

impl Transition for Immutable {
    fn check_update(&self, new: &Value, old: &Value, path: &mut Path, report: &mut Report) {
        if new != old {
            report.reject(path, ErrorKind::Invalid, shown(new), self.message());
        }
    }
}

impl Enforce for MayOnlyGrow {
    fn phase(&self) -> Phase {
        Phase::Cel
    }
    fn openapi(&self, schema: &mut Map<String, Value>) {
        push_transition(
            schema,
            "!isQuantity(self) || !isQuantity(oldSelf) || quantity(self).compareTo(quantity(oldSelf)) >= 0",
            "may not shrink",
            Some("'may not shrink from ' + oldSelf"),
        );
    }
    fn json_schema(&self, _: &mut Map<String, Value>) -> Coverage {
        Coverage::None(NO_JSON_SCHEMA)
    }
    fn check(&self, _: &Value, _: &mut Path, _: &mut Report) {}
}

impl Transition for MayOnlyGrow {
    fn check_update(&self, new: &Value, old: &Value, path: &mut Path, report: &mut Report) {
        let parse = |v: &Value| v.as_str().and_then(|s| Quantity::parse(s).ok());
        let (Some(n), Some(o)) = (parse(new), parse(old)) else {
            return;
        };
        if n < o {
            invalid(
                path,
                new,
                format!("may not shrink from {}", text(old)),
                report,
            );
        }
    }
}

/// `int(<s>.split('.')[i])` with the `v` of the major dropped.
fn cel_part(s: &str, i: usize) -> String {
    if i == 0 {
        format!("int({s}.split('.')[0].replace('v', ''))")
    } else {
        format!("int({s}.split('.')[{i}])")
    }
}

impl Enforce for KubernetesVersionStep {
    fn phase(&self) -> Phase {
        Phase::Cel
    }
    fn openapi(&self, schema: &mut Map<String, Value>) {
        let pattern = cel::string(KUBERNETES_VERSION_PATTERN);
        let rule = format!(
            "!self.matches({pattern}) || !oldSelf.matches({pattern}) || ({} == {} && {} >= {} && {} <= {} + 1)",
            cel_part("self", 0),
            cel_part("oldSelf", 0),
            cel_part("self", 1),
            cel_part("oldSelf", 1),
            cel_part("self", 1),
            cel_part("oldSelf", 1),
        );
        push_transition(
            schema,
            &rule,
            "may go up at most one minor version",
            Some("'may go up at most one minor version from ' + oldSelf"),
        );
    }
    fn json_schema(&self, _: &mut Map<String, Value>) -> Coverage {
        Coverage::None(NO_JSON_SCHEMA)
    }
    fn check(&self, _: &Value, _: &mut Path, _: &mut Report) {}
}

/// Major and minor of a version in the pattern's syntax. `Err` when a part overflows CEL's
/// `int` (the apiserver then fails the rule with an evaluation error at the same field).
fn major_minor(version: &str) -> Option<Result<(i64, i64), ()>> {
    if !is_simple_version(version) {
        return None;
    }
    let mut parts = version.trim_start_matches('v').split('.');
    let mut next = || parts.next().map(str::parse::<i64>);
    match (next(), next()) {
        (Some(Ok(major)), Some(Ok(minor))) => Some(Ok((major, minor))),
        _ => Some(Err(())),
    }
}

/// Whether `version` matches [`KUBERNETES_VERSION_PATTERN`].
fn is_simple_version(version: &str) -> bool {
    let digits = version.strip_prefix('v').unwrap_or(version);
    let parts: Vec<&str> = digits.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

impl Transition for KubernetesVersionStep {
    fn check_update(&self, new: &Value, old: &Value, path: &mut Path, report: &mut Report) {
        let (Some(n), Some(o)) = (
            new.as_str().and_then(major_minor),
            old.as_str().and_then(major_minor),
        ) else {
            return;
        };
        let ok = match (n, o) {
            (Ok((nm, nn)), Ok((om, on))) => nm == om && nn >= on && nn - on <= 1,
            _ => false,
        };
        if !ok {
            let detail = format!("may go up at most one minor version from {}", text(old));
            invalid(path, new, detail, report);
        }
    }
}

/// A rule on an object that catches the removal of an immutable field below it: when the old
/// object had every segment of `path` and the new one lacks its first segment, the apiserver
/// reports `path` as required (`spec.vlan: Required value: vlan is immutable once set`).
///
/// Guards sit on the object whose property is the first segment, and only for optional
/// properties (removing a required one is already a schema error). The deeper segments are the
/// business of the guards on the nested objects, which run when the first segment is present in
/// both objects, so a removal is reported exactly once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemovalGuard {
    /// Wire names from the guarded object down to the immutable field.
    pub path: Vec<String>,
    /// The immutable field's message.
    pub message: String,
}

impl RemovalGuard {
    /// The CEL rule: `!(has(oldSelf.a) && has(oldSelf.a.b)) || has(self.a)`.
    pub fn cel(&self) -> String {
        let mut prefix = String::from("oldSelf");
        let mut present = Vec::new();
        for segment in &self.path {
            prefix.push('.');
            prefix.push_str(segment);
            present.push(format!("has({prefix})"));
        }
        format!("!({}) || has(self.{})", present.join(" && "), self.path[0])
    }

    /// Whether every segment of the path is present (and not null) in `object`.
    fn present_in(&self, object: &Map<String, Value>) -> bool {
        let mut current = object;
        for (i, segment) in self.path.iter().enumerate() {
            match current.get(segment) {
                None | Some(Value::Null) => return false,
                Some(Value::Object(next)) => current = next,
                Some(_) => return i + 1 == self.path.len(),
            }
        }
        true
    }
}

impl Enforce for RemovalGuard {
    fn phase(&self) -> Phase {
        Phase::Cel
    }
    fn openapi(&self, schema: &mut Map<String, Value>) {
        let field_path = format!(".{}", self.path.join("."));
        cel::push(
            schema,
            &self.cel(),
            &self.message,
            Some(&field_path),
            Some("FieldValueRequired"),
        );
    }
    fn json_schema(&self, _: &mut Map<String, Value>) -> Coverage {
        Coverage::None(NO_JSON_SCHEMA)
    }
    fn check(&self, _: &Value, _: &mut Path, _: &mut Report) {
        // A create removes nothing.
    }
}

impl Transition for RemovalGuard {
    /// Checks the guard on an object and its correlated old value.
    fn check_update(&self, new: &Value, old: &Value, path: &mut Path, report: &mut Report) {
        let (Some(new), Some(old)) = (new.as_object(), old.as_object()) else {
            return;
        };
        let present_in_new = new.get(&self.path[0]).is_some_and(|v| !v.is_null());
        if present_in_new || !self.present_in(old) {
            return;
        }
        let mark = path.push_relative(&self.path.join("."));
        report.reject(path, ErrorKind::Required, None, &self.message);
        path.truncate(mark);
    }
}
