//! JUnit XML: one `<testsuite>` per file, one `<testcase>` per document. An invalid document
//! has a `<failure>` carrying every finding, an unreadable one an `<error>`, a skipped one
//! `<skipped/>`; JSON Schema findings (informational) go to `<system-out>`.

use std::fmt::Write as _;

use super::{printable, Run};
use crate::validate::{DocumentReport, Outcome, Source};

/// The JUnit XML document for `reports` (in order; consecutive reports of one file form its
/// suite).
pub fn render(reports: &[DocumentReport], run: &Run<'_>) -> String {
    let mut suites: Vec<(&str, Vec<&DocumentReport>)> = Vec::new();
    for report in reports {
        match suites.last_mut() {
            Some((file, docs)) if *file == report.file => docs.push(report),
            _ => suites.push((&report.file, vec![report])),
        }
    }
    let (tests, failures, errors, skipped) = counts(reports.iter());
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"{} validate\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"{skipped}\">",
        escape(run.command)
    );
    for (file, docs) in suites {
        let (tests, failures, errors, skipped) = counts(docs.iter().copied());
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"{skipped}\">",
            escape(file)
        );
        for doc in docs {
            testcase(&mut out, doc, run);
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

fn counts<'a>(reports: impl Iterator<Item = &'a DocumentReport>) -> (usize, usize, usize, usize) {
    let mut c = (0, 0, 0, 0);
    for report in reports {
        c.0 += 1;
        match report.outcome {
            Outcome::Valid => {}
            Outcome::Invalid => c.1 += 1,
            Outcome::Unreadable => c.2 += 1,
            Outcome::Skipped => c.3 += 1,
        }
    }
    c
}

fn testcase(out: &mut String, doc: &DocumentReport, run: &Run<'_>) {
    let _ = write!(
        out,
        "    <testcase classname=\"{}\" name=\"{}\" file=\"{}\" line=\"{}\"",
        escape(&doc.file),
        escape(&doc.title()),
        escape(&doc.file),
        doc.line
    );
    let lines = |source: Option<Source>| -> String {
        doc.findings
            .iter()
            .filter(|f| source.is_none_or(|s| f.source == s))
            .map(|f| format!("{f}\n"))
            .collect()
    };
    let deciding: String = doc.deciding().map(|f| format!("{f}\n")).collect();
    let informational = lines(Some(Source::JsonSchema));
    let count = doc.deciding().count();
    let element = match doc.outcome {
        Outcome::Valid => None,
        Outcome::Skipped => Some(("skipped", format!("not a {} kind", run.groups), "skipped")),
        Outcome::Invalid => Some(("failure", format!("{count} finding(s)"), "invalid")),
        Outcome::Unreadable => Some(("error", format!("{count} finding(s)"), "unreadable")),
    };
    if element.is_none() && informational.is_empty() {
        out.push_str("/>\n");
        return;
    }
    out.push_str(">\n");
    if let Some((tag, message, kind)) = element {
        if tag == "skipped" {
            let _ = writeln!(out, "      <skipped message=\"{}\"/>", escape(&message));
        } else {
            let _ = writeln!(
                out,
                "      <{tag} message=\"{}\" type=\"{kind}\">{}</{tag}>",
                escape(&message),
                escape_text(&deciding)
            );
        }
    }
    if !informational.is_empty() {
        let _ = writeln!(
            out,
            "      <system-out>{}</system-out>",
            escape(&informational)
        );
    }
    out.push_str("    </testcase>\n");
}

/// Text for XML element content (line breaks kept as they are).
fn escape_text(text: &str) -> String {
    printable(text)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Text for XML attribute values.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in printable(text).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Keep line breaks in attribute values (they would be normalised to spaces).
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c => out.push(c),
        }
    }
    out
}
