//! Deletes every vitistack CRD from the cluster of `$KUBECONFIG` and waits until each is gone
//! (`make uninstall-crds`). Deleting a CRD deletes every object of its kind in the cluster.

use std::time::{Duration, Instant};

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use kube::api::{Api, DeleteParams};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let crds = Api::<CustomResourceDefinition>::all(kube::Client::try_default().await?);
    let names: Vec<String> = vitistack_types::catalog::crds()
        .iter()
        .filter_map(|crd| crd["metadata"]["name"].as_str().map(str::to_owned))
        .collect();
    for name in &names {
        match crds.delete(name, &DeleteParams::default()).await {
            Ok(_) => println!("{name} deleted"),
            Err(kube::Error::Api(status)) if status.code == 404 => println!("{name} not installed"),
            Err(e) => return Err(format!("deleting {name}: {e}").into()),
        }
    }
    // The apiserver removes the objects first, then the CRD: wait for that, boundedly.
    let deadline = Instant::now() + Duration::from_secs(120);
    for name in &names {
        while crds.get_opt(name).await?.is_some() {
            if Instant::now() > deadline {
                return Err(format!("{name} still there after 120 s").into());
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
    println!("{} CRDs removed", names.len());
    Ok(())
}
