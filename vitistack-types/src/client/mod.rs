//! `VitiClient`: a thin wrapper over `kube::Client` for operators that embed vitistack types.
//!
//! Typed and dynamic CRUD, server-side apply that validates first, status updates that retry on
//! conflicts, watches that survive `410 Gone`, CRD installation, condition waits and a lenient
//! list. Enabled by the `client` cargo feature.

mod crds;
mod error;

pub use error::{DecodeFailure, Error, LenientList};

use crate::crd::CustomResourceKind;
use crate::registry::{self, KindInfo};
use crate::unstructured::from_unstructured;
use crate::validate::Validate;
use futures::Stream;
use k8s_openapi::NamespaceResourceScope;
use kube::api::{
    Api, ApiResource, DeleteParams, DynamicObject, ListParams, Patch, PatchParams, PostParams,
};
use kube::runtime::watcher;
use kube::{Client, Resource};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::fmt::Debug;
use std::time::Duration;

/// The field manager server-side apply uses unless told otherwise.
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

    /// Sets the server-side apply field manager.
    pub fn with_field_manager(mut self, name: &str) -> Self {
        self.field_manager = name.to_string();
        self
    }

    /// Turns off the `validate()` that runs before create and apply.
    pub fn without_validation(mut self) -> Self {
        self.validate = false;
        self
    }

    /// Sets how often a status update retries after `409 Conflict` (default 5).
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

    /// The dynamic API of a kind named by kind, plural, singular or short name.
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

    fn dynamic_api_for(&self, info: &KindInfo, namespace: &str) -> Api<DynamicObject> {
        Api::namespaced_with(self.client.clone(), namespace, &info.api_resource())
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

    /// Server-side applies an object with this client's field manager (after `validate()`),
    /// taking over fields another manager set, as a controller that owns the object does.
    pub async fn apply<K: Kind>(&self, namespace: &str, object: &K) -> Result<K, Error> {
        self.check(object)?;
        let name = object.meta().name.clone().ok_or(Error::MissingName)?;
        let params = PatchParams::apply(&self.field_manager).force();
        Ok(self
            .api::<K>(namespace)
            .patch(&name, &params, &Patch::Apply(object))
            .await?)
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

    /// Changes the status of an object through the status subresource: reads it fresh, applies
    /// `mutate`, replaces the status, and on `409 Conflict` starts again (bounded).
    pub async fn update_status<K: Kind>(
        &self,
        namespace: &str,
        name: &str,
        mut mutate: impl FnMut(&mut K),
    ) -> Result<K, Error> {
        let api = self.api::<K>(namespace);
        let mut attempt = 0;
        loop {
            let mut object = api.get(name).await?;
            mutate(&mut object);
            match api
                .replace_status(name, &PostParams::default(), &object)
                .await
            {
                Err(kube::Error::Api(status))
                    if status.code == 409 && attempt < self.conflict_retries =>
                {
                    attempt += 1;
                    tokio::time::sleep(Duration::from_millis(20 * u64::from(attempt))).await;
                }
                result => return Ok(result?),
            }
        }
    }

    /// Deletes an object; with `wait`, until it is gone or the time is up.
    pub async fn delete<K: Kind>(
        &self,
        namespace: &str,
        name: &str,
        wait: Option<Duration>,
    ) -> Result<(), Error> {
        let api = self.api::<K>(namespace);
        let uid = match api.delete(name, &DeleteParams::default()).await? {
            either::Either::Left(object) => object.meta().uid.clone(),
            either::Either::Right(_) => return Ok(()),
        };
        let Some(timeout) = wait else { return Ok(()) };
        let gone = kube::runtime::wait::await_condition(
            api,
            name,
            kube::runtime::wait::conditions::is_deleted(uid.as_deref().unwrap_or_default()),
        );
        match tokio::time::timeout(timeout, gone).await {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(e)) => Err(Error::Wait(e.to_string())),
            Err(_) => Err(Error::Timeout(format!(
                "{} {name} still exists after {timeout:?}",
                K::KIND
            ))),
        }
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

    /// Waits until the object's condition `type` has `status` (e.g. `Ready`, `True`).
    pub async fn wait_for_condition(
        &self,
        kind: &str,
        namespace: &str,
        name: &str,
        condition_type: &str,
        status: &str,
        timeout: Duration,
    ) -> Result<DynamicObject, Error> {
        let api = self.dynamic_api(kind, namespace)?;
        let (ty, st) = (condition_type.to_string(), status.to_string());
        let condition = move |object: Option<&DynamicObject>| {
            object.is_some_and(|o| has_condition(o, &ty, &st))
        };
        let wait = kube::runtime::wait::await_condition(api, name, condition);
        match tokio::time::timeout(timeout, wait).await {
            Ok(Ok(Some(object))) => Ok(object),
            Ok(Ok(None)) => Err(Error::Timeout(format!(
                "{kind} {name} was deleted while waiting"
            ))),
            Ok(Err(e)) => Err(Error::Wait(e.to_string())),
            Err(_) => Err(Error::Timeout(format!(
                "{kind} {name}: condition {condition_type}={status} not reached in {timeout:?}"
            ))),
        }
    }

    /// Lists objects of kind `K`, returning every object that decodes and one error for each that
    /// does not, so one stored object that no longer fits the Rust type hides nothing else.
    pub async fn list_lenient<K: Kind>(&self, namespace: &str) -> Result<LenientList<K>, Error> {
        let list = self
            .dynamic_api_of::<K>(namespace)
            .list(&ListParams::default())
            .await?;
        let mut out = LenientList {
            items: Vec::new(),
            failures: Vec::new(),
        };
        for object in list.items {
            match from_unstructured::<K>(&object) {
                Ok(item) => out.items.push(item),
                Err(error) => out.failures.push(DecodeFailure {
                    name: object.metadata.name.clone().unwrap_or_default(),
                    error,
                }),
            }
        }
        Ok(out)
    }
}

fn has_condition(object: &DynamicObject, condition_type: &str, status: &str) -> bool {
    object.data["status"]["conditions"]
        .as_array()
        .is_some_and(|list| {
            list.iter()
                .any(|c| c["type"] == condition_type && c["status"] == status)
        })
}
