//! The objects of `compat --objects PATH`: every document of a file, or of every `*.yaml`,
//! `*.yml` and `*.json` under a directory (the walk of `compat`'s CRD inputs).

use std::path::Path;

use serde_json::Value;

use crate::compat::load::path_texts;
use crate::compat::InputError;
use crate::yaml::{parse_document, split_documents};

/// An object as stored, and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredObject {
    /// `FILE: document N`, or `cluster` for an object listed from a cluster.
    pub origin: String,
    /// The object.
    pub value: Value,
}

/// Every non-empty document under `path`. A document that does not parse, is not a mapping
/// or lacks a string `apiVersion` or `kind` is an input error naming the file and document.
/// CustomResourceDefinitions among them are skipped (a directory may hold both).
pub fn read_objects(path: &Path) -> Result<Vec<StoredObject>, InputError> {
    let mut out = Vec::new();
    for (file, text) in path_texts(path)? {
        for (index, doc) in split_documents(&text).iter().enumerate() {
            let origin = format!("{file}: document {}", index + 1);
            let value = parse_document(doc, &origin).map_err(|e| InputError(e.to_string()))?;
            let Some(value) = value else { continue };
            let typed = |field: &str| value.get(field).and_then(Value::as_str).is_some();
            if !value.is_object() || !typed("apiVersion") || !typed("kind") {
                return Err(InputError(format!(
                    "{origin}: an object needs string apiVersion and kind"
                )));
            }
            if crate::lint::is_crd_any_version(&value) {
                continue;
            }
            out.push(StoredObject { origin, value });
        }
    }
    Ok(out)
}
