//! Checking manifests: what `vitistack-codegen validate` does to every YAML/JSON document.
//!
//! Every document of a (multi-document) YAML stream is parsed once, under a bounded parser
//! budget (alias bombs and deep nesting end in an error, not in exhaustion), and must be a
//! mapping with string `apiVersion` and `kind`. A vitistack kind is checked by the Rust
//! validator, [`vitistack_types::validate::check_value`] with the kind's root schema: its verdict
//! decides whether the document is valid. Optionally, the JSON Schema validator
//! ([`crate::json_schema::SchemaSet`]) runs as well; its findings are informational.
//!
//! With old objects ([`Checker::with_old`], `validate --old`), a document that has an old
//! object of the same apiVersion, kind, namespace and name is checked as an update of it
//! ([`vitistack_types::validate::check_update`]: the update-time rules, with ratcheting).
//!
//! Strict mode (the default, like kubectl's `--validate=strict`): unknown fields and duplicate
//! mapping keys are errors. Non-strict: unknown fields are ignored and for a duplicate key the
//! last value wins.
//!
//! Parsing recurses once per nesting level; with [`MAX_DEPTH`] levels that needs a few MiB of
//! stack in debug builds, so call this on a thread with a large stack (the CLI uses
//! [`STACK_SIZE`]).

use serde::Serialize;
use serde_json::Value;
use serde_saphyr::DuplicateKeyPolicy;
use vitistack_types::validate::{check_update, check_value, cut, ErrorKind, FieldError, Options};

use crate::json_schema::SchemaSet;
use crate::old_objects::OldObjects;
use crate::yaml::{split_documents, DocumentText};
use crate::{Codegen, Error};

/// Deepest nesting of mappings and sequences a document may have.
pub const MAX_DEPTH: usize = 256;

/// Stack size for a thread that runs [`Checker::check_text`] on hostile input.
pub const STACK_SIZE: usize = 64 << 20;

/// Streams with at least this many documents are checked on several threads.
const PARALLEL_MIN_DOCUMENTS: usize = 64;

/// Documents checked in parallel before their findings are passed on.
const WINDOW: usize = 2048;

/// At most this many threads check one stream.
const MAX_THREADS: usize = 8;

/// The API group whose kinds are never skipped by `ignore_unknown`.
pub use vitistack_types::constants::GROUP;

/// How to check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckOptions {
    /// Unknown fields and duplicate mapping keys are errors.
    pub strict: bool,
    /// Documents of kinds outside the groups of the checked kinds are skipped instead of
    /// reported.
    pub ignore_unknown: bool,
    /// Also run the JSON Schema validator and report its findings (informational).
    pub json_schema: bool,
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions {
            strict: true,
            ignore_unknown: false,
            json_schema: false,
        }
    }
}

/// Who reported a finding, which decides what it means for the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    /// The input could not be read or parsed (exit 2).
    Input,
    /// The document is invalid: the Rust validator, the document shape, an unknown kind, a
    /// duplicate key in strict mode (exit 1).
    Validator,
    /// The JSON Schema validator (informational, `--json-schema`).
    JsonSchema,
}

/// One finding about one document (or one file, when `document` is `None`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The file as given (or found in a directory); `-` for stdin.
    pub file: String,
    /// 1-based index of the document in the stream (counting empty documents); `None` for a
    /// problem with the whole file.
    pub document: Option<usize>,
    /// The document's `kind`, when it has a string one.
    pub kind: Option<String>,
    /// The document's `metadata.name`, when it has a string one.
    pub name: Option<String>,
    /// Field path in the apiserver's form; empty for the document itself.
    pub path: String,
    /// What is wrong: for the Rust validator the apiserver-style message without the path
    /// (`Invalid value: 5000: must be less than or equal to 4094`).
    pub message: String,
    /// Who reported it.
    pub source: Source,
}

