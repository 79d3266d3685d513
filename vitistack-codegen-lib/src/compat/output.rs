//! The three output formats of `compat`.

use super::Finding;

/// `--output`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `CRD version field.path: check: what changed`, prefixed by the severity.
    Text,
    /// One JSON array of `{crd, version, path, check, severity, message}`.
    Json,
    /// A Markdown table (for pull-request comments).
    Markdown,
}

/// The findings in `format`, ending with a newline (nothing at all for text without findings).
pub fn render(findings: &[Finding], format: Format) -> String {
    match format {
        Format::Text => findings
            .iter()
            .map(|f| {
                format!(
                    "{}: {} {} {}: {}: {}\n",
                    f.severity.as_str(),
                    f.crd,
                    f.version,
                    f.path,
                    f.check,
                    f.message
                )
            })
            .collect(),
        Format::Json => {
            // Serializing plain strings cannot fail; fall back to an empty array regardless.
            let mut text =
                serde_json::to_string_pretty(findings).unwrap_or_else(|_| "[]".to_owned());
            text.push('\n');
            text
        }
        Format::Markdown => markdown(findings),
    }
}

fn markdown(findings: &[Finding]) -> String {
    if findings.is_empty() {
        return "No incompatible changes.\n".to_owned();
    }
    let mut out = String::from(
        "| Severity | CRD | Version | Field | Check | Change |\n|---|---|---|---|---|---|\n",
    );
    for f in findings {
        out.push_str(&table_row(&[
            f.severity.as_str(),
            &f.crd,
            &f.version,
            &f.path,
            f.check,
            &f.message,
        ]));
    }
    out
}

/// One row of a Markdown table, ending with a newline.
pub(crate) fn table_row(cells: &[&str]) -> String {
    let mut out = String::from("|");
    for cell in cells {
        out.push(' ');
        out.push_str(&cell_text(cell));
        out.push_str(" |");
    }
    out.push('\n');
    out
}

/// A table cell: `|` escaped, line breaks flattened (a CEL rule may span lines), code-like
/// text kept literal by escaping the characters Markdown would interpret.
fn cell_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '|' => out.push_str("\\|"),
            '\n' | '\r' => out.push(' '),
            '*' | '_' | '`' | '<' | '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}
