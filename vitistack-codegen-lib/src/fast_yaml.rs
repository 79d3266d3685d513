//! A fast path for the block-style YAML subset that real manifests use, straight into the
//! [`Value`] the validator walks.
//!
//! The full parser (serde-saphyr) turns a document into events, then deserializes them; most
//! of the time of `vitistack-codegen validate` went there. Manifests are mostly block mappings
//! and sequences of plain scalars, one per line, so this module reads exactly that, line by
//! line (plus `|` and `|-` literal blocks), and gives up (returns `None`) on anything else:
//! flow collections other than `[]` and `{}`, anchors, aliases, tags, folded blocks and block
//! headers with indicators, multi-line scalars, escapes, tabs, carriage returns, non-ASCII text,
//! directives, duplicate keys, deep nesting, large documents and every plain scalar whose type
//! is not certain (floats, `0x10`, `+1`, `1_000`, ...). The
//! caller then parses the document with the full parser, so errors, budgets and messages are
//! always the full parser's own.
//!
//! What it does accept it must turn into exactly the value the full parser gives: the
//! differential tests (`tests/fast_yaml.rs`) and fuzz target (`fuzz/fuzz_targets/fast_yaml.rs`)
//! check that.

use serde_json::{Map, Number, Value};

use crate::yaml::DocumentText;

/// Documents larger than this go to the full parser, so its size budgets (nodes, events)
/// can never be reached by a document this module accepts.
const MAX_BYTES: usize = 1 << 20;

/// Deepest nesting this module reads (the full parser reports deeper documents).
const MAX_NESTING: usize = 64;

/// One line with content: not blank, not only a comment.
#[derive(Clone, Copy)]
struct Line {
    /// Column of the first content byte.
    indent: usize,
    /// Byte offset of the first content byte.
    start: usize,
    /// Byte offset of the end of the line (before `\n`).
    end: usize,
}

/// Parses `doc` when it lies in the subset; `None` means "use the full parser". A document
/// with no content at all also gets `None` (the full parser decides what it is).
pub fn parse_block(doc: &DocumentText<'_>) -> Option<Value> {
    let text = doc.text;
    if doc.marker_has_content || text.len() > MAX_BYTES || !printable(doc.prefix) {
        return None;
    }
    // Directives, and anything after a `...` marker, are the full parser's.
    if doc.prefix.lines().any(|l| l.starts_with('%'))
        || !matches!(doc.suffix.trim_end_matches(['\n', ' ']), "" | "...")
    {
        return None;
    }
    let body_end = text.len() - doc.suffix.len();
    let lines = content_lines(text, doc.prefix.len(), body_end)?;
    let first = *lines.first()?;
    if first.indent != 0 {
        return None;
    }
    let mut parser = Parser {
        text,
        lines,
        next: 0,
        end: body_end,
    };
    let value = match parser.node_kind(0) {
        Kind::Sequence => parser.sequence(0, 0)?,
        Kind::Mapping => parser.mapping(0, 0)?,
        Kind::Scalar => return None,
    };
    (parser.next == parser.lines.len()).then_some(value)
}

/// Printable ASCII and `\n` only (what [`content_lines`] requires of the content).
fn printable(text: &str) -> bool {
    text.bytes()
        .all(|b| (b' '..=b'~').contains(&b) || b == b'\n')
}

/// The content lines of `text[start..end]` (in one pass, as this is where every byte is
/// looked at); `None` if the text holds a byte other than printable ASCII and `\n` (tabs,
/// carriage returns, byte order marks, control and non-ASCII characters are the full parser's
/// business) or a line starts like a document marker.
fn content_lines(text: &str, start: usize, end: usize) -> Option<Vec<Line>> {
    let bytes = &text.as_bytes()[..end];
    let mut lines = Vec::new();
    let mut i = start;
    while i < end {
        let line_start = i;
        while i < end && bytes[i] == b' ' {
            i += 1;
        }
        let content_start = i;
        while i < end && bytes[i] != b'\n' {
            if !(b' '..=b'~').contains(&bytes[i]) {
                return None;
            }
            i += 1;
        }
        let indent = content_start - line_start;
        if content_start < i && bytes[content_start] != b'#' {
            let content = &bytes[content_start..i];
            if indent == 0 && (content.starts_with(b"---") || content.starts_with(b"...")) {
                return None;
            }
            lines.push(Line {
                indent,
                start: content_start,
                end: i,
            });
        }
        i += 1;
    }
    Some(lines)
}

