//! The estimated cost of the rules of a schema, as the apiserver estimates it when a CRD is
//! written (per rule 10,000,000 after cardinality; per schema 100,000,000).
//!
//! Not estimated in this build: the static estimator (`vitistack_core::cel::cost`) is not here
//! yet. Every schema with rules gets one [`Severity::NotChecked`] issue, so a clean report never
//! claims the cost was checked.

use super::api_path::ApiPath;
use super::issue::{Check, Issue, Severity};

/// The cost findings of the rules compiled in one schema.
pub(crate) fn check(root: &ApiPath, rules: usize, out: &mut Vec<Issue>) {
    if rules == 0 {
        return;
    }
    out.push(Issue {
        path: root.clone(),
        field: String::new(),
        severity: Severity::NotChecked,
        check: Check::Cost,
        message: format!("the estimated cost of {rules} rule(s) was not checked (no static cost estimator in this build)"),
    });
}
