//! The `vitistack-codegen` command: generate, print, verify and sanitize Viti Stack CRDs and JSON
//! Schemas, and validate manifests. [`main`] is the whole command; the `vitistack-codegen` binary
//! crate only calls it (with a k8s-openapi version feature chosen, which this library never does).
//!
//! Exit codes: 0 success, 1 findings (`verify`: drift or lint; `validate`: invalid documents),
//! 2 usage or I/O errors (including unreadable files and invalid YAML).

mod compat_cli;
mod conversion_cli;
mod help;
mod import_cli;
mod lint_cli;
#[cfg(feature = "client")]
mod migrate_cli;
mod validate_cli;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use serde_json::Value;

use crate::{
    crds_multi_document, lint_crd, render_with_header, sanitize_yaml_stream, verify_dir,
    write_rendered, Codegen, Error, SchemaDocument,
};

/// Generate, verify and sanitize the CustomResourceDefinitions and JSON Schemas of {kinds}, and
/// validate manifests against them.
///
/// Exit codes: 0 ok, 1 findings (verify found drift or lint problems, validate found invalid
/// documents), 2 usage or I/O error.
#[derive(Debug, Parser)]
#[command(name = "vitistack-codegen", version, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Write crds/<group>_<plural>.yaml and schemas/<group>/<kind>_<version>.json for
    /// {kinds}{and_packaging}.
    ///
    /// Output is byte-stable (sorted keys). Files are only rewritten when their content
    /// changes; stale generated files (matching the naming patterns) are removed from crds/
    /// and schemas/<group>/. Lint problems are printed as warnings (use `verify` to fail on
    /// them).
    Generate {
        /// Directory that holds (or will hold) crds/ and schemas/.
        #[arg(long, value_name = "DIR", default_value = ".")]
        out_dir: PathBuf,
        #[command(flatten)]
        descriptions: DescriptionArgs,
    },
    /// Print all CRDs as one multi-document YAML stream on stdout.
    ///
    /// For example: {bin} crds | kubectl apply --server-side -f -
    Crds {
        #[command(flatten)]
        descriptions: DescriptionArgs,
    },
    /// Check that {generated_files} are up to date for {kinds} and that every CRD is
    /// structural.
    ///
    /// Renders in memory and compares with DIR: prints a unified diff for every missing,
    /// changed or stale generated file, and every lint finding (non-structural schema,
    /// format unknown to the apiserver). Exits 1 when there is anything to report.
    Verify {
        /// Directory that holds crds/ and schemas/.
        #[arg(long, value_name = "DIR", default_value = ".")]
        dir: PathBuf,
        #[command(flatten)]
        descriptions: DescriptionArgs,
    },
    /// Rewrite CRD YAML files (from any generator) to use only formats the apiserver knows.
    ///
    /// Integer formats such as uint8/uint16/uint32/uint64/int/uint become int32/int64 with
    /// explicit minimum/maximum for the source range (existing tighter bounds are kept);
    /// float bounds on integers become integers; unknown number and string formats are
    /// dropped. Non-CRD documents and CRDs needing no change are copied byte-for-byte.
    /// Output goes to stdout (all files concatenated as one stream) unless --in-place; a
    /// summary of the changes goes to stderr.
    Sanitize {
        /// CRD YAML files (multi-document streams are fine); `-` reads stdin.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Rewrite the files instead of printing to stdout (files without changes are not
        /// touched).
        #[arg(long)]
        in_place: bool,
    },
    /// Set the conversion webhook stanza of CRD files{or_example}.
    ///
    /// Writes `spec.conversion: {strategy: Webhook, webhook: {conversionReviewVersions: [v1],
    /// clientConfig: ...}}` into every CustomResourceDefinition of the files: the reference's
    /// Service (vitistack-system/vitistack-conversion-webhook, path /convert) unless --url is
    /// given, and `caBundle` from the PEM file of --ca-bundle. Other documents are kept. Output
    /// goes to stdout unless --in-place.
    Conversion(conversion_cli::ConversionArgs),
    /// Storage migration of a CRD in the cluster of $KUBECONFIG: every object is rewritten in
    /// the storage version, then status.storedVersions is trimmed to it, so that older versions
    /// can be removed from the CRD (the apiserver refuses while they are listed there).
    #[cfg(feature = "client")]
    Migrate {
        /// The CRD's name, e.g. {example_crd}.
        #[arg(value_name = "CRD")]
        crd: String,
    },
    /// Validate {groups} manifests (YAML or JSON) the way the apiserver would
    ///
    /// Every document of every file is parsed once and must be a mapping with string
    /// `apiVersion` and `kind`. Documents of {kinds} are checked
    /// by the Rust validator, which enforces every rule of the CRDs, including the ones the
    /// apiserver checks with CEL; its findings decide validity. Any other kind is an error
    /// ("unknown kind") unless --ignore-unknown is given. With --crd PATH, documents of a kind
    /// those CRDs serve (any group) are checked against the CRD as the apiserver checks a
    /// custom resource: defaults, metadata, schema, every x-kubernetes-validations rule.
    ///
    /// Output (stdout), one line per violation:
    ///   FILE:DOC: Kind/name: field.path: message
    /// e.g.
    ///   {example_finding}
    /// DOC is the 1-based index of the document in the stream (empty documents count, but are
    /// not checked); FILE is `-` for stdin; name is metadata.name or `<no name>`. Problems
    /// found before the kind is known (YAML errors, duplicate keys) are written
    /// `FILE:DOC: message`. Unreadable files are reported on stderr. A summary goes to stderr:
    /// `N documents, M valid, K invalid[, S skipped][, E input errors]`.
    ///
    /// Parsing is bounded: anchors/aliases are replayed at most 100,000 events per document
    /// (alias bombs fail fast) and nesting deeper than 256 levels is an input error; numbers
    /// JSON cannot hold (.nan, .inf, 1e400) make the document invalid.
    ///
    /// Exit codes: 0 every document valid (or skipped); 1 some document invalid; 2 some
    /// input unreadable (missing or unreadable file or directory, not UTF-8, YAML syntax
    /// error, parser limit exceeded), a --crd rule the CEL engine cannot compile (source
    /// `unsupported`: the document's verdict is unknown) or a usage error. 2 wins over 1;
    /// everything readable is still checked and reported.
    #[command(verbatim_doc_comment)]
    Validate(ValidateArgs),
    /// Report the incompatible changes from OLD to NEW CRDs (crdify's checks)
    #[command(long_about = compat_cli::LONG_ABOUT)]
    Compat(compat_cli::CompatArgs),
    /// Report what the apiserver refuses in CRD files from any generator, before `kubectl apply`
    ///
    /// Every CRD is checked as the apiserver's CRD validation checks it, and every issue names
    /// the apiserver's path (spec.validation.openAPIV3Schema... for a schema all versions share,
    /// spec.versions[i].schema.openAPIV3Schema... otherwise) and the object field: structural
    /// schema; defaults against their own schema (type, bounds, enum, pattern, format, nested
    /// members, rules, unknown fields); patterns Go's regexp (RE2) does not compile; list-type
    /// and map-key rules; every x-kubernetes-validations rule and messageExpression compiled and
    /// type-checked against its node (unknown field, type mismatch, not a bool, not a string,
    /// unknown function, optionalOldSelf without oldSelf, a fieldPath naming no field, a reason
    /// the apiserver does not allow, oldSelf where no old value correlates); the estimated cost
    /// of every rule and of each schema against the apiserver's limits, with the bound that
    /// brings a rule under (`add maxItems: 64 to spec.l`); selectableFields; what the apiserver
    /// of --kube-version lacks. Unknown formats are warnings (the apiserver drops them); what
    /// lint cannot check is reported as `not-checked`, never passed silently.
    ///
    /// e.g. {bin} lint crds/ --kube-version 1.32
    ///
    /// Exit codes: 0 nothing the apiserver refuses; 1 some CRD would be refused; 2 input error
    /// (unreadable file, invalid YAML, a path without any CRD). 2 wins over 1.
    Lint(lint_cli::LintArgs),
    /// Write Rust types for CRDs someone else owns: one module per kind and version into DIR,
    /// and DIR/mod.rs declaring them with `pub fn crds() -> Vec<serde_json::Value>` (each CRD
    /// as the derive regenerates it).
    ///
    /// Each schema keyword becomes an attribute of `#[derive(Schema, CustomResource)]` structs
    /// (bounds, lengths, list sizes, patterns, enums, formats, defaults, nullable, list types,
    /// CEL rules on objects as `cel(...)`); descriptions become doc comments, wire names
    /// become Rust names with serde renames; names, scope, the status subresource and printer
    /// columns go to `#[crd(...)]`. What cannot be expressed yet (several versions, selectable
    /// fields, the scale subresource, CEL rules on scalars, ...) is an error naming the CRD and
    /// the schema path: nothing is dropped. The files are formatted with `rustfmt` (it must be
    /// on PATH).
    ///
    /// For example: {bin} import crds/ --out src/imported
    Import(import_cli::ImportArgs),
}

