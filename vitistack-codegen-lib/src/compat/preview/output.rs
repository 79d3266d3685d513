//! The preview in `compat`'s three output formats. Text and Markdown list the objects that are
//! not plainly valid; JSON lists every verdict.

use super::{Outcome, Verdict};
use crate::compat::output::table_row;
use crate::compat::Format;

/// The verdicts in `format`, ending with a newline (nothing at all for text when every object
/// is valid). JSON is one array of [`Verdict`]s.
pub fn render(verdicts: &[Verdict], format: Format) -> String {
    let shown = verdicts.iter().filter(|v| v.outcome != Outcome::Valid);
    match format {
        Format::Text => shown.map(|v| format!("{}\n", line(v))).collect(),
        Format::Json => {
            // Serializing plain strings cannot fail; fall back to an empty array regardless.
            let mut text =
                serde_json::to_string_pretty(verdicts).unwrap_or_else(|_| "[]".to_owned());
            text.push('\n');
            text
        }
        Format::Markdown => {
            let mut out = String::from("| Object | Source | Verdict | Why |\n|---|---|---|---|\n");
            let mut any = false;
            for v in shown {
                any = true;
                out.push_str(&table_row(&[
                    &object(v),
                    &v.origin,
                    v.outcome.as_str(),
                    &why(v),
                ]));
            }
            if !any {
                out = format!(
                    "All {} stored object(s) are valid under NEW.\n",
                    verdicts.len()
                );
            }
            out
        }
    }
}

/// `OUTCOME: ORIGIN: KIND NAMESPACE/NAME: why`.
fn line(v: &Verdict) -> String {
    format!(
        "{}: {}: {}: {}",
        v.outcome.as_str(),
        v.origin,
        object(v),
        why(v)
    )
}

fn object(v: &Verdict) -> String {
    match v.namespace.as_str() {
        "" => format!("{} {}", v.kind, v.name),
        namespace => format!("{} {namespace}/{}", v.kind, v.name),
    }
}

/// What the verdict rests on, in one line.
fn why(v: &Verdict) -> String {
    let mut parts = Vec::new();
    match v.outcome {
        Outcome::Valid => {}
        Outcome::Ratcheted => parts.push(format!(
            "NEW rejects {}; an update that leaves these fields unchanged goes through \
             (ratcheting)",
            v.rejected.join("; ")
        )),
        Outcome::Blocked => parts.push(format!(
            "an update that leaves the object unchanged is refused: {}",
            v.update_refused.join("; ")
        )),
        Outcome::Unchecked => parts.push("not checked".to_owned()),
    }
    parts.extend(v.notes.iter().cloned());
    parts.join("; ")
}
