//! The check stage: one parsed document against the kinds a [`Checker`] knows. A document must
//! be a mapping with string `apiVersion` and `kind`. A registered kind is checked by the Rust
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

use std::io::BufRead;

use serde_json::Value;
use serde_saphyr::DuplicateKeyPolicy;
use vitistack_types::report::{cut, ErrorKind, FieldError};
use vitistack_types::validate::{check_custom_resource, check_update, check_value, Options};

use super::crd_kinds::{CrdKinds, CrdVersion, Lookup};
use super::finding::{DocumentReport, Finding, Outcome, Source, Tally};
use super::old_objects::OldObjects;
use super::read::{application_tags, parse, value_error, yaml_message, ValueError};
#[cfg(doc)]
use super::schedule::STACK_SIZE;
use super::schedule::{in_order, threads, MAX_THREADS, PARALLEL_MIN_DOCUMENTS, WINDOW};
use crate::document_stream::{AsDocumentText, DocumentReader, OwnedDocument, ReadError};
use crate::json_schema::SchemaSet;
use crate::yaml::{parse_document, split_documents, DocumentText};
use crate::Codegen;
use crate::Error;
use vitistack_core::validate::apply_defaults;

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

/// Checks documents; build once, check many.
#[derive(Debug)]
pub struct Checker {
    options: CheckOptions,
    schemas: Option<SchemaSet>,
    old: OldObjects,
    kinds: Codegen,
    /// The kinds of `--crd`, checked against their CRD (before the built-in kinds).
    crds: CrdKinds,
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
            crds: CrdKinds::default(),
        })
    }

    /// The same checker, checking each document that has an old object as an update of it.
    pub fn with_old(mut self, old: OldObjects) -> Self {
        self.old = old;
        self
    }

    /// The same checker, checking every document of a kind `crds` serves against its CRD (a
    /// built-in kind too): defaults applied first, then the CRD's schema and CEL rules.
    pub fn with_crds(mut self, crds: CrdKinds) -> Self {
        self.crds = crds;
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
        let mut tally = Tally::default();
        self.check_stream(file, text, threads, false, &mut |report| {
            tally.add(report.outcome);
            report.findings.into_iter().for_each(&mut *sink);
        });
        tally
    }

    /// Checks every document of a YAML (or JSON) stream and passes each non-empty one's
    /// [`DocumentReport`] to `emit`, in document order: the pipeline every output format of
    /// `validate` reads. `with_identity`: name valid and skipped documents too (the report
    /// formats title every document).
    ///
    /// A long stream is checked on up to `threads` threads, a window of documents at a time.
    pub fn check_stream(
        &self,
        file: &str,
        text: &str,
        threads: usize,
        with_identity: bool,
        emit: &mut dyn FnMut(DocumentReport),
    ) {
        let docs = split_documents(text);
        let threads = if docs.len() < PARALLEL_MIN_DOCUMENTS {
            1
        } else {
            threads.clamp(1, MAX_THREADS)
        };
        self.check_documents(file, docs, threads, with_identity, emit);
    }

    /// [`Checker::check_stream`] on a stream read as it is checked ([`DocumentReader`]): a
    /// window of documents is in memory at a time, whatever the stream's length. Returns why
    /// the stream could not be read to its end, if it could not (the documents before that
    /// point were checked and passed on).
    pub fn check_reader(
        &self,
        file: &str,
        reader: impl BufRead,
        threads: usize,
        with_identity: bool,
        emit: &mut dyn FnMut(DocumentReport),
    ) -> Option<ReadError> {
        let mut docs = DocumentReader::new(reader);
        // A short stream is checked on this thread: its first documents decide.
        let head: Vec<OwnedDocument> = docs.by_ref().take(PARALLEL_MIN_DOCUMENTS).collect();
        let threads = if head.len() < PARALLEL_MIN_DOCUMENTS {
            1
        } else {
            threads.clamp(1, MAX_THREADS)
        };
        self.check_documents(
            file,
            head.into_iter().chain(docs.by_ref()),
            threads,
            with_identity,
            emit,
        );
        docs.error().cloned()
    }

    /// [`Checker::check_stream`] on documents already split; they are pulled a window at a
    /// time, so a source that splits lazily is held in memory a window at a time.
    pub fn check_documents<D: AsDocumentText>(
        &self,
        file: &str,
        docs: impl IntoIterator<Item = D>,
        threads: usize,
        with_identity: bool,
        emit: &mut dyn FnMut(DocumentReport),
    ) {
        in_order(
            docs,
            threads,
            WINDOW,
            |i, doc| self.report_document(file, i + 1, &doc.as_document_text(), with_identity),
            &mut |report| {
                if let Some(report) = report {
                    emit(report);
                }
            },
        );
    }

    /// Checks one document of a stream (`index` is 1-based) into its report; `None` for an
    /// empty document.
    pub fn report_document(
        &self,
        file: &str,
        index: usize,
        doc: &DocumentText<'_>,
        with_identity: bool,
    ) -> Option<DocumentReport> {
        let mut findings = Vec::new();
        let outcome = self.check_document(file, index, doc, &mut |f| findings.push(f))?;
        let identity = match outcome {
            Outcome::Valid | Outcome::Skipped if with_identity => identity(doc, file),
            _ => None,
        };
        let prefix_lines = doc.prefix.matches('\n').count() as u64;
        Some(DocumentReport {
            file: file.to_owned(),
            document: Some(index),
            line: doc.line_offset + prefix_lines + 1,
            outcome,
            findings,
            identity,
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
        let mut unsupported = false;
        let mut invalid = self.check_value(file, index, &value, &mut |f| {
            unsupported |= f.source == Source::Unsupported;
            sink(f)
        });
        if self.options.strict && invalid.is_some() {
            for tag in application_tags(doc.text) {
                let message = format!("YAML tag {tag} is not allowed in strict mode: Kubernetes manifests use only the core tags (!!str, !!int, ...)");
                sink(document_finding(message, Source::Validator));
                invalid = Some(true);
            }
        }
        Some(match invalid {
            None => Outcome::Skipped,
            Some(_) if unsupported => Outcome::Unreadable,
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
        match self.crds.lookup(api_version, kind) {
            Lookup::Served(crd, version) => {
                let errors = self.check_crd_kind(version, value);
                for e in &errors {
                    sink(finding(e.path.clone(), e.message(), Source::Validator));
                }
                for rule in &version.unsupported {
                    let message = format!(
                        "not checked: rule {:?} of CRD {} version {} cannot be compiled by the CEL engine: {}",
                        rule.rule, crd.crd, version.name, rule.error
                    );
                    sink(finding(rule.path.clone(), message, Source::Unsupported));
                }
                return Some(!errors.is_empty());
            }
            Lookup::NotServed(crd) => {
                let message = format!(
                    "{} is not a version CRD {} serves (served: {})",
                    cut(api_version, MAX_NAME_TEXT),
                    crd.crd,
                    crd.served().join(", ")
                );
                sink(finding("apiVersion".to_owned(), message, Source::Validator));
                return Some(true);
            }
            Lookup::Unknown => {}
        }
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

    /// Checks a document of a `--crd` kind as the apiserver does: defaults applied (to the old
    /// object of an update too), then the version's schema and CEL rules, `status` as the
    /// status subresource checks it (like the built-in kinds), the scale subresource's
    /// replicas, and the CRD's own narrowing of `metadata.name`.
    fn check_crd_kind(&self, version: &CrdVersion, value: &Value) -> Vec<FieldError> {
        let prepare = |value: &Value| {
            let mut value = value.clone();
            apply_defaults(&version.node, &mut value);
            value
        };
        let options = Options {
            strict: self.options.strict,
        };
        let new = prepare(value);
        let old = self.old.get(value).map(prepare);
        let mut errors = check_custom_resource(&version.node, &new, old.as_ref(), options);
        if let Some(path) = &version.spec_replicas_path {
            errors.extend(scale_replicas(path, &new));
        }
        // A rule that does not compile is reported once, as `unsupported` (by the caller), not
        // also as the walk's compile error: its document is not invalid, its verdict unknown.
        errors.retain(|e| {
            let message = e.message();
            !version
                .unsupported
                .iter()
                .any(|u| message.ends_with(&format!("rule compile error: {}", u.error)))
        });
        errors
    }
}

/// The apiserver's check of the scale subresource's replicas (`ValidateScaleSpec`): the value
/// at `specReplicasPath`, when present, is an integer from 0 to 2^31 - 1; the field path is the
/// JSONPath itself (`.spec.replicas`), the messages those of `unstructured.NestedInt64`.
fn scale_replicas(path: &str, object: &Value) -> Option<FieldError> {
    let fields: Vec<&str> = path.trim_start_matches('.').split('.').collect();
    let json_path = |n: usize| format!(".{}", fields[..n].join("."));
    let go_type = |v: &Value| match v {
        Value::String(_) => "string",
        Value::Bool(_) => "bool",
        Value::Number(n) if n.is_f64() => "float64",
        Value::Number(_) => "int64",
        Value::Array(_) => "[]interface {}",
        Value::Object(_) => "map[string]interface {}",
        Value::Null => "<nil>",
    };
    let go_value = |v: &Value| match v {
        Value::String(s) => s.clone(),
        Value::Null => "<nil>".to_owned(),
        other => other.to_string(),
    };
    let invalid = |value: i64, detail: String| {
        Some(FieldError::new(
            path,
            ErrorKind::Invalid,
            Some(&Value::from(value)),
            detail,
        ))
    };
    let mut at = object;
    for (i, field) in fields.iter().enumerate() {
        let Some(map) = at.as_object() else {
            return invalid(
                0,
                format!(
                    "{} accessor error: {} is of the type {}, expected map[string]interface{{}}",
                    json_path(i + 1),
                    go_value(at),
                    go_type(at)
                ),
            );
        };
        match map.get(*field) {
            Some(v) => at = v,
            None => return None,
        }
    }
    match at.as_i64() {
        Some(n) if n < 0 => invalid(n, "should be a non-negative integer".to_owned()),
        Some(n) if n > i64::from(i32::MAX) => {
            invalid(n, format!("should be less than or equal to {}", i32::MAX))
        }
        Some(_) => None,
        None => invalid(
            0,
            format!(
                "{} accessor error: {} is of the type {}, expected int64",
                json_path(fields.len()),
                go_value(at),
                go_type(at)
            ),
        ),
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

/// Longest kind or name quoted in a report's identity (as in findings).
const MAX_NAME: usize = 253;

/// `kind` and `metadata.name` of a document that parsed (valid or skipped), cut to
/// [`MAX_NAME`] bytes.
fn identity(doc: &DocumentText<'_>, file: &str) -> Option<(String, String)> {
    let value = parse_document(doc, file).ok()??;
    let field = |v: &Value| {
        let text = v.as_str().unwrap_or("<none>");
        let mut end = text.len().min(MAX_NAME);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text[..end].to_owned()
    };
    Some((field(&value["kind"]), field(&value["metadata"]["name"])))
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

    /// The one pipeline gives every output format the same documents in the same order, on
    /// one thread or several (the stream is long enough to be checked a window at a time).
    #[test]
    fn document_reports_are_the_same_on_one_thread_and_on_several() {
        let checker = Checker::new(CheckOptions::default()).unwrap();
        let mut text = String::new();
        for i in 0..(PARALLEL_MIN_DOCUMENTS * 3) {
            let vlan = if i % 3 == 0 { 5000 } else { 100 + i };
            text.push_str(&format!(
                "---\napiVersion: vitistack.io/v1alpha1\nkind: NetworkConfiguration\nmetadata:\n  name: nc{i}\nspec:\n  networkId: net\n  vlan: {vlan}\n"
            ));
        }
        let run = |threads: usize| {
            let mut reports = Vec::new();
            checker.check_stream("f.yaml", &text, threads, true, &mut |r| reports.push(r));
            reports
        };
        let sequential = run(1);
        assert_eq!(sequential.len(), PARALLEL_MIN_DOCUMENTS * 3);
        assert_eq!(sequential[0].outcome, Outcome::Invalid);
        assert_eq!(sequential[1].outcome, Outcome::Valid);
        assert_eq!(
            sequential[1].identity,
            Some(("NetworkConfiguration".to_owned(), "nc1".to_owned()))
        );
        assert_eq!(sequential[1].line, 10);
        let documents: Vec<Option<usize>> = sequential.iter().map(|r| r.document).collect();
        assert!(documents.windows(2).all(|w| w[0] < w[1]), "{documents:?}");
        assert_eq!(run(4), sequential);
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