impl std::fmt::Display for Finding {
    /// `FILE:DOC: Kind/name: path: message`, or `FILE:DOC: message` for problems found before
    /// the kind is known, or `FILE: message` for a whole file.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.file)?;
        if let Some(doc) = self.document {
            write!(f, ":{doc}")?;
        }
        f.write_str(": ")?;
        if self.kind.is_some() || self.name.is_some() || !self.path.is_empty() {
            write!(
                f,
                "{}/{}: ",
                self.kind.as_deref().unwrap_or("<no kind>"),
                self.name.as_deref().unwrap_or("<no name>")
            )?;
            if self.source == Source::JsonSchema {
                f.write_str("[json-schema] ")?;
            }
            if !self.path.is_empty() {
                write!(f, "{}: ", self.path)?;
            }
        }
        f.write_str(&self.message)
    }
}

/// What became of one document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Valid.
    Valid,
    /// Has at least one error.
    Invalid,
    /// Not a vitistack kind, skipped (`ignore_unknown`).
    Skipped,
    /// Could not be parsed.
    Unreadable,
}

/// Counts of outcomes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Valid documents.
    pub valid: usize,
    /// Invalid documents.
    pub invalid: usize,
    /// Skipped documents.
    pub skipped: usize,
    /// Documents that could not be parsed.
    pub unreadable_documents: usize,
    /// Files (or directories, or stdin) that could not be read.
    pub unreadable_files: usize,
}

impl Tally {
    /// Adds one document's outcome.
    pub fn add(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Valid => self.valid += 1,
            Outcome::Invalid => self.invalid += 1,
            Outcome::Skipped => self.skipped += 1,
            Outcome::Unreadable => self.unreadable_documents += 1,
        }
    }

    /// Documents seen (not counting empty ones).
    pub fn documents(&self) -> usize {
        self.valid + self.invalid + self.skipped + self.unreadable_documents
    }

    /// The exit code: 2 for unreadable input, else 1 for invalid documents, else 0.
    pub fn exit_code(&self) -> u8 {
        if self.unreadable_documents + self.unreadable_files > 0 {
            2
        } else if self.invalid > 0 {
            1
        } else {
            0
        }
    }
}

impl std::fmt::Display for Tally {
    /// `N documents, M valid, K invalid[, S skipped][, U input errors]`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = self.documents();
        write!(
            f,
            "{n} document{}, {} valid, {} invalid",
            if n == 1 { "" } else { "s" },
            self.valid,
            self.invalid
        )?;
        if self.skipped > 0 {
            write!(f, ", {} skipped", self.skipped)?;
        }
        let errors = self.unreadable_documents + self.unreadable_files;
        if errors > 0 {
            write!(
                f,
                ", {errors} input error{}",
                if errors == 1 { "" } else { "s" }
            )?;
        }
        Ok(())
    }
}

/// Checks documents; build once, check many.
#[derive(Debug)]
pub struct Checker {
    options: CheckOptions,
    schemas: Option<SchemaSet>,
    old: OldObjects,
    kinds: Codegen,
}

/// The threads worth using: the available cores, at most eight.
pub fn threads() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(MAX_THREADS)
}

/// Runs `work(i)` for every `i` in `0..len` on `threads` threads, each with a [`STACK_SIZE`]
/// stack (the calling thread is one of them): thread `t` takes `t`, `t + threads`, ... The
/// results come back in index order.
pub fn striped<T: Send>(len: usize, threads: usize, work: impl Fn(usize) -> T + Sync) -> Vec<T> {
    let threads = threads.max(1);
    let run = |first: usize| -> Vec<T> { (first..len).step_by(threads).map(&work).collect() };
    let run = &run;
    let per_thread: Vec<Vec<T>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (1..threads)
            .map(|t| {
                std::thread::Builder::new()
                    .stack_size(STACK_SIZE)
                    .spawn_scoped(scope, move || run(t))
            })
            .collect();
        let mut results = vec![run(0)];
        for (t, handle) in (1..threads).zip(handles) {
            results.push(match handle {
                Ok(handle) => handle
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
                // A thread that cannot be started: do its share here.
                Err(_) => run(t),
            });
        }
        results
    });
    let mut iters: Vec<_> = per_thread.into_iter().map(Vec::into_iter).collect();
    let mut ordered = Vec::with_capacity(len);
    for i in 0..len {
        if let Some(item) = iters[i % threads].next() {
            ordered.push(item);
        }
    }
    ordered
}

