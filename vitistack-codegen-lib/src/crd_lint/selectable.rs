//! `selectableFields` (`ValidateCustomResourceSelectableFields`): each `jsonPath` must walk the
//! schema through properties (no brackets), to a string, boolean or integer outside metadata,
//! once; at most 8 per version.

use std::collections::BTreeSet;

use serde_json::Value;

use super::issue::{Check, Issue};
use super::roots::SelectableRoot;

/// `MaxSelectableFields`.
const MAX_SELECTABLE_FIELDS: usize = 8;

/// The findings of one `selectableFields` list.
pub(crate) fn check(root: &SelectableRoot<'_>, out: &mut Vec<Issue>) {
    let mut seen = BTreeSet::new();
    for (i, entry) in root.fields.iter().enumerate() {
        let path = root.path.index(i).child("jsonPath");
        let json_path = entry
            .get("jsonPath")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let mut refuse = |message: String| {
            out.push(Issue::refused(
                path.clone(),
                "",
                Check::SelectableField,
                message,
            ));
        };
        if json_path.is_empty() {
            refuse("Required value".to_owned());
            continue;
        }
        let Some(schema) = root.schema else {
            continue;
        };
        match super::field_path::resolve(json_path, schema, false) {
            Err(e) => refuse(format!(
                "Invalid value: {json_path:?}: is an invalid path: {e}"
            )),
            Ok(found) => {
                if json_path.starts_with(".metadata") {
                    refuse(format!(
                        "Invalid value: {json_path:?}: must not point to fields in metadata"
                    ));
                }
                if !matches!(
                    found.get("type").and_then(Value::as_str),
                    Some("string" | "boolean" | "integer")
                ) {
                    refuse(format!("Invalid value: {json_path:?}: must point to a field of type string, boolean or integer. Enum string fields and strings with formats are allowed."));
                }
                if !seen.insert(json_path.to_owned()) {
                    refuse(format!("Duplicate value: {json_path:?}"));
                }
            }
        }
    }
    if seen.len() > MAX_SELECTABLE_FIELDS {
        out.push(Issue::refused(
            root.path.clone(),
            "",
            Check::SelectableField,
            format!(
                "Too many: {}: must have at most {MAX_SELECTABLE_FIELDS} items",
                seen.len()
            ),
        ));
    }
}
