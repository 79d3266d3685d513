//! `make quickstart`: against the cluster of `$KUBECONFIG`, installs the CRDs, then for every
//! kind creates the object of `examples/<kind>.yaml`, reads it back typed and unstructured,
//! updates its status, watches that update (with the resourceVersion the watch saw), deletes
//! it, and prints one line per kind. Any failure, a failed delete included, is printed naming
//! the kind and the step, and the exit code is 1. (`tests/tests/quickstart.rs` runs it.)

use futures::StreamExt;
use kube::runtime::watcher;
use std::error::Error;
use std::time::Duration;
use vitistack_types::client::{Kind, VitiClient};
use vitistack_types::kinds::*;
use vitistack_types::unstructured::from_unstructured;

type Result<T> = std::result::Result<T, Box<dyn Error>>;

const NAMESPACE: &str = "vitistack-quickstart";

fn load<K: Kind>(stem: &str) -> Result<(K, serde_json::Value)> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../examples")
        .join(format!("{stem}.yaml"));
    let mut value: serde_json::Value = serde_saphyr::from_str(&std::fs::read_to_string(&path)?)?;
    let status = value
        .as_object_mut()
        .and_then(|o| o.remove("status"))
        .unwrap_or_default();
    value["metadata"]["namespace"] = NAMESPACE.into();
    Ok((serde_json::from_value(value)?, status))
}

async fn tour<K: Kind>(client: &VitiClient, stem: &str) -> Result<String> {
    let (object, status) = load::<K>(stem)?;
    let name = object.meta().name.clone().unwrap_or_default();
    let failed =
        |step: &str, error: &dyn Error| format!("{} {name}: {step} failed: {error}", K::KIND);
    // Start clean if an earlier run was interrupted (deleting a missing object is fine; any
    // other failure ends the tour).
    client
        .delete::<K>(NAMESPACE, &name, Some(Duration::from_secs(30)))
        .await
        .map_err(|e| failed("the delete of an earlier run's object", &e))?;
    client.create(NAMESPACE, &object).await?;
    let _typed: K = client.get(NAMESPACE, &name).await?;
    let unstructured = client.dynamic_api_of::<K>(NAMESPACE).get(&name).await?;
    let _from_unstructured: K = from_unstructured(&unstructured)?;

    let watch = client.watch_with::<K>(
        NAMESPACE,
        watcher::Config::default().fields(&format!("metadata.name={name}")),
    );
    let mut watch = std::pin::pin!(watch);
    // The initial list shows the object as created; only events after it are updates.
    // Update only once the list is done: an update made earlier would be part of the list.
    let listed = tokio::time::timeout(Duration::from_secs(30), async {
        let mut listed = None;
        while let Some(event) = watch.next().await {
            match event {
                Ok(watcher::Event::InitApply(o)) => listed = o.meta().resource_version.clone(),
                Ok(watcher::Event::InitDone) => return listed,
                _ => {}
            }
        }
        None
    })
    .await
    .unwrap_or(None);
    let Some(listed) = listed else {
        return Err(format!("{}: the watch did not list {name}", K::KIND).into());
    };
    let set_status = |o: &mut K| {
        if let Ok(mut value) = serde_json::to_value(&*o) {
            value["status"] = status.clone();
            if let Ok(updated) = serde_json::from_value(value) {
                *o = updated;
            }
        }
    };
    let updated = client
        .update_status::<K>(NAMESPACE, &name, set_status)
        .await?;
    let version = updated.meta().resource_version.clone();
    let seen = tokio::time::timeout(Duration::from_secs(30), async {
        while let Some(event) = watch.next().await {
            // An update event (not part of a re-list) carrying the status write.
            if let Ok(watcher::Event::Apply(o)) = event {
                if o.meta().resource_version == version {
                    return o.meta().resource_version.clone();
                }
            }
        }
        None
    })
    .await
    .unwrap_or(None);
    client
        .delete::<K>(NAMESPACE, &name, Some(Duration::from_secs(30)))
        .await
        .map_err(|e| failed("delete", &e))?;
    Ok(format!(
        "{:<21} {name}: created, read typed + unstructured, status updated, {}, deleted",
        K::KIND,
        match seen {
            Some(version) => format!("update watched (resourceVersion {listed} -> {version})"),
            None => "update NOT seen by the watch".to_string(),
        }
    ))
}

/// Creates the quickstart's namespace unless it exists (a real cluster refuses objects in a
/// namespace that does not exist).
async fn ensure_namespace(client: &kube::Client) -> Result<()> {
    use k8s_openapi::api::core::v1::Namespace;
    let namespaces = kube::Api::<Namespace>::all(client.clone());
    let namespace = Namespace {
        metadata: kube::api::ObjectMeta {
            name: Some(NAMESPACE.to_string()),
            ..Default::default()
        },
        ..Default::default()
    };
    match namespaces
        .create(&kube::api::PostParams::default(), &namespace)
        .await
    {
        Err(kube::Error::Api(status)) if status.code == 409 => Ok(()),
        other => other.map(|_| ()).map_err(Into::into),
    }
}

/// Tours every kind, then prints a line per kind.
async fn run() -> Result<()> {
    let client = VitiClient::try_default()
        .await?
        .with_field_manager("vitistack-quickstart");
    let crds = client.install_crds(Duration::from_secs(60)).await?;
    println!("{} CRDs installed and Established", crds.len());
    ensure_namespace(client.kube_client()).await?;
    let mut not_seen = false;
    for line in [
        tour::<Vitistack>(&client, "vitistack").await?,
        tour::<Machine>(&client, "machine").await?,
        tour::<MachineProvider>(&client, "machineprovider").await?,
        tour::<KubernetesCluster>(&client, "kubernetescluster").await?,
        tour::<KubernetesProvider>(&client, "kubernetesprovider").await?,
        tour::<NetworkConfiguration>(&client, "networkconfiguration").await?,
        tour::<NetworkNamespace>(&client, "networknamespace").await?,
        tour::<LoadBalancer>(&client, "loadbalancer").await?,
        tour::<KubevirtConfig>(&client, "kubevirtconfig").await?,
        tour::<ProxmoxConfig>(&client, "proxmoxconfig").await?,
    ] {
        println!("{line}");
        not_seen |= line.contains("NOT seen");
    }
    if not_seen {
        return Err("some updates were not seen by the watch".into());
    }
    Ok(())
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    match run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("quickstart: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
