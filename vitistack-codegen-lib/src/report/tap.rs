//! TAP version 13: one test point per document; a failing point carries a YAML diagnostic
//! block with every finding.

use serde_json::{json, Value};

use super::{printable, rule_id, Run};
use crate::validate::{DocumentReport, Outcome};
use crate::yaml::to_yaml;

/// The TAP 13 stream for `reports`.
pub fn render(reports: &[DocumentReport], run: &Run<'_>) -> String {
    let mut out = format!("TAP version 13\n1..{}\n", reports.len());
    for (i, doc) in reports.iter().enumerate() {
        let n = i + 1;
        let description = description(&doc.title());
        match doc.outcome {
            Outcome::Valid => out.push_str(&format!("ok {n} - {description}\n")),
            Outcome::Skipped => out.push_str(&format!(
                "ok {n} - {description} # SKIP not a {} kind\n",
                run.groups
            )),
            Outcome::Invalid | Outcome::Unreadable => {
                out.push_str(&format!("not ok {n} - {description}\n"));
                out.push_str(&diagnostic(doc));
            }
        }
    }
    out
}

/// A description cannot hold a line break, and `#` would start a directive.
fn description(title: &str) -> String {
    printable(title)
        .replace(['\n', '\r'], " ")
        .replace('\\', "\\\\")
        .replace('#', "\\#")
}

/// The `  ---` ... `  ...` YAML block of a failing test point.
fn diagnostic(doc: &DocumentReport) -> String {
    let findings: Vec<Value> = doc
        .findings
        .iter()
        .map(|f| {
            json!({
                "rule": rule_id(f),
                "path": f.path,
                "message": printable(&f.message),
                "source": f.source,
            })
        })
        .collect();
    let block = json!({
        "message": format!("{} finding(s)", doc.deciding().count()),
        "severity": if doc.outcome == Outcome::Unreadable { "error" } else { "fail" },
        "file": printable(&doc.file),
        "document": doc.document,
        "line": doc.line,
        "findings": findings,
    });
    // The YAML writer cannot fail on a JSON value built here; if it ever did, the block
    // would still say that the point failed.
    let yaml = to_yaml(&block).unwrap_or_else(|_| "message: unprintable findings\n".to_owned());
    let mut out = String::from("  ---\n");
    for line in yaml.lines() {
        out.push_str("  ");
        out.push_str(line);
        out.push('\n');
    }
    out.push_str("  ...\n");
    out
}
