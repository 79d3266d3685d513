//! One multi-version CRD from the single-version CRDs of each version's Rust type.
//!
//! kube-core's `merge_crds` picks the storage version but leaves `served`, `deprecated` and the
//! conversion to the caller; this merge takes them per version and checks what the apiserver
//! would otherwise refuse late (or, for a group mismatch, accept as a different resource).
//!
//! For versions that are Rust types, `vitistack_types::versions!` makes the same CRD and turns
//! these checks into compile errors; this run-time merge is for CRDs that are only values
//! (read from files, or built by hand).

use serde_json::{Map, Value};
use vitistack_core::crd::versions::set_flags;

/// How one version appears in the merged CRD.
#[derive(Debug, Clone)]
pub struct VersionOptions {
    /// The version's single-version CRD (from `CustomResourceKind::crd()`).
    pub crd: Value,
    /// Served by the apiserver.
    pub served: bool,
    /// The storage version (exactly one).
    pub storage: bool,
    /// `deprecated: true` and the warning clients get; `None` when not deprecated.
    pub deprecation_warning: Option<String>,
}

impl VersionOptions {
    /// A served, non-storage, non-deprecated version.
    pub fn served(crd: Value) -> Self {
        VersionOptions {
            crd,
            served: true,
            storage: false,
            deprecation_warning: None,
        }
    }

    /// Marks it the storage version.
    pub fn storage(mut self) -> Self {
        self.storage = true;
        self
    }

    /// Marks it deprecated, with the warning kubectl and clients print.
    pub fn deprecated(mut self, warning: impl Into<String>) -> Self {
        self.deprecation_warning = Some(warning.into());
        self
    }

    /// Not served (kept in the CRD only so stored objects still decode).
    pub fn not_served(mut self) -> Self {
        self.served = false;
        self
    }
}

/// Why CRDs could not be merged.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum MergeError {
    /// No versions were given.
    #[error("no versions to merge")]
    NoVersions,
    /// An input is not a single-version CRD.
    #[error("version {index}: {reason}")]
    NotSingleVersion {
        /// Position in the input.
        index: usize,
        /// What is wrong.
        reason: String,
    },
    /// Two versions disagree on group, kind, plural or scope.
    #[error("version {version}: {field} is {found:?}, but version {first} has {expected:?}")]
    Mismatch {
        /// The disagreeing version.
        version: String,
        /// `spec.group`, `spec.names.kind`, `spec.names.plural` or `spec.scope`.
        field: &'static str,
        /// The first version's value.
        expected: String,
        /// This version's value.
        found: String,
        /// The first version's name.
        first: String,
    },
    /// The same version twice.
    #[error("version {0} appears twice")]
    DuplicateVersion(String),
    /// Not exactly one storage version.
    #[error("exactly one version must be the storage version, found {found}: [{versions}]")]
    StorageCount {
        /// How many are marked storage.
        found: usize,
        /// Their names.
        versions: String,
    },
    /// A deprecated version with an empty warning: clients would print nothing useful.
    #[error("version {0}: the deprecation warning is empty")]
    EmptyWarning(String),
    /// No version is served: the kind would be unreachable.
    #[error("no version is served")]
    NoneServed,
}

const CHECKED_FIELDS: [(&str, &str); 4] = [
    ("spec.group", "/spec/group"),
    ("spec.names.kind", "/spec/names/kind"),
    ("spec.names.plural", "/spec/names/plural"),
    ("spec.scope", "/spec/scope"),
];

/// Merges the versions into one CRD: names, group and scope from the first, one entry in
/// `spec.versions` per input (in input order) with its own schema, subresources and printer
/// columns, and `served`/`storage`/`deprecated`/`deprecationWarning` from the options.
pub fn merge_versions(versions: &[VersionOptions]) -> Result<Value, MergeError> {
    let first = versions.first().ok_or(MergeError::NoVersions)?;
    let first_name = single_version(&first.crd, 0)?.0;
    let mut merged_versions = Vec::with_capacity(versions.len());
    let mut names: Vec<String> = Vec::new();
    for (index, options) in versions.iter().enumerate() {
        let (name, version) = single_version(&options.crd, index)?;
        check_same(&first.crd, &options.crd, &first_name, &name)?;
        if names.contains(&name) {
            return Err(MergeError::DuplicateVersion(name));
        }
        merged_versions.push(version_entry(version, options, &name)?);
        names.push(name);
    }
    check_flags(versions, &names)?;
    let mut crd = first.crd.clone();
    crd["spec"]["versions"] = Value::Array(merged_versions);
    Ok(crd)
}

fn single_version(crd: &Value, index: usize) -> Result<(String, &Map<String, Value>), MergeError> {
    let err = |reason: &str| MergeError::NotSingleVersion {
        index,
        reason: reason.to_string(),
    };
    let versions = crd
        .pointer("/spec/versions")
        .and_then(Value::as_array)
        .ok_or_else(|| err("no spec.versions"))?;
    let [version] = versions.as_slice() else {
        return Err(err(&format!(
            "has {} versions, expected one",
            versions.len()
        )));
    };
    let version = version
        .as_object()
        .ok_or_else(|| err("spec.versions[0] is not an object"))?;
    let name = version
        .get("name")
        .and_then(Value::as_str)
        .ok_or_else(|| err("spec.versions[0] has no name"))?;
    Ok((name.to_string(), version))
}

fn check_same(
    first: &Value,
    other: &Value,
    first_name: &str,
    name: &str,
) -> Result<(), MergeError> {
    for (field, pointer) in CHECKED_FIELDS {
        let expected = first.pointer(pointer).cloned().unwrap_or(Value::Null);
        let found = other.pointer(pointer).cloned().unwrap_or(Value::Null);
        if expected != found {
            return Err(MergeError::Mismatch {
                version: name.to_string(),
                field,
                expected: text(&expected),
                found: text(&found),
                first: first_name.to_string(),
            });
        }
    }
    Ok(())
}

fn text(value: &Value) -> String {
    value
        .as_str()
        .map(str::to_string)
        .unwrap_or_else(|| value.to_string())
}

fn version_entry(
    version: &Map<String, Value>,
    options: &VersionOptions,
    name: &str,
) -> Result<Value, MergeError> {
    let warning = options.deprecation_warning.as_deref();
    if warning.is_some_and(|w| w.trim().is_empty()) {
        return Err(MergeError::EmptyWarning(name.to_string()));
    }
    let mut entry = version.clone();
    set_flags(&mut entry, options.served, options.storage, warning);
    Ok(Value::Object(entry))
}

fn check_flags(versions: &[VersionOptions], names: &[String]) -> Result<(), MergeError> {
    let storage: Vec<&str> = versions
        .iter()
        .zip(names)
        .filter(|(o, _)| o.storage)
        .map(|(_, n)| n.as_str())
        .collect();
    if storage.len() != 1 {
        return Err(MergeError::StorageCount {
            found: storage.len(),
            versions: storage.join(", "),
        });
    }
    if !versions.iter().any(|o| o.served) {
        return Err(MergeError::NoneServed);
    }
    Ok(())
}
