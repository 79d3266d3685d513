//! `vitistack-codegen validate`: input discovery, reading, output and exit code around
//! [`crate::validate`]'s pipeline. Every output format takes the same path: inputs are checked
//! (one file per thread, or a long stream a window of documents at a time) into
//! [`DocumentReport`]s in input order, and [`Output::document`] writes them as the format asks.

use std::collections::HashSet;
use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use crate::report;
use crate::validate::{
    in_order, threads, CheckOptions, Checker, CrdKinds, DocumentReport, Finding, OldObjects,
    Source, Tally, FILE_WINDOW,
};
use crate::Codegen;

use super::{Failure, OutputFormat, ValidateArgs};

/// Where a stream comes from.
enum Input {
    Stdin,
    File(PathBuf),
}

/// Bytes read from a file at once.
const READ_BUFFER: usize = 64 * 1024;

/// Extensions of the files a directory walk picks up.
const EXTENSIONS: &[&str] = &["yaml", "yml", "json"];

/// Findings go to stdout (buffered, locked); write errors stop the output (a closed pipe is
/// not worth a message) but not the checking, so the exit code stays right.
struct Output<'a> {
    out: BufWriter<std::io::StdoutLock<'a>>,
    format: OutputFormat,
    first: bool,
    failed: Option<std::io::Error>,
    /// For the report formats (JUnit, TAP, SARIF): every document, written at the end.
    reports: Vec<DocumentReport>,
    /// The command and the groups it checks, as the reports name them.
    command: String,
    groups: String,
}

