//! The property checks: what crdify compares at every field that exists in the old schema, plus
//! the CRD-specific keywords (`x-kubernetes-validations`, list types, list-map keys).
//!
//! As in crdify, only fields present in the old schema are compared (a new field is compatible
//! by itself; a new *required* field is caught at its parent by `required`), and each check
//! looks at one keyword of the node, never at its children (they are compared on their own).
//! A removed field is reported once, by `existingFieldRemoval` at its topmost removed path,
//! rather than by every keyword check (crdify compares it with an empty schema, which repeats
//! the removal as `type`, `enum`, ... findings).

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::ops::Bound;

use serde_json::Value;

use super::config::Config;
use super::flatten::{child, flatten};

/// One incompatible change at a field, before severity is applied.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    /// The field path (see [`super::flatten`]).
    pub path: String,
    /// The check name.
    pub check: &'static str,
    /// What changed.
    pub message: String,
}

/// Every incompatible change from schema `old` to schema `new` (two `openAPIV3Schema`s).
pub fn compare_schemas(old: &Value, new: &Value, config: &Config) -> Vec<Change> {
    let old_nodes = flatten(old);
    let new_nodes = flatten(new);
    let mut out = Vec::new();
    for (path, (old_node, parent)) in &old_nodes {
        match new_nodes.get(path) {
            Some((new_node, _)) => compare_node(path, old_node, new_node, config, &mut out),
            // Report a removed subtree once, at its top: where the parent is still there.
            None if parent.as_ref().is_none_or(|p| new_nodes.contains_key(p)) => {
                removed(path, &old_nodes, &mut out)
            }
            None => {}
        }
    }
    out
}

/// `existingFieldRemoval` at `path`, counting the old fields below it.
fn removed<T>(path: &str, old_nodes: &BTreeMap<String, T>, out: &mut Vec<Change>) {
    // Descendants sort right after `path` (they extend it), so a range scan finds them.
    let below = old_nodes
        .range::<str, _>((Bound::Excluded(path), Bound::Unbounded))
        .take_while(|(p, _)| p.starts_with(path))
        .filter(|(p, _)| is_ancestor(path, p))
        .count();
    let message = match below {
        0 => "field removed".to_owned(),
        n => format!("field removed (with {n} field(s) below it)"),
    };
    out.push(Change {
        path: path.to_owned(),
        check: "existingFieldRemoval",
        message,
    });
}

/// Whether `descendant` is strictly below `ancestor`.
fn is_ancestor(ancestor: &str, descendant: &str) -> bool {
    if ancestor == super::flatten::ROOT {
        return descendant != ancestor;
    }
    descendant
        .strip_prefix(ancestor)
        .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
}

fn compare_node(path: &str, old: &Value, new: &Value, config: &Config, out: &mut Vec<Change>) {
    let mut push = |check: &'static str, message: Option<String>| {
        if let Some(message) = message {
            out.push(Change {
                path: path.to_owned(),
                check,
                message,
            });
        }
    };
    push("type", changed_string(old, new, "type", "type changed"));
    push("enum", enum_change(old, new, config));
    push("default", default_change(old, new));
    for key in ["maximum", "maxLength", "maxItems", "maxProperties"] {
        push(key, bound_change(old, new, key, Ordering::Less, "lowered"));
    }
    for key in ["minimum", "minLength", "minItems", "minProperties"] {
        push(
            key,
            bound_change(old, new, key, Ordering::Greater, "raised"),
        );
    }
    push("pattern", pattern_change(old, new, config));
    push("nullable", nullable_change(old, new, config));
    push("listType", list_type_change(old, new));
    push("listMapKeys", map_keys_change(old, new));
    for message in added_rules(old, new) {
        push("x-kubernetes-validations", Some(message));
    }
    out.extend(required_changes(path, old, new));
}

fn show(value: Option<&Value>) -> String {
    value.map_or_else(|| "(none)".to_owned(), Value::to_string)
}

fn changed_string(old: &Value, new: &Value, key: &str, what: &str) -> Option<String> {
    let (a, b) = (old.get(key), new.get(key));
    (a != b).then(|| format!("{what}: {} -> {}", show(a), show(b)))
}

/// The elements of array `key` of `node` as JSON texts, sorted and deduplicated (a set).
fn json_set(node: &Value, key: &str) -> Vec<String> {
    let mut all: Vec<String> = node
        .get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(Value::to_string)
        .collect();
    all.sort();
    all.dedup();
    all
}

/// crdify `enum`: a constraint added where there was none, allowed values removed, or (unless
/// `additionPolicy: Allow`) allowed values added.
fn enum_change(old: &Value, new: &Value, config: &Config) -> Option<String> {
    let (a, b) = (json_set(old, "enum"), json_set(new, "enum"));
    let removed: Vec<&str> = a
        .iter()
        .filter(|v| !b.contains(v))
        .map(String::as_str)
        .collect();
    let added: Vec<&str> = b
        .iter()
        .filter(|v| !a.contains(v))
        .map(String::as_str)
        .collect();
    if a.is_empty() && !b.is_empty() {
        Some(format!("enum constraint added: [{}]", b.join(", ")))
    } else if !removed.is_empty() {
        Some(format!("allowed values removed: [{}]", removed.join(", ")))
    } else if !added.is_empty() && !config.enum_addition_allowed {
        Some(format!("allowed values added: [{}]", added.join(", ")))
    } else {
        None
    }
}