/// The parser options: bounded budget and alias replay, non-finite floats rejected.
fn parse_options(duplicate_keys: DuplicateKeyPolicy) -> serde_saphyr::Options {
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

impl Checker {
    /// A checker of the ten `vitistack.io` kinds; compiles their JSON Schemas when
    /// `options.json_schema` is set.
    pub fn new(options: CheckOptions) -> Result<Self, Error> {
        Self::for_kinds(options, &Codegen::vitistack())
    }

    /// A checker of the kinds registered in `kinds` (any other kind is unknown); compiles
    /// their JSON Schemas when `options.json_schema` is set.
    pub fn for_kinds(options: CheckOptions, kinds: &Codegen) -> Result<Self, Error> {
        let schemas = if options.json_schema {
            Some(SchemaSet::from_schemas(kinds.json_schemas())?)
        } else {
            None
        };
        Ok(Checker {
            options,
            schemas,
            old: OldObjects::default(),
            kinds: kinds.clone(),
        })
    }

    /// The same checker, checking each document that has an old object as an update of it.
    pub fn with_old(mut self, old: OldObjects) -> Self {
        self.old = old;
        self
    }

    /// The options this checker was built with.
    pub fn options(&self) -> CheckOptions {
        self.options
    }

    /// Checks every document of a YAML (or JSON) stream, passing each finding to `sink` in
    /// document order, and returns the outcomes. `file` names the stream in findings.
    ///
    /// Long streams are checked on several threads (each with a [`STACK_SIZE`] stack), a
    /// window of documents at a time; the findings still arrive in order, window by window.
    pub fn check_text(&self, file: &str, text: &str, sink: &mut dyn FnMut(Finding)) -> Tally {
        self.check_text_on(file, text, threads(), sink)
    }

    /// [`Checker::check_text`] on at most `threads` threads (1: on the calling thread only,
    /// for a caller that already checks several files at once).
    pub fn check_text_on(
        &self,
        file: &str,
        text: &str,
        threads: usize,
        sink: &mut dyn FnMut(Finding),
    ) -> Tally {
        let docs = split_documents(text);
        let threads = threads.clamp(1, MAX_THREADS);
        let mut tally = Tally::default();
        if threads < 2 || docs.len() < PARALLEL_MIN_DOCUMENTS {
            for (i, doc) in docs.iter().enumerate() {
                if let Some(outcome) = self.check_document(file, i + 1, doc, sink) {
                    tally.add(outcome);
                }
            }
            return tally;
        }
        for (w, window) in docs.chunks(WINDOW).enumerate() {
            let base = w * WINDOW;
            for (outcome, findings) in self.check_window(file, base, window, threads) {
                findings.into_iter().for_each(&mut *sink);
                if let Some(outcome) = outcome {
                    tally.add(outcome);
                }
            }
        }
        tally
    }

    /// Checks `docs` (the first one being document `base + 1`) on `threads` threads; results
    /// in document order.
    fn check_window(
        &self,
        file: &str,
        base: usize,
        docs: &[DocumentText<'_>],
        threads: usize,
    ) -> Vec<(Option<Outcome>, Vec<Finding>)> {
        striped(docs.len(), threads, |i| {
            let mut findings = Vec::new();
            let outcome =
                self.check_document(file, base + i + 1, &docs[i], &mut |f| findings.push(f));
            (outcome, findings)
        })
    }

    /// Checks one document of a stream (`index` is 1-based); `None` for an empty document.
    pub fn check_document(
        &self,
        file: &str,
        index: usize,
        doc: &DocumentText<'_>,
        sink: &mut dyn FnMut(Finding),
    ) -> Option<Outcome> {
        let document_finding = |message: String, source: Source| Finding {
            file: file.to_owned(),
            document: Some(index),
            kind: None,
            name: None,
            path: String::new(),
            message,
            source,
        };
        let policy = if self.options.strict {
            DuplicateKeyPolicy::Error
        } else {
            DuplicateKeyPolicy::LastWins
        };
        let mut duplicate = false;
        let value = match parse(doc, policy) {
            Ok(value) => value,
            Err(e) => match value_error(&e, doc.line_offset) {
                Some(ValueError::DuplicateKey(message)) => {
                    // Report it, then check the rest with the last value winning, so one run
                    // shows every problem of the document.
                    sink(document_finding(message, Source::Validator));
                    duplicate = true;
                    match parse(doc, DuplicateKeyPolicy::LastWins) {
                        Ok(value) => value,
                        Err(e) => {
                            let invalid = value_error(&e, doc.line_offset).is_some();
                            return Some(self.parse_failure(
                                &e,
                                doc,
                                invalid,
                                &document_finding,
                                sink,
                            ));
                        }
                    }
                }
                Some(ValueError::NonFinite) => {
                    return Some(self.parse_failure(&e, doc, true, &document_finding, sink));
                }
                None => return Some(self.parse_failure(&e, doc, false, &document_finding, sink)),
            },
        };
        let value = value?;
        let mut invalid = self.check_value(file, index, &value, sink);
        if self.options.strict && invalid.is_some() {
            for tag in application_tags(doc.text) {
                let message = format!("YAML tag {tag} is not allowed in strict mode: Kubernetes manifests use only the core tags (!!str, !!int, ...)");
                sink(document_finding(message, Source::Validator));
                invalid = Some(true);
            }
        }
        Some(match invalid {
            None => Outcome::Skipped,
            Some(false) if !duplicate => Outcome::Valid,
            Some(_) => Outcome::Invalid,
        })
    }

    /// Reports a document that could not be parsed: invalid (a value JSON cannot hold, such
    /// as `.nan`) or unreadable.
    fn parse_failure(
        &self,
        e: &serde_saphyr::Error,
        doc: &DocumentText<'_>,
        invalid: bool,
        document_finding: &dyn Fn(String, Source) -> Finding,
        sink: &mut dyn FnMut(Finding),
    ) -> Outcome {
        if invalid {
            let message = yaml_message(e, doc)
                .trim_start_matches("invalid YAML: ")
                .replace(" rejected by the configured policy", "")
                + ": not a number JSON can hold";
            sink(document_finding(message, Source::Validator));
            Outcome::Invalid
        } else {
            sink(document_finding(yaml_message(e, doc), Source::Input));
            Outcome::Unreadable
        }
    }

    /// Checks one parsed document. Returns `None` when it was skipped, else whether it had
    /// errors.
    fn check_value(
        &self,
        file: &str,
        index: usize,
        value: &Value,
        sink: &mut dyn FnMut(Finding),
    ) -> Option<bool> {
        let kind = value.get("kind").and_then(Value::as_str);
        let name = value
            .get("metadata")
            .and_then(|m| m.get("name"))
            .and_then(Value::as_str);
        // Names, kinds and paths (which hold map keys) come from the input: cut long ones, so a
        // 40 MB name does not come back once per finding.
        let finding = |path: String, message: String, source: Source| Finding {
            file: file.to_owned(),
            document: Some(index),
            kind: kind.map(|k| cut(k, MAX_NAME_TEXT)),
            name: name.map(|n| cut(n, MAX_NAME_TEXT)),
            path: if path.len() > MAX_PATH_TEXT {
                cut(&path, MAX_PATH_TEXT)
            } else {
                path
            },
            message,
            source,
        };
        let Some(object) = value.as_object() else {
            let mut f = finding(
                String::new(),
                format!(
                    "document must be a mapping with apiVersion and kind, not {}",
                    json_type(value)
                ),
                Source::Validator,
            );
            f.kind = None;
            sink(f);
            return Some(true);
        };
        let mut header_ok = true;
        for field in ["apiVersion", "kind"] {
            let error = match object.get(field) {
                None | Some(Value::Null) => FieldError::new(field, ErrorKind::Required, None, ""),
                Some(Value::String(s)) if s.is_empty() => {
                    FieldError::new(field, ErrorKind::Required, None, "")
                }
                Some(Value::String(_)) => continue,
                Some(other) => {
                    FieldError::new(field, ErrorKind::Invalid, Some(other), "must be a string")
                }
            };
            let message = error.message();
            sink(finding(field.to_owned(), message, Source::Validator));
            header_ok = false;
        }
        let (Some(api_version), Some(kind), true) = (
            object.get("apiVersion").and_then(Value::as_str),
            kind,
            header_ok,
        ) else {
            return Some(true);
        };
        let Some(info) = self.kinds.by_api_version_kind(api_version, kind) else {
            let group = api_version.rsplit_once('/').map_or("", |(g, _)| g);
            let (api_version, kind) = (cut(api_version, MAX_NAME_TEXT), cut(kind, MAX_NAME_TEXT));
            let known_group = self.kinds.groups().contains(group);
            if !known_group && self.options.ignore_unknown {
                return None;
            }
            let message = if known_group {
                let known: Vec<&str> = self
                    .kinds
                    .kinds()
                    .iter()
                    .filter(|k| k.api_version == api_version.as_str())
                    .map(|k| k.kind)
                    .collect();
                if known.is_empty() {
                    let versions: std::collections::BTreeSet<&str> = self
                        .kinds
                        .kinds()
                        .iter()
                        .filter(|k| k.group == group)
                        .map(|k| k.api_version)
                        .collect();
                    let versions: Vec<&str> = versions.into_iter().collect();
                    format!(
                        "unknown kind: {api_version} is not a served version (use {})",
                        versions.join(", ")
                    )
                } else {
                    format!(
                        "unknown kind: {api_version} has no kind {kind} (kinds: {})",
                        known.join(", ")
                    )
                }
            } else {
                format!(
                    "unknown kind: {api_version} {kind} is not a kind this command checks (--ignore-unknown skips it)"
                )
            };
            sink(finding(String::new(), message, Source::Validator));
            return Some(true);
        };
        let options = Options {
            strict: self.options.strict,
        };
        let errors = match self.old.get(value) {
            Some(old) => check_update(info.root_schema(), value, old, options),
            None => check_value(info.root_schema(), value, options),
        };
        for e in &errors {
            sink(finding(e.path.clone(), e.message(), Source::Validator));
        }
        if let Some(schemas) = &self.schemas {
            for v in schemas.validate(info.kind, value) {
                sink(finding(v.path, v.message, Source::JsonSchema));
            }
        }
        Some(!errors.is_empty())
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
    serde_saphyr::from_str_with_options::<Option<Value>>(doc.text, parse_options(policy))
}

/// A parse error that makes the document invalid rather than unreadable: a duplicate key
/// (strict mode) or a number JSON cannot represent.
enum ValueError {
    DuplicateKey(String),
    NonFinite,
}

/// Classifies a parse error; `None` for errors that make the document unreadable.
fn value_error(e: &serde_saphyr::Error, line_offset: u64) -> Option<ValueError> {
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

fn yaml_message(e: &serde_saphyr::Error, doc: &DocumentText<'_>) -> String {
    match crate::yaml::parse_error(e, "", doc.line_offset) {
        Error::YamlParse { message, .. } => format!("invalid YAML: {message}"),
        other => other.to_string(),
    }
}

/// Longest kind, name or apiVersion quoted in a finding (a DNS subdomain is at most 253).
const MAX_NAME_TEXT: usize = 253;

/// Longest field path in a finding (paths hold map keys, which may be of any length).
const MAX_PATH_TEXT: usize = 1024;

/// The apiserver-style message of a field error without its leading path
/// ([`FieldError::message`]).
pub fn field_message(e: &FieldError) -> String {
    e.message()
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a sequence",
        Value::Object(_) => "a mapping",
    }
}

/// The tags of a document other than the YAML core schema's (`!Ref`, `!!python/object`,
/// `!!binary`, ...). Only documents with a `!` are parsed a second time, so plain manifests
/// pay nothing; the parser does not expand aliases, so this stays linear.
fn application_tags(text: &str) -> Vec<String> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn run(options: CheckOptions, text: &str) -> (Tally, Vec<String>) {
        let checker = Checker::new(options).unwrap();
        let mut lines = Vec::new();
        let tally = checker.check_text("f.yaml", text, &mut |f| lines.push(f.to_string()));
        (tally, lines)
    }

    const NC: &str = "apiVersion: vitistack.io/v1alpha1\nkind: NetworkConfiguration\nmetadata:\n  name: nc1\nspec:\n  vlan: 5000\n";

    #[test]
    fn rust_validator_lines() {
        let (tally, lines) = run(CheckOptions::default(), NC);
        assert_eq!(tally.invalid, 1);
        assert!(
            lines.contains(&"f.yaml:1: NetworkConfiguration/nc1: spec.vlan: Invalid value: 5000: must be less than or equal to 4094".to_owned()),
            "{lines:?}"
        );
    }

    #[test]
    fn duplicate_keys_depend_on_strictness() {
        let text = "a: 1\n---\nkind: Foo\nkind: Bar\napiVersion: v1\n";
        let (tally, lines) = run(CheckOptions::default(), text);
        assert!(
            lines[2].starts_with("f.yaml:2: duplicate key \"kind\" at line 4"),
            "{lines:?}"
        );
        assert_eq!(tally.invalid, 2);
        let (tally, lines) = run(
            CheckOptions {
                strict: false,
                ignore_unknown: true,
                json_schema: false,
            },
            text,
        );
        assert_eq!((tally.invalid, tally.skipped), (1, 1), "{lines:?}");
    }

    #[test]
    fn shapes_and_headers() {
        let (tally, lines) = run(
            CheckOptions::default(),
            "- 1\n---\n---\nkind: 5\n---\n{a: [\n",
        );
        assert_eq!(tally.invalid, 2);
        assert_eq!(tally.unreadable_documents, 1);
        assert_eq!(tally.exit_code(), 2);
        assert_eq!(tally.documents(), 3);
        assert!(
            lines[0].starts_with("f.yaml:1: document must be a mapping"),
            "{lines:?}"
        );
        assert!(lines.iter().any(|l| l.starts_with("f.yaml:3: <no kind>/<no name>: apiVersion: Required value")), "{lines:?}");
        assert!(
            lines.iter().any(|l| l.starts_with(
                "f.yaml:3: <no kind>/<no name>: kind: Invalid value: 5: must be a string"
            )),
            "{lines:?}"
        );
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("f.yaml:4: invalid YAML:")),
            "{lines:?}"
        );
    }

    #[test]
    fn summary_text() {
        let t = Tally {
            valid: 1,
            invalid: 2,
            skipped: 3,
            unreadable_documents: 0,
            unreadable_files: 1,
        };
        assert_eq!(
            t.to_string(),
            "6 documents, 1 valid, 2 invalid, 3 skipped, 1 input error"
        );
    }
}
