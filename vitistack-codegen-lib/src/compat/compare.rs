//! One CRD against its previous self: what the apiserver refuses, the CRD-wide checks, the
//! same-version checks and the served-version checks (crdify's three validators).

use serde_json::Value;

use super::checks::{compare_schemas, Change};
use super::config::Config;
use super::flatten::{version_schema, ROOT};
use super::refused::refused_changes;
use super::severity::compare_kube_versions;

/// A change found in one CRD, before severity is applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The version (`v1beta1`), a served-version pair (`v1alpha1->v1beta1`) or `*` (all).
    pub version: String,
    /// The versions whose stability decides the severity (the strictest wins); none: a
    /// warning (an advice that depends on the cluster, like migrating before a removal).
    pub judged_by: Vec<String>,
    /// Whether the apiserver refuses this update (then an error, whatever the stability).
    pub refused: bool,
    /// What changed where.
    pub change: Change,
}

/// Every incompatible change from CRD `old` to CRD `new` (the same `metadata.name`).
pub fn compare_crds(old: &Value, new: &Value, config: &Config) -> Vec<Found> {
    let mut out = refused_changes(old, new);
    out.extend(served_versions_removed(old, new));
    out.extend(same_versions(old, new, config));
    out.extend(served_versions(old, new, config));
    out
}

/// The named versions of a CRD's `spec.versions`.
pub(super) fn versions(crd: &Value) -> impl Iterator<Item = (&str, &Value)> {
    crd.pointer("/spec/versions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|v| Some((v.get("name")?.as_str()?, v)))
}

fn find_version<'a>(crd: &'a Value, name: &str) -> Option<&'a Value> {
    versions(crd).find(|(n, _)| *n == name).map(|(_, v)| v)
}

fn flag(version: &Value, key: &str) -> bool {
    version.get(key).and_then(Value::as_bool).unwrap_or(false)
}

fn crd_level(version: &str, judged_by: Vec<String>, check: &'static str, message: String) -> Found {
    Found {
        version: version.to_owned(),
        judged_by,
        refused: false,
        change: Change {
            path: ROOT.to_owned(),
            check,
            message,
        },
    }
}

/// `servedVersionRemoval`: clients of a served version that is gone or no longer served fail.
fn served_versions_removed(old: &Value, new: &Value) -> Vec<Found> {
    let mut out = Vec::new();
    for (name, version) in versions(old) {
        if flag(version, "served") && !find_version(new, name).is_some_and(|v| flag(v, "served")) {
            let message = match find_version(new, name) {
                Some(_) => format!("version {name} no longer served"),
                None => format!("served version {name} removed"),
            };
            out.push(crd_level(
                name,
                vec![name.to_owned()],
                "servedVersionRemoval",
                message,
            ));
        }
    }
    out
}

/// Each version of `old` against the version of the same name in `new`.
fn same_versions(old: &Value, new: &Value, config: &Config) -> Vec<Found> {
    let mut out = Vec::new();
    for (name, old_version) in versions(old) {
        let Some(new_version) = find_version(new, name) else {
            continue;
        };
        let changes = compare_schemas(
            version_schema(old_version),
            version_schema(new_version),
            config,
        );
        out.extend(changes.into_iter().map(|change| Found {
            version: name.to_owned(),
            judged_by: vec![name.to_owned()],
            refused: false,
            change,
        }));
    }
    out
}

/// crdify's served-version validator: with conversion `None`, an object written through one
/// served version is read through every other one with only `apiVersion` changed, so each pair
/// of served versions of `new` (lower priority first) must be compatible. Differences the old
/// CRD already had between the same pair are not new and are not reported.
fn served_versions(old: &Value, new: &Value, config: &Config) -> Vec<Found> {
    let webhook = new
        .pointer("/spec/conversion/strategy")
        .and_then(Value::as_str)
        == Some("Webhook");
    if webhook && !config.compare_webhook_versions {
        return Vec::new();
    }
    let known = served_pairs(old, config);
    served_pairs(new, config)
        .into_iter()
        .filter(|f| !known.contains(f))
        .collect()
}

fn served_pairs(crd: &Value, config: &Config) -> Vec<Found> {
    let mut served: Vec<(&str, &Value)> =
        versions(crd).filter(|(_, v)| flag(v, "served")).collect();
    served.sort_by(|a, b| compare_kube_versions(a.0, b.0));
    let mut out = Vec::new();
    for (i, (lower, lower_version)) in served.iter().enumerate() {
        for (higher, higher_version) in &served[i + 1..] {
            let changes = compare_schemas(
                version_schema(lower_version),
                version_schema(higher_version),
                config,
            );
            // Clients of the higher version read objects written through the lower one.
            out.extend(changes.into_iter().map(|change| Found {
                version: format!("{lower}->{higher}"),
                judged_by: vec![(*higher).to_owned()],
                refused: false,
                change,
            }));
        }
    }
    out
}
