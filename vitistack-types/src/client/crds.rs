//! Installing the CRDs: server-side apply of every CRD, then, for all of them at once, wait
//! until each is Established (failing at once on `NamesAccepted=False`) and its resource is
//! served, so that a create right after `install_crds` returns succeeds.

use super::wait::{wait_until, Verdict};
use super::{Error, VitiClient};
use futures::future::try_join_all;
use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use kube::api::{Api, ApiResource, DynamicObject, ListParams, Patch, PatchParams};
use serde_json::Value;
use std::time::Duration;
use tokio::time::Instant;

/// How often a resource that is not served yet is probed again.
const PROBE_INTERVAL: Duration = Duration::from_millis(50);

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

/// The served (storage) version of a CRD as kube's `ApiResource`.
fn served_resource(crd: &CustomResourceDefinition) -> ApiResource {
    let version = crd
        .spec
        .versions
        .iter()
        .find(|v| v.storage)
        .or_else(|| crd.spec.versions.first())
        .map(|v| v.name.clone())
        .unwrap_or_default();
    ApiResource {
        group: crd.spec.group.clone(),
        api_version: format!("{}/{version}", crd.spec.group),
        version,
        kind: crd.spec.names.kind.clone(),
        plural: crd.spec.names.plural.clone(),
    }
}

impl VitiClient {
    /// Server-side applies every vitistack CRD (forcing ownership of the fields this client's
    /// field manager sets), then waits, for all CRDs at once and within `timeout` in total,
    /// until each is Established and its resource answers a LIST: after this returns, objects
    /// of every kind can be created at once. A CRD whose names the server refuses
    /// (`NamesAccepted=False`) fails at once with [`Error::CrdNamesNotAccepted`].
    pub async fn install_crds(
        &self,
        timeout: Duration,
    ) -> Result<Vec<CustomResourceDefinition>, Error> {
        self.install_crds_from(crate::catalog::crds(), timeout)
            .await
    }

    /// [`VitiClient::install_crds`] for any CRDs, e.g. `MyKind::crd()` of a kind derived with
    /// `vitistack-derive`. Also after a schema change of an existing CRD the wait holds until
    /// the resource is served again.
    pub async fn install_crds_from(
        &self,
        crds: impl IntoIterator<Item = Value>,
        timeout: Duration,
    ) -> Result<Vec<CustomResourceDefinition>, Error> {
        let api: Api<CustomResourceDefinition> = Api::all(self.kube_client().clone());
        let params = PatchParams::apply(&self.field_manager).force();
        let mut applied = Vec::new();
        for crd in crds {
            let name = crd["metadata"]["name"]
                .as_str()
                .ok_or(Error::MissingName)?
                .to_string();
            applied.push(api.patch(&name, &params, &Patch::Apply(&crd)).await?);
        }
        let deadline = Instant::now() + timeout;
        try_join_all(
            applied
                .iter()
                .map(|crd| self.wait_crd_ready(&api, crd, deadline, timeout)),
        )
        .await
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
        .await?
        .unwrap_or_else(|| crd.clone());
        // Established is set from the CRD informer; the handler that serves the resource may
        // not have seen it yet (a create then fails with 404): probe until it answers.
        let resource = served_resource(&established);
        let objects: Api<DynamicObject> = Api::all_with(self.kube_client().clone(), &resource);
        loop {
            match objects.list(&ListParams::default().limit(1)).await {
                Ok(_) => return Ok(established),
                Err(kube::Error::Api(status)) if status.code == 404 => {
                    if Instant::now() + PROBE_INTERVAL > deadline {
                        return Err(Error::Timeout {
                            what: format!("{} served", resource.plural),
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
