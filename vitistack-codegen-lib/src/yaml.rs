//! Reading and writing YAML with `serde-saphyr`.
//!
//! Reading: a multi-document stream becomes one [`Value`] per non-empty document; errors name
//! the source and the line. Writing: block-style YAML with recursively sorted keys, 2-space
//! indentation, and YAML 1.1-safe quoting (strings such as `yes`, `on`, `null`, `1.0`, `*`,
//! `<<` are quoted), so kubectl (go-yaml) reads back exactly the same values.

use serde_json::Value;

use crate::canonical::Sorted;
use crate::Error;

/// Parser budget: permissive enough for very large CRDs (deep schemas, many nodes) while still
/// refusing alias bombs.
fn parse_options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_depth: 256,
            max_nodes: 10_000_000,
            max_events: 40_000_000,
            max_documents: 100_000,
        },
        with_snippet: false,
    }
}

fn emit_options() -> serde_saphyr::SerializerOptions {
    serde_saphyr::ser_options! {
        indent_step: 2,
        compact_list_indent: true,
    }
}

/// One document of a YAML stream as text, found by [`split_documents`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentText<'a> {
    /// Number of lines in the stream before this document's text.
    pub line_offset: u64,
    /// The whole text of the document, including its `---` marker, leading comments and any
    /// `...` end marker. Concatenating all `text`s gives back the stream.
    pub text: &'a str,
    /// The leading part of `text` that carries no content: blank lines, comments, directives
    /// and a bare `---` marker line (one with nothing but an optional comment after it).
    pub prefix: &'a str,
    /// Whether the `---` line of this document also carries content or a tag (`--- {a: 1}`),
    /// so a rewritten body needs its own `---` line.
    pub marker_has_content: bool,
    /// The trailing `...` line, if the document ends with one (else empty).
    pub suffix: &'a str,
}

fn is_marker(line: &str, marker: &str) -> bool {
    line.strip_prefix(marker)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']))
}

/// Split a YAML stream into its documents' texts, at `---` and `...` lines (which are always
/// document markers in YAML: they cannot occur at column 0 inside any scalar). Text before the
/// first `---` that holds only comments or directives belongs to the first document.
pub fn split_documents(text: &str) -> Vec<DocumentText<'_>> {
    #[derive(PartialEq)]
    enum Phase {
        Prefix,
        Body,
    }
    struct Open {
        start: usize,
        line_offset: u64,
        prefix_end: usize,
        seen_marker: bool,
        marker_has_content: bool,
        phase: Phase,
    }
    fn open(start: usize, line_offset: u64) -> Open {
        Open {
            start,
            line_offset,
            prefix_end: start,
            seen_marker: false,
            marker_has_content: false,
            phase: Phase::Prefix,
        }
    }
    fn close<'a>(text: &'a str, o: &Open, end: usize, suffix_start: usize) -> DocumentText<'a> {
        DocumentText {
            line_offset: o.line_offset,
            text: &text[o.start..end],
            prefix: &text[o.start..o.prefix_end],
            marker_has_content: o.marker_has_content,
            suffix: &text[suffix_start..end],
        }
    }

    let mut docs = Vec::new();
    let mut cur = open(0, 0);
    let mut pos = 0usize;
    for (line_no, raw) in (0u64..).zip(text.split_inclusive('\n')) {
        let line_start = pos;
        let line_end = pos + raw.len();
        pos = line_end;
        let line = raw.trim_end_matches(['\n', '\r']);
        let line = if line_start == 0 {
            line.trim_start_matches('\u{feff}')
        } else {
            line
        };
        if is_marker(line, "---") {
            if cur.seen_marker || cur.phase == Phase::Body {
                docs.push(close(text, &cur, line_start, line_start));
                cur = open(line_start, line_no);
            }
            cur.seen_marker = true;
            let rest = line[3..].trim();
            if rest.is_empty() || rest.starts_with('#') {
                cur.prefix_end = line_end;
            } else {
                cur.marker_has_content = true;
                cur.phase = Phase::Body;
            }
        } else if is_marker(line, "...") {
            docs.push(close(text, &cur, line_end, line_start));
            cur = open(line_end, line_no + 1);
        } else if cur.phase == Phase::Prefix {
            let trimmed = line.trim();
            let directive = !cur.seen_marker && line.starts_with('%');
            if trimmed.is_empty() || trimmed.starts_with('#') || directive {
                cur.prefix_end = line_end;
            } else {
                cur.phase = Phase::Body;
            }
        }
    }
    if cur.start < text.len() || docs.is_empty() {
        docs.push(close(text, &cur, text.len(), text.len()));
    }
    docs
}

