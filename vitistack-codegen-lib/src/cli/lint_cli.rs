//! `vitistack-codegen lint`: arguments and exit codes; the work is in [`crate::crd_lint`].

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use crate::crd_lint::{self, kube_versions, Options};
use crate::report::{sarif, Run};

use super::{write_stdout, Failure};

/// Arguments of `lint`.
#[derive(Debug, Args)]
pub(crate) struct LintArgs {
    /// CRD files (multi-document YAML or JSON) or directories (walked for *.yaml, *.yml and
    /// *.json, sorted, hidden entries skipped). Documents that are not
    /// apiextensions.k8s.io/v1 CustomResourceDefinitions are skipped with a note; a path with
    /// no CRD is an input error.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Output format: `text` (`FILE:DOC: CRD: SEVERITY: PATH: MESSAGE (field F)` lines),
    /// `json` (one array of {file, document, line, crd, path, field, check, severity,
    /// message}) or `sarif` (SARIF 2.1.0, a result per issue, a rule per check).
    #[arg(long, short = 'o', value_enum, default_value_t = LintOutput::Text)]
    output: LintOutput,
    /// The Kubernetes version of the apiserver, 1.30 to 1.37: also report what it lacks
    /// (CEL libraries a new rule may not call yet, CRD fields it drops). Defaults to the
    /// oldest version the project supports.
    #[arg(long, value_name = "1.N", default_value = "1.32", value_parser = parse_kube_version)]
    kube_version: u32,
    /// Also print the estimated cost of every rule and of each schema's rules together
    /// (severity `info`), not only the ones over the apiserver's limits.
    #[arg(long)]
    cost: bool,
}

/// `lint --output`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum LintOutput {
    /// One line per issue.
    Text,
    /// One JSON array of issues.
    Json,
    /// SARIF 2.1.0.
    Sarif,
}

/// `1.N` with N in the table's range, as the minor version.
fn parse_kube_version(text: &str) -> Result<u32, String> {
    let minor = text
        .strip_prefix("1.")
        .and_then(|m| m.parse::<u32>().ok())
        .ok_or_else(|| format!("expected 1.N, e.g. 1.{}", kube_versions::DEFAULT))?;
    if (kube_versions::OLDEST..=kube_versions::NEWEST).contains(&minor) {
        Ok(minor)
    } else {
        Err(format!(
            "1.{minor} is outside what the tables know: 1.{} to 1.{}",
            kube_versions::OLDEST,
            kube_versions::NEWEST
        ))
    }
}

pub(crate) fn run(args: &LintArgs, codegen: &crate::Codegen) -> Result<(), Failure> {
    let command = codegen.command_name();
    let groups: Vec<&str> = codegen.groups().into_iter().collect();
    let groups = groups.join(", ");
    let options = Options {
        kube_minor: args.kube_version,
        cost_report: args.cost,
    };
    let paths: Vec<&Path> = args.paths.iter().map(PathBuf::as_path).collect();
    let run = crd_lint::lint_paths(&paths, &options);
    let output = match args.output {
        LintOutput::Text => crd_lint::render_text(&run),
        LintOutput::Json => format!("{:#}\n", crd_lint::render_json(&run)),
        LintOutput::Sarif => format!(
            "{:#}\n",
            sarif::render_lint(
                &run.documents,
                &Run {
                    command: &command,
                    groups: &groups
                }
            )
        ),
    };
    write_stdout(output.as_bytes())?;
    for note in &run.skipped {
        eprintln!("note: {note}");
    }
    for error in &run.input_errors {
        eprintln!("error: {error}");
    }
    eprintln!("{}", crd_lint::summary(&run));
    if !run.input_errors.is_empty() {
        Err(Failure::Exit(2))
    } else if run.refused() {
        Err(Failure::Findings)
    } else {
        Ok(())
    }
}
