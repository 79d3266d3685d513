//! `vitistack-codegen`: generate, print, verify and sanitize Viti Stack CRDs and JSON Schemas.
//!
//! Exit codes: 0 success, 1 findings (`verify`: drift or lint), 2 usage or I/O errors
//! (including unreadable files and invalid YAML).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use serde_json::Value;
use vitistack_codegen::{
    crds_multi_document, lint_crd, render, sanitize_yaml_stream, verify_dir, write_rendered, Error,
    SchemaDocument,
};

/// Generate, verify and sanitize the vitistack.io CustomResourceDefinitions and JSON Schemas.
///
/// Exit codes: 0 ok, 1 findings (verify found drift or lint problems), 2 usage or I/O error.
#[derive(Debug, Parser)]
#[command(name = "vitistack-codegen", version, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Write crds/<group>_<plural>.yaml and schemas/<group>/<kind>_<version>.json.
    ///
    /// Output is byte-stable (sorted keys). Files are only rewritten when their content
    /// changes; stale generated files (matching the naming patterns) are removed from crds/
    /// and schemas/<group>/. Lint problems are printed as warnings (use `verify` to fail on
    /// them).
    Generate {
        /// Directory that holds (or will hold) crds/ and schemas/.
        #[arg(long, value_name = "DIR", default_value = ".")]
        out_dir: PathBuf,
    },
    /// Print all CRDs as one multi-document YAML stream on stdout.
    ///
    /// For example: vitistack-codegen crds | kubectl apply --server-side -f -
    Crds,
    /// Check that crds/ and schemas/ are up to date and that every CRD is structural.
    ///
    /// Renders in memory and compares with DIR: prints a unified diff for every missing,
    /// changed or stale generated file, and every lint finding (non-structural schema,
    /// format unknown to the apiserver). Exits 1 when there is anything to report.
    Verify {
        /// Directory that holds crds/ and schemas/.
        #[arg(long, value_name = "DIR", default_value = ".")]
        dir: PathBuf,
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
}

/// A failure with its exit code.
enum Failure {
    /// Findings: exit 1.
    Findings,
    /// Usage or I/O error: exit 2.
    Error(String),
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure::Error(e.to_string())
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Generate { out_dir } => generate(&out_dir),
        Command::Crds => print_crds(),
        Command::Verify { dir } => verify(&dir),
        Command::Sanitize { files, in_place } => sanitize(&files, in_place),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Findings) => ExitCode::from(1),
        Err(Failure::Error(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

fn catalog() -> (Vec<Value>, Vec<SchemaDocument>) {
    let crds = vitistack_types::catalog::crds();
    let schemas: Vec<SchemaDocument> = vitistack_types::catalog::json_schemas()
        .into_iter()
        .map(SchemaDocument::from)
        .collect();
    if crds.is_empty() {
        eprintln!("warning: the vitistack-types catalog has no CRDs");
    }
    (crds, schemas)
}

/// Lint findings of every catalog CRD, as `file: path: message` lines.
fn lint_catalog(crds: &[Value]) -> Vec<String> {
    let mut lines = Vec::new();
    for (i, crd) in crds.iter().enumerate() {
        let file = vitistack_codegen::crd_file_name(i, crd)
            .map(|p| p.display().to_string())
            .unwrap_or_else(|_| format!("CRD #{}", i + 1));
        lines.extend(lint_crd(crd).into_iter().map(|f| format!("{file}: {f}")));
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

fn generate(out_dir: &Path) -> Result<(), Failure> {
    let (crds, schemas) = catalog();
    let files = render(&crds, &schemas)?;
    let report = write_rendered(out_dir, &files)?;
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

fn print_crds() -> Result<(), Failure> {
    let (crds, _) = catalog();
    let text = crds_multi_document(&crds)?;
    write_stdout(text.as_bytes())
}

fn verify(dir: &Path) -> Result<(), Failure> {
    let (crds, schemas) = catalog();
    let files = render(&crds, &schemas)?;
    let drifts = verify_dir(dir, &files)?;
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
                "verify failed: {} file(s) out of date; run `vitistack-codegen generate --out-dir {}`",
                drifts.len(),
                dir.display()
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