/// Parse one document's text (as returned by [`split_documents`]); `None` for an empty
/// document (only comments, or a null).
pub fn parse_document(doc: &DocumentText<'_>, source_name: &str) -> Result<Option<Value>, Error> {
    serde_saphyr::from_str_with_options::<Option<Value>>(doc.text, parse_options())
        .map_err(|e| parse_error(&e, source_name, doc.line_offset))
}

/// Parse a multi-document YAML stream into one [`Value`] per non-empty document.
/// `source_name` (usually the file name) is used in error messages.
pub fn parse_documents(text: &str, source_name: &str) -> Result<Vec<Value>, Error> {
    let mut out = Vec::new();
    for doc in split_documents(text) {
        if let Some(v) = parse_document(&doc, source_name)? {
            out.push(v);
        }
    }
    Ok(out)
}

pub(crate) fn parse_error(e: &serde_saphyr::Error, source_name: &str, line_offset: u64) -> Error {
    let location = e.location();
    let message = e
        .render_with_options(serde_saphyr::render_options! {
            snippets: serde_saphyr::SnippetMode::Off,
            line_offset: line_offset,
        })
        // Library-API advice that means nothing to someone editing a YAML file.
        .replace(", set DuplicateKeyPolicy in Options if acceptable", "");
    Error::YamlParse {
        source_name: source_name.to_owned(),
        line: location.map(|l| l.line() + line_offset),
        column: location.map(|l| l.column()),
        message,
    }
}

/// Write `value` as one YAML document (no `---` marker) with recursively sorted keys, ending
/// in a newline.
pub fn to_yaml(value: &Value) -> Result<String, Error> {
    let mut out = serde_saphyr::to_string_with_options(&Sorted(value), emit_options())
        .map_err(|e| Error::YamlEmit(e.to_string()))?;
    if !out.ends_with('\n') {
        out.push('\n');
    }
    Ok(out)
}

/// Write several values as one multi-document YAML stream: documents separated by `---`
/// lines (none before the first one), keys sorted recursively.
pub fn to_yaml_multi(values: &[Value]) -> Result<String, Error> {
    let mut out = String::new();
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            out.push_str("---\n");
        }
        out.push_str(&to_yaml(v)?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn split_keeps_text_and_finds_documents() {
        let text = "# head\n%YAML 1.2\n---\na: 1\n--- # c\nb: 2\n...\n---\n--- {c: 3}\nd\n";
        let docs = split_documents(text);
        let joined: String = docs.iter().map(|d| d.text).collect();
        assert_eq!(joined, text);
        let texts: Vec<&str> = docs.iter().map(|d| d.text).collect();
        assert_eq!(
            texts,
            vec![
                "# head\n%YAML 1.2\n---\na: 1\n",
                "--- # c\nb: 2\n...\n",
                "---\n",
                "--- {c: 3}\nd\n"
            ]
        );
        assert_eq!(docs[0].prefix, "# head\n%YAML 1.2\n---\n");
        assert_eq!(docs[1].suffix, "...\n");
        assert!(docs[3].marker_has_content);
        assert_eq!(docs[3].line_offset, 8);
    }

    #[test]
    fn parse_errors_name_source_and_absolute_line() {
        let text = "a: 1\n---\nb: 2\nc: [1,\n";
        let err = parse_documents(text, "x.yaml").unwrap_err();
        match &err {
            Error::YamlParse { line, .. } => assert_eq!(*line, Some(4)),
            other => panic!("unexpected {other:?}"),
        }
        let msg = err.to_string();
        assert!(msg.starts_with("x.yaml: invalid YAML:"), "{msg}");
        assert!(msg.contains("line 4"), "{msg}");
        let dup = parse_documents("a: 1\na: 2\n", "d.yaml")
            .unwrap_err()
            .to_string();
        assert!(dup.contains("duplicate mapping key: a"), "{dup}");
        assert!(!dup.contains("DuplicateKeyPolicy"), "{dup}");
    }

    #[test]
    fn empty_documents_are_skipped() {
        let docs = parse_documents("---\n# nothing\n---\na: 1\n---\n", "s").unwrap();
        assert_eq!(docs, vec![json!({"a": 1})]);
        assert!(parse_documents("", "s").unwrap().is_empty());
    }

    #[test]
    fn multi_document_output() {
        let s = to_yaml_multi(&[json!({"b": 1, "a": 2}), json!({"c": []})]).unwrap();
        assert_eq!(s, "a: 2\nb: 1\n---\nc: []\n");
    }
}