/// What a node starting on a line is.
enum Kind {
    Sequence,
    Mapping,
    Scalar,
}

struct Parser<'a> {
    text: &'a str,
    lines: Vec<Line>,
    /// The next line to read.
    next: usize,
    /// Where the document's content ends (before any `...` line).
    end: usize,
}

impl<'a> Parser<'a> {
    fn content(&self, i: usize) -> &'a str {
        let line = self.lines[i];
        &self.text[line.start..line.end]
    }

    /// The indentation of the next line, or `None` at the end.
    fn next_indent(&self) -> Option<usize> {
        self.lines.get(self.next).map(|l| l.indent)
    }

    fn node_kind(&self, i: usize) -> Kind {
        let content = self.content(i);
        if is_dash(content) {
            Kind::Sequence
        } else if key_split(content).is_some() {
            Kind::Mapping
        } else {
            Kind::Scalar
        }
    }

    /// A node that starts on line `self.next` at its indentation; `parent` is the indentation
    /// of the collection holding it (its continuation lines must not be deeper than that).
    fn node(&mut self, parent: usize, depth: usize) -> Option<Value> {
        if depth > MAX_NESTING {
            return None;
        }
        let indent = self.lines[self.next].indent;
        match self.node_kind(self.next) {
            Kind::Sequence => self.sequence(indent, depth),
            Kind::Mapping => self.mapping(indent, depth),
            Kind::Scalar => {
                let value = scalar(self.content(self.next))?;
                self.next += 1;
                self.after_scalar(parent)?;
                Some(value)
            }
        }
    }

    /// After a scalar: a deeper next line would continue it (a multi-line scalar) or be an
    /// error; both are the full parser's.
    fn after_scalar(&self, parent: usize) -> Option<()> {
        match self.next_indent() {
            Some(indent) if indent > parent => None,
            _ => Some(()),
        }
    }

    /// The value after `key:` (or after `-`) with nothing else on its line: a deeper block,
    /// a `- ` sequence at the key's own indentation (only for mapping values), or null.
    fn empty_inline_value(
        &mut self,
        indent: usize,
        compact_sequence: bool,
        depth: usize,
    ) -> Option<Value> {
        match self.next_indent() {
            Some(next) if next > indent => self.node(indent, depth + 1),
            Some(next)
                if compact_sequence && next == indent && is_dash(self.content(self.next)) =>
            {
                self.sequence(indent, depth + 1)
            }
            _ => Some(Value::Null),
        }
    }

    /// A block sequence whose `-` lines are at `indent`.
    fn sequence(&mut self, indent: usize, depth: usize) -> Option<Value> {
        let mut items = Vec::new();
        while self.next_indent() == Some(indent) && is_dash(self.content(self.next)) {
            let line = self.lines[self.next];
            let rest = &self.text[line.start + 1..line.end];
            let skipped = rest.len() - rest.trim_start_matches(' ').len();
            let rest = &rest[skipped..];
            let item = if rest.is_empty() || rest.starts_with('#') {
                self.next += 1;
                self.empty_inline_value(indent, false, depth)?
            } else {
                // The item starts inside this line: read the rest of the line as a line of
                // its own, at the column where the item starts.
                let column = indent + 1 + skipped;
                self.lines[self.next] = Line {
                    indent: column,
                    start: line.start + 1 + skipped,
                    end: line.end,
                };
                if depth + 1 > MAX_NESTING {
                    return None;
                }
                match self.node_kind(self.next) {
                    Kind::Scalar => {
                        let value = scalar(rest)?;
                        self.next += 1;
                        self.after_scalar(indent)?;
                        value
                    }
                    _ => self.node(indent, depth + 1)?,
                }
            };
            items.push(item);
            self.after_item(indent)?;
        }
        Some(Value::Array(items))
    }

    /// After an item of a collection at `indent`: the next line must not be deeper.
    fn after_item(&self, indent: usize) -> Option<()> {
        match self.next_indent() {
            Some(next) if next > indent => None,
            _ => Some(()),
        }
    }

    /// A block mapping whose keys are at `indent`.
    fn mapping(&mut self, indent: usize, depth: usize) -> Option<Value> {
        let mut map = Map::new();
        while self.next_indent() == Some(indent) {
            let content = self.content(self.next);
            let (key, rest) = key_split(content)?;
            let key = key.to_owned();
            let rest = rest.trim_start_matches(' ');
            let value = if rest.is_empty() || rest.starts_with('#') {
                self.next += 1;
                self.empty_inline_value(indent, true, depth)?
            } else if rest.starts_with('|') {
                self.literal(rest, indent)?
            } else {
                let value = scalar(rest)?;
                self.next += 1;
                self.after_scalar(indent)?;
                value
            };
            if map.insert(key, value).is_some() {
                // A duplicate key: an error or last-wins, as the full parser decides.
                return None;
            }
            self.after_item(indent)?;
        }
        Some(Value::Object(map))
    }
}

