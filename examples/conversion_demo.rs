//! `make conversion-demo`: against `$KUBECONFIG`, the example webhook on 127.0.0.1 with a fresh
//! CA, the two-version Widget CRD (url form, caBundle), a Widget created in v1alpha1 and read
//! back in v1beta1 and in v1alpha1; the three objects are printed; then the Widget and the CRD
//! are deleted and the webhook stops.

use kube::api::{Api, DeleteParams, PostParams};
use std::path::Path;
use std::time::Duration;
use vitistack_codegen_lib::conversion::example::{self, v1alpha1, v1beta1};
use vitistack_conversion::server::{serve, Options};
use vitistack_conversion::stanza::{with_webhook, WebhookAddress};
use vitistack_types::client::VitiClient;

type Failure = Box<dyn std::error::Error>;

fn fresh_certs(dir: &Path) -> Result<(), Failure> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/conversion-certs.sh");
    let status = std::process::Command::new("bash")
        .arg(script)
        .arg(dir)
        .status()?;
    if !status.success() {
        return Err("scripts/conversion-certs.sh failed (needs openssl)".into());
    }
    Ok(())
}

fn print(title: &str, object: &impl serde::Serialize) -> Result<(), Failure> {
    let mut object = serde_json::to_value(object)?;
    // managedFields are the apiserver's bookkeeping, not the object; leave them out of the show.
    if let Some(meta) = object.get_mut("metadata").and_then(|m| m.as_object_mut()) {
        meta.remove("managedFields");
    }
    println!("# {title}\n{}\n", serde_json::to_string_pretty(&object)?);
    Ok(())
}

async fn demo(viti: &VitiClient, url: String, ca: &[u8]) -> Result<(), Failure> {
    let crd = with_webhook(example::crd(), &WebhookAddress::Url(url.clone()), Some(ca));
    viti.install_crds_from([crd], Duration::from_secs(60))
        .await?;
    println!("installed widgets.example.vitistack.dev (v1alpha1 served, v1beta1 storage), webhook {url}\n");
    let client = viti.kube_client().clone();
    let old: Api<v1alpha1::Widget> = Api::namespaced(client.clone(), "default");
    let new: Api<v1beta1::Widget> = Api::namespaced(client, "default");
    let name = "conversion-demo";
    let _ = old.delete(name, &DeleteParams::default()).await;
    let widget = v1alpha1::Widget::new(
        name,
        v1alpha1::WidgetSpec {
            size: 3,
            color: Some("red".into()),
        },
    );
    print(
        "created in v1alpha1",
        &old.create(&PostParams::default(), &widget).await?,
    )?;
    print("read in v1beta1", &new.get(name).await?)?;
    print("read in v1alpha1", &old.get(name).await?)?;
    old.delete(name, &DeleteParams::default()).await?;
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Failure> {
    let dir =
        std::env::temp_dir().join(format!("vitistack-conversion-demo-{}", std::process::id()));
    fresh_certs(&dir)?;
    let ca = std::fs::read(dir.join("ca.crt"))?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("https://{}/convert", listener.local_addr()?);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let mut options = Options::new(dir.join("tls.crt"), dir.join("tls.key"));
    // In-process, behind no Service: nothing to wait for before closing the listener.
    options.drain_delay = std::time::Duration::ZERO;
    let webhook = tokio::spawn(serve(listener, example::converter(), options, async {
        let _ = stopped.await;
    }));
    let viti = VitiClient::try_default().await?;
    let result = demo(&viti, url, &ca).await;
    // The CRD points at this process's webhook: leave no CRD behind that nothing can serve.
    let crds: Api<k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition> =
        Api::all(viti.kube_client().clone());
    let _ = crds
        .delete("widgets.example.vitistack.dev", &DeleteParams::default())
        .await;
    let _ = stop.send(());
    webhook.await??;
    let _ = std::fs::remove_dir_all(&dir);
    result?;
    println!("webhook stopped; demo done");
    Ok(())
}
