//! `kubectl apply -f crds/` works: kubectl takes every `.yaml`, `.yml` and `.json` file of the
//! folder for a manifest, so every file there must be a CustomResourceDefinition (a
//! `kustomization.yaml` next to the CRDs made the command apply the ten CRDs and then fail with
//! exit 1; it lives at the top of the repository now). Each file is server-side applied to the
//! real API server in a dry run, as `kubectl apply --server-side --dry-run=server -f crds/` does.

use kube::api::{Api, Patch, PatchParams};
use serde_json::Value;
use vitistack_e2e::{client, repo_root};

#[tokio::test]
async fn every_file_in_crds_is_a_crd_the_server_accepts() {
    use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
    let dir = repo_root().join("crds");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .collect();
    paths.sort();
    let api: Api<CustomResourceDefinition> = Api::all(client().await);
    let params = PatchParams::apply("vitistack-crds-dir-test")
        .dry_run()
        .force();
    let mut names = Vec::new();
    for path in &paths {
        let text = std::fs::read_to_string(path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let manifest: Value = serde_saphyr::from_str(&text)
            .unwrap_or_else(|e| panic!("{} is no YAML manifest: {e}", path.display()));
        assert_eq!(
            (manifest["apiVersion"].as_str(), manifest["kind"].as_str()),
            (
                Some("apiextensions.k8s.io/v1"),
                Some("CustomResourceDefinition")
            ),
            "{} is not a CRD: `kubectl apply -f crds/` fails on it",
            path.display()
        );
        let name = manifest["metadata"]["name"]
            .as_str()
            .unwrap_or_else(|| panic!("{} has no metadata.name", path.display()))
            .to_string();
        api.patch(&name, &params, &Patch::Apply(&manifest))
            .await
            .unwrap_or_else(|e| panic!("the server refused {}: {e}", path.display()));
        names.push(name);
    }
    assert_eq!(names.len(), 10, "one CRD per kind: {names:?}");
}
