//! Changes the apiserver refuses on an established CRD, worded with its reasons.
//!
//! From `k8s.io/apiextensions-apiserver` `pkg/apis/apiextensions/validation`
//! (`ValidateCustomResourceDefinitionUpdate`, v0.37):
//! - `spec.scope` and `spec.names.kind` are immutable once the CRD is Established (every CRD a
//!   cluster serves); `spec.group` and `spec.names.plural` always (they make the resource name);
//! - every version in `status.storedVersions` must stay in `spec.versions` until a storage
//!   migration removed it from there;
//! - the new CRD must pass the create-time checks: a conversion of strategy `None` or `Webhook`
//!   (the latter with a `clientConfig` holding exactly one of `url`/`service`, and
//!   `conversionReviewVersions`), and structural schemas ([`crate::lint::lint_structural`],
//!   [`crate::lint::lint_transition_rules`]) unless the old CRD already broke the same rule
//!   (the apiserver ratchets them).
//!
//! These findings are errors at every stability, whatever the configuration says: the update
//! does not happen, and for an immutable field the only way forward deletes the CRD and every
//! object in it. Without a `status` on the old side (a CRD file, not one read from a cluster),
//! every removed version is a warning instead: the storage version is in every cluster's
//! `status.storedVersions`, and an earlier storage version stays there until `migrate` has moved
//! the stored objects on, so a cluster may refuse the new CRD.

use serde_json::Value;

use super::checks::Change;
use super::compare::{versions, Found};
use super::flatten::ROOT;

/// Every refused change from `old` to `new` (already Established on a cluster).
pub fn refused_changes(old: &Value, new: &Value) -> Vec<Found> {
    let mut out = immutable_fields(old, new);
    out.extend(stored_versions_removed(old, new));
    out.extend(conversion(new));
    out.extend(schemas(old, new));
    out
}

fn refused(check: &'static str, path: &str, message: String) -> Found {
    Found {
        version: "*".to_owned(),
        judged_by: Vec::new(),
        refused: true,
        change: Change {
            path: path.to_owned(),
            check,
            message: format!("refused by the apiserver: {message}"),
        },
    }
}

/// `spec.scope`, `spec.names.kind`, `spec.group`, `spec.names.plural`.
fn immutable_fields(old: &Value, new: &Value) -> Vec<Found> {
    let fields = [
        ("scope", "/spec/scope", "spec.scope"),
        ("names", "/spec/names/kind", "spec.names.kind"),
        ("names", "/spec/names/plural", "spec.names.plural"),
        ("names", "/spec/group", "spec.group"),
    ];
    let value = |crd: &Value, pointer: &str| crd.pointer(pointer).cloned().unwrap_or(Value::Null);
    fields
        .into_iter()
        .filter(|(_, pointer, _)| value(old, pointer) != value(new, pointer))
        .map(|(check, pointer, name)| {
            let message = format!(
                "{name}: Invalid value: {}: field is immutable (was {}); only deleting the CRD, and with it every object, changes it",
                value(new, pointer),
                value(old, pointer)
            );
            refused(check, ROOT, message)
        })
        .collect()
}

/// The versions of `status.storedVersions` (from a cluster), or `None` without a status.
fn stored_in_status(crd: &Value) -> Option<Vec<&str>> {
    let stored = crd.pointer("/status/storedVersions")?.as_array()?;
    Some(stored.iter().filter_map(Value::as_str).collect())
}

