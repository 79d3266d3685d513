//! What the conversion e2e tests share: certificates, the example webhook in-process, the CRD.

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use kube::api::{Api, DeleteParams, Patch, PatchParams};
use serde_json::{json, Value};
use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;
use tokio::sync::oneshot;
use vitistack_codegen_lib::conversion::example;
use vitistack_conversion::server::{serve, Options};
use vitistack_conversion::stanza::{webhook_conversion, with_webhook, WebhookAddress};
use vitistack_e2e::repo_root;

pub const CRD: &str = "widgets.example.vitistack.dev";
pub const WAIT: Duration = Duration::from_secs(60);

pub fn gen_certs(dir: &Path, leaf_only: bool) {
    let mut cmd = std::process::Command::new("bash");
    cmd.arg(repo_root().join("scripts/conversion-certs.sh"))
        .arg(dir);
    if leaf_only {
        cmd.arg("--leaf");
    }
    assert!(
        cmd.status().expect("bash").success(),
        "conversion-certs.sh failed"
    );
}

pub struct Webhook {
    stop: oneshot::Sender<()>,
    done: tokio::task::JoinHandle<()>,
}

pub async fn start_webhook(addr: SocketAddr, dir: &Path) -> (SocketAddr, Webhook) {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .expect("bind the webhook");
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let options = Options::new(dir.join("tls.crt"), dir.join("tls.key"));
    let done = tokio::spawn(async move {
        let shutdown = async {
            let _ = stopped.await;
        };
        serve(listener, example::converter(), options, shutdown)
            .await
            .expect("webhook serves");
    });
    (addr, Webhook { stop, done })
}

pub async fn stop_webhook(webhook: Webhook) {
    let _ = webhook.stop.send(());
    tokio::time::timeout(WAIT, webhook.done)
        .await
        .expect("webhook stops")
        .unwrap();
}

pub fn with_conversion(crd: Value, addr: SocketAddr, dir: &Path) -> Value {
    let ca = std::fs::read(dir.join("ca.crt")).unwrap();
    with_webhook(
        crd,
        &WebhookAddress::Url(format!("https://{addr}/convert")),
        Some(&ca),
    )
}

/// Deletes the CRD a failed earlier run left behind. Its instances are removed by the
/// apiserver's CRD finalizer, which must decode them: objects stored in another version need the
/// webhook, so the CRD is first pointed at this run's webhook (`addr`, CA in `dir`).
pub async fn delete_crd_if_left(
    crds: &Api<CustomResourceDefinition>,
    addr: SocketAddr,
    dir: &Path,
) {
    let Some(crd) = crds.get_opt(CRD).await.unwrap() else {
        return;
    };
    if crd
        .spec
        .conversion
        .as_ref()
        .is_some_and(|c| c.strategy == "Webhook")
    {
        let ca = std::fs::read(dir.join("ca.crt")).unwrap();
        let conversion = webhook_conversion(
            &WebhookAddress::Url(format!("https://{addr}/convert")),
            Some(&ca),
        );
        let patch = json!({"spec": {"conversion": conversion}});
        crds.patch(CRD, &PatchParams::default(), &Patch::Merge(&patch))
            .await
            .unwrap();
    }
    if crd.metadata.deletion_timestamp.is_none() {
        crds.delete(CRD, &DeleteParams::default()).await.unwrap();
    }
    let deadline = std::time::Instant::now() + WAIT;
    while crds.get_opt(CRD).await.unwrap().is_some() {
        assert!(
            std::time::Instant::now() < deadline,
            "{CRD} still exists after {WAIT:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
