//! Installing the CRDs: server-side apply of every CRD, then wait until each is Established.

use super::{Error, VitiClient};
use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use kube::api::{Api, Patch, PatchParams};
use kube::runtime::wait::{await_condition, conditions};
use std::time::Duration;

impl VitiClient {
    /// Server-side applies every vitistack CRD (forcing ownership of the fields this client's
    /// field manager sets), then waits until each is Established.
    pub async fn install_crds(
        &self,
        timeout: Duration,
    ) -> Result<Vec<CustomResourceDefinition>, Error> {
        let api: Api<CustomResourceDefinition> = Api::all(self.kube_client().clone());
        let params = PatchParams::apply(&self.field_manager).force();
        let mut applied = Vec::new();
        for crd in crate::catalog::crds() {
            let name = crd["metadata"]["name"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            applied.push(api.patch(&name, &params, &Patch::Apply(&crd)).await?);
        }
        for crd in &applied {
            let name = crd.metadata.name.clone().unwrap_or_default();
            let established = await_condition(api.clone(), &name, conditions::is_crd_established());
            match tokio::time::timeout(timeout, established).await {
                Ok(Ok(_)) => {}
                Ok(Err(e)) => return Err(Error::Wait(e.to_string())),
                Err(_) => {
                    return Err(Error::Timeout(format!(
                        "CRD {name} not Established after {timeout:?}"
                    )))
                }
            }
        }
        Ok(applied)
    }
}