fn stored_versions_removed(old: &Value, new: &Value) -> Vec<Found> {
    let kept = |name: &str| versions(new).any(|(n, _)| n == name);
    if let Some(stored) = stored_in_status(old) {
        return stored
            .into_iter()
            .enumerate()
            .filter(|(_, name)| !kept(name))
            .map(|(i, name)| {
                let message = format!(
                    "status.storedVersions[{i}]: Invalid value: \"{name}\": missing from spec.versions; {name} was previously a storage version, and must remain in spec.versions until a storage migration ensures no data remains persisted in {name} and removes {name} from status.storedVersions"
                );
                Found {
                    version: name.to_owned(),
                    ..refused("storedVersionRemoval", ROOT, message)
                }
            })
            .collect();
    }
    // Without a status any removed version may be in status.storedVersions: the storage
    // version surely is, and an earlier storage version stays there until a migration.
    versions(old)
        .filter(|(name, _)| !kept(name))
        .map(|(name, v)| {
            let message = if v.get("storage").and_then(Value::as_bool) == Some(true) {
                format!(
                    "storage version {name} removed: a cluster that stored objects in {name} refuses this CRD while {name} is in status.storedVersions; first ship a CRD that keeps {name} (not as storage) and run `vitistack-codegen migrate` on every cluster"
                )
            } else {
                format!(
                    "version {name} removed: a cluster where {name} was ever the storage version refuses this CRD while {name} is in status.storedVersions; run `vitistack-codegen migrate` on every cluster first, or compare with the CRD read from the cluster (its status says)"
                )
            };
            Found {
                version: name.to_owned(),
                judged_by: Vec::new(),
                refused: false,
                change: Change {
                    path: ROOT.to_owned(),
                    check: "storedVersionRemoval",
                    message,
                },
            }
        })
        .collect()
}

/// `spec.conversion` of the new CRD, as the apiserver validates it on create and update.
fn conversion(new: &Value) -> Vec<Found> {
    let Some(conversion) = new.pointer("/spec/conversion") else {
        return Vec::new();
    };
    let strategy = conversion.get("strategy").and_then(Value::as_str);
    let webhook = conversion.get("webhook");
    let mut out = Vec::new();
    // The apiserver names the fields of its internal version (`webhookClientConfig`); the v1
    // location users write follows.
    let mut fail = |internal: &str, v1: &str, reason: &str| {
        out.push(refused(
            "conversion",
            ROOT,
            format!("spec.conversion.{internal}: {reason} (apiextensions.k8s.io/v1: spec.conversion.{v1})"),
        ))
    };
    match strategy {
        Some("Webhook") => {
            let config = webhook.and_then(|w| w.get("clientConfig"));
            match config {
                None => fail(
                    "webhookClientConfig",
                    "webhook.clientConfig",
                    "Required value: required when strategy is set to Webhook",
                ),
                Some(c) if c.get("url").is_some() == c.get("service").is_some() => fail(
                    "webhookClientConfig",
                    "webhook.clientConfig",
                    "Required value: exactly one of url or service is required",
                ),
                Some(_) => {}
            }
            let reviews = webhook
                .and_then(|w| w.get("conversionReviewVersions"))
                .and_then(Value::as_array);
            if reviews.is_none_or(|r| r.is_empty()) {
                fail(
                    "conversionReviewVersions",
                    "webhook.conversionReviewVersions",
                    "Required value: must include at least one of v1, v1beta1",
                );
            }
        }
        Some("None") | None => {
            if webhook.is_some() {
                fail(
                    "webhookClientConfig",
                    "webhook",
                    "Forbidden: should not be set when strategy is not set to Webhook",
                );
            }
        }
        Some(other) => fail(
            "strategy",
            "strategy",
            &format!("Unsupported value: \"{other}\": supported values: \"None\", \"Webhook\""),
        ),
    }
    out
}

/// The structural-schema rules of the new CRD, as the apiserver ratchets them: structure only
/// when the old CRD was structural, transition rules only where the old CRD had no such
/// problem.
fn schemas(old: &Value, new: &Value) -> Vec<Found> {
    let mut findings = Vec::new();
    if crate::lint::lint_structural(old).is_empty() {
        findings.extend(crate::lint::lint_structural(new));
    }
    let before = crate::lint::lint_transition_rules(old);
    findings.extend(
        crate::lint::lint_transition_rules(new)
            .into_iter()
            .filter(|f| !before.contains(f)),
    );
    findings
        .into_iter()
        .map(|f| refused("schema", ROOT, format!("{}: {}", f.path, f.message)))
        .collect()
}
