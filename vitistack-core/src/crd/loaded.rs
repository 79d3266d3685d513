//! Any CRD read from its JSON (`apiextensions.k8s.io/v1` `CustomResourceDefinition`): names,
//! scope, and per version the flags, subresources and the schema loaded into the model
//! ([`crate::schema::load`]). What `validate --crd`, `lint`, `import` and `compat` start from.

use super::Scope;
use crate::schema::load::{load, LoadError, LoadErrors};
use crate::schema::Node;
use serde_json::Value;

/// A CRD, read.
#[derive(Debug, Clone)]
pub struct LoadedCrd {
    /// `spec.group`.
    pub group: String,
    /// `spec.names`.
    pub names: Names,
    /// `spec.scope`.
    pub scope: Scope,
    /// `spec.versions`, in the CRD's order.
    pub versions: Vec<LoadedVersion>,
}

/// `spec.names`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Names {
    /// `kind`.
    pub kind: String,
    /// `plural`.
    pub plural: String,
    /// `singular` (empty when not written: the apiserver then uses the lower-case kind).
    pub singular: String,
    /// `listKind` (empty when not written: `<kind>List`).
    pub list_kind: String,
    /// `shortNames`.
    pub short_names: Vec<String>,
    /// `categories`.
    pub categories: Vec<String>,
}

/// One entry of `spec.versions`.
#[derive(Debug, Clone)]
pub struct LoadedVersion {
    /// `name` (`v1alpha1`).
    pub name: String,
    /// `served`.
    pub served: bool,
    /// `storage`.
    pub storage: bool,
    /// `deprecated`.
    pub deprecated: bool,
    /// The loaded `schema.openAPIV3Schema`.
    pub node: Node,
    /// `subresources`.
    pub subresources: Subresources,
}

/// A version's `subresources`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Subresources {
    /// `status: {}`: the status is written through its own endpoint.
    pub status: bool,
    /// `scale`, as written (`specReplicasPath`, `statusReplicasPath`, `labelSelectorPath`).
    pub scale: Option<Value>,
}

/// Reads a CRD. Every problem is collected: the CRD's own fields and each version's schema
/// errors, at their apiserver paths (`spec.versions[0].schema.openAPIV3Schema.properties[spec]...`).
pub fn read_crd(crd: &Value) -> Result<LoadedCrd, LoadErrors> {
    let mut errors = Vec::new();
    if crd.get("apiVersion").and_then(Value::as_str) != Some("apiextensions.k8s.io/v1")
        || crd.get("kind").and_then(Value::as_str) != Some("CustomResourceDefinition")
    {
        let message =
            "not an apiextensions.k8s.io/v1 CustomResourceDefinition (apiVersion and kind)";
        push(&mut errors, "", message);
        return Err(LoadErrors(errors));
    }
    let spec = crd.get("spec").unwrap_or(&Value::Null);
    let group = required_string(spec, "group", "spec.group", &mut errors);
    let names_value = spec.get("names").unwrap_or(&Value::Null);
    let optional = |key: &str| {
        names_value
            .get(key)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    let list = |key: &str| -> Vec<String> {
        names_value
            .get(key)
            .and_then(Value::as_array)
            .map(|l| {
                l.iter()
                    .filter_map(Value::as_str)
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default()
    };
    let names = Names {
        kind: required_string(names_value, "kind", "spec.names.kind", &mut errors),
        plural: required_string(names_value, "plural", "spec.names.plural", &mut errors),
        singular: optional("singular"),
        list_kind: optional("listKind"),
        short_names: list("shortNames"),
        categories: list("categories"),
    };
    let scope = match spec.get("scope").and_then(Value::as_str) {
        Some("Namespaced") => Scope::Namespaced,
        Some("Cluster") => Scope::Cluster,
        _ => {
            let message = "Unsupported value: supported values: \"Cluster\", \"Namespaced\"";
            push(&mut errors, "spec.scope", message);
            Scope::Namespaced
        }
    };
    let mut versions = Vec::new();
    match spec.get("versions").and_then(Value::as_array) {
        Some(list) if !list.is_empty() => {
            for (i, version) in list.iter().enumerate() {
                match read_version(version, &format!("spec.versions[{i}]")) {
                    Ok(v) => versions.push(v),
                    Err(e) => errors.extend(e),
                }
            }
        }
        _ => {
            let message = "Required value: must have at least one version";
            push(&mut errors, "spec.versions", message);
        }
    }
    if !errors.is_empty() {
        return Err(LoadErrors(errors));
    }
    Ok(LoadedCrd {
        group,
        names,
        scope,
        versions,
    })
}

fn push(errors: &mut Vec<LoadError>, path: &str, message: &str) {
    errors.push(LoadError {
        path: path.to_string(),
        message: message.to_string(),
    });
}

/// The string under `key` of `parent`; an error at `path` when it is missing.
fn required_string(parent: &Value, key: &str, path: &str, errors: &mut Vec<LoadError>) -> String {
    match parent.get(key).and_then(Value::as_str) {
        Some(text) => text.to_string(),
        None => {
            push(errors, path, "Required value: must be a string");
            String::new()
        }
    }
}

fn read_version(version: &Value, at: &str) -> Result<LoadedVersion, LoadErrors> {
    let mut errors = Vec::new();
    let name = match version.get("name").and_then(Value::as_str) {
        Some(name) => name.to_string(),
        None => {
            push(
                &mut errors,
                &format!("{at}.name"),
                "Required value: must be a string",
            );
            String::new()
        }
    };
    let flag = |key: &str| version.get(key).and_then(Value::as_bool).unwrap_or(false);
    let schema_at = format!("{at}.schema.openAPIV3Schema");
    let node = match version.get("schema").and_then(|s| s.get("openAPIV3Schema")) {
        Some(schema) => match load(schema) {
            Ok(node) => Some(node),
            Err(e) => {
                errors.extend(e.prefixed(&schema_at));
                None
            }
        },
        None => {
            push(
                &mut errors,
                &schema_at,
                "Required value: schemas are required",
            );
            None
        }
    };
    let subresources = version.get("subresources");
    let subresources = Subresources {
        status: subresources.and_then(|s| s.get("status")).is_some(),
        scale: subresources.and_then(|s| s.get("scale")).cloned(),
    };
    match node {
        Some(node) if errors.is_empty() => Ok(LoadedVersion {
            name,
            served: flag("served"),
            storage: flag("storage"),
            deprecated: flag("deprecated"),
            node,
            subresources,
        }),
        _ => Err(LoadErrors(errors)),
    }
}

#[cfg(test)]
#[path = "loaded_tests.rs"]
mod tests;
