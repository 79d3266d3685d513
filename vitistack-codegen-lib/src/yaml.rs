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
///
/// The same cut as [`crate::document_stream::DocumentReader`], which reads a stream a line at
/// a time; both feed a [`Splitter`].
pub fn split_documents(text: &str) -> Vec<DocumentText<'_>> {
    let mut docs = Vec::new();
    let mut splitter = Splitter::default();
    for raw in text.split_inclusive('\n') {
        if let Some(span) = splitter.line(raw) {
            docs.push(span.of(text, 0));
        }
    }
    if let Some(span) = splitter.finish(docs.is_empty()) {
        docs.push(span.of(text, 0));
    }
    docs
}

/// Where one document lies in a stream, as byte offsets from the start of the stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DocumentSpan {
    /// Lines of the stream before the document.
    pub line_offset: u64,
    pub start: usize,
    pub prefix_end: usize,
    pub marker_has_content: bool,
    pub suffix_start: usize,
    pub end: usize,
}

impl DocumentSpan {
    /// The document's text in `text`, which holds the stream from byte `base` on.
    pub fn of(self, text: &str, base: usize) -> DocumentText<'_> {
        DocumentText {
            line_offset: self.line_offset,
            text: &text[self.start - base..self.end - base],
            prefix: &text[self.start - base..self.prefix_end - base],
            marker_has_content: self.marker_has_content,
            suffix: &text[self.suffix_start - base..self.end - base],
        }
    }
}

/// Which part of its document the splitter is in.
#[derive(Debug, Default, PartialEq)]
enum Phase {
    /// Blank lines, comments, directives and a bare `---` line so far.
    #[default]
    Prefix,
    Body,
}

/// The line-by-line state of cutting a stream into documents: fed every line in order (with its
/// `\n`), it says where each document ends. The one definition of the cut, for a whole text
/// ([`split_documents`]) and a stream read a line at a time.
#[derive(Debug, Default)]
pub(crate) struct Splitter {
    /// Bytes of the stream fed so far.
    pos: usize,
    /// Lines of the stream fed so far.
    lines: u64,
    /// The open document.
    start: usize,
    line_offset: u64,
    prefix_end: usize,
    seen_marker: bool,
    marker_has_content: bool,
    phase: Phase,
}

impl Splitter {
    /// A new document opening at byte `start`, line `line_offset`.
    fn open(&mut self, start: usize, line_offset: u64) {
        self.start = start;
        self.line_offset = line_offset;
        self.prefix_end = start;
        self.seen_marker = false;
        self.marker_has_content = false;
        self.phase = Phase::Prefix;
    }

    fn close(&self, end: usize, suffix_start: usize) -> DocumentSpan {
        DocumentSpan {
            line_offset: self.line_offset,
            start: self.start,
            prefix_end: self.prefix_end,
            marker_has_content: self.marker_has_content,
            suffix_start,
            end,
        }
    }

    /// Bytes of the stream fed so far.
    pub fn position(&self) -> usize {
        self.pos
    }

    /// Feeds the next line (`raw` ends with its `\n`, except the stream's last line); returns
    /// the document this line closes, if any (a `---` line closes the one before it, a `...`
    /// line the one it ends).
    pub fn line(&mut self, raw: &str) -> Option<DocumentSpan> {
        let line_start = self.pos;
        let line_end = line_start + raw.len();
        let line_no = self.lines;
        self.pos = line_end;
        self.lines += 1;
        let line = raw.trim_end_matches(['\n', '\r']);
        let line = if line_start == 0 {
            line.trim_start_matches('\u{feff}')
        } else {
            line
        };
        let mut closed = None;
        if is_marker(line, "---") {
            if self.seen_marker || self.phase == Phase::Body {
                closed = Some(self.close(line_start, line_start));
                self.open(line_start, line_no);
            }
            self.seen_marker = true;
            let rest = line[3..].trim();
            if rest.is_empty() || rest.starts_with('#') {
                self.prefix_end = line_end;
            } else {
                self.marker_has_content = true;
                self.phase = Phase::Body;
            }
        } else if is_marker(line, "...") {
            closed = Some(self.close(line_end, line_start));
            self.open(line_end, line_no + 1);
        } else if self.phase == Phase::Prefix {
            let trimmed = line.trim();
            let directive = !self.seen_marker && line.starts_with('%');
            if trimmed.is_empty() || trimmed.starts_with('#') || directive {
                self.prefix_end = line_end;
            } else {
                self.phase = Phase::Body;
            }
        }
        closed
    }

    /// The last document, once every line was fed: `None` when it is empty text after a closed
    /// document (`none_closed`: no document was closed, so even an empty stream is one).
    pub fn finish(&self, none_closed: bool) -> Option<DocumentSpan> {
        (self.start < self.pos || none_closed).then(|| self.close(self.pos, self.pos))
    }
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
