//! The apiserver's checks of `ObjectMeta` labels and annotations, on a `metadata` object alone
//! (the rules themselves are [`crate::rules::Labels`] and [`crate::rules::Annotations`]).

use crate::report::{Path, Report};
use crate::rules::Enforce;
use crate::schema::metadata_map_rules;
use serde_json::{Map, Value};

/// Checks labels and annotations of `metadata`, reporting at `metadata.labels` and
/// `metadata.annotations` as the apiserver does.
pub fn check_labels_and_annotations(metadata: &Map<String, Value>, report: &mut Report) {
    let mut path = Path::from_text("metadata");
    for (field, rule) in metadata_map_rules() {
        if let Some(value) = metadata.get(*field) {
            let mark = path.push_field(field);
            rule.check(value, &mut path, report);
            path.truncate(mark);
        }
    }
}
