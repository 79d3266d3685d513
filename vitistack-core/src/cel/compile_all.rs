//! Compiling every raw CEL rule of a schema tree up front, for what builds or checks a CRD
//! (the derive's `verify`, `lint`): an unknown field or a type error is found when the CRD is
//! built, not first when an object is validated.

use super::program::{compiled, CompileError};
use crate::rules::Rule;
use crate::schema::{Node, Type};

/// A rule of the tree that does not compile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    /// The node's path (`spec.items[]`, `spec.labels{}`; empty for the root).
    pub path: String,
    /// The rule's text.
    pub rule: String,
    /// Why it does not compile, in the apiserver's words.
    pub error: CompileError,
}

/// Compiles every raw CEL rule of `root` (a resource's root: its `metadata` is CEL's
/// `name`/`generateName` only); returns those that do not compile. The compiled programs are
/// kept in the rules, so validation later does not compile them again.
pub fn compile_all(root: &Node) -> Vec<RuleError> {
    let mut errors = Vec::new();
    visit(root, "", true, &mut errors);
    errors
}

fn visit(node: &Node, path: &str, root: bool, errors: &mut Vec<RuleError>) {
    let resource_root = root && node.properties().iter().any(|p| p.node.is_metadata());
    for rule in &node.rules {
        if let Rule::Cel(raw) = rule {
            if let Err(error) = compiled(raw, node, resource_root).as_ref() {
                errors.push(RuleError {
                    path: path.to_string(),
                    rule: raw.rule.clone(),
                    error: error.clone(),
                });
            }
        }
    }
    let join = |suffix: &str| {
        if path.is_empty() {
            suffix.trim_start_matches('.').to_string()
        } else {
            format!("{path}{suffix}")
        }
    };
    match &node.ty {
        Type::Object { properties } => {
            for p in properties {
                visit(&p.node, &join(&format!(".{}", p.name)), false, errors);
            }
        }
        Type::Array { items, .. } => visit(items, &format!("{path}[]"), false, errors),
        Type::Map { values } => visit(values, &format!("{path}{{}}"), false, errors),
        _ => {}
    }
}
