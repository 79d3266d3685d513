//! Several versions of one kind, each its own Rust type: what `#[crd(storage, served = false,
//! deprecated = "...")]` records on a version's type ([`CrdVersion`]), and the one merged
//! CustomResourceDefinition that `vitistack_derive::versions!` builds from them ([`Versions`]).
//!
//! The checks (same group, kind, plural and scope, exactly one storage version, a version
//! name once, something served) run at compile time, in [`super::version_check`]; the merge
//! here only assembles what they let through.

use super::CustomResourceKind;
use serde_json::{json, Map, Value};

/// How one version of a kind appears in the merged CRD, implemented by
/// `#[derive(CustomResource)]` from `#[crd(storage)]`, `#[crd(served = false)]` and
/// `#[crd(deprecated = "warning")]`.
///
/// Only the merged CRD of `versions!` reads these: a type's own [`CustomResourceKind::crd`] is a
/// single-version CRD, served and stored.
pub trait CrdVersion: CustomResourceKind {
    /// The version objects are stored in (`#[crd(storage)]`); exactly one per kind.
    const STORAGE: bool;
    /// Served by the apiserver (`#[crd(served = false)]` turns it off).
    const SERVED: bool;
    /// `deprecated: true` and the warning clients print (`#[crd(deprecated = "...")]`).
    const DEPRECATION_WARNING: Option<&'static str>;
}

/// Every version of one kind, implemented by `vitistack_derive::versions!` on the marker type
/// it declares.
pub trait Versions {
    /// The version names, in the order given to `versions!` (the CRD's order).
    const NAMES: &'static [&'static str];
    /// The storage version's name.
    const STORAGE_VERSION: &'static str;

    /// The merged CRD: names, group and scope of the kind, and one `spec.versions` entry per
    /// version with its own schema, subresources and printer columns, and its `served`,
    /// `storage`, `deprecated` and `deprecationWarning`. No `spec.conversion`: add the
    /// webhook's with `vitistack_conversion::stanza::with_webhook`.
    fn crd() -> Value;
}

/// One version's single-version CRD and flags, as `versions!` hands them to [`merged_crd`].
#[doc(hidden)]
#[derive(Debug, Clone)]
pub struct VersionCrd {
    crd: Value,
    served: bool,
    storage: bool,
    deprecation_warning: Option<&'static str>,
}

impl VersionCrd {
    /// Version `K`'s CRD and flags.
    pub fn of<K: CrdVersion>() -> Self {
        VersionCrd {
            crd: K::crd(),
            served: K::SERVED,
            storage: K::STORAGE,
            deprecation_warning: K::DEPRECATION_WARNING,
        }
    }
}

/// The merged CRD of versions that `versions!` checked at compile time: the first CRD with
/// `spec.versions` replaced by every version's entry, in order.
#[doc(hidden)]
pub fn merged_crd(versions: &[VersionCrd]) -> Value {
    let entries = versions
        .iter()
        .filter_map(|v| {
            let mut entry = v.crd.pointer("/spec/versions/0")?.as_object()?.clone();
            set_flags(&mut entry, v.served, v.storage, v.deprecation_warning);
            Some(Value::Object(entry))
        })
        .collect();
    let mut crd = versions
        .first()
        .map(|v| v.crd.clone())
        .unwrap_or(Value::Null);
    if let Some(spec) = crd.get_mut("spec").and_then(Value::as_object_mut) {
        spec.insert("versions".into(), Value::Array(entries));
    }
    crd
}

/// Writes `served`, `storage` and (for a deprecated version) `deprecated` and
/// `deprecationWarning` into one `spec.versions` entry, replacing what was there.
pub fn set_flags(
    entry: &mut Map<String, Value>,
    served: bool,
    storage: bool,
    deprecation_warning: Option<&str>,
) {
    entry.insert("served".into(), json!(served));
    entry.insert("storage".into(), json!(storage));
    entry.remove("deprecated");
    entry.remove("deprecationWarning");
    if let Some(warning) = deprecation_warning {
        entry.insert("deprecated".into(), json!(true));
        entry.insert("deprecationWarning".into(), json!(warning));
    }
}
