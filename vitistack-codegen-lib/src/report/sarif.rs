//! SARIF 2.1.0 for code scanning: one result per finding, with a rule id per check (see
//! [`super::rule_id`]) and the file and line of the document it is about; for `validate`
//! ([`render`]) and `lint` ([`render_lint`]).

use serde_json::{json, Value};

use super::{printable, rule_id, Run, OTHER_RULES, RULES};
use crate::validate::{DocumentReport, Source};

/// Where the SARIF 2.1.0 schema is published.
pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The SARIF log for `reports`.
pub fn render(reports: &[DocumentReport], run: &Run<'_>) -> Value {
    let mut rules: Vec<(&str, &str)> = RULES.iter().map(|(_, id, text)| (*id, *text)).collect();
    rules.extend(OTHER_RULES.iter().copied());
    let descriptors: Vec<Value> = rules
        .iter()
        .map(|(id, text)| {
            json!({
                "id": id,
                "shortDescription": {"text": text},
                "defaultConfiguration": {"level": if *id == "json-schema" { "note" } else { "error" }},
            })
        })
        .collect();
    let mut results = Vec::new();
    for doc in reports {
        for finding in &doc.findings {
            let id = rule_id(finding);
            let index = rules.iter().position(|(r, _)| *r == id).unwrap_or(0);
            let logical: Vec<&str> = [finding.kind.as_deref(), finding.name.as_deref()]
                .into_iter()
                .flatten()
                .collect();
            let mut name = logical.join("/");
            if !finding.path.is_empty() {
                if !name.is_empty() {
                    name.push(':');
                }
                name.push_str(&finding.path);
            }
            results.push(json!({
                "ruleId": id,
                "ruleIndex": index,
                "level": if finding.source == Source::JsonSchema { "note" } else { "error" },
                "message": {"text": printable(&finding.to_string())},
                "locations": [location(&doc.file, doc.line, &name)],
            }));
        }
    }
    log(run, descriptors, results)
}

/// The SARIF log of `vitistack-codegen lint`: a result per issue, a rule per check, level
/// `error` for what the apiserver refuses, `warning` and `note` (not checked, a cost) for the
/// rest.
pub fn render_lint(documents: &[crate::crd_lint::LintedDocument], run: &Run<'_>) -> Value {
    use crate::crd_lint::{Check, Severity};
    let descriptors: Vec<Value> = Check::ALL
        .iter()
        .map(|check| {
            json!({
                "id": check.id(),
                "shortDescription": {"text": check.description()},
                "defaultConfiguration": {"level": "error"},
            })
        })
        .collect();
    let mut results = Vec::new();
    for doc in documents {
        for issue in &doc.issues {
            let level = match issue.severity {
                Severity::Refused => "error",
                Severity::Warning => "warning",
                Severity::NotChecked | Severity::Info => "note",
            };
            let name = format!("{}:{}", doc.crd, issue.path);
            results.push(json!({
                "ruleId": issue.check.id(),
                "ruleIndex": Check::ALL.iter().position(|c| *c == issue.check).unwrap_or(0),
                "level": level,
                "message": {"text": printable(&issue.to_string())},
                "locations": [location(&doc.file, doc.line, &name)],
            }));
        }
    }
    log(run, descriptors, results)
}

/// A location: the file and line of a document, and the logical name of what is in it (the
/// object and field path) when there is one.
fn location(file: &str, line: u64, logical: &str) -> Value {
    let mut location = json!({
        "physicalLocation": {
            "artifactLocation": {"uri": uri(file)},
            "region": {"startLine": line},
        },
    });
    if !logical.is_empty() {
        location["logicalLocations"] = json!([{"fullyQualifiedName": printable(logical)}]);
    }
    location
}

/// The whole log: one run of `run.command` with its rules and results.
fn log(run: &Run<'_>, descriptors: Vec<Value>, results: Vec<Value>) -> Value {
    json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": run.command,
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/vitistack/vitistack-rs",
                "rules": descriptors,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    })
}

/// A relative URI reference for a file path as given (`-` for stdin stays `-`): forward
/// slashes, and characters a URI cannot hold percent-encoded.
fn uri(file: &str) -> String {
    let mut out = String::with_capacity(file.len());
    for b in file.replace('\\', "/").bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
