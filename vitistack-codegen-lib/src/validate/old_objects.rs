//! The old objects of `vitistack-codegen validate --old`: each new document is checked as an
//! update of the old document with the same apiVersion, kind, namespace and name.

use std::collections::HashMap;

use serde_json::Value;
use serde_saphyr::DuplicateKeyPolicy;

use super::read::parse;
use crate::yaml::split_documents;

/// What identifies an object: apiVersion, kind, namespace (empty when absent) and name.
type Identity = (String, String, String, String);

/// Old objects by identity.
#[derive(Debug, Default)]
pub struct OldObjects(HashMap<Identity, Value>);

/// The identity of a document, when it has all of apiVersion, kind and metadata.name.
fn identity(value: &Value) -> Option<Identity> {
    let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_string);
    let metadata = value.get("metadata");
    Some((
        text(value.get("apiVersion"))?,
        text(value.get("kind"))?,
        text(metadata.and_then(|m| m.get("namespace"))).unwrap_or_default(),
        text(metadata.and_then(|m| m.get("name")))?,
    ))
}

impl OldObjects {
    /// Adds every document of a YAML or JSON stream named `file`. A document that cannot be
    /// parsed, lacks apiVersion, kind or metadata.name, or repeats another's identity is an
    /// error (the old objects must say unambiguously what each update replaces).
    pub fn add_text(&mut self, file: &str, text: &str) -> Result<(), String> {
        for (i, doc) in split_documents(text).iter().enumerate() {
            let value = parse(doc, DuplicateKeyPolicy::LastWins)
                .map_err(|e| format!("{file}: document {}: {e}", i + 1))?;
            let Some(value) = value else { continue };
            let Some(id) = identity(&value) else {
                return Err(format!(
                    "{file}: document {}: an old object needs apiVersion, kind and metadata.name",
                    i + 1
                ));
            };
            let (api_version, kind, namespace, name) = &id;
            let shown = format!("{api_version} {kind} {namespace}/{name}");
            if self.0.insert(id.clone(), value).is_some() {
                return Err(format!(
                    "{file}: document {}: a second old object {shown}",
                    i + 1
                ));
            }
        }
        Ok(())
    }

    /// The old object `value` updates, if any.
    pub fn get(&self, value: &Value) -> Option<&Value> {
        self.0.get(&identity(value)?)
    }

    /// How many old objects there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}
