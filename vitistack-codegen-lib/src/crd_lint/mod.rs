//! `lint`: everything the apiserver's CRD validation refuses, found before `kubectl apply`, for
//! any CRD (`vitistack-codegen lint PATH...`).
//!
//! [`lint`] checks one CRD object. Each [`Issue`] names the apiserver's path
//! (`spec.validation.openAPIV3Schema.properties[spec]...` for a schema all versions share, else
//! `spec.versions[i].schema.openAPIV3Schema...`, see `roots`) and the object field. The checks,
//! one module each, in the order the apiserver runs them:
//!
//! * `structural` finds structural-schema violations (and unknown formats, a warning);
//! * `lists` checks list-type and map-key rules;
//! * `patterns` finds `pattern`s Go's `regexp` (RE2) does not compile;
//! * `defaults` finds `default`s that break their own schema (pruning, value validations,
//!   rules);
//! * `rules` checks every `x-kubernetes-validations` entry, compiled and type-checked against
//!   its node by the CEL engine, and `oldSelf` where nothing correlates;
//! * `cost` reports the estimated cost of the rules;
//! * `selectable` checks `selectableFields`;
//! * [`kube_versions`] knows what the apiserver of `--kube-version` lacks.
//!
//! The corpus `tests/corpus/lint/` (over a hundred CRDs, own and third-party, each with one
//! twist) is created on a live kube-apiserver with a dry run by `tests/tests/lint_parity.rs`:
//! the server's verdict and paths are the oracle.

mod api_path;
mod cost;
mod defaults;
mod field_path;
mod input;
mod issue;
pub mod kube_versions;
mod lists;
mod patterns;
mod roots;
mod rules;
mod selectable;
mod structural;
mod walk;

use serde_json::Value;

pub use api_path::ApiPath;
pub use input::{lint_paths, render_json, render_text, summary, LintRun, LintedDocument};
pub use issue::{Check, Issue, Severity};

/// How to lint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// The Kubernetes minor version of the apiserver (`--kube-version 1.N`), between
    /// [`kube_versions::OLDEST`] and [`kube_versions::NEWEST`].
    pub kube_minor: u32,
    /// Also report every rule's estimated cost ([`Severity::Info`]), not only the ones over
    /// the apiserver's limits.
    pub cost_report: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            kube_minor: kube_versions::DEFAULT,
            cost_report: false,
        }
    }
}

/// Whether `doc` is an `apiextensions.k8s.io/v1` CustomResourceDefinition.
pub fn is_crd(doc: &Value) -> bool {
    doc.get("kind").and_then(Value::as_str) == Some("CustomResourceDefinition")
        && doc.get("apiVersion").and_then(Value::as_str) == Some("apiextensions.k8s.io/v1")
}

/// Every issue of one CRD (`apiextensions.k8s.io/v1`), sorted by path.
pub fn lint(crd: &Value, options: &Options) -> Vec<Issue> {
    let mut out = Vec::new();
    for root in roots::schema_roots(crd) {
        let start = out.len();
        structural::check(root.schema, &root.path, &mut out);
        let mut compiled = Vec::new();
        walk::walk(root.schema, &root.path, &mut |node, at| {
            lists::check(node, at, &mut out);
            if let Some(pattern) = node.get("pattern").and_then(Value::as_str) {
                if let Some(e) = patterns::go_regexp_error(pattern) {
                    out.push(Issue::refused(
                        at.path.child("pattern"),
                        &at.field,
                        Check::Pattern,
                        format!("Invalid value: {pattern:?}: must be a valid regular expression, but isn't: error parsing regexp: {e}"),
                    ));
                }
            }
            defaults::check(node, at, &mut out);
            compiled.extend(rules::check(node, at, &mut out));
        });
        let loader = structural::loader_errors(root.schema, &root.path, &out[start..]);
        out.extend(loader);
        cost::check(root.schema, &root.path, options.cost_report, &mut out);
        version_floor(&compiled, options.kube_minor, &mut out);
    }
    for root in roots::selectable_roots(crd) {
        selectable::check(&root, &mut out);
        if options.kube_minor < feature("CustomResourceFieldSelectors") {
            out.push(Issue {
                path: root.path.clone(),
                field: String::new(),
                severity: Severity::Warning,
                check: Check::KubeVersion,
                message: too_old("CustomResourceFieldSelectors", options.kube_minor),
            });
        }
    }
    out.sort();
    out.dedup();
    out
}

fn feature(gate: &str) -> u32 {
    kube_versions::FEATURES
        .iter()
        .find(|f| f.gate == gate)
        .map_or(0, |f| f.default_on)
}

fn too_old(gate: &str, minor: u32) -> String {
    let f = kube_versions::FEATURES.iter().find(|f| f.gate == gate);
    format!(
        "a 1.{minor} apiserver {} (feature gate {gate}, on by default from 1.{})",
        f.map_or("", |f| f.without),
        f.map_or(0, |f| f.default_on)
    )
}

/// Rules that call a library the apiserver of `kube_minor` lacks for new rules, and
/// `optionalOldSelf` where it has no ratcheting.
fn version_floor(compiled: &[rules::Compiled], kube_minor: u32, out: &mut Vec<Issue>) {
    for rule in compiled {
        let texts = std::iter::once(rule.program.rule().rule.as_str())
            .chain(rule.program.rule().message_expression.as_deref());
        for (member, text) in ["rule", "messageExpression"].into_iter().zip(texts) {
            let Ok(ast) = vitistack_core::cel::parse(text) else {
                continue;
            };
            let used = kube_versions::functions(&ast.expr);
            for (library, function) in kube_versions::missing_libraries(&used, kube_minor) {
                out.push(Issue::refused(
                    rule.path.child(member),
                    &rule.field,
                    Check::KubeVersion,
                    format!(
                        "a 1.{kube_minor} apiserver compiles new rules at compatibility version 1.{}, which lacks {} (compatibility 1.{}): `{function}` is an undeclared reference there",
                        kube_minor.saturating_sub(1),
                        library.option,
                        library.introduced
                    ),
                ));
            }
        }
        if rule.program.rule().optional_old_self.is_some()
            && kube_minor < feature("CRDValidationRatcheting")
        {
            out.push(Issue {
                path: rule.path.child("optionalOldSelf"),
                field: rule.field.clone(),
                severity: Severity::Warning,
                check: Check::KubeVersion,
                message: too_old("CRDValidationRatcheting", kube_minor),
            });
        }
    }
}
