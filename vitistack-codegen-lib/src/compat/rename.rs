//! Renames: a field removed and a field added under the same parent with an equal schema
//! (descriptions aside) are one change, the reference's "Rename field" row, rather than a
//! removal and an unrelated new field.

use std::collections::BTreeMap;

use super::constraints::required_names;
use super::flatten::Node;
use super::junctors::canonical;

/// One rename found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rename {
    /// The old field's path.
    pub from: String,
    /// The new field's path.
    pub to: String,
    /// Whether the old field was required (then the new one being required is not new).
    pub was_required: bool,
}

/// The renames among the `removed` fields (topmost removed paths): each pairs with the one
/// added field of its parent whose schema is equal, when neither has another candidate
/// (two equal new fields, or two equal removed ones, are ambiguous: no rename).
pub fn renames(
    removed: &[&str],
    old: &BTreeMap<String, Node>,
    new: &BTreeMap<String, Node>,
) -> Vec<Rename> {
    let added: Vec<&str> = new
        .iter()
        .filter(|(path, node)| {
            !old.contains_key(*path) && node.parent.as_ref().is_some_and(|p| old.contains_key(p))
        })
        .map(|(path, _)| path.as_str())
        .collect();
    // Only properties are renamed: a path ending in `[*]` is items or map values.
    let matches = |from: &str, to: &str| {
        !from.ends_with(']')
            && !to.ends_with(']')
            && old[from].parent == new[to].parent
            && canonical(old[from].own()) == canonical(new[to].own())
    };
    let mut out = Vec::new();
    for from in removed {
        let candidates: Vec<&str> = added
            .iter()
            .copied()
            .filter(|to| matches(from, to))
            .collect();
        let [to] = candidates.as_slice() else {
            continue;
        };
        if removed.iter().filter(|r| matches(r, to)).count() != 1 {
            continue;
        }
        out.push(Rename {
            from: (*from).to_owned(),
            to: (*to).to_owned(),
            was_required: was_required(from, old),
        });
    }
    out
}

fn was_required(path: &str, old: &BTreeMap<String, Node>) -> bool {
    let node = &old[path];
    let Some(parent) = node.parent.as_ref().and_then(|p| old.get(p)) else {
        return false;
    };
    let name = match node.parent.as_deref() {
        Some(super::flatten::ROOT) | None => path,
        Some(p) => path
            .strip_prefix(p)
            .and_then(|n| n.strip_prefix('.'))
            .unwrap_or(path),
    };
    required_names(&parent.layers).iter().any(|n| n == name)
}
