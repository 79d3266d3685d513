//! One CRD against its previous self: the CRD-wide checks, the same-version checks and the
//! served-version checks (crdify's three validators).

use serde_json::Value;

use super::checks::{compare_schemas, Change};
use super::config::Config;
use super::flatten::{version_schema, ROOT};
use super::severity::compare_kube_versions;

/// A change found in one CRD, before severity is applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The version (`v1beta1`), a served-version pair (`v1alpha1->v1beta1`) or `*` (all).
    pub version: String,
    /// The versions whose stability decides the severity (the strictest wins).
    pub judged_by: Vec<String>,
    /// What changed where.
    pub change: Change,
}

/// Every incompatible change from CRD `old` to CRD `new` (the same `metadata.name`).
pub fn compare_crds(old: &Value, new: &Value, config: &Config) -> Vec<Found> {
    let mut out = crd_wide(old, new);
    out.extend(same_versions(old, new, config));
    out.extend(served_versions(old, new, config));
    out
}

fn versions(crd: &Value) -> impl Iterator<Item = (&str, &Value)> {
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
        change: Change {
            path: ROOT.to_owned(),
            check,
            message,
        },
    }
}

/// `scope`, `storedVersionRemoval` and `servedVersionRemoval`.
fn crd_wide(old: &Value, new: &Value) -> Vec<Found> {
    let mut out = Vec::new();
    let scope = |crd: &Value| crd.pointer("/spec/scope").cloned().unwrap_or(Value::Null);
    if scope(old) != scope(new) {
        // Every existing object changes its address: judged by the most stable old version.
        let all = versions(old).map(|(n, _)| n.to_owned()).collect();
        let message = format!("scope changed: {} -> {}", scope(old), scope(new));
        out.push(crd_level("*", all, "scope", message));
    }
    for name in stored_versions(old) {
        if find_version(new, &name).is_none() {
            let message = format!("stored version {name} removed");
            out.push(crd_level(
                &name,
                vec![name.clone()],
                "storedVersionRemoval",
                message,
            ));
        }
    }
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

/// `status.storedVersions` when the old CRD comes from a cluster; for a CRD file (no status),
/// its storage version: every cluster that installed it has objects stored in that version.
fn stored_versions(crd: &Value) -> Vec<String> {
    let from_status: Vec<String> = crd
        .pointer("/status/storedVersions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect();
    if !from_status.is_empty() {
        return from_status;
    }
    versions(crd)
        .filter(|(_, v)| flag(v, "storage"))
        .map(|(n, _)| n.to_owned())
        .collect()
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
                change,
            }));
        }
    }
    out
}