/// How long the CRDs' descriptions may be (`generate`, `verify`, `crds`).
#[derive(Debug, Args)]
struct DescriptionArgs {
    /// Shorten every description in the CRDs to at most N characters, cut at a word and ended
    /// with `...`; 0 removes them (controller-gen's crd:maxDescLen). Use it when a CRD is too
    /// big: a client-side `kubectl apply` fails beyond 256 KB. `kubectl explain` then shows the
    /// shortened text; JSON Schemas keep every description. Overrides the command's own
    /// setting (Codegen::max_description_length); without either, descriptions are whole.
    #[arg(long, value_name = "N")]
    max_description_length: Option<usize>,
}

/// Arguments of `validate`.
#[derive(Debug, Args)]
struct ValidateArgs {
    /// Files, directories or `-` (stdin). Directories are walked recursively for *.yaml,
    /// *.yml and *.json files, in sorted order, skipping hidden entries (names starting with
    /// `.`); files named explicitly are read whatever their extension.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Strict field validation, the default (like kubectl --validate=strict): fields the
    /// schema does not declare and duplicate keys in a YAML mapping are errors.
    #[arg(long, overrides_with = "no_strict")]
    strict: bool,
    /// Non-strict (like kubectl --validate=ignore): unknown fields are ignored (the
    /// apiserver prunes them) and for a duplicate key the last value wins.
    #[arg(long, overrides_with = "strict")]
    no_strict: bool,
    /// Output format: `text` (one line per violation), `json` (one JSON array of objects
    /// {file, document, kind, name, path, message, source}; source is `validator`
    /// (decides validity), `input` (unreadable input) or `json-schema`; document, kind and
    /// name are null when unknown), or a report for CI: `junit` (XML, a testcase per
    /// document), `tap` (TAP 13, a test point per document) or `sarif` (SARIF 2.1.0, a result
    /// per finding with the file and line of its document). Exit codes are the same for all.
    #[arg(long, short = 'o', value_enum, default_value_t = OutputFormat::Text)]
    output: OutputFormat,
    /// Skip (and count as skipped) documents whose apiVersion is not in the {groups} group,
    /// instead of reporting them as unknown kinds. Unknown kinds or versions inside
    /// {groups} (typos) are still errors.
    #[arg(long)]
    ignore_unknown: bool,
    /// Also validate with the generated JSON Schemas ({schema_files}, with the
    /// project's custom formats) and print their findings, marked `[json-schema]`; useful to
    /// compare the enforcers. They do not change the exit code: JSON Schema cannot express
    /// every rule (cross-field CEL rules, quantity bounds), the Rust validator is the verdict.
    #[arg(long)]
    json_schema: bool,
    /// Old objects (a file or a directory, walked like PATH): each document is checked as an
    /// update of the old document with the same apiVersion, kind, namespace and name, with the
    /// update-time rules (immutable fields, sizes that may only grow, one Kubernetes minor
    /// version at a time) and the apiserver's ratcheting; a document without one is checked
    /// as a create. An unreadable old object is an input error (exit 2).
    #[arg(long, value_name = "PATH")]
    old: Option<PathBuf>,
    /// CustomResourceDefinitions (a file, multi-document streams too, or a directory walked
    /// like PATH; repeatable): every document of a kind they serve is checked against its CRD
    /// as the apiserver checks a custom resource (defaults applied first, `metadata`, the
    /// structural schema, then every x-kubernetes-validations rule; with --old the transition
    /// rules and ratcheting too), a {groups} kind too; other documents keep the built-in
    /// validator. A version the CRD does not serve is an error naming the served ones. A rule
    /// the CEL engine cannot compile is reported (source `unsupported`, exit 2); a PATH with no
    /// readable CRD is an input error (exit 2).
    #[arg(long = "crd", value_name = "PATH")]
    crd: Vec<PathBuf>,
}

