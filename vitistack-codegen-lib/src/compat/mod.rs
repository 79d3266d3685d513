//! `vitistack-codegen compat OLD NEW`: the incompatible changes between two sets of CRDs.
//!
//! The checks and their names are those of kubernetes-sigs/crdify, the tool OLM v1 gates CRD
//! upgrades with, plus what a CRD adds to a JSON Schema:
//!
//! | check | fires when |
//! |---|---|
//! | `scope` | `spec.scope` changed |
//! | `existingFieldRemoval` | a field of a version is gone from the same version |
//! | `storedVersionRemoval` | a stored version (`status.storedVersions`, else the storage version) is gone |
//! | `servedVersionRemoval` | a served version is gone or no longer served |
//! | `enum` | constraint added, value removed, value added (unless `additionPolicy: Allow`) |
//! | `default` | added, changed, removed |
//! | `maximum` `maxLength` `maxItems` `maxProperties` | added or lowered |
//! | `minimum` `minLength` `minItems` `minProperties` | added or raised |
//! | `required` | a field became required, or a new field is required |
//! | `type` | changed |
//! | `pattern` | added, changed, removed (unless `removalPolicy: Allow`) |
//! | `nullable` | added or removed (each unless configured `Allow`) |
//! | `x-kubernetes-validations` | a rule added, or a rule's text changed |
//! | `listType` | `x-kubernetes-list-type` changed (absent is `atomic`) |
//! | `listMapKeys` | `x-kubernetes-list-map-keys` changed |
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
mod flatten;
pub mod load;
pub mod output;
pub mod severity;

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

/// The configured enforcement, else the strictest stability among the versions concerned.
fn severity(found: &compare::Found, config: &Config) -> Option<Severity> {
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
                .unwrap_or(Severity::Error),
        ),
    }
}
