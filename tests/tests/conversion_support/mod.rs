//! What the conversion e2e tests share: certificates, the example webhook in-process, the CRD.

#![allow(dead_code)] // each includer uses its part

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use kube::api::{Api, DeleteParams, Patch, PatchParams};
use serde_json::{json, Value};
use std::net::SocketAddr;
use std::path::Path;
use std::path::PathBuf;
use std::time::Duration;
use tokio::sync::oneshot;
use vitistack_codegen_lib::conversion::example::{self, v1alpha1, v1beta1};
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
    start_webhook_draining(addr, dir, Duration::ZERO).await
}

/// [`start_webhook`] with a drain delay: on stop, `/readyz` turns 503 and the listener keeps
/// accepting for `drain_delay` before it closes.
pub async fn start_webhook_draining(
    addr: SocketAddr,
    dir: &Path,
    drain_delay: Duration,
) -> (SocketAddr, Webhook) {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .expect("bind the webhook");
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let mut options = Options::new(dir.join("tls.crt"), dir.join("tls.key"));
    options.drain_delay = drain_delay;
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

/// The example CRD served through the in-process webhook, and a fresh namespace.
pub struct ExampleSetup {
    pub client: kube::Client,
    pub crds: Api<CustomResourceDefinition>,
    pub dir: PathBuf,
    pub webhook: Webhook,
    /// Widgets in the namespace, in v1alpha1 (converted by the webhook) and v1beta1 (storage).
    pub old: Api<v1alpha1::Widget>,
    pub new: Api<v1beta1::Widget>,
}

/// Certificates, the webhook, the example CRD pointing at it (a leftover CRD deleted first),
/// and a namespace named after `name`.
pub async fn install_example(name: &str) -> ExampleSetup {
    let client = vitistack_e2e::client().await;
    let viti = vitistack_types::client::VitiClient::new(client.clone())
        .with_field_manager("vitistack-e2e");
    let crds: Api<CustomResourceDefinition> = Api::all(client.clone());
    let dir = std::env::temp_dir().join(format!("vitistack-e2e-{name}-{}", std::process::id()));
    gen_certs(&dir, false);
    let (addr, webhook) = start_webhook("127.0.0.1:0".parse().unwrap(), &dir).await;
    delete_crd_if_left(&crds, addr, &dir).await;
    viti.install_crds_from([with_conversion(example::crd(), addr, &dir)], WAIT)
        .await
        .expect("install the example CRD");
    let ns = vitistack_e2e::test_namespace(name).await;
    ExampleSetup {
        old: Api::namespaced(client.clone(), &ns),
        new: Api::namespaced(client.clone(), &ns),
        client,
        crds,
        dir,
        webhook,
    }
}

impl ExampleSetup {
    /// Stops the webhook, removes the certificates and deletes the CRD.
    pub async fn finish(self) {
        stop_webhook(self.webhook).await;
        let _ = std::fs::remove_dir_all(&self.dir);
        self.crds
            .delete(CRD, &DeleteParams::default())
            .await
            .expect("delete the CRD");
    }
}
