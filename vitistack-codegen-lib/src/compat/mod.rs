//! `vitistack-codegen compat OLD NEW`: the incompatible changes between two sets of CRDs.
//!
//! The checks and their names are those of kubernetes-sigs/crdify, the tool OLM v1 gates CRD
//! upgrades with, plus what a CRD adds to a JSON Schema:
//!
//! | check | fires when |
//! |---|---|
//! | `scope` | `spec.scope` changed (refused by the apiserver) |
//! | `names` | `spec.names.kind`, `spec.names.plural` or `spec.group` changed (refused) |
//! | `storedVersionRemoval` | a version of `status.storedVersions` is gone (refused); without a status, any removed version (a warning: it may be an earlier storage version, `migrate` first) |
//! | `conversion` | the new `spec.conversion` is invalid (refused) |
//! | `schema` | the new schema is not structural (refused) |
//! | `existingFieldRemoval` | a field of a version is gone from the same version |
//! | `servedVersionRemoval` | a served version is gone or no longer served |
//! | `enum` | constraint added, value removed, value added (unless `additionPolicy: Allow`) |
//! | `default` | added, changed, removed |
//! | `maximum` `maxLength` `maxItems` `maxProperties` | added or lowered |
//! | `minimum` `minLength` `minItems` `minProperties` | added or raised |
//! | `required` | a field became required, or a new field is required |
//! | `type` | changed |
//! | `pattern` | added, changed, removed (unless `removalPolicy: Allow`) |
//! | `nullable` | added or removed (each unless configured `Allow`) |
//! | `x-kubernetes-validations` | a rule added (compared parsed: reformatting is no change; a transition rule is reported apart) |
//! | `listType` | `x-kubernetes-list-type` changed (absent is `atomic`) |
//! | `listMapKeys` | `x-kubernetes-list-map-keys` changed |
//! | `exclusiveMaximum` `exclusiveMinimum` | the same bound made exclusive |
//! | `format` | added or changed |
//! | `uniqueItems` | added |
//! | `anyOf` `oneOf` `not` | added, or changed to admit fewer values (see `junctors`) |
//! | `rename` | a field removed and one with an equal schema added next to it |
//! | `unhandled` | any other keyword changed (no check understands it: reported, not passed) |
//!
//! The constraints of `allOf` members count as the field's own: a field admits what all its
//! layers admit (see `flatten`), so moving an enum into or out of an `allOf` is no change.
//!
//! Property checks compare fields that exist in the old schema (a new optional field is always
//! fine), within each version and, as crdify does, across the served versions of the new CRD
//! (lower priority first: `v1alpha1->v1beta1`), reporting only cross-version differences the old
//! CRD did not already have; skipped when conversion is a webhook (`conversion: None` in the
//! config compares anyway). Severity: `v1alpha*` warning, anything else error, overridable per
//! check in a [`Config`].

mod checks;
mod compare;
pub mod config;
mod constraints;
mod flatten;
mod junctors;
pub mod load;
pub mod output;
pub mod preview;
mod refused;
mod rename;
mod rules;
pub mod severity;
mod unhandled;

use serde::Serialize;

pub use config::{Config, Enforcement};
pub use load::{load, LoadedCrd};
pub use output::{render, Format};
pub use severity::Severity;

/// Every check name, as used in output and configuration.
pub const CHECKS: &[&str] = &[
    "scope",
    "existingFieldRemoval",
    "storedVersionRemoval",
    "servedVersionRemoval",
    "enum",
    "default",
    "maximum",
    "maxLength",
    "maxItems",
    "maxProperties",
    "minimum",
    "minLength",
    "minItems",
    "minProperties",
    "required",
    "type",
    "pattern",
    "nullable",
    "x-kubernetes-validations",
    "listType",
    "listMapKeys",
    "names",
    "conversion",
    "schema",
    "exclusiveMaximum",
    "exclusiveMinimum",
    "format",
    "uniqueItems",
    "anyOf",
    "oneOf",
    "not",
    "rename",
    "unhandled",
];

/// An input problem (unreadable file, bad YAML, bad configuration); the message names the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError(pub String);

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for InputError {}

/// One incompatible change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The CRD's `metadata.name`.
    pub crd: String,
    /// The version, a served-version pair `v1alpha1->v1beta1`, or `*` for the whole CRD.
    pub version: String,
    /// The field path (`spec.interfaces[*].vlan`), `^` for the whole object.
    pub path: String,
    /// The check name (one of [`CHECKS`]).
    pub check: &'static str,
    /// Error or warning.
    pub severity: Severity,
    /// What changed.
    pub message: String,
    /// Whether the apiserver refuses the update (an error whatever the stability and the
    /// configuration: the new CRD cannot be applied over the old one).
    pub refused: bool,
}

/// The result of comparing two sets of CRDs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Every finding, sorted by CRD, version, path, check.
    pub findings: Vec<Finding>,
    /// CRDs present on both sides (and compared).
    pub compared: Vec<String>,
    /// CRDs only in OLD (not compared).
    pub only_old: Vec<String>,
    /// CRDs only in NEW (not compared).
    pub only_new: Vec<String>,
}

impl Report {
    /// Whether some finding is an error (exit code 1).
    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(|f| f.severity == Severity::Error)
    }
}

/// Compare every CRD present in both `old` and `new` (matched by `metadata.name`).
pub fn compare(old: &[LoadedCrd], new: &[LoadedCrd], config: &Config) -> Report {
    let mut report = Report::default();
    for o in old {
        let Some(n) = new.iter().find(|n| n.name == o.name) else {
            report.only_old.push(o.name.clone());
            continue;
        };
        report.compared.push(o.name.clone());
        for found in compare::compare_crds(&o.crd, &n.crd, config) {
            if let Some(severity) = severity(&found, config) {
                report.findings.push(Finding {
                    crd: o.name.clone(),
                    version: found.version,
                    path: found.change.path,
                    check: found.change.check,
                    severity,
                    message: found.change.message,
                    refused: found.refused,
                });
            }
        }
    }
    report.only_new = new
        .iter()
        .filter(|n| !old.iter().any(|o| o.name == n.name))
        .map(|n| n.name.clone())
        .collect();
    report.findings.sort_by(|a, b| {
        (&a.crd, &a.version, &a.path, a.check, &a.message)
            .cmp(&(&b.crd, &b.version, &b.path, b.check, &b.message))
    });
    report.findings.dedup();
    report
}

/// Error when the apiserver refuses the change; else the configured enforcement, else the
/// strictest stability among the versions concerned.
fn severity(found: &compare::Found, config: &Config) -> Option<Severity> {
    if found.refused {
        return Some(Severity::Error);
    }
    match config.enforcement(found.change.check) {
        Some(Enforcement::Error) => Some(Severity::Error),
        Some(Enforcement::Warn) => Some(Severity::Warning),
        Some(Enforcement::None) => None,
        None => Some(
            found
                .judged_by
                .iter()
                .map(|v| severity::severity_for_version(v))
                .max()
                .unwrap_or(Severity::Warning),
        ),
    }
}