/// `validate --output`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum OutputFormat {
    /// `FILE:DOC: Kind/name: field.path: message` lines.
    Text,
    /// One JSON array of finding objects.
    Json,
    /// JUnit XML: a testsuite per file, a testcase per document (failures carry every
    /// finding).
    Junit,
    /// TAP version 13: a test point per document, findings in its YAML block.
    Tap,
    /// SARIF 2.1.0 (code scanning): a result per finding, with rule id, file and line.
    Sarif,
}

/// A failure with its exit code.
enum Failure {
    /// Findings: exit 1.
    Findings,
    /// Usage or I/O error: exit 2.
    Error(String),
    /// Exit with this code; everything has been reported already.
    Exit(u8),
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure::Error(e.to_string())
    }
}

/// Runs `vitistack-codegen` (the ten `vitistack.io` kinds) on the process arguments and returns
/// its exit code.
pub fn main() -> ExitCode {
    main_with(Codegen::vitistack())
}

/// Runs the command for the kinds of `codegen` on the process arguments and returns its exit
/// code (what [`Codegen::run`] does).
pub fn main_with(codegen: Codegen) -> ExitCode {
    let matches = help::for_kinds(Cli::command(), &codegen).get_matches();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    // Parsing hostile YAML recurses once per nesting level (bounded by the parser budget);
    // give it a stack that the deepest allowed document fits in, also in debug builds.
    let worker = std::thread::Builder::new()
        .name("vitistack-codegen".to_owned())
        .stack_size(crate::validate::STACK_SIZE)
        .spawn(move || run(cli, &codegen));
    match worker.map(|handle| handle.join()) {
        Ok(Ok(code)) => code,
        Ok(Err(_)) => ExitCode::from(2),
        Err(e) => {
            eprintln!("error: cannot start worker thread: {e}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli, codegen: &Codegen) -> ExitCode {
    let result = match cli.command {
        Command::Generate {
            out_dir,
            descriptions,
        } => generate(codegen, &descriptions, &out_dir),
        Command::Crds { descriptions } => print_crds(codegen, &descriptions),
        Command::Verify { dir, descriptions } => verify(codegen, &descriptions, &dir),
        Command::Sanitize { files, in_place } => sanitize(&files, in_place),
        Command::Validate(args) => validate_cli::run(&args, codegen),
        Command::Compat(args) => compat_cli::run(&args),
        Command::Lint(args) => lint_cli::run(&args, codegen),
        Command::Import(args) => import_cli::run(&args),
        Command::Conversion(args) => conversion_cli::run(&args),
        #[cfg(feature = "client")]
        Command::Migrate { crd } => migrate_cli::run(&crd),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Findings) => ExitCode::from(1),
        Err(Failure::Exit(code)) => ExitCode::from(code),
        Err(Failure::Error(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

fn catalog(codegen: &Codegen, descriptions: &DescriptionArgs) -> (Vec<Value>, Vec<SchemaDocument>) {
    let crds = codegen.crds_shortened(descriptions.max_description_length);
    let schemas: Vec<SchemaDocument> = codegen.json_schemas();
    if crds.is_empty() {
        eprintln!("warning: no kinds are registered (Codegen::kind)");
    }
    (crds, schemas)
}

/// Lint findings of every catalog CRD, as `file: path: message` lines: the structural lint and
/// what `lint` finds the apiserver would refuse.
fn lint_catalog(crds: &[Value]) -> Vec<String> {
    let mut lines = Vec::new();
    for (i, crd) in crds.iter().enumerate() {
        let file = crate::crd_file_name(i, crd)
            .map(|p| p.display().to_string())
            .unwrap_or_else(|_| format!("CRD #{}", i + 1));
        lines.extend(lint_crd(crd).into_iter().map(|f| format!("{file}: {f}")));
        // What the apiserver refuses beyond structure and formats (which `lint_crd` reports):
        // defaults, patterns, list types, rules, selectableFields, at the README's minimum
        // Kubernetes version.
        let refused = crate::crd_lint::lint(crd, &crate::crd_lint::Options::default())
            .into_iter()
            .filter(|i| i.severity == crate::crd_lint::Severity::Refused)
            .filter(|i| {
                !matches!(
                    i.check,
                    crate::crd_lint::Check::Structural
                        | crate::crd_lint::Check::Format
                        | crate::crd_lint::Check::Cost
                )
            });
        lines.extend(refused.map(|i| format!("{file}: {i}")));
    }
    lines
}

fn write_stdout(bytes: &[u8]) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        // A closed pipe (e.g. `| head`) is not an error worth reporting.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure::Error(format!("<stdout>: {e}"))),
    }
}

fn generate(
    codegen: &Codegen,
    descriptions: &DescriptionArgs,
    out_dir: &Path,
) -> Result<(), Failure> {
    let (crds, schemas) = catalog(codegen, descriptions);
    let files = render_all(codegen, &crds, &schemas)?;
    let mut report = write_rendered(out_dir, &files)?;
    for stale in stale_chart_templates(codegen, out_dir, &files)? {
        let path = out_dir.join(&stale);
        std::fs::remove_file(&path)
            .map_err(|e| Failure::Error(format!("{}: {e}", path.display())))?;
        report.removed.push(stale);
    }
    for path in &report.written {
        eprintln!("wrote {}", out_dir.join(path).display());
    }
    for path in &report.removed {
        eprintln!("removed stale {}", out_dir.join(path).display());
    }
    eprintln!(
        "{} written, {} unchanged, {} removed",
        report.written.len(),
        report.unchanged.len(),
        report.removed.len()
    );
    for line in lint_catalog(&crds) {
        eprintln!("warning: {line}");
    }
    Ok(())
}

/// crds/ and schemas/, plus, for our own kinds, the chart, crds.yaml, kustomization.yaml
/// and the API reference (their version is the workspace version).
fn render_all(
    codegen: &Codegen,
    crds: &[Value],
    schemas: &[SchemaDocument],
) -> Result<std::collections::BTreeMap<PathBuf, Vec<u8>>, Failure> {
    let mut files = render_with_header(crds, schemas, &codegen.file_header())?;
    if codegen.distribution() {
        files.extend(crate::packaging::render_packaging(
            crds,
            env!("CARGO_PKG_VERSION"),
        )?);
    }
    Ok(files)
}

/// Chart templates no longer generated (none without the distribution).
fn stale_chart_templates(
    codegen: &Codegen,
    dir: &Path,
    files: &std::collections::BTreeMap<PathBuf, Vec<u8>>,
) -> Result<Vec<PathBuf>, Failure> {
    if !codegen.distribution() {
        return Ok(Vec::new());
    }
    Ok(crate::packaging::stale_chart_templates(dir, files)?)
}

fn print_crds(codegen: &Codegen, descriptions: &DescriptionArgs) -> Result<(), Failure> {
    let (crds, _) = catalog(codegen, descriptions);
    let text = crds_multi_document(&crds)?;
    write_stdout(text.as_bytes())
}

fn verify(codegen: &Codegen, descriptions: &DescriptionArgs, dir: &Path) -> Result<(), Failure> {
    let (crds, schemas) = catalog(codegen, descriptions);
    let files = render_all(codegen, &crds, &schemas)?;
    let mut drifts = verify_dir(dir, &files)?;
    for stale in stale_chart_templates(codegen, dir, &files)? {
        drifts.push(crate::Drift {
            diff: format!("{} is no longer generated: remove it\n", stale.display()),
            path: stale,
            kind: crate::DriftKind::Extra,
        });
    }
    let findings = lint_catalog(&crds);
    let mut report = String::new();
    for d in &drifts {
        report.push_str(&d.diff);
        if !d.diff.ends_with('\n') {
            report.push('\n');
        }
    }
    write_stdout(report.as_bytes())?;
    for d in &drifts {
        eprintln!("{}", d);
    }
    for line in &findings {
        eprintln!("{line}");
    }
    if drifts.is_empty() && findings.is_empty() {
        eprintln!("{} files up to date, CRDs are structural", files.len());
        Ok(())
    } else {
        if !drifts.is_empty() {
            eprintln!(
                "verify failed: {} file(s) out of date; run `{} generate --out-dir {}{}`",
                drifts.len(),
                codegen.command_name(),
                dir.display(),
                descriptions
                    .max_description_length
                    .map(|n| format!(" --max-description-length {n}"))
                    .unwrap_or_default()
            );
        }
        if !findings.is_empty() {
            eprintln!("verify failed: {} lint finding(s)", findings.len());
        }
        Err(Failure::Findings)
    }
}

fn read_input(path: &Path) -> Result<(String, String), Failure> {
    if path == Path::new("-") {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
            .map_err(|e| Failure::Error(format!("<stdin>: {e}")))?;
        return Ok(("<stdin>".to_owned(), text));
    }
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| Failure::Error(format!("{name}: {e}")))?;
    let text = String::from_utf8(bytes)
        .map_err(|e| Failure::Error(format!("{name}: not UTF-8 text: {e}")))?;
    Ok((name, text))
}

fn sanitize(files: &[PathBuf], in_place: bool) -> Result<(), Failure> {
    if in_place && files.iter().any(|f| f == Path::new("-")) {
        return Err(Failure::Error(
            "--in-place cannot be used with `-` (stdin)".to_owned(),
        ));
    }
    // Read and rewrite everything first, so a bad file leaves all files untouched.
    let mut results = Vec::new();
    for path in files {
        let (name, text) = read_input(path)?;
        let sanitized = sanitize_yaml_stream(&text, &name)?;
        results.push((path, name, text, sanitized));
    }
    let mut stdout = String::new();
    for (path, name, text, sanitized) in &results {
        for change in &sanitized.changes {
            eprintln!("{name}: {change}");
        }
        eprintln!("{name}: {} change(s)", sanitized.changes.len());
        if in_place {
            if sanitized.output != *text {
                write_atomically(path, sanitized.output.as_bytes())?;
            }
        } else {
            if !stdout.is_empty() && !stdout.ends_with('\n') {
                stdout.push('\n');
            }
            if !stdout.is_empty() && !sanitized.output.trim().is_empty() {
                stdout.push_str("---\n");
            }
            stdout.push_str(&sanitized.output);
        }
    }
    if !in_place {
        write_stdout(stdout.as_bytes())?;
    }
    Ok(())
}

fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    let name = path.display().to_string();
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".to_owned());
    let tmp = path.with_file_name(format!(".{file_name}.vitistack-codegen.tmp"));
    let result = std::fs::write(&tmp, bytes)
        .and_then(|()| {
            // Keep the original permissions.
            match std::fs::metadata(path) {
                Ok(meta) => std::fs::set_permissions(&tmp, meta.permissions()),
                Err(_) => Ok(()),
            }
        })
        .and_then(|()| std::fs::rename(&tmp, path));
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(Failure::Error(format!("{name}: {e}")));
    }
    Ok(())
}
