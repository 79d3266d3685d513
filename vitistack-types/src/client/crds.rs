//! Installing the CRDs: server-side apply of every CRD, then, for all of them at once, wait
//! until each is Established (failing at once on `NamesAccepted=False`), its resource is served,
//! and, after a schema change, the server serves the new schema: so that a create right after
//! `install_crds` returns succeeds and is judged by the CRD as applied.
//!
//! The last wait needs a signal from the server. The apiserver's handler for custom resources
//! keeps one storage per CRD, built from its CRD informer's copy of the CRD. When the informer
//! sees a new spec, the handler drops that storage (the next request builds one from the new
//! spec) and, about a second later, destroys it, which ends every watch opened on it. So a watch
//! opened on the resource before the apply ends exactly when the new schema is in effect (on
//! this apiserver; in a cluster of several, each one switches on its own).

use super::wait::{wait_until, Verdict};
use super::{Error, VitiClient};
use futures::future::try_join_all;
use futures::stream::BoxStream;
use futures::StreamExt;
use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use kube::api::{Api, ApiResource, DynamicObject, ListParams, Patch, PatchParams, WatchParams};
use kube::core::{PartialObjectMeta, WatchEvent};
use serde_json::Value;
use std::time::Duration;
use tokio::time::Instant;

/// How often a resource that is not served yet is probed again.
const PROBE_INTERVAL: Duration = Duration::from_millis(50);

/// The events of a watch on the resource of a CRD as it was before the apply.
type StorageWatch = BoxStream<'static, kube::Result<WatchEvent<PartialObjectMeta<DynamicObject>>>>;

/// What the CRD's conditions say: `Some(Ok)` once Established, `Some(Err)` when the names were
/// refused, `None` while neither.
fn crd_state(crd: &CustomResourceDefinition) -> Option<Result<(), Error>> {
    let name = crd.metadata.name.clone().unwrap_or_default();
    let conditions = crd.status.as_ref()?.conditions.as_ref()?;
    let condition = |ty: &str| conditions.iter().find(|c| c.type_ == ty);
    if let Some(c) = condition("NamesAccepted").filter(|c| c.status == "False") {
        return Some(Err(Error::CrdNamesNotAccepted {
            name,
            reason: c.reason.clone().unwrap_or_default(),
            message: c.message.clone().unwrap_or_default(),
        }));
    }
    condition("Established")
        .filter(|c| c.status == "True")
        .map(|_| Ok(()))
}

/// A served version of a CRD (the storage version if it is served) as kube's `ApiResource`;
/// `None` when no version is served.
fn served_resource(crd: &CustomResourceDefinition) -> Option<ApiResource> {
    let served = || crd.spec.versions.iter().filter(|v| v.served);
    let version = served().find(|v| v.storage).or_else(|| served().next())?;
    Some(ApiResource {
        group: crd.spec.group.clone(),
        api_version: format!("{}/{}", crd.spec.group, version.name),
        version: version.name.clone(),
        kind: crd.spec.names.kind.clone(),
        plural: crd.spec.names.plural.clone(),
    })
}

impl VitiClient {
    /// Server-side applies every vitistack CRD (forcing ownership of the fields this client's
    /// field manager sets), then waits, for all CRDs at once and within `timeout` in total,
    /// until each is Established, its resource answers a LIST and, if its spec changed, the
    /// server serves the new spec: after this returns, objects of every kind can be created at
    /// once and are judged by the schema just applied. A CRD whose names the server refuses
    /// (`NamesAccepted=False`) fails at once with [`Error::CrdNamesNotAccepted`].
    pub async fn install_crds(
        &self,
        timeout: Duration,
    ) -> Result<Vec<CustomResourceDefinition>, Error> {
        self.install_crds_from(crate::catalog::crds(), timeout)
            .await
    }

    /// [`VitiClient::install_crds`] for any CRDs, e.g. `MyKind::crd()` of a kind derived with
    /// `vitistack-derive`.
    pub async fn install_crds_from(
        &self,
        crds: impl IntoIterator<Item = Value>,
        timeout: Duration,
    ) -> Result<Vec<CustomResourceDefinition>, Error> {
        let api: Api<CustomResourceDefinition> = Api::all(self.kube_client().clone());
        let deadline = Instant::now() + timeout;
        let crds: Vec<Value> = crds.into_iter().collect();
        try_join_all(
            crds.iter()
                .map(|crd| self.install_crd(&api, crd, deadline, timeout)),
        )
        .await
    }

