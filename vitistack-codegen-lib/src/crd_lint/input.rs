//! `lint`'s input and output: the CRDs of files and directories (multi-document YAML; documents
//! that are not `apiextensions.k8s.io/v1` CRDs are skipped with a note), each linted, rendered
//! as text or JSON (SARIF: [`crate::report::sarif::render_lint`]).

use std::path::Path;

use serde_json::{json, Value};

use super::{lint, Issue, Options, Severity};

/// One linted CRD of one file.
#[derive(Debug, Clone)]
pub struct LintedDocument {
    /// The file as found.
    pub file: String,
    /// 1-based index of the document in the file.
    pub document: usize,
    /// 1-based line of the document's first content line.
    pub line: u64,
    /// The CRD's `metadata.name`.
    pub crd: String,
    /// Its issues, sorted by path.
    pub issues: Vec<Issue>,
}

/// What `lint` made of its paths.
#[derive(Debug, Default)]
pub struct LintRun {
    /// Every CRD, in file order.
    pub documents: Vec<LintedDocument>,
    /// Documents skipped (not a v1 CRD), as `FILE:DOC: why`.
    pub skipped: Vec<String>,
    /// Input errors (unreadable file, bad YAML, a path with no CRD), naming the file.
    pub input_errors: Vec<String>,
}

impl LintRun {
    /// Whether some CRD has an issue the apiserver refuses.
    pub fn refused(&self) -> bool {
        self.documents
            .iter()
            .any(|d| d.issues.iter().any(|i| i.severity == Severity::Refused))
    }
}

/// Lints every CRD of every path (a file or a directory).
pub fn lint_paths(paths: &[&Path], options: &Options) -> LintRun {
    let mut run = LintRun::default();
    for path in paths {
        let texts = match crate::crd_files::texts(path) {
            Ok(texts) => texts,
            Err(e) => {
                run.input_errors.push(e);
                continue;
            }
        };
        let before = run.documents.len();
        for (name, text) in texts {
            lint_text(&name, &text, options, &mut run);
        }
        if run.documents.len() == before {
            run.input_errors.push(format!(
                "{}: no CustomResourceDefinition found",
                path.display()
            ));
        }
    }
    run
}

fn lint_text(name: &str, text: &str, options: &Options, run: &mut LintRun) {
    for (i, doc) in crate::yaml::split_documents(text).iter().enumerate() {
        let value = match crate::yaml::parse_document(doc, name) {
            Ok(Some(value)) => value,
            Ok(None) => continue,
            Err(e) => {
                run.input_errors.push(format!("{name}:{}: {e}", i + 1));
                continue;
            }
        };
        if !super::is_crd(&value) {
            let what = match (
                value.get("apiVersion").and_then(Value::as_str),
                value.get("kind").and_then(Value::as_str),
            ) {
                (Some(v), Some(k)) => format!("{v} {k}"),
                _ => "no apiVersion and kind".to_owned(),
            };
            run.skipped.push(format!("{name}:{}: not an apiextensions.k8s.io/v1 CustomResourceDefinition ({what}): skipped", i + 1));
            continue;
        }
        let prefix_lines = doc.prefix.matches('\n').count() as u64;
        run.documents.push(LintedDocument {
            file: name.to_owned(),
            document: i + 1,
            line: doc.line_offset + prefix_lines + 1,
            crd: value
                .pointer("/metadata/name")
                .and_then(Value::as_str)
                .unwrap_or("(no name)")
                .to_owned(),
            issues: lint(&value, options),
        });
    }
}

/// `FILE:DOC: CRD: SEVERITY: PATH: MESSAGE (field F)` lines.
pub fn render_text(run: &LintRun) -> String {
    let mut out = String::new();
    for doc in &run.documents {
        for issue in &doc.issues {
            out.push_str(&format!(
                "{}:{}: {}: {}: {issue}\n",
                doc.file,
                doc.document,
                doc.crd,
                issue.severity.as_str()
            ));
        }
    }
    out
}

/// One JSON array of `{file, document, line, crd, path, field, check, severity, message}`.
pub fn render_json(run: &LintRun) -> Value {
    let issues: Vec<Value> = run
        .documents
        .iter()
        .flat_map(|doc| {
            doc.issues.iter().map(move |issue| {
                json!({
                    "file": doc.file,
                    "document": doc.document,
                    "line": doc.line,
                    "crd": doc.crd,
                    "path": issue.path.as_str(),
                    "field": issue.field,
                    "check": issue.check.id(),
                    "severity": issue.severity.as_str(),
                    "message": issue.message,
                })
            })
        })
        .collect();
    Value::Array(issues)
}

/// `N CRD(s): R refused, W warning(s), X not checked` for stderr (costs are not counted).
pub fn summary(run: &LintRun) -> String {
    let count = |s: Severity| {
        run.documents
            .iter()
            .flat_map(|d| &d.issues)
            .filter(|i| i.severity == s)
            .count()
    };
    format!(
        "{} CRD(s): {} refused, {} warning(s), {} not checked",
        run.documents.len(),
        count(Severity::Refused),
        count(Severity::Warning),
        count(Severity::NotChecked)
    )
}
