//! `VitiClient`: a thin wrapper over `kube::Client` for operators that embed vitistack types.
//!
//! Typed and dynamic CRUD; server-side apply that validates first, of whole or partial objects,
//! non-forced unless asked (conflicts name the fields and their managers); status writes by
//! read-modify-write that retry conflicts, or by server-side apply; idempotent deletes with
//! preconditions and propagation; watches and waits that survive `410 Gone` and dropped
//! connections; condition waits with `kubectl wait` semantics for any kind; CRD installation;
//! and a paged lenient list. Errors keep their type and the API server's status
//! ([`Error::status`]). Enabled by the `client` cargo feature.
//!
//! - **Field manager**: set your own with [`VitiClient::with_field_manager`];
//!   [`DEFAULT_FIELD_MANAGER`] is shared by every tool that does not, and never forces.
//! - **Retries**: one layer. kube's client retries `429`, `503` and `504` below every request
//!   (`kube::Config::default_retry`); this client adds only the fresh read after a `409` in
//!   [`VitiClient::update_status`] (see `status.rs`).
//! - **TLS**: kube's backend is the user's choice, passed through by this crate's features:
//!   `rustls-tls` (default, rustls with ring) or `openssl-tls`.

mod apply;
mod crds;
mod delete;
mod error;
mod list;
mod migrate;
mod status;
mod wait;

pub use error::{ApplyConflicts, DecodeFailure, Error, FieldConflict, LenientList};
pub use list::DEFAULT_PAGE_SIZE;
pub use migrate::StorageMigration;
pub use wait::condition_met;

use crate::crd::{CustomResourceKind, Scope};
use crate::registry::{self, KindInfo};
use crate::unstructured::from_unstructured;
use crate::validate::Validate;
use futures::Stream;
use k8s_openapi::NamespaceResourceScope;
use kube::api::{Api, ApiResource, DynamicObject, PostParams};
use kube::runtime::watcher;
use kube::{Client, Resource};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::fmt::Debug;

/// The field manager server-side apply uses unless told otherwise.
///
/// Every tool that does not call [`VitiClient::with_field_manager`] shares this name, so the
/// server cannot tell them apart: set your own (your controller's or tool's name). Under this
/// name, conflicts are never forced, not even with fields the same name wrote with create.
pub const DEFAULT_FIELD_MANAGER: &str = "vitistack-rs";

/// A namespaced vitistack kind the client can work with.
pub trait Kind:
    Resource<DynamicType = (), Scope = NamespaceResourceScope>
    + CustomResourceKind
    + Validate
    + Clone
    + Debug
    + Serialize
    + DeserializeOwned
    + Send
    + Sync
    + 'static
{
}

impl<K> Kind for K where
    K: Resource<DynamicType = (), Scope = NamespaceResourceScope>
        + CustomResourceKind
        + Validate
        + Clone
        + Debug
        + Serialize
        + DeserializeOwned
        + Send
        + Sync
        + 'static
{
}

/// The client. Cheap to clone.
#[derive(Clone)]
pub struct VitiClient {
    client: Client,
    field_manager: String,
    validate: bool,
    conflict_retries: u32,
}

impl Debug for VitiClient {
    // kube's Client holds the credentials; never print them.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VitiClient")
            .field("field_manager", &self.field_manager)
            .field("validate", &self.validate)
            .field("conflict_retries", &self.conflict_retries)
            .finish_non_exhaustive()
    }
}

impl VitiClient {
    /// Wraps a kube client.
    pub fn new(client: Client) -> Self {
        VitiClient {
            client,
            field_manager: DEFAULT_FIELD_MANAGER.into(),
            validate: true,
            conflict_retries: 5,
        }
    }

    /// A client from `$KUBECONFIG`, `~/.kube/config` or the in-cluster service account.
    pub async fn try_default() -> Result<Self, Error> {
        Ok(VitiClient::new(Client::try_default().await?))
    }

    /// Sets the field manager of applies, creates and status writes: your tool's or
    /// controller's name. Without it, [`DEFAULT_FIELD_MANAGER`] is used, which other tools share.
    pub fn with_field_manager(mut self, name: &str) -> Self {
        self.field_manager = name.to_string();
        self
    }

    /// Turns off the `validate()` that runs before create and apply.
    pub fn without_validation(mut self) -> Self {
        self.validate = false;
        self
    }

    /// Sets how often [`VitiClient::update_status`] starts again from a fresh read after a
    /// `409 Conflict` (default 5). `429`, `503` and `504` are kube's to retry, not this count's.
    pub fn with_conflict_retries(mut self, retries: u32) -> Self {
        self.conflict_retries = retries;
        self
    }

