//! The data of a run: [`Finding`]s, each document's [`DocumentReport`] (outcome, findings, line,
//! identity) and the [`Tally`] that gives the exit code. Every output format reads these.

use serde::Serialize;

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
    /// A rule of a `--crd` CRD the CEL engine cannot compile: the document is not fully
    /// checked, its verdict is unknown (exit 2).
    Unsupported,
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

/// What became of one document (or of a whole file that could not be read).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentReport {
    /// The file as given; `-` for stdin.
    pub file: String,
    /// 1-based index of the document in its stream; `None` for a problem with the whole file.
    pub document: Option<usize>,
    /// 1-based line of the document's first content line (after its `---` marker and leading
    /// comments); 1 for a whole file.
    pub line: u64,
    /// Valid, invalid, skipped or unreadable.
    pub outcome: Outcome,
    /// Every finding about the document, in the order they were reported.
    pub findings: Vec<Finding>,
    /// The document's `kind` and `metadata.name` when no finding carries them (a valid or
    /// skipped document), so every testcase can be named after its object.
    pub identity: Option<(String, String)>,
}

impl DocumentReport {
    /// A file that could not be read at all: one unreadable "document" carrying the message.
    pub fn file_error(finding: Finding) -> Self {
        DocumentReport {
            file: finding.file.clone(),
            document: None,
            line: 1,
            outcome: Outcome::Unreadable,
            findings: vec![finding],
            identity: None,
        }
    }

    /// `FILE:DOC Kind/name` (kind and name when a finding knows them), `FILE` for a file.
    pub fn title(&self) -> String {
        let Some(doc) = self.document else {
            return self.file.clone();
        };
        let known = self
            .findings
            .iter()
            .find(|f| f.kind.is_some() || f.name.is_some());
        match (known, &self.identity) {
            (Some(f), _) => format!(
                "{}:{doc} {}/{}",
                self.file,
                f.kind.as_deref().unwrap_or("<no kind>"),
                f.name.as_deref().unwrap_or("<no name>")
            ),
            (None, Some((kind, name))) => format!("{}:{doc} {kind}/{name}", self.file),
            (None, None) => format!("{}:{doc}", self.file),
        }
    }

    /// The findings that decide the outcome (not the informational JSON Schema ones).
    pub fn deciding(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(|f| f.source != Source::JsonSchema)
    }
}
