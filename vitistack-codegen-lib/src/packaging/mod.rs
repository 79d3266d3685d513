//! How the CRDs ship, rendered next to `crds/` and `schemas/`: the Helm chart
//! `charts/vitistack-crds` (with aggregated ClusterRoles and the license), the combined
//! `crds.yaml`, `kustomization.yaml` and the API reference `docs/api-reference.md`.
//!
//! Everything here is derived from the same CRD values as `crds/`, so it cannot disagree with
//! them, and [`render_packaging`] is byte-stable (drift-checked by `vitistack-codegen
//! verify`).

mod chart;
mod kustomize;
mod rbac;
pub mod reference;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::Error;

pub use chart::CHART_DIR;
pub use rbac::{aggregated_rules, Aggregate};

/// Every packaging file, keyed by its path relative to the repository root.
///
/// `version` is the workspace version: it becomes the chart's `version` and `appVersion`.
pub fn render_packaging(
    crds: &[Value],
    version: &str,
) -> Result<BTreeMap<PathBuf, Vec<u8>>, Error> {
    let mut files = BTreeMap::new();
    files.extend(chart::render_chart(crds, version)?);
    files.extend(kustomize::render_kustomize(crds)?);
    files.insert(
        PathBuf::from("docs/api-reference.md"),
        reference::render_reference(crds)?.into_bytes(),
    );
    Ok(files)
}

/// Generated chart templates under `dir` that `files` (from [`render_packaging`]) no longer
/// has: the CRD templates of kinds that are gone. Relative paths, sorted.
pub fn stale_chart_templates(
    dir: &Path,
    files: &BTreeMap<PathBuf, Vec<u8>>,
) -> Result<Vec<PathBuf>, Error> {
    let rel = Path::new(CHART_DIR).join("templates/crds");
    let entries = match std::fs::read_dir(dir.join(&rel)) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(dir.join(&rel), e)),
    };
    let mut stale = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(dir.join(&rel), e))?;
        let path = rel.join(entry.file_name());
        let is_yaml = path.extension().is_some_and(|e| e == "yaml");
        if is_yaml && entry.path().is_file() && !files.contains_key(&path) {
            stale.push(path);
        }
    }
    stale.sort();
    Ok(stale)
}

/// `spec.names.plural` of every CRD, in the given order.
fn plurals(crds: &[Value]) -> Result<Vec<String>, Error> {
    crds.iter()
        .enumerate()
        .map(|(i, crd)| {
            crd.pointer("/spec/names/plural")
                .and_then(Value::as_str)
                .map(str::to_owned)
                .ok_or_else(|| Error::InvalidArtifact {
                    what: format!("CRD #{}", i + 1),
                    message: "spec.names.plural is missing or not a string".to_owned(),
                })
        })
        .collect()
}

/// `spec.group` shared by all CRDs (the ClusterRoles name one API group).
fn single_group(crds: &[Value]) -> Result<String, Error> {
    let mut groups: Vec<&str> = crds
        .iter()
        .filter_map(|c| c.pointer("/spec/group").and_then(Value::as_str))
        .collect();
    groups.sort_unstable();
    groups.dedup();
    match groups.as_slice() {
        [group] if groups.len() == 1 => Ok((*group).to_owned()),
        _ => Err(Error::InvalidArtifact {
            what: "CRDs".to_owned(),
            message: format!("the chart needs exactly one API group, found {groups:?}"),
        }),
    }
}