impl Output<'_> {
    fn new(format: OutputFormat, codegen: &Codegen) -> Self {
        let groups: Vec<&str> = codegen.groups().into_iter().collect();
        let mut output = Output {
            out: BufWriter::with_capacity(64 * 1024, std::io::stdout().lock()),
            format,
            first: true,
            failed: None,
            reports: Vec::new(),
            command: codegen.command_name(),
            groups: groups.join(", "),
        };
        if format == OutputFormat::Json {
            output.write(|w| w.write_all(b"["));
        }
        output
    }

    fn write(
        &mut self,
        f: impl FnOnce(&mut BufWriter<std::io::StdoutLock<'_>>) -> std::io::Result<()>,
    ) {
        if self.failed.is_none() {
            if let Err(e) = f(&mut self.out) {
                self.failed = Some(e);
            }
        }
    }

    /// The renderer of a report format (JUnit, TAP, SARIF): the whole run, written at the end.
    /// `None` for the formats written as they come (text, JSON). The one list of report formats.
    fn renderer(&self) -> Option<fn(&[DocumentReport], &report::Run<'_>) -> String> {
        match self.format {
            OutputFormat::Text | OutputFormat::Json => None,
            OutputFormat::Junit => Some(report::junit::render),
            OutputFormat::Tap => Some(report::tap::render),
            OutputFormat::Sarif => {
                Some(|reports, run| format!("{:#}\n", report::sarif::render(reports, run)))
            }
        }
    }

    /// Whether documents are kept and written at the end (a report format), which titles
    /// every document (so valid ones need their kind and name too).
    fn is_report(&self) -> bool {
        self.renderer().is_some()
    }

    /// Writes one checked document: its findings as they come (text, JSON), or the whole
    /// report kept for the end (JUnit, TAP, SARIF).
    fn document(&mut self, report: DocumentReport) {
        if self.is_report() {
            self.reports.push(report);
        } else {
            report.findings.iter().for_each(|f| self.finding(f));
        }
    }

    fn finding(&mut self, finding: &Finding) {
        match self.format {
            OutputFormat::Junit | OutputFormat::Tap | OutputFormat::Sarif => {
                eprintln!("error: {finding}");
                self.reports
                    .push(DocumentReport::file_error(finding.clone()));
            }
            OutputFormat::Text => {
                if finding.document.is_none() {
                    // A whole file could not be read: that is an error message, not a finding.
                    eprintln!("error: {finding}");
                } else {
                    self.write(|w| writeln!(w, "{finding}"));
                }
            }
            OutputFormat::Json => {
                if finding.document.is_none() {
                    eprintln!("error: {finding}");
                }
                let separator: &[u8] = if self.first { b"\n  " } else { b",\n  " };
                self.first = false;
                self.write(|w| {
                    w.write_all(separator)?;
                    serde_json::to_writer(&mut *w, finding).map_err(std::io::Error::from)
                });
            }
        }
    }

    fn finish(mut self) -> Result<(), Failure> {
        if self.format == OutputFormat::Json {
            let end: &[u8] = if self.first { b"]\n" } else { b"\n]\n" };
            self.write(|w| w.write_all(end));
        }
        if let Some(render) = self.renderer() {
            let run = report::Run {
                command: &self.command,
                groups: &self.groups,
            };
            let text = render(&self.reports, &run);
            self.write(|w| w.write_all(text.as_bytes()));
        }
        self.write(|w| w.flush());
        match self.failed {
            None => Ok(()),
            Some(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            Some(e) => Err(Failure::Error(format!("<stdout>: {e}"))),
        }
    }
}

pub(crate) fn run(args: &ValidateArgs, codegen: &Codegen) -> Result<(), Failure> {
    let options = CheckOptions {
        strict: !args.no_strict,
        ignore_unknown: args.ignore_unknown,
        json_schema: args.json_schema,
    };
    let mut checker = Checker::for_kinds(options, codegen)?;
    if !args.crd.is_empty() {
        checker = checker.with_crds(load_crds(&args.crd)?);
    }
    if let Some(old) = &args.old {
        checker = checker.with_old(load_old(old)?);
    }
    let mut output = Output::new(args.output, codegen);
    let mut tally = Tally::default();
    let mut stdin_used = false;
    for path in &args.paths {
        let mut inputs = Vec::new();
        let mut errors = Vec::new();
        if path == Path::new("-") {
            inputs.push(Input::Stdin);
        } else {
            collect(path, true, &mut HashSet::new(), &mut inputs, &mut errors);
        }
        for (file, message) in errors {
            tally.unreadable_files += 1;
            output.finding(&file_error(file, message));
        }
        let with_identity = output.is_report();
        if inputs.len() > 1 && threads() > 1 {
            // One file per thread, a window of files at a time, written in file order.
            in_order(
                inputs,
                threads(),
                FILE_WINDOW,
                |_, input| check_file(&checker, input, with_identity),
                &mut |checked| add(checked, &mut output, &mut tally),
            );
        } else {
            for input in inputs {
                let checked = check_input(
                    &checker,
                    &input,
                    &mut stdin_used,
                    threads(),
                    with_identity,
                    &mut |report| output.document(report),
                );
                add(checked, &mut output, &mut tally);
            }
        }
    }
    // Nothing at all to check (an empty directory): an input error too, not a silent pass.
    if tally.documents() == 0 && tally.unreadable_files == 0 {
        tally.unreadable_files += 1;
        output.finding(&file_error(
            args.paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(" "),
            "no documents found".to_string(),
        ));
    }
    output.finish()?;
    eprintln!("{tally}");
    match tally.exit_code() {
        0 => Ok(()),
        code => Err(Failure::Exit(code)),
    }
}

/// Reads the CRDs of `--crd` (files, or directories walked like the inputs); a path holding no
/// CRD, or a CRD that cannot be read, is an input error naming it.
fn load_crds(paths: &[PathBuf]) -> Result<CrdKinds, Failure> {
    let mut crds = CrdKinds::default();
    for path in paths {
        let mut inputs = Vec::new();
        let mut errors = Vec::new();
        collect(path, true, &mut HashSet::new(), &mut inputs, &mut errors);
        if let Some((file, message)) = errors.into_iter().next() {
            return Err(Failure::Error(format!("--crd {file}: {message}")));
        }
        let mut found = 0;
        for input in &inputs {
            let (name, text) = read_text(input)
                .map_err(|(name, message)| Failure::Error(format!("--crd {name}: {message}")))?;
            found += crds
                .add_text(&name, &text)
                .map_err(|message| Failure::Error(format!("--crd {message}")))?;
        }
        if found == 0 {
            return Err(Failure::Error(format!(
                "--crd {}: no CustomResourceDefinition found",
                path.display()
            )));
        }
    }
    Ok(crds)
}

/// The whole text of a file (or stdin), for what must be read before checking starts.
fn read_text(input: &Input) -> Result<(String, String), (String, String)> {
    let (name, mut reader) = open(input, &mut true)?;
    let mut bytes = Vec::new();
    if let Err(e) = reader.read_to_end(&mut bytes) {
        return Err((name, e.to_string()));
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok((name, text)),
        Err(e) => Err((name, format!("not UTF-8 text: {}", e.utf8_error()))),
    }
}

/// Reads the old objects of `--old` (a file, or a directory walked like the inputs).
fn load_old(path: &Path) -> Result<OldObjects, Failure> {
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    collect(path, true, &mut HashSet::new(), &mut inputs, &mut errors);
    if let Some((file, message)) = errors.into_iter().next() {
        return Err(Failure::Error(format!("--old {file}: {message}")));
    }
    let mut old = OldObjects::default();
    for input in &inputs {
        let (name, text) = read_text(input)
            .map_err(|(name, message)| Failure::Error(format!("--old {name}: {message}")))?;
        old.add_text(&name, &text)
            .map_err(|message| Failure::Error(format!("--old {message}")))?;
    }
    Ok(old)
}

/// What became of one file.
enum Checked {
    /// Could not be opened: file name and message.
    Unreadable(String, String),
    /// Checked: file name, outcomes, (when checked on a worker thread) its documents, and why
    /// it could not be read to its end (not UTF-8, an I/O error), if it could not.
    Done(String, Tally, Vec<DocumentReport>, Option<String>),
}

/// Reads and checks one input as it is read, on at most `threads` threads, passing its
/// documents to `emit` in order.
fn check_input(
    checker: &Checker,
    input: &Input,
    stdin_used: &mut bool,
    threads: usize,
    with_identity: bool,
    emit: &mut dyn FnMut(DocumentReport),
) -> Checked {
    let (name, reader) = match open(input, stdin_used) {
        Ok(opened) => opened,
        Err((name, message)) => return Checked::Unreadable(name, message),
    };
    let mut tally = Tally::default();
    let error = checker.check_reader(&name, reader, threads, with_identity, &mut |report| {
        tally.add(report.outcome);
        emit(report);
    });
    Checked::Done(name, tally, Vec::new(), error.map(|e| e.0))
}

/// Writes what became of one file and counts it.
fn add(checked: Checked, output: &mut Output<'_>, tally: &mut Tally) {
    match checked {
        Checked::Unreadable(name, message) => {
            tally.unreadable_files += 1;
            output.finding(&file_error(name, message));
        }
        Checked::Done(name, file_tally, documents, error) => {
            documents.into_iter().for_each(|d| output.document(d));
            if let Some(message) = error {
                tally.unreadable_files += 1;
                output.finding(&file_error(name, message));
            } else if file_tally.documents() == 0 {
                // An empty file is most likely a mistake (kubectl refuses one too): say so.
                tally.unreadable_files += 1;
                output.finding(&file_error(name, "contains no documents".to_string()));
            }
            tally.valid += file_tally.valid;
            tally.invalid += file_tally.invalid;
            tally.skipped += file_tally.skipped;
            tally.unreadable_documents += file_tally.unreadable_documents;
        }
    }
}

/// Reads and checks one file (of a directory walk or the arguments, never stdin) on the
/// calling thread, keeping its documents.
fn check_file(checker: &Checker, input: &Input, with_identity: bool) -> Checked {
    let mut documents = Vec::new();
    match check_input(checker, input, &mut true, 1, with_identity, &mut |d| {
        documents.push(d)
    }) {
        Checked::Done(name, tally, _, error) => Checked::Done(name, tally, documents, error),
        unreadable => unreadable,
    }
}

fn file_error(file: String, message: String) -> Finding {
    Finding {
        file,
        document: None,
        kind: None,
        name: None,
        path: String::new(),
        message,
        source: Source::Input,
    }
}

/// Opens an input for reading a line at a time.
fn open(
    input: &Input,
    stdin_used: &mut bool,
) -> Result<(String, Box<dyn BufRead>), (String, String)> {
    match input {
        Input::Stdin => {
            let name = "-".to_owned();
            if std::mem::replace(stdin_used, true) {
                return Err((name, "stdin can be read only once".to_owned()));
            }
            Ok((name, Box::new(std::io::stdin().lock())))
        }
        Input::File(path) => {
            let name = path.display().to_string();
            match std::fs::File::open(path) {
                Ok(file) => Ok((name, Box::new(BufReader::with_capacity(READ_BUFFER, file)))),
                Err(e) => Err((name, e.to_string())),
            }
        }
    }
}

/// Adds `path` (a file, or a directory walked recursively in sorted order) to `inputs`.
/// `explicit`: named on the command line (then any file is taken, and hidden names too).
fn collect(
    path: &Path,
    explicit: bool,
    visited: &mut HashSet<PathBuf>,
    inputs: &mut Vec<Input>,
    errors: &mut Vec<(String, String)>,
) {
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) => {
            errors.push((path.display().to_string(), e.to_string()));
            return;
        }
    };
    if !meta.is_dir() {
        if explicit || has_manifest_extension(path) {
            inputs.push(Input::File(path.to_owned()));
        }
        return;
    }
    // Symbolic links may form cycles: walk every real directory once.
    if let Ok(real) = std::fs::canonicalize(path) {
        if !visited.insert(real) {
            return;
        }
    }
    let entries = match std::fs::read_dir(path) {
        Ok(entries) => entries,
        Err(e) => {
            errors.push((path.display().to_string(), e.to_string()));
            return;
        }
    };
    let mut children = Vec::new();
    for entry in entries {
        match entry {
            Ok(entry) => {
                let hidden = entry.file_name().to_string_lossy().starts_with('.');
                if !hidden {
                    children.push(entry.path());
                }
            }
            Err(e) => errors.push((path.display().to_string(), e.to_string())),
        }
    }
    children.sort();
    for child in children {
        collect(&child, false, visited, inputs, errors);
    }
}

fn has_manifest_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().any(|x| e.eq_ignore_ascii_case(x)))
}
