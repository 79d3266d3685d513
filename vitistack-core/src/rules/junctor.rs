//! `allOf`, `anyOf`, `oneOf` and `not` in a CRD schema: value validations joined by logic.
//!
//! A structural schema allows junctors only as extra constraints on a node whose shape is
//! declared outside them (no `type`, `default`, `description`, `nullable` or `x-kubernetes-*`
//! inside, the int-or-string `anyOf` aside), so they never change the node's shape and the
//! model keeps them as a rule with the branches' JSON as written.
//!
//! The branches are evaluated by the `jsonschema` crate as Draft 4 schemas rather than by a
//! second walk of our own: what a structural branch may say (`minimum` with a boolean
//! `exclusiveMinimum`, `pattern`, `enum`, `required`, `properties`, `items`, nested junctors)
//! is OpenAPI v3.0's subset of Draft 4, which that crate implements and tests against the JSON
//! Schema suite; the `x-kubernetes-*` and `nullable` keywords are unknown to it and ignored, as
//! they mean nothing inside a junctor. The verdict is the apiserver's and so is the junctor's
//! message (at the root, as the apiserver reports it), and the failing branches' own errors
//! are reported as kube-openapi words them ([`super::junctor_errors`]).

use super::{junctor_errors, Coverage, Enforce, Phase};
use crate::report::{ErrorKind, Path, Reject, Report};
use serde_json::{Map, Value};
use std::sync::{Arc, OnceLock};

/// Which junctor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JunctorKind {
    /// `allOf`: every branch holds.
    AllOf,
    /// `anyOf`: at least one branch holds.
    AnyOf,
    /// `oneOf`: exactly one branch holds.
    OneOf,
    /// `not`: its one branch does not hold.
    Not,
}

impl JunctorKind {
    /// Every junctor, in the order a node renders them.
    pub const ALL: [JunctorKind; 4] = [
        JunctorKind::AllOf,
        JunctorKind::AnyOf,
        JunctorKind::OneOf,
        JunctorKind::Not,
    ];

    /// The keyword.
    pub fn keyword(self) -> &'static str {
        match self {
            JunctorKind::AllOf => "allOf",
            JunctorKind::AnyOf => "anyOf",
            JunctorKind::OneOf => "oneOf",
            JunctorKind::Not => "not",
        }
    }

    /// kube-openapi's message when the junctor at `path` fails with `passing` of `total`
    /// branches holding.
    fn message(self, path: &str, passing: usize, total: usize) -> String {
        match self {
            JunctorKind::AllOf if passing == 0 && total > 0 => {
                format!("{path:?} must validate all the schemas (allOf). None validated")
            }
            JunctorKind::AllOf => format!("{path:?} must validate all the schemas (allOf)"),
            JunctorKind::AnyOf => format!("{path:?} must validate at least one schema (anyOf)"),
            JunctorKind::OneOf if passing == 0 => format!(
                "{path:?} must validate one and only one schema (oneOf). Found none valid"
            ),
            JunctorKind::OneOf => format!(
                "{path:?} must validate one and only one schema (oneOf). Found {passing} valid alternatives"
            ),
            JunctorKind::Not => format!("{path:?} must not validate the schema (not)"),
        }
    }
}

/// Compiled branches, or why one does not compile.
type Compiled = Result<Vec<jsonschema::Validator>, String>;

/// A junctor and its branches (one for `not`), kept as written.
#[derive(Clone)]
pub struct Junctor {
    /// Which junctor.
    pub kind: JunctorKind,
    /// The branch schemas as written.
    pub branches: Vec<Value>,
    compiled: Arc<OnceLock<Compiled>>,
}

impl std::fmt::Debug for Junctor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Junctor")
            .field("kind", &self.kind)
            .field("branches", &self.branches)
            .finish()
    }
}

impl PartialEq for Junctor {
    fn eq(&self, other: &Self) -> bool {
        self.kind == other.kind && self.branches == other.branches
    }
}

impl Junctor {
    /// A junctor over these branches (compiled on first use).
    pub fn new(kind: JunctorKind, branches: Vec<Value>) -> Self {
        Junctor {
            kind,
            branches,
            compiled: Arc::default(),
        }
    }

    fn compiled(&self) -> &Compiled {
        self.compiled.get_or_init(|| {
            self.branches
                .iter()
                .map(|branch| {
                    jsonschema::options()
                        .with_draft(jsonschema::Draft::Draft4)
                        .should_validate_formats(false)
                        .build(branch)
                        .map_err(|e| e.to_string())
                })
                .collect()
        })
    }
}

impl Enforce for Junctor {
    fn phase(&self) -> Phase {
        Phase::Schema
    }
    fn openapi(&self, schema: &mut Map<String, Value>) {
        let value = match (self.kind, self.branches.as_slice()) {
            (JunctorKind::Not, [single]) => single.clone(),
            _ => Value::Array(self.branches.clone()),
        };
        schema.insert(self.kind.keyword().into(), value);
    }
    fn json_schema(&self, schema: &mut Map<String, Value>) -> Coverage {
        self.openapi(schema);
        Coverage::Partial("junctor branches are copied as written: OpenAPI v3.0 (a boolean `exclusiveMinimum`) reads differently in JSON Schema draft 7")
    }
    fn check(&self, value: &Value, path: &mut Path, report: &mut Report) {
        let validators = match self.compiled() {
            Ok(validators) => validators,
            Err(e) => {
                let detail = format!(
                    "unsupported: {} branch not evaluated: {e}",
                    self.kind.keyword()
                );
                report.reject(path, ErrorKind::Invalid, None, detail);
                return;
            }
        };
        let passing = validators.iter().filter(|v| v.is_valid(value)).count();
        let holds = match self.kind {
            JunctorKind::AllOf => passing == validators.len(),
            JunctorKind::AnyOf => passing > 0,
            JunctorKind::OneOf => passing == 1,
            JunctorKind::Not => passing == 0,
        };
        if holds {
            return;
        }
        // kube-openapi's junctor errors carry neither a field nor a value: the apiserver
        // reports them at the root (`<nil>`), showing `""`, and names the field in the text.
        let shown = Value::String(String::new());
        let detail = self.kind.message(path.as_str(), passing, validators.len());
        let failing = validators.iter().filter(|v| !v.is_valid(value));
        match self.kind {
            // Every failing branch's errors, then the junctor's.
            JunctorKind::AllOf => {
                for branch in failing {
                    junctor_errors::report(branch, value, path, report);
                }
                report.reject(&Path::root(), ErrorKind::Invalid, Some(&shown), detail);
            }
            // The junctor's, then those of the branch that came closest (fewest errors, the
            // first of equals), as kube-openapi keeps them; none when too many branches hold.
            JunctorKind::AnyOf | JunctorKind::OneOf => {
                report.reject(&Path::root(), ErrorKind::Invalid, Some(&shown), detail);
                let closest = failing
                    .enumerate()
                    .min_by_key(|(i, v)| (junctor_errors::count(v, value), *i))
                    .map(|(_, v)| v);
                if let (0, Some(branch)) = (passing, closest) {
                    junctor_errors::report(branch, value, path, report);
                }
            }
            JunctorKind::Not => {
                report.reject(&Path::root(), ErrorKind::Invalid, Some(&shown), detail);
            }
        }
    }
}
