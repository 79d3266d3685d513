//! `vitistack-codegen compat`: arguments and exit codes; the work is in the library's
//! `vitistack_codegen_lib::compat`.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use crate::compat::{self, Config, Format};

use super::{write_stdout, Failure};

/// The long help of `compat` (a constant: the YAML example in it is not rustdoc Markdown).
pub(crate) const LONG_ABOUT: &str = "\
Report the incompatible changes from OLD to NEW CRDs (crdify's checks)

OLD and NEW are CRD files, directories (walked for *.yaml, *.yml, *.json; documents that
are not CRDs are ignored), or `git:REF` for crds/ of the current git repository at revision
REF (`git:REF:DIR` for another directory), e.g.
  {bin} compat git:v0.1.0 crds/
Every CRD present on both sides (by metadata.name) is compared; CRDs on one side only are
listed on stderr.

Refused by the apiserver (errors at every stability, whatever --config says; the reason
is the apiserver's): scope, names (names.kind, names.plural, group), storedVersionRemoval
(a version of OLD's status.storedVersions gone; without a status, any version of OLD gone
is a warning, as it may have been a storage version: run `migrate` first), conversion (NEW's conversion is invalid), schema
(NEW's schema is not structural).

Checks (crdify's names): existingFieldRemoval, servedVersionRemoval, enum (constraint
added, value removed or added), default (added, changed, removed), maximum/maxLength/
maxItems/maxProperties (added or lowered), minimum/minLength/minItems/minProperties (added
or raised), exclusiveMaximum/exclusiveMinimum (a bound made exclusive), required (a field
became or is new and required), type, pattern (added, changed, removed), format (added or
changed), uniqueItems (added), nullable (added or removed), x-kubernetes-validations (a
rule added, compared as parsed CEL: reformatting is no change, a changed message no finding,
a new transition rule reported apart; crdify's `xvalidations`), listType, listMapKeys, anyOf/
oneOf/not (a constraint added or admitting fewer values), rename (a field removed and one
with an equal schema added next to it), unhandled (any other keyword changed). allOf
members count as the field's own constraints. Only fields that exist in OLD are compared:
adding an optional field is always compatible. Within each version, and across the served
versions of NEW (`v1alpha1->v1beta1`: objects written through one are read through the
other) unless conversion is a webhook.

Severity by the version's stability: v1alpha* warning, v1beta* and v1 error.

Output (stdout), text: `SEVERITY: CRD VERSION FIELD.PATH: CHECK: what changed`, e.g.
  error: {example_crd} v1beta1 spec.vlan: maximum: maximum lowered: 4094 -> 4000
The whole CRD is path `^` (and version `*` for scope). A summary goes to stderr.

--config FILE (YAML, crdify's format) overrides severities and sets check options:
  validations:
  - name: enum              # a check name
    enforcement: warn       # error | warn | none; absent = by stability
    configuration:
      additionPolicy: Allow # enum: adding values is fine (default Disallow)
  - name: pattern
    configuration:
      removalPolicy: Allow  # pattern: removing a pattern is fine (default Disallow)
  - name: nullable
    configuration:          # nullable: additionPolicy / removalPolicy (default Disallow)
      additionPolicy: Allow
  unhandledEnforcement: warn  # the `unhandled` check (crdify's name for it)
  conversion: Ignore        # Ignore (default): no cross-version checks with a Webhook
                            # conversion; None: compare served versions anyway

Exit codes: 0 no errors (warnings may be printed); 1 some finding is an error; 2 input
error (unreadable or invalid file, no CRD, unknown git revision, bad config), with a
message naming the file.";

/// Arguments of `compat`.
#[derive(Debug, Args)]
pub(crate) struct CompatArgs {
    /// The previous CRDs: file, directory or git:REF[:DIR].
    #[arg(value_name = "OLD")]
    old: String,
    /// The new CRDs: file, directory or git:REF[:DIR].
    #[arg(value_name = "NEW")]
    new: String,
    /// Output format.
    #[arg(long, short = 'o', value_enum, default_value_t = CompatOutput::Text)]
    output: CompatOutput,
    /// Configuration file (YAML, see above).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
}

/// `compat --output`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum CompatOutput {
    /// `SEVERITY: CRD VERSION FIELD.PATH: CHECK: message` lines.
    Text,
    /// One JSON array of {crd, version, path, check, severity, message}.
    Json,
    /// A Markdown table.
    Markdown,
}

pub(crate) fn run(args: &CompatArgs) -> Result<(), Failure> {
    let input = |e: compat::InputError| Failure::Error(e.0);
    let config = match &args.config {
        Some(path) => {
            let name = path.display().to_string();
            let text = std::fs::read_to_string(path)
                .map_err(|e| Failure::Error(format!("{name}: {e}")))?;
            Config::parse(&text, &name).map_err(input)?
        }
        None => Config::default(),
    };
    let old = compat::load(&args.old).map_err(input)?;
    let new = compat::load(&args.new).map_err(input)?;
    let report = compat::compare(&old, &new, &config);
    let format = match args.output {
        CompatOutput::Text => Format::Text,
        CompatOutput::Json => Format::Json,
        CompatOutput::Markdown => Format::Markdown,
    };
    write_stdout(compat::render(&report.findings, format).as_bytes())?;
    for name in &report.only_old {
        eprintln!("note: {name} is only in {} (not compared)", args.old);
    }
    for name in &report.only_new {
        eprintln!("note: {name} is only in {} (not compared)", args.new);
    }
    let errors = report
        .findings
        .iter()
        .filter(|f| f.severity == compat::Severity::Error)
        .count();
    eprintln!(
        "{} CRD(s) compared: {} error(s), {} warning(s)",
        report.compared.len(),
        errors,
        report.findings.len() - errors
    );
    if report.has_errors() {
        Err(Failure::Findings)
    } else {
        Ok(())
    }
}
