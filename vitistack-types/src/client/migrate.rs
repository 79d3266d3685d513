//! Storage migration (what kube-storage-version-migrator does): rewrite every object of a CRD so
//! etcd holds it in the storage version, then trim `status.storedVersions` to that version, after
//! which the old versions can be removed from the CRD.

use super::{Error, VitiClient, DEFAULT_PAGE_SIZE};
use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use kube::api::{Api, ApiResource, DynamicObject, ListParams, Patch, PatchParams, PostParams};
use serde_json::json;

/// What [`VitiClient::migrate_storage`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StorageMigration {
    /// The CRD's name.
    pub crd: String,
    /// The storage version every object is now stored in.
    pub storage_version: String,
    /// Objects rewritten (including ones a concurrent writer rewrote first).
    pub rewritten: usize,
    /// `status.storedVersions` before the trim.
    pub stored_versions_before: Vec<String>,
}

impl VitiClient {
    /// Rewrites every object of the CRD named `crd_name` (e.g. `widgets.example.vitistack.dev`)
    /// through its storage version, then sets `status.storedVersions` to that version alone.
    ///
    /// Each object is read and written back unchanged: the apiserver encodes it in the storage
    /// version, so etcd no longer holds older versions. A conflict means another writer stored
    /// the object meanwhile (also in the storage version), and a missing object was deleted;
    /// neither is an error. Objects created during the migration are stored in the storage
    /// version already.
    pub async fn migrate_storage(&self, crd_name: &str) -> Result<StorageMigration, Error> {
        let crds: Api<CustomResourceDefinition> = Api::all(self.kube_client().clone());
        let crd = crds.get(crd_name).await?;
        let storage = crd
            .spec
            .versions
            .iter()
            .find(|v| v.storage)
            .map(|v| v.name.clone())
            .ok_or_else(|| Error::NoStorageVersion(crd_name.to_string()))?;
        let resource = ApiResource {
            group: crd.spec.group.clone(),
            version: storage.clone(),
            api_version: format!("{}/{storage}", crd.spec.group),
            kind: crd.spec.names.kind.clone(),
            plural: crd.spec.names.plural.clone(),
        };
        let rewritten = self.rewrite_all(&resource).await?;
        let stored_versions_before = crd
            .status
            .and_then(|s| s.stored_versions)
            .unwrap_or_default();
        let trim = json!({ "status": { "storedVersions": [storage] } });
        crds.patch_status(crd_name, &PatchParams::default(), &Patch::Merge(&trim))
            .await?;
        Ok(StorageMigration {
            crd: crd_name.to_string(),
            storage_version: storage,
            rewritten,
            stored_versions_before,
        })
    }

    /// Reads every object page by page and writes each back.
    async fn rewrite_all(&self, resource: &ApiResource) -> Result<usize, Error> {
        let all: Api<DynamicObject> = Api::all_with(self.kube_client().clone(), resource);
        let mut params = ListParams::default().limit(DEFAULT_PAGE_SIZE);
        let mut rewritten = 0;
        loop {
            let page = all.list(&params).await?;
            for object in page.items {
                self.rewrite(resource, object).await?;
                rewritten += 1;
            }
            match page.metadata.continue_.filter(|c| !c.is_empty()) {
                Some(token) => params = params.continue_token(&token),
                None => return Ok(rewritten),
            }
        }
    }

    async fn rewrite(&self, resource: &ApiResource, object: DynamicObject) -> Result<(), Error> {
        let name = object.metadata.name.clone().unwrap_or_default();
        let api: Api<DynamicObject> = match object.metadata.namespace.as_deref() {
            Some(ns) => Api::namespaced_with(self.kube_client().clone(), ns, resource),
            None => Api::all_with(self.kube_client().clone(), resource),
        };
        match api.replace(&name, &PostParams::default(), &object).await {
            Ok(_) => Ok(()),
            Err(kube::Error::Api(status)) if status.code == 409 || status.code == 404 => Ok(()),
            Err(error) => Err(error.into()),
        }
    }
}
