//! Reports of `vitistack-codegen validate` for CI systems: JUnit XML, TAP 13 and SARIF 2.1.0.
//!
//! [`check_file`] checks a stream document by document and keeps, for every document, its
//! outcome, its findings and the line it starts on; [`junit::render`], [`tap::render`] and
//! [`sarif::render`] write a whole run of such results.

pub mod junit;
pub mod sarif;
pub mod tap;

use crate::validate::{Checker, Finding, Outcome, Source, Tally};
use crate::yaml::{parse_document, split_documents, DocumentText};

/// What became of one document (or of a whole file that could not be read).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentReport {
    /// The file as given; `-` for stdin.
    pub file: String,
    /// 1-based index of the document in its stream; `None` for a problem with the whole file.
    pub document: Option<usize>,
    /// 1-based line of the document's first content line (after its `---` marker and leading
    /// comments); 1 for a whole file.
    pub line: u64,
    /// Valid, invalid, skipped or unreadable.
    pub outcome: Outcome,
    /// Every finding about the document, in the order they were reported.
    pub findings: Vec<Finding>,
    /// The document's `kind` and `metadata.name` when no finding carries them (a valid or
    /// skipped document), so every testcase can be named after its object.
    pub identity: Option<(String, String)>,
}

impl DocumentReport {
    /// A file that could not be read at all: one unreadable "document" carrying the message.
    pub fn file_error(finding: Finding) -> Self {
        DocumentReport {
            file: finding.file.clone(),
            document: None,
            line: 1,
            outcome: Outcome::Unreadable,
            findings: vec![finding],
            identity: None,
        }
    }

    /// `FILE:DOC Kind/name` (kind and name when a finding knows them), `FILE` for a file.
    pub fn title(&self) -> String {
        let Some(doc) = self.document else {
            return self.file.clone();
        };
        let known = self
            .findings
            .iter()
            .find(|f| f.kind.is_some() || f.name.is_some());
        match (known, &self.identity) {
            (Some(f), _) => format!(
                "{}:{doc} {}/{}",
                self.file,
                f.kind.as_deref().unwrap_or("<no kind>"),
                f.name.as_deref().unwrap_or("<no name>")
            ),
            (None, Some((kind, name))) => format!("{}:{doc} {kind}/{name}", self.file),
            (None, None) => format!("{}:{doc}", self.file),
        }
    }

    /// The findings that decide the outcome (not the informational JSON Schema ones).
    pub fn deciding(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(|f| f.source != Source::JsonSchema)
    }
}

/// Checks every non-empty document of `text` (named `file` in findings) and returns one
/// report per document, in order, plus their tally.
pub fn check_file(checker: &Checker, file: &str, text: &str) -> (Vec<DocumentReport>, Tally) {
    let mut reports = Vec::new();
    let mut tally = Tally::default();
    for (i, doc) in split_documents(text).iter().enumerate() {
        let mut findings = Vec::new();
        let Some(outcome) = checker.check_document(file, i + 1, doc, &mut |f| findings.push(f))
        else {
            continue;
        };
        tally.add(outcome);
        let identity = match outcome {
            Outcome::Valid | Outcome::Skipped => identity(doc, file),
            Outcome::Invalid | Outcome::Unreadable => None,
        };
        let prefix_lines = doc.prefix.matches('\n').count() as u64;
        reports.push(DocumentReport {
            file: file.to_owned(),
            document: Some(i + 1),
            line: doc.line_offset + prefix_lines + 1,
            outcome,
            findings,
            identity,
        });
    }
    (reports, tally)
}

/// Longest kind or name quoted in a report (as in findings).
const MAX_NAME: usize = 253;

/// `kind` and `metadata.name` of a document that parsed (valid or skipped), cut to
/// [`MAX_NAME`] bytes.
fn identity(doc: &DocumentText<'_>, file: &str) -> Option<(String, String)> {
    let value = parse_document(doc, file).ok()??;
    let field = |v: &serde_json::Value| {
        let text = v.as_str().unwrap_or("<none>");
        let mut end = text.len().min(MAX_NAME);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text[..end].to_owned()
    };
    Some((field(&value["kind"]), field(&value["metadata"]["name"])))
}

/// A stable id for the check behind a finding: the apiserver's error type for validator
/// findings (`invalid-value`, `required-value`, ...), `input-error` for unreadable input,
/// `json-schema` for the JSON Schema validator, `document` for problems with the document as
/// a whole (unknown kind, duplicate key, YAML tag).
pub fn rule_id(finding: &Finding) -> &'static str {
    match finding.source {
        Source::Input => "input-error",
        Source::JsonSchema => "json-schema",
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
