//! Reading the CRDs of one side of a comparison: files, directories, or `git:REF[:DIR]`.
//!
//! Directories are walked recursively in sorted order for `*.yaml`, `*.yml` and `*.json`,
//! skipping hidden entries; documents that are not CustomResourceDefinitions (a
//! kustomization, a namespace) are ignored. `git:REF` reads `crds/` (or `DIR`) of the
//! repository that contains the current directory at revision REF, with `git ls-tree` and
//! `git show`, so nothing is checked out.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use super::InputError;

/// A CRD and where it came from.
#[derive(Debug, Clone)]
pub struct LoadedCrd {
    /// `metadata.name`, the key CRDs are matched by.
    pub name: String,
    /// The file (or `git:REF:path`) it was read from.
    pub origin: String,
    /// The whole CRD.
    pub crd: Value,
}

/// Every CRD of `input` (a path, or `git:REF` / `git:REF:DIR`), in file order. Input errors
/// (unreadable or unparsable file, no CRD at all, a CRD twice) name the file.
pub fn load(input: &str) -> Result<Vec<LoadedCrd>, InputError> {
    let texts = match input.strip_prefix("git:") {
        Some(spec) => git_texts(input, spec)?,
        None => path_texts(Path::new(input))?,
    };
    let mut crds: Vec<LoadedCrd> = Vec::new();
    for (origin, text) in texts {
        for (i, doc) in crate::yaml::parse_documents(&text, &origin)
            .map_err(|e| InputError(e.to_string()))?
            .into_iter()
            .enumerate()
        {
            if !crate::lint::is_crd_any_version(&doc) {
                continue;
            }
            let name = crd_name(&doc).ok_or_else(|| {
                InputError(format!(
                    "{origin}: document {}: CRD without metadata.name",
                    i + 1
                ))
            })?;
            if let Some(first) = crds.iter().find(|c| c.name == name) {
                return Err(InputError(format!(
                    "{origin}: CRD {name} is also in {}",
                    first.origin
                )));
            }
            crds.push(LoadedCrd {
                name,
                origin: origin.clone(),
                crd: doc,
            });
        }
    }
    if crds.is_empty() {
        return Err(InputError(format!(
            "{input}: no CustomResourceDefinition found"
        )));
    }
    Ok(crds)
}

fn crd_name(doc: &Value) -> Option<String> {
    Some(doc.pointer("/metadata/name")?.as_str()?.to_owned())
}

/// The texts of a file, or of every `*.yaml`, `*.yml` and `*.json` under a directory (sorted,
/// hidden entries skipped), each with its file name.
pub(super) fn path_texts(path: &Path) -> Result<Vec<(String, String)>, InputError> {
    crate::crd_files::texts(path).map_err(InputError)
}

/// `REF` or `REF:DIR` (refs cannot contain `:`), read from the repository around the current
/// directory.
fn git_texts(input: &str, spec: &str) -> Result<Vec<(String, String)>, InputError> {
    let (rev, dir) = spec.split_once(':').unwrap_or((spec, "crds"));
    let fail = |message: String| InputError(format!("{input}: {message}"));
    if rev.is_empty() {
        return Err(fail(
            "empty git revision (expected git:REF or git:REF:DIR)".to_owned(),
        ));
    }
    let top = git(&["rev-parse", "--show-toplevel"], None)
        .map_err(|e| fail(format!("not inside a git repository ({e})")))?;
    let top = PathBuf::from(top.trim_end_matches('\n'));
    let commit = git(
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{rev}^{{commit}}"),
        ],
        Some(&top),
    )
    .map_err(|_| fail(format!("unknown git revision {rev:?}")))?;
    let commit = commit.trim();
    let dir = dir.trim_matches('/');
    let listing = git(
        &[
            "ls-tree",
            "-r",
            "--full-name",
            "--name-only",
            commit,
            "--",
            dir,
        ],
        Some(&top),
    )
    .map_err(fail)?;
    let files: Vec<&str> = listing
        .lines()
        .filter(|p| crate::crd_files::has_crd_extension(Path::new(p)))
        .filter(|p| !p.split('/').any(|part| part.starts_with('.')))
        .collect();
    if files.is_empty() {
        return Err(fail(format!(
            "no *.yaml, *.yml or *.json files under {dir}/ at {rev}"
        )));
    }
    files
        .into_iter()
        .map(|path| {
            let text = git(&["show", &format!("{commit}:{path}")], Some(&top)).map_err(fail)?;
            Ok((format!("git:{rev}:{path}"), text))
        })
        .collect()
}

/// Run git, returning stdout, or a one-line reason (git's own message when it has one).
fn git(args: &[&str], dir: Option<&Path>) -> Result<String, String> {
    let mut command = Command::new("git");
    if let Some(dir) = dir {
        command.current_dir(dir);
    }
    let output = command
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let first = stderr.lines().next().unwrap_or("").trim();
        return Err(if first.is_empty() {
            format!("git {} failed", args.first().unwrap_or(&""))
        } else {
            first.to_owned()
        });
    }
    String::from_utf8(output.stdout).map_err(|_| "git printed non-UTF-8 output".to_owned())
}