    /// Applies one CRD and waits until it is in effect.
    async fn install_crd(
        &self,
        api: &Api<CustomResourceDefinition>,
        crd: &Value,
        deadline: Instant,
        timeout: Duration,
    ) -> Result<CustomResourceDefinition, Error> {
        let name = crd["metadata"]["name"].as_str().ok_or(Error::MissingName)?;
        let before = self.watch_current_storage(api, name).await?;
        let params = PatchParams::apply(&self.field_manager).force();
        let applied = api.patch(name, &params, &Patch::Apply(crd)).await?;
        let established = self
            .wait_crd_ready(api, &applied, deadline, timeout)
            .await?;
        if let Some((generation, watch)) = before {
            if applied.metadata.generation != generation {
                let what = format!("CRD {name}: the server serving the new spec");
                storage_replaced(watch, deadline, &what, timeout).await?;
            }
        }
        Ok(established)
    }

    /// For a CRD that exists and is served: its generation and a watch on its resource, opened
    /// on the storage the server has now (see the module docs).
    async fn watch_current_storage(
        &self,
        api: &Api<CustomResourceDefinition>,
        name: &str,
    ) -> Result<Option<(Option<i64>, StorageWatch)>, Error> {
        let Some(crd) = api.get_opt(name).await? else {
            return Ok(None);
        };
        let Some(resource) =
            served_resource(&crd).filter(|_| matches!(crd_state(&crd), Some(Ok(()))))
        else {
            return Ok(None);
        };
        let objects: Api<DynamicObject> = Api::all_with(self.kube_client().clone(), &resource);
        // From the current resourceVersion: no events for the objects that exist.
        let version = match objects.list_metadata(&ListParams::default().limit(1)).await {
            Ok(list) => list.metadata.resource_version.unwrap_or_default(),
            Err(kube::Error::Api(status)) if status.code == 404 => return Ok(None),
            Err(error) => return Err(error.into()),
        };
        let params = WatchParams::default().timeout(WATCH_SECONDS);
        let watch = objects.watch_metadata(&params, &version).await?;
        Ok(Some((crd.metadata.generation, watch.boxed())))
    }

    /// Waits until `crd` is Established and its resource is served.
    async fn wait_crd_ready(
        &self,
        api: &Api<CustomResourceDefinition>,
        crd: &CustomResourceDefinition,
        deadline: Instant,
        timeout: Duration,
    ) -> Result<CustomResourceDefinition, Error> {
        let name = crd.metadata.name.clone().unwrap_or_default();
        let left = deadline.saturating_duration_since(Instant::now());
        let what = format!("CRD {name} Established");
        let established = wait_until(api.clone(), &name, left, &what, |object| {
            match object.and_then(crd_state) {
                Some(Ok(())) => Verdict::Done(object.cloned()),
                Some(Err(error)) => Verdict::Fail(error),
                None => Verdict::Pending,
            }
        })
        .await
        .map_err(|error| match error {
            // The whole install's timeout, not what was left of it.
            Error::Timeout {
                what, last_error, ..
            } => Error::Timeout {
                what,
                waited: timeout,
                last_error,
            },
            other => other,
        })?
        .unwrap_or_else(|| crd.clone());
        // Established is set from the CRD informer; the handler that serves the resource may
        // not have seen it yet (a create then fails with 404): probe until it answers. A CRD
        // that serves no version has nothing to probe.
        let Some(resource) = served_resource(&established) else {
            return Ok(established);
        };
        let objects: Api<DynamicObject> = Api::all_with(self.kube_client().clone(), &resource);
        loop {
            match objects.list_metadata(&ListParams::default().limit(1)).await {
                Ok(_) => return Ok(established),
                Err(kube::Error::Api(status)) if status.code == 404 => {
                    if Instant::now() + PROBE_INTERVAL > deadline {
                        return Err(Error::Timeout {
                            what: format!("CRD {name}: {} served", resource.plural),
                            waited: timeout,
                            last_error: Some(status.message),
                        });
                    }
                    tokio::time::sleep(PROBE_INTERVAL).await;
                }
                Err(error) => return Err(error.into()),
            }
        }
    }
}

/// How long the server keeps the watch of [`VitiClient::watch_current_storage`] open at most
/// (longer than any sensible install timeout; the wait ends at its own deadline).
const WATCH_SECONDS: u32 = 3600;

/// Waits until the server ends `watch`: it does so when it drops the storage the watch was
/// opened on, i.e. once it serves the new spec.
async fn storage_replaced(
    mut watch: StorageWatch,
    deadline: Instant,
    what: &str,
    timeout: Duration,
) -> Result<(), Error> {
    loop {
        match tokio::time::timeout_at(deadline, watch.next()).await {
            Err(_) => {
                return Err(Error::Timeout {
                    what: what.to_string(),
                    waited: timeout,
                    last_error: None,
                })
            }
            Ok(None) => return Ok(()),
            Ok(Some(Ok(WatchEvent::Error(status)))) => return Err(kube::Error::Api(status).into()),
            Ok(Some(Ok(_))) => {} // objects changing meanwhile: not the signal
            Ok(Some(Err(error))) => return Err(error.into()),
        }
    }
}