impl Parser<'_> {
    /// A literal block scalar (`|` or `|-`) that is the value of a key at `parent` indentation,
    /// its header being `header` on line `self.next`. Only the plain form: an indentation found
    /// from the first line, no lines of spaces only, at least one line of text.
    fn literal(&mut self, header: &str, parent: usize) -> Option<Value> {
        let strip = match header.as_bytes().get(1) {
            Some(b'-') => true,
            None | Some(b' ') => false,
            _ => return None,
        };
        if !only_comment(&header[1 + usize::from(strip)..]) {
            return None;
        }
        let mut pos = self.lines[self.next].end + 1;
        let mut indent = None;
        let mut text = String::new();
        let mut pending_breaks = 0;
        while pos < self.end {
            let line_end = self.text[pos..self.end]
                .find('\n')
                .map_or(self.end, |i| pos + i);
            let line = &self.text[pos..line_end];
            let spaces = line.len() - line.trim_start_matches(' ').len();
            if line.is_empty() {
                pending_breaks += 1;
            } else if spaces == line.len() {
                // Lines of spaces only: their meaning depends on the indentation.
                return None;
            } else {
                if spaces <= parent {
                    break;
                }
                let content_indent = *indent.get_or_insert(spaces);
                if spaces < content_indent {
                    break;
                }
                for _ in 0..pending_breaks {
                    text.push('\n');
                }
                pending_breaks = 1;
                text.push_str(&line[content_indent..]);
            }
            pos = line_end + 1;
        }
        indent?;
        if !strip {
            text.push('\n');
        }
        while self.lines.get(self.next).is_some_and(|l| l.start < pos) {
            self.next += 1;
        }
        self.after_scalar(parent)?;
        Some(Value::String(text))
    }
}

/// `-` alone or followed by a space: a block sequence entry.
fn is_dash(content: &str) -> bool {
    content == "-" || content.starts_with("- ")
}

/// `key: rest` or `key:` with a plain key of the subset; `None` when the line is not one.
fn key_split(content: &str) -> Option<(&str, &str)> {
    let bytes = content.as_bytes();
    let first = *bytes.first()?;
    if !(first.is_ascii_alphabetic() || first == b'_') {
        return None;
    }
    let len = bytes
        .iter()
        .position(|&b| !(b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'/' | b'-')))
        .unwrap_or(bytes.len());
    if bytes.get(len) != Some(&b':') || !matches!(bytes.get(len + 1), None | Some(b' ')) {
        return None;
    }
    let key = &content[..len];
    if is_null_word(key) || bool_word(key).is_some() {
        return None;
    }
    Some((key, &content[len + 1..]))
}

/// The value of a scalar written on one line (with any trailing comment): plain or simply
/// quoted; `None` for anything else.
fn scalar(text: &str) -> Option<Value> {
    match text.as_bytes().first()? {
        b'"' | b'\'' => quoted(text),
        b'[' | b'{' => empty_flow(text),
        _ => plain(text),
    }
}

/// What follows a value on its line: nothing, or spaces and a comment.
fn only_comment(rest: &str) -> bool {
    let trimmed = rest.trim_start_matches(' ');
    trimmed.is_empty() || (trimmed.len() < rest.len() && trimmed.starts_with('#'))
}

