//! `crds.yaml` (every CRD in one stream) and `kustomization.yaml` at the top of the repository
//! (so `kubectl kustomize .` renders the same CRDs). The kustomization sits above `crds/`, where
//! kubebuilder keeps it (`config/crd/kustomization.yaml` above `config/crd/bases/`): kustomize
//! reads no file outside the kustomization's folder, and inside `crds/` it would break
//! `kubectl apply -f crds/`, which takes every file there for a manifest.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde_json::{json, Value};

use crate::render::{crd_file_name, crds_multi_document, CRD_FILE_HEADER};
use crate::yaml::to_yaml;
use crate::Error;

pub(super) fn render_kustomize(crds: &[Value]) -> Result<BTreeMap<PathBuf, Vec<u8>>, Error> {
    let mut resources = Vec::with_capacity(crds.len());
    for (i, crd) in crds.iter().enumerate() {
        let path = crd_file_name(i, crd)?;
        if let Some(name) = path.file_name() {
            resources.push(format!("crds/{}", name.to_string_lossy()));
        }
    }
    let kustomization = json!({
        "apiVersion": "kustomize.config.k8s.io/v1beta1",
        "kind": "Kustomization",
        "resources": resources,
    });
    let mut files = BTreeMap::new();
    files.insert(
        PathBuf::from("kustomization.yaml"),
        format!("{CRD_FILE_HEADER}{}", to_yaml(&kustomization)?).into_bytes(),
    );
    files.insert(
        PathBuf::from("crds.yaml"),
        format!("{CRD_FILE_HEADER}{}", crds_multi_document(crds)?).into_bytes(),
    );
    Ok(files)
}