/// crdify `default`: added, removed or changed.
fn default_change(old: &Value, new: &Value) -> Option<String> {
    match (old.get("default"), new.get("default")) {
        (None, Some(b)) => Some(format!("default added: {b}")),
        (Some(a), None) => Some(format!("default removed: {a}")),
        (Some(a), Some(b)) if a != b => Some(format!("default changed: {a} -> {b}")),
        _ => None,
    }
}

/// crdify's `MaxVerification`/`MinVerification`: a bound added where there was none, or moved
/// in the `tighter` direction.
fn bound_change(
    old: &Value,
    new: &Value,
    key: &str,
    tighter: Ordering,
    verb: &str,
) -> Option<String> {
    match (old.get(key), new.get(key)) {
        (None, Some(b)) => Some(format!("{key} added: {b}")),
        (Some(a), Some(b)) if compare_numbers(b, a) == Some(tighter) => {
            Some(format!("{key} {verb}: {a} -> {b}"))
        }
        _ => None,
    }
}

/// Exact for integers (int64 bounds do not survive a trip through f64), else as f64.
fn compare_numbers(a: &Value, b: &Value) -> Option<Ordering> {
    match (a.as_i64(), b.as_i64(), a.as_u64(), b.as_u64()) {
        (Some(x), Some(y), _, _) => Some(x.cmp(&y)),
        (_, _, Some(x), Some(y)) => Some(x.cmp(&y)),
        (Some(_), _, _, Some(_)) => Some(Ordering::Less),
        (_, Some(_), Some(_), _) => Some(Ordering::Greater),
        _ => a.as_f64()?.partial_cmp(&b.as_f64()?),
    }
}

/// crdify `pattern`: added, changed, or (unless `removalPolicy: Allow`) removed.
fn pattern_change(old: &Value, new: &Value, config: &Config) -> Option<String> {
    let (a, b) = (old.get("pattern"), new.get("pattern"));
    match (a, b) {
        (None, Some(_)) => Some(format!("pattern added: {}", show(b))),
        (Some(_), None) if !config.pattern_removal_allowed => {
            Some(format!("pattern removed: {}", show(a)))
        }
        (Some(x), Some(y)) if x != y => Some(format!("pattern changed: {x} -> {y}")),
        _ => None,
    }
}

/// crdify `nullable`: allowing or forbidding null (each unless configured to `Allow`).
fn nullable_change(old: &Value, new: &Value, config: &Config) -> Option<String> {
    let flag = |v: &Value| v.get("nullable").and_then(Value::as_bool).unwrap_or(false);
    match (flag(old), flag(new)) {
        (false, true) if !config.nullable_addition_allowed => Some("nullable added".to_owned()),
        (true, false) if !config.nullable_removal_allowed => Some("nullable removed".to_owned()),
        _ => None,
    }
}

/// `x-kubernetes-list-type` changed (absent means `atomic`): `set` and `map` add uniqueness
/// that existing lists may break, and server-side apply merges the list differently.
fn list_type_change(old: &Value, new: &Value) -> Option<String> {
    let kind = |v: &Value| -> Option<String> {
        let explicit = v.get("x-kubernetes-list-type").and_then(Value::as_str);
        let is_list = v.get("type").and_then(Value::as_str) == Some("array");
        explicit
            .map(str::to_owned)
            .or_else(|| is_list.then(|| "atomic".to_owned()))
    };
    match (kind(old), kind(new)) {
        (Some(a), Some(b)) if a != b => Some(format!("list type changed: {a} -> {b}")),
        _ => None,
    }
}

/// `x-kubernetes-list-map-keys` changed (as a set: the order of the keys means nothing).
fn map_keys_change(old: &Value, new: &Value) -> Option<String> {
    let key = "x-kubernetes-list-map-keys";
    let (a, b) = (json_set(old, key), json_set(new, key));
    (a != b).then(|| {
        format!(
            "list map keys changed: [{}] -> [{}]",
            a.join(", "),
            b.join(", ")
        )
    })
}

/// `x-kubernetes-validations`: every rule whose text is not among the old rules (a new rule, or
/// an existing one rewritten, which may reject objects the old one accepted). Removing a rule
/// only loosens.
fn added_rules(old: &Value, new: &Value) -> Vec<String> {
    let rules = |v: &Value| -> Vec<String> {
        v.get("x-kubernetes-validations")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|r| r.get("rule").and_then(Value::as_str))
            .map(str::to_owned)
            .collect()
    };
    let before = rules(old);
    rules(new)
        .into_iter()
        .filter(|r| !before.contains(r))
        .map(|r| {
            let what = if r.contains("oldSelf") {
                "transition rule added"
            } else {
                "rule added"
            };
            format!("{what}: {r}")
        })
        .collect()
}

/// crdify `required`: names in the new `required` list that the old one lacks, reported at the
/// field itself (`spec.foo`, not `spec`).
fn required_changes(path: &str, old: &Value, new: &Value) -> Vec<Change> {
    let names = |v: &Value| -> Vec<String> {
        v.get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect()
    };
    let before = names(old);
    let existed = |name: &str| {
        old.pointer(&format!("/properties/{}", escape(name)))
            .is_some()
    };
    names(new)
        .into_iter()
        .filter(|n| !before.contains(n))
        .map(|n| Change {
            path: child(path, &n),
            check: "required",
            message: if existed(&n) {
                "optional field became required".to_owned()
            } else {
                "new required field".to_owned()
            },
        })
        .collect()
}

/// A JSON Pointer token.
fn escape(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}