/// `"text"` or `'text'` without escapes, on one line.
fn quoted(text: &str) -> Option<Value> {
    let quote = text.as_bytes()[0] as char;
    let body = &text[1..];
    let close = body.find(quote)?;
    let inner = &body[..close];
    if quote == '"' && inner.contains('\\') {
        return None;
    }
    // `'it''s'` is an escaped quote: the full parser's.
    if quote == '\'' && body[close + 1..].starts_with('\'') {
        return None;
    }
    only_comment(&body[close + 1..]).then(|| Value::String(inner.to_owned()))
}

/// `[]` or `{}`.
fn empty_flow(text: &str) -> Option<Value> {
    let (value, rest) = if let Some(rest) = text.strip_prefix("[]") {
        (Value::Array(Vec::new()), rest)
    } else {
        (Value::Object(Map::new()), text.strip_prefix("{}")?)
    };
    only_comment(rest).then_some(value)
}

/// A plain scalar: its text ends at a ` #` comment, without trailing spaces.
fn plain(text: &str) -> Option<Value> {
    // One pass: where a ` #` comment starts, and whether a byte makes this more than a
    // plain scalar of the subset (`: ` or a final `:` would be a mapping, brackets are flow).
    let bytes = text.as_bytes();
    let mut end = bytes.len();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'#' if i > 0 && bytes[i - 1] == b' ' => {
                end = i;
                break;
            }
            b':' if matches!(bytes.get(i + 1), None | Some(b' ')) => return None,
            b'[' | b']' | b'{' | b'}' => return None,
            _ => {}
        }
    }
    let t = text[..end].trim_end_matches(' ');
    if is_null_word(t) {
        return Some(Value::Null);
    }
    let first = *t.as_bytes().first()?;
    let sign_digit = first == b'-' && t.as_bytes().get(1).is_some_and(u8::is_ascii_digit);
    if !(first.is_ascii_alphanumeric() || first == b'/' || sign_digit) {
        return None;
    }
    if let Some(b) = bool_word(t) {
        return Some(Value::Bool(b));
    }
    if let Some(n) = decimal_integer(t) {
        return Some(Value::Number(n));
    }
    certainly_text(t).then(|| Value::String(t.to_owned()))
}

fn is_null_word(t: &str) -> bool {
    matches!(t, "~" | "null" | "Null" | "NULL")
}

/// YAML 1.1 booleans, as the full parser reads them (case-insensitive).
fn bool_word(t: &str) -> Option<bool> {
    const TRUE: &[&str] = &["true", "yes", "y", "on"];
    const FALSE: &[&str] = &["false", "no", "n", "off"];
    if TRUE.iter().any(|w| t.eq_ignore_ascii_case(w)) {
        Some(true)
    } else if FALSE.iter().any(|w| t.eq_ignore_ascii_case(w)) {
        Some(false)
    } else {
        None
    }
}

/// `0` or `-?[1-9][0-9]{0,17}`: integers that fit an `i64` whatever their digits.
fn decimal_integer(t: &str) -> Option<Number> {
    let (negative, digits) = match t.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, t),
    };
    let ok = digits.len() <= 18
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" && !negative || digits.as_bytes().first().is_some_and(|&b| b != b'0'));
    if !ok {
        return None;
    }
    let value: i64 = t.parse().ok()?;
    Some(Number::from(value))
}

/// Whether a plain scalar that is neither null, boolean nor a small decimal integer is a
/// string for the full parser too: it starts with a letter (only `inf`/`nan` spellings could
/// be numbers there, and those are strings in YAML) or `/`, or it holds a byte no number can
/// hold, or a sign where no number has one, or it is a dotted run of digits like an IPv4
/// address. Anything else (floats, `0x1f`,
/// `1_000`, `+5`, `-0`, `007`, ...) is left to the full parser.
fn certainly_text(t: &str) -> bool {
    let first = t.as_bytes()[0];
    if first.is_ascii_alphabetic() || first == b'/' {
        return true;
    }
    let numeric_byte = |b: u8| b.is_ascii_hexdigit() || b"._+-xXoO".contains(&b);
    if t.bytes().any(|b| !numeric_byte(b)) {
        return true;
    }
    // A sign inside (`30000-32767`): numbers have one only first or after an exponent's `e`.
    let bytes = t.as_bytes();
    if (1..bytes.len())
        .any(|i| matches!(bytes[i], b'+' | b'-') && !matches!(bytes[i - 1], b'e' | b'E'))
    {
        return true;
    }
    t.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && t.bytes().filter(|&b| b == b'.').count() >= 2
}
