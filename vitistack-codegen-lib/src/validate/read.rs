//! The read stage: one document's text into a value, under bounded parser budgets (alias bombs
//! and deep nesting end in an error, not in exhaustion), and the parse errors that make a
//! document invalid rather than unreadable.
//!
//! [`parser_options`] is the one definition of the budgets; the fuzz crate decodes with it too.
//!
//! Parsing recurses once per nesting level; with [`MAX_DEPTH`] levels that needs a few MiB of
//! stack in debug builds, so call this on a thread with a large stack
//! ([`super::schedule::STACK_SIZE`]).

use serde_json::Value;
use serde_saphyr::DuplicateKeyPolicy;

use crate::yaml::DocumentText;
use crate::Error;

/// Deepest nesting of mappings and sequences a document may have.
pub const MAX_DEPTH: usize = 256;

/// The parser options of `validate`: bounded budget and alias replay, non-finite floats
/// rejected, duplicate mapping keys handled by `duplicate_keys`.
pub fn parser_options(duplicate_keys: DuplicateKeyPolicy) -> serde_saphyr::Options {
    serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_depth: MAX_DEPTH,
            max_nodes: 2_000_000,
            max_events: 8_000_000,
            max_aliases: 10_000,
            max_anchors: 10_000,
            max_documents: 16,
        },
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: 100_000,
            max_replay_stack_depth: 64,
        },
        duplicate_keys: duplicate_keys,
        // Comments are still checked as syntax, but not kept.
        emit_comments: false,
        with_snippet: false,
    }
}

/// Parses one document as `validate` does: the block-style fast path
/// ([`crate::fast_yaml::parse_block`]) when the document lies in its subset, else the full
/// parser ([`parse_full`]). Both give the same value; errors always come from the full parser.
pub fn parse(
    doc: &DocumentText<'_>,
    policy: DuplicateKeyPolicy,
) -> Result<Option<Value>, serde_saphyr::Error> {
    match crate::fast_yaml::parse_block(doc) {
        Some(value) => Ok(Some(value)),
        None => parse_full(doc, policy),
    }
}

/// Parses one document with the full YAML parser (serde-saphyr) under `validate`'s budgets;
/// `None` for an empty document.
pub fn parse_full(
    doc: &DocumentText<'_>,
    policy: DuplicateKeyPolicy,
) -> Result<Option<Value>, serde_saphyr::Error> {
    serde_saphyr::from_str_with_options::<Option<Value>>(doc.text, parser_options(policy))
}

/// A parse error that makes the document invalid rather than unreadable: a duplicate key
/// (strict mode) or a number JSON cannot represent.
pub(super) enum ValueError {
    DuplicateKey(String),
    NonFinite,
}

/// Classifies a parse error; `None` for errors that make the document unreadable.
pub(super) fn value_error(e: &serde_saphyr::Error, line_offset: u64) -> Option<ValueError> {
    let mut inner = e;
    loop {
        match inner {
            serde_saphyr::Error::WithSnippet { error, .. }
            | serde_saphyr::Error::AliasError { error, .. } => inner = error,
            serde_saphyr::Error::NonFiniteFloat { .. } => return Some(ValueError::NonFinite),
            serde_saphyr::Error::DuplicateMappingKey { key, .. } => {
                let key = key
                    .as_deref()
                    .map(|k| format!(" {}", Value::String(k.to_owned())))
                    .unwrap_or_default();
                let at = e
                    .location()
                    .map(|l| format!(" at line {}, column {}", l.line() + line_offset, l.column()))
                    .unwrap_or_default();
                return Some(ValueError::DuplicateKey(format!(
                    "duplicate key{key}{at} (not allowed in strict mode; --no-strict keeps the last value)"
                )));
            }
            _ => return None,
        }
    }
}

/// `invalid YAML: ...` with the line in the stream.
pub(super) fn yaml_message(e: &serde_saphyr::Error, doc: &DocumentText<'_>) -> String {
    match crate::yaml::parse_error(e, "", doc.line_offset) {
        Error::YamlParse { message, .. } => format!("invalid YAML: {message}"),
        other => other.to_string(),
    }
}

/// The tags of a document other than the YAML core schema's (`!Ref`, `!!python/object`,
/// `!!binary`, ...). Only documents with a `!` are parsed a second time, so plain manifests
/// pay nothing; the parser does not expand aliases, so this stays linear.
pub(super) fn application_tags(text: &str) -> Vec<String> {
    const CORE: &[&str] = &["str", "int", "float", "bool", "null", "map", "seq"];
    if !text.contains('!') {
        return Vec::new();
    }
    let mut tags = Vec::new();
    for event in granit_parser::Parser::new_from_str(text) {
        // A syntax error was already reported by the real parse.
        let Ok((event, _)) = event else { break };
        if let Some(tag) = event.tag() {
            let core = tag.is_yaml_core_schema() && CORE.contains(&tag.suffix());
            if !core && !tags.contains(&tag.original()) {
                tags.push(tag.original());
            }
        }
    }
    tags
}
