//! SARIF 2.1.0 for code scanning: one result per finding, with a rule id per check (see
//! [`super::rule_id`]) and the file and line of the document it is about.

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
            let mut location = json!({
                "physicalLocation": {
                    "artifactLocation": {"uri": uri(&doc.file)},
                    "region": {"startLine": doc.line},
                },
            });
            let logical: Vec<&str> = [finding.kind.as_deref(), finding.name.as_deref()]
                .into_iter()
                .flatten()
                .collect();
            if !logical.is_empty() || !finding.path.is_empty() {
                let mut name = logical.join("/");
                if !finding.path.is_empty() {
                    if !name.is_empty() {
                        name.push(':');
                    }
                    name.push_str(&finding.path);
                }
                location["logicalLocations"] = json!([{"fullyQualifiedName": printable(&name)}]);
            }
            results.push(json!({
                "ruleId": id,
                "ruleIndex": index,
                "level": if finding.source == Source::JsonSchema { "note" } else { "error" },
                "message": {"text": printable(&finding.to_string())},
                "locations": [location],
            }));
        }
    }
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