    /// The wrapped kube client.
    pub fn kube_client(&self) -> &Client {
        &self.client
    }

    /// The typed API of kind `K` in a namespace.
    pub fn api<K: Kind>(&self, namespace: &str) -> Api<K> {
        Api::namespaced(self.client.clone(), namespace)
    }

    /// The dynamic API of a kind named by kind, plural, singular or short name (in `namespace`
    /// for a namespaced kind, cluster-wide for a cluster-scoped one).
    pub fn dynamic_api(&self, name: &str, namespace: &str) -> Result<Api<DynamicObject>, Error> {
        let info = registry::lookup(name).ok_or_else(|| Error::UnknownKind(name.to_string()))?;
        Ok(self.dynamic_api_for(info, namespace))
    }

    /// The dynamic API of a group/version/resource.
    pub fn dynamic_api_gvr(
        &self,
        gvr: &kube::core::GroupVersionResource,
        namespace: &str,
    ) -> Result<Api<DynamicObject>, Error> {
        let info = registry::by_gvr(gvr).ok_or_else(|| {
            Error::UnknownKind(format!("{}/{}/{}", gvr.group, gvr.version, gvr.resource))
        })?;
        Ok(self.dynamic_api_for(info, namespace))
    }

    /// The dynamic API of a kind (from the registry, or [`KindInfo::of`] for any derived kind):
    /// namespaced kinds in `namespace`, cluster-scoped kinds cluster-wide (`namespace` is
    /// ignored for them).
    pub fn dynamic_api_for(&self, info: &KindInfo, namespace: &str) -> Api<DynamicObject> {
        match scoped_namespace(info.scope, namespace) {
            Some(namespace) => {
                Api::namespaced_with(self.client.clone(), namespace, &info.api_resource())
            }
            None => Api::all_with(self.client.clone(), &info.api_resource()),
        }
    }

    fn check<K: Kind>(&self, object: &K) -> Result<(), Error> {
        if self.validate {
            object.validate().map_err(Error::Invalid)?;
        }
        Ok(())
    }

    /// Creates an object (after `validate()` unless turned off).
    pub async fn create<K: Kind>(&self, namespace: &str, object: &K) -> Result<K, Error> {
        self.check(object)?;
        let params = PostParams {
            field_manager: Some(self.field_manager.clone()),
            ..PostParams::default()
        };
        Ok(self.api::<K>(namespace).create(&params, object).await?)
    }

    /// Reads an object.
    pub async fn get<K: Kind>(&self, namespace: &str, name: &str) -> Result<K, Error> {
        Ok(self.api::<K>(namespace).get(name).await?)
    }

    /// Reads an object through the dynamic API and converts it to `K`.
    pub async fn get_via_dynamic<K: Kind>(&self, namespace: &str, name: &str) -> Result<K, Error> {
        let object = self.dynamic_api_of::<K>(namespace).get(name).await?;
        Ok(from_unstructured(&object)?)
    }

    /// The dynamic API of kind `K` (any kind, also ones derived outside this crate).
    pub fn dynamic_api_of<K: Kind>(&self, namespace: &str) -> Api<DynamicObject> {
        Api::namespaced_with(
            self.client.clone(),
            namespace,
            &ApiResource::erase::<K>(&()),
        )
    }

    /// A watch stream of kind `K` in a namespace. kube's watcher resumes from the last
    /// resourceVersion after a dropped connection or a server-side timeout, and re-lists after
    /// `410 Gone`; the backoff keeps a failing server from being hammered.
    pub fn watch<K: Kind>(
        &self,
        namespace: &str,
    ) -> impl Stream<Item = Result<watcher::Event<K>, watcher::Error>> + Send + use<K> {
        self.watch_with(namespace, watcher::Config::default())
    }

    /// [`VitiClient::watch`] with a watcher configuration (label selector, server timeout, ...).
    pub fn watch_with<K: Kind>(
        &self,
        namespace: &str,
        config: watcher::Config,
    ) -> impl Stream<Item = Result<watcher::Event<K>, watcher::Error>> + Send + use<K> {
        use kube::runtime::WatchStreamExt;
        watcher(self.api::<K>(namespace), config).default_backoff()
    }
}

/// The namespace an API of a kind with `scope` is bound to: none for a cluster-scoped kind.
fn scoped_namespace(scope: Scope, namespace: &str) -> Option<&str> {
    match scope {
        Scope::Namespaced => Some(namespace),
        Scope::Cluster => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cluster_scoped_kinds_get_no_namespace() {
        assert_eq!(scoped_namespace(Scope::Namespaced, "n"), Some("n"));
        assert_eq!(scoped_namespace(Scope::Cluster, "n"), None);
    }
}
