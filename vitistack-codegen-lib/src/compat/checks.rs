//! The property checks: what crdify compares at every field that exists in the old schema, plus
//! the CRD-specific keywords (`x-kubernetes-validations`, list types, list-map keys), the
//! junctors, and a catch-all for keywords no check understands.
//!
//! As in crdify, only fields present in the old schema are compared (a new field is compatible
//! by itself; a new *required* field is caught at its parent by `required`), and each check
//! looks at one keyword of the field, never at its children (they are compared on their own).
//! A removed field is reported once, by `existingFieldRemoval` at its topmost removed path,
//! rather than by every keyword check (crdify compares it with an empty schema, which repeats
//! the removal as `type`, `enum`, ... findings), or as a `rename` (see [`super::rename`]).

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::ops::Bound;

use serde_json::Value;

use super::config::Config;
use super::constraints::{
    bound_change, enum_change, format_change, pattern_change, required_names, unique_items_change,
};
use super::flatten::{child, flatten, Node};
use super::junctors::junctor_changes;
use super::rename::{renames, Rename};
use super::rules::added_rules;
use super::unhandled::unhandled_changes;

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
    let mut removed_tops = Vec::new();
    for (path, old_node) in &old_nodes {
        match new_nodes.get(path) {
            Some(new_node) => compare_node(path, old_node, new_node, config, &mut out),
            // A removed subtree counts once, at its top: where the parent is still there.
            None if old_node
                .parent
                .as_ref()
                .is_none_or(|p| new_nodes.contains_key(p)) =>
            {
                removed_tops.push(path.as_str())
            }
            None => {}
        }
    }
    let found = renames(&removed_tops, &old_nodes, &new_nodes);
    for path in removed_tops {
        match found.iter().find(|r| r.from == path) {
            Some(rename) => out.push(rename_change(rename)),
            None => removed(path, &old_nodes, &mut out),
        }
    }
    // The renamed field's requirement is the old field's, not a new one.
    out.retain(|c| {
        !(c.check == "required" && found.iter().any(|r| r.to == c.path && r.was_required))
    });
    out
}

fn rename_change(rename: &Rename) -> Change {
    Change {
        path: rename.from.clone(),
        check: "rename",
        message: format!(
            "field renamed: {} -> {} (removed, and added with an equal schema: objects keep the old name until rewritten, clients lose it)",
            rename.from, rename.to
        ),
    }
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

fn compare_node(path: &str, old: &Node, new: &Node, config: &Config, out: &mut Vec<Change>) {
    let mut push = |check: &'static str, message: Option<String>| {
        if let Some(message) = message {
            out.push(Change {
                path: path.to_owned(),
                check,
                message,
            });
        }
    };
    let (a, b) = (old.layers.as_slice(), new.layers.as_slice());
    let (own_a, own_b) = (old.own(), new.own());
    push("type", changed_string(own_a, own_b, "type", "type changed"));
    push("enum", enum_change(a, b, config));
    push("default", default_change(own_a, own_b));
    for key in ["maximum", "maxLength", "maxItems", "maxProperties"] {
        push(key, bound_change(a, b, key, Ordering::Less, false));
    }
    for key in ["minimum", "minLength", "minItems", "minProperties"] {
        push(key, bound_change(a, b, key, Ordering::Greater, false));
    }
    push(
        "exclusiveMaximum",
        bound_change(a, b, "maximum", Ordering::Less, true),
    );
    push(
        "exclusiveMinimum",
        bound_change(a, b, "minimum", Ordering::Greater, true),
    );
    push("pattern", pattern_change(a, b, config));
    push("format", format_change(a, b));
    push("uniqueItems", unique_items_change(a, b));
    push("nullable", nullable_change(own_a, own_b, config));
    push("listType", list_type_change(own_a, own_b));
    push("listMapKeys", map_keys_change(own_a, own_b));
    for message in added_rules(own_a, own_b) {
        push("x-kubernetes-validations", Some(message));
    }
    for (check, message) in junctor_changes(a, b) {
        push(check, Some(message));
    }
    for message in unhandled_changes(a, b) {
        push("unhandled", Some(message));
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

/// crdify `default`: added, removed or changed.
fn default_change(old: &Value, new: &Value) -> Option<String> {
    match (old.get("default"), new.get("default")) {
        (None, Some(b)) => Some(format!("default added: {b}")),
        (Some(a), None) => Some(format!("default removed: {a}")),
        (Some(a), Some(b)) if a != b => Some(format!("default changed: {a} -> {b}")),
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

/// crdify `required`: names in the new `required` lists (of every layer) that the old ones
/// lack, reported at the field itself (`spec.foo`, not `spec`).
fn required_changes(path: &str, old: &Node, new: &Node) -> Vec<Change> {
    let before = required_names(&old.layers);
    let existed = |name: &str| {
        old.own()
            .get("properties")
            .and_then(|p| p.get(name))
            .is_some()
    };
    required_names(&new.layers)
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
