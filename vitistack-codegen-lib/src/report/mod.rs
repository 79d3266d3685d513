//! Reports of `vitistack-codegen validate` for CI systems: JUnit XML, TAP 13 and SARIF 2.1.0.
//!
//! [`junit::render`], [`tap::render`] and [`sarif::render`] write a whole run of
//! [`DocumentReport`](crate::validate::DocumentReport)s, the results of `validate`'s one pipeline ([`crate::validate`]).

pub mod junit;
pub mod sarif;
pub mod tap;

use crate::validate::{Finding, Source};

/// Who ran the check and what it checks, as the reports name them: `vitistack-codegen` and
/// `vitistack.io`, or a downstream `crdgen` and its own groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Run<'a> {
    /// The command's name (the JUnit suite, the SARIF tool).
    pub command: &'a str,
    /// The API groups of the checked kinds, for prose (`not a vitistack.io kind`).
    pub groups: &'a str,
}

/// A stable id for the check behind a finding: the apiserver's error type for validator
/// findings (`invalid-value`, `required-value`, ...), `input-error` for unreadable input,
/// `json-schema` for the JSON Schema validator, `unsupported` for a `--crd` rule the engine cannot
/// compile, `document` for problems with the document as
/// a whole (unknown kind, duplicate key, YAML tag).
pub fn rule_id(finding: &Finding) -> &'static str {
    match finding.source {
        Source::Input => "input-error",
        Source::JsonSchema => "json-schema",
        Source::Unsupported => "unsupported",
        Source::Validator => RULES
            .iter()
            .find(|(prefix, _, _)| finding.message.starts_with(prefix))
            .map_or("document", |(_, id, _)| id),
    }
}

/// Message prefix, rule id and description of the validator's checks.
pub const RULES: &[(&str, &str, &str)] = &[
    (
        "Required value",
        "required-value",
        "A required field is missing",
    ),
    (
        "Invalid value",
        "invalid-value",
        "A field's value breaks a rule (range, format, pattern, cross-field or update rule)",
    ),
    (
        "Unsupported value",
        "unsupported-value",
        "A field's value is not one of the allowed values",
    ),
    (
        "Duplicate value",
        "duplicate-value",
        "A list repeats a value or key that must be unique",
    ),
    (
        "Too long",
        "too-long",
        "A string or list is longer than allowed",
    ),
    (
        "Too many",
        "too-many",
        "A list or map has more items than allowed",
    ),
    (
        "Forbidden",
        "forbidden",
        "A field is set where it is not allowed",
    ),
];

/// Ids and descriptions of the checks that are not the validator's field errors.
pub const OTHER_RULES: &[(&str, &str)] = &[
    ("document", "The document as a whole is not acceptable (unknown kind, duplicate key, YAML tag, unknown field)"),
    ("input-error", "The input could not be read or parsed"),
    ("json-schema", "Finding of the generated JSON Schema (informational)"),
];

/// Characters XML 1.0 cannot carry (control characters other than tab, newline and carriage
/// return) become U+FFFD, so a hostile value quoted in a finding cannot break a report.
pub(crate) fn printable(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() && !matches!(c, '\t' | '\n' | '\r')
                || c == '\u{FFFE}'
                || c == '\u{FFFF}'
            {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect()
}
