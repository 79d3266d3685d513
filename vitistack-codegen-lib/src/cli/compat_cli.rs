//! `vitistack-codegen compat`: arguments and exit codes; the work is in the library's
//! `vitistack_codegen_lib::compat`.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use crate::compat::preview::{self, Outcome, StoredObject, Verdict};
use crate::compat::{self, Config, Finding, Format, LoadedCrd};

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

Preview of stored objects: --objects PATH (a file or directory of objects, multi-document
YAML or JSON; repeatable) and --objects-from-cluster (the objects of every CRD on both sides,
listed from the cluster of $KUBECONFIG through each version OLD serves, --page-size objects
a request) replay what the apiserver does once the CRD moves to NEW: each object, as stored
under OLD, is read under NEW (pruned, NEW's defaults filled in), validated against NEW, and
an update that only sets a label is validated with the apiserver's ratcheting, e.g.
  {bin} compat git:v0.1.0 crds/ --objects backup/
Verdicts, after the findings (text: `VERDICT: FILE: document N: KIND NAMESPACE/NAME: why`):
valid; ratcheted (NEW rejects it, but an update leaving the failing fields unchanged goes
through); blocked (even that update is refused: a transition rule, a rule that errors, a
rule or required field at the root, which every update changes; fix the object first);
unchecked (its CRD could not be read, or NEW does not serve its version; never passed
as valid). Objects of kinds neither side defines are skipped. JSON output with a preview is
{\"findings\": [...], \"objects\": [...]}.

Exit codes: 0 no errors (warnings may be printed); 1 some finding is an error, or some
previewed object is blocked or unchecked; 2 input error (unreadable or invalid file, no CRD,
unknown git revision, bad config, an object without apiVersion or kind, a cluster that
cannot be listed), with a message naming the file and document.";

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
    /// Preview the stored objects in PATH (a file or directory; repeatable) under NEW.
    #[arg(long, value_name = "PATH")]
    objects: Vec<PathBuf>,
    /// Preview the objects of the compared CRDs listed from the cluster of $KUBECONFIG.
    #[arg(long)]
    objects_from_cluster: bool,
    /// Objects per list request with --objects-from-cluster.
    #[arg(
        long,
        value_name = "N",
        default_value_t = 500,
        requires = "objects_from_cluster"
    )]
    page_size: u32,
}

/// `compat --output`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum CompatOutput {
    /// `SEVERITY: CRD VERSION FIELD.PATH: CHECK: message` lines.
    Text,
    /// One JSON array of {crd, version, path, check, severity, message} (with a preview, an
    /// object {findings, objects}).
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
    let preview =
        stored_objects(args, &old, &new)?.map(|objects| preview::preview(&old, &new, &objects));
    write_stdout(output(&report.findings, preview.as_ref(), format).as_bytes())?;
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
    if let Some(preview) = &preview {
        eprintln!(
            "{} stored object(s) previewed: {} valid, {} ratcheted, {} blocked, {} unchecked; {} of other kinds skipped",
            preview.verdicts.len(),
            preview.count(Outcome::Valid),
            preview.count(Outcome::Ratcheted),
            preview.count(Outcome::Blocked),
            preview.count(Outcome::Unchecked),
            preview.skipped
        );
    }
    if report.has_errors() || preview.is_some_and(|p| p.needs_attention()) {
        Err(Failure::Findings)
    } else {
        Ok(())
    }
}

/// The objects to preview: those of `--objects` and of `--objects-from-cluster`, or `None`
/// when neither is given.
fn stored_objects(
    args: &CompatArgs,
    old: &[LoadedCrd],
    new: &[LoadedCrd],
) -> Result<Option<Vec<StoredObject>>, Failure> {
    if args.objects.is_empty() && !args.objects_from_cluster {
        return Ok(None);
    }
    let mut objects = Vec::new();
    for path in &args.objects {
        objects.extend(preview::read_objects(path).map_err(|e| Failure::Error(e.0))?);
    }
    if args.objects_from_cluster {
        objects.extend(cluster_objects(old, new, args.page_size)?);
    }
    Ok(Some(objects))
}

#[cfg(feature = "client")]
fn cluster_objects(
    old: &[LoadedCrd],
    new: &[LoadedCrd],
    page_size: u32,
) -> Result<Vec<StoredObject>, Failure> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::Error(format!("cannot start the async runtime: {e}")))?;
    runtime
        .block_on(async {
            let client = kube::Client::try_default()
                .await
                .map_err(|e| format!("no cluster from $KUBECONFIG: {e}"))?;
            preview::cluster::list_objects(&client, old, new, page_size).await
        })
        .map_err(Failure::Error)
}

#[cfg(not(feature = "client"))]
fn cluster_objects(
    _old: &[LoadedCrd],
    _new: &[LoadedCrd],
    _page_size: u32,
) -> Result<Vec<StoredObject>, Failure> {
    Err(Failure::Error(
        "--objects-from-cluster needs vitistack-codegen built with the `client` feature".to_owned(),
    ))
}

/// The findings, then (with a preview) the verdicts: in JSON one object
/// `{"findings": [...], "objects": [...]}`, else the two renderings one after the other.
fn output(findings: &[Finding], preview: Option<&preview::Preview>, format: Format) -> String {
    let Some(preview) = preview else {
        return compat::render(findings, format);
    };
    let verdicts: &[Verdict] = &preview.verdicts;
    match format {
        Format::Json => {
            let value = serde_json::json!({ "findings": findings, "objects": verdicts });
            // Serializing plain strings cannot fail; fall back to an empty object regardless.
            let mut text = serde_json::to_string_pretty(&value).unwrap_or_else(|_| "{}".to_owned());
            text.push('\n');
            text
        }
        Format::Markdown => format!(
            "{}\n{}",
            compat::render(findings, format),
            preview::render(verdicts, format)
        ),
        Format::Text => compat::render(findings, format) + &preview::render(verdicts, format),
    }
}
