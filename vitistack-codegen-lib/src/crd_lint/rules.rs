//! `x-kubernetes-validations` as the apiserver checks them when a CRD is written
//! (`ValidateCustomResourceDefinitionOpenAPISchema` and `compileRule`): the entry's own fields
//! first (rule, message, messageExpression, reason, fieldPath), then the rule and its
//! messageExpression compiled and type-checked against the node by the CEL engine
//! ([`vitistack_core::cel::Program::compile`]), then `oldSelf` where nothing correlates.

use serde_json::{Map, Value};
use vitistack_core::cel::types::Decl;
use vitistack_core::cel::{CompileError, Program, ValidationRule};

use super::api_path::ApiPath;
use super::issue::{Check, Issue};
use super::walk::NodeContext;

/// `supportedValidationReason`.
const REASONS: [&str; 4] = [
    "FieldValueDuplicate",
    "FieldValueForbidden",
    "FieldValueInvalid",
    "FieldValueRequired",
];

/// A rule that compiled, for the checks that need the program (cost, kube version).
pub(crate) struct Compiled {
    /// `...x-kubernetes-validations[i]`.
    pub path: ApiPath,
    /// The object field of the node.
    pub field: String,
    /// The program.
    pub program: Program,
}

/// The findings of the `x-kubernetes-validations` of one node, and its compiled rules.
pub(crate) fn check(
    obj: &Map<String, Value>,
    at: &NodeContext,
    out: &mut Vec<Issue>,
) -> Vec<Compiled> {
    let Some(entries) = obj
        .get("x-kubernetes-validations")
        .and_then(Value::as_array)
    else {
        return Vec::new();
    };
    if at.in_junctor {
        // Refused as not structural (the structural check reports it).
        return Vec::new();
    }
    let node = Value::Object(obj.clone());
    let decl = Decl::from_schema(&node, "self", at.resource_root);
    let mut compiled = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let path = at.path.child("x-kubernetes-validations").index(i);
        let before = out.len();
        entry_fields(entry, &node, &path, &at.field, out);
        if out.len() > before {
            // The apiserver compiles no rule of a node with schema errors.
            continue;
        }
        let rule = ValidationRule::from_json(entry);
        let Some(decl) = &decl else {
            out.push(Issue::refused(
                path.child("rule"),
                &at.field,
                Check::Rule,
                CompileError::NoType.to_string(),
            ));
            continue;
        };
        match Program::compile(&rule, decl) {
            Ok(program) => {
                if program.uses_old_self() {
                    if let Some(within) = &at.uncorrelatable_within {
                        out.push(Issue::refused(
                            path.child("rule"),
                            &at.field,
                            Check::Rule,
                            format!("Invalid value: {:?}: oldSelf cannot be used on the uncorrelatable portion of the schema within {within}", rule.rule),
                        ));
                    }
                }
                compiled.push(Compiled {
                    path,
                    field: at.field.clone(),
                    program,
                });
            }
            Err(e) => compile_error(&rule, &e, &path, &at.field, out),
        }
    }
    compiled
}

fn compile_error(
    rule: &ValidationRule,
    e: &CompileError,
    path: &ApiPath,
    field: &str,
    out: &mut Vec<Issue>,
) {
    let member = match e {
        CompileError::MessageExpression(_) | CompileError::MessageNotString => "messageExpression",
        CompileError::OptionalOldSelfUnused => "optionalOldSelf",
        _ => "rule",
    };
    let message = match e {
        CompileError::OptionalOldSelfUnused => format!(
            "Invalid value: {}: {e}",
            rule.optional_old_self.unwrap_or_default()
        ),
        _ => format!("Invalid value: {:?}: {e}", rule.rule),
    };
    out.push(Issue::refused(
        path.child(member),
        field,
        Check::Rule,
        message,
    ));
    // A rule that does not compile has no reference to oldSelf: a set optionalOldSelf is
    // refused as well.
    if matches!(e, CompileError::Rule(_) | CompileError::NotBool) {
        if let Some(optional) = rule.optional_old_self {
            out.push(Issue::refused(
                path.child("optionalOldSelf"),
                field,
                Check::Rule,
                format!(
                    "Invalid value: {optional}: {}",
                    CompileError::OptionalOldSelfUnused
                ),
            ));
        }
    }
}

/// The entry's fields on their own (before any compilation).
fn entry_fields(entry: &Value, node: &Value, path: &ApiPath, field: &str, out: &mut Vec<Issue>) {
    let mut refuse = |member: &str, message: String| {
        out.push(Issue::refused(
            path.child(member),
            field,
            Check::Rule,
            message,
        ));
    };
    let text = |k: &str| entry.get(k).and_then(Value::as_str);
    let rule = text("rule").unwrap_or_default();
    let has_line_break = |s: &str| s.contains(['\n', '\r']);
    if rule.trim().is_empty() {
        refuse("rule", "Required value: rule is not specified".to_owned());
    }
    match text("message") {
        Some(m) if m.trim().is_empty() => refuse(
            "message",
            format!("Invalid value: {m:?}: message must be non-empty if specified"),
        ),
        Some(m) if has_line_break(m) => refuse(
            "message",
            format!("Invalid value: {m:?}: message must not contain line breaks"),
        ),
        None if has_line_break(rule) => refuse(
            "message",
            "Required value: message must be specified if rule contains line breaks".to_owned(),
        ),
        _ => {}
    }
    if let Some(m) = text("messageExpression") {
        if m.trim().is_empty() {
            refuse(
                "messageExpression",
                "Required value: messageExpression must be non-empty if specified".to_owned(),
            );
        }
    }
    if let Some(reason) = text("reason") {
        if !REASONS.contains(&reason) {
            refuse(
                "reason",
                format!("Unsupported value: {reason:?}: supported values: \"FieldValueDuplicate\", \"FieldValueForbidden\", \"FieldValueInvalid\", \"FieldValueRequired\""),
            );
        }
    }
    if let Some(p) = text("fieldPath") {
        if p.trim().is_empty() {
            refuse(
                "fieldPath",
                format!("Invalid value: {p:?}: fieldPath must be non-empty if specified"),
            );
        } else if has_line_break(p) {
            refuse(
                "fieldPath",
                format!("Invalid value: {p:?}: fieldPath must not contain line breaks"),
            );
        } else if let Err(e) = super::field_path::resolve(p, node, true) {
            refuse(
                "fieldPath",
                format!("Invalid value: {p:?}: must be a valid path ({e})"),
            );
        }
    }
}
