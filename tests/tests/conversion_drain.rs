//! Issue #28: the conversion webhook behind a stand-in for a Service, on the real apiserver.
//!
//! The CRD's webhook URL is a TCP proxy that sends each new connection to a replica whose
//! `/readyz` answered 200 at its last probe (every 100 ms), as kube-proxy does with the ready
//! endpoints of a Service; a connection stays with its replica until one side closes it.
//!
//! - Keep-alive: many reads in the old version through the webhook, one after another, reuse a
//!   few connections (the proxy counts them).
//! - Drain under load: reads go on from several tasks while replica A shuts down (readiness
//!   down, listener open for the drain delay, then closed, requests in flight finished), and
//!   not one read fails: the apiserver moves to replica B.

use futures::future::join_all;
use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use kube::api::{Api, DeleteParams, PostParams};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use std::net::SocketAddr;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use vitistack_codegen_lib::conversion::example::{self, v1alpha1, v1beta1};
use vitistack_e2e::*;
use vitistack_types::client::VitiClient;

mod conversion_support;
use conversion_support::*;

/// A replica behind the proxy and whether its last probe said ready.
struct Backend {
    addr: SocketAddr,
    ready: AtomicBool,
}

/// The stand-in for the Service: ready endpoints only, connections counted.
struct Proxy {
    addr: SocketAddr,
    connections: Arc<AtomicUsize>,
}

async fn start_proxy(backends: Arc<Vec<Backend>>) -> Proxy {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let connections = Arc::new(AtomicUsize::new(0));
    let counted = connections.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut client, _)) = listener.accept().await else {
                continue;
            };
            counted.fetch_add(1, Ordering::SeqCst);
            let backend = backends
                .iter()
                .find(|b| b.ready.load(Ordering::SeqCst))
                .map(|b| b.addr);
            tokio::spawn(async move {
                // No ready endpoint: the connection is refused, as a Service without endpoints.
                let Some(backend) = backend else { return };
                if let Ok(mut server) = TcpStream::connect(backend).await {
                    let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                }
            });
        }
    });
    Proxy { addr, connections }
}

/// `GET /readyz` over HTTPS, trusting the CA in `dir`: whether it answered 200.
async fn ready(addr: SocketAddr, dir: &Path) -> bool {
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_file_iter(dir.join("ca.crt")).unwrap() {
        roots.add(cert.unwrap()).unwrap();
    }
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_root_certificates(roots)
    .with_no_client_auth();
    let probe = async {
        let tcp = TcpStream::connect(addr).await.ok()?;
        let name = ServerName::try_from("127.0.0.1").unwrap();
        let mut tls = tokio_rustls::TlsConnector::from(Arc::new(config))
            .connect(name, tcp)
            .await
            .ok()?;
        tls.write_all(b"GET /readyz HTTP/1.1\r\nHost: probe\r\nConnection: close\r\n\r\n")
            .await
            .ok()?;
        let mut answer = Vec::new();
        let _ = tls.read_to_end(&mut answer).await;
        Some(answer.starts_with(b"HTTP/1.1 200"))
    };
    tokio::time::timeout(Duration::from_secs(2), probe)
        .await
        .ok()
        .flatten()
        .unwrap_or(false)
}

/// Probes every backend every 100 ms (the kubelet's readiness probe, fast), until dropped.
fn probe_forever(
    backends: Arc<Vec<Backend>>,
    dir: std::path::PathBuf,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            for backend in backends.iter() {
                let up = ready(backend.addr, &dir).await;
                backend.ready.store(up, Ordering::SeqCst);
            }
            // The probe period, not a synchronisation: the proxy routes by the last answer.
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn keep_alive_and_a_drain_under_load_fail_no_read() {
    let client = client().await;
    let viti = VitiClient::new(client.clone()).with_field_manager("vitistack-e2e");
    let crds: Api<CustomResourceDefinition> = Api::all(client.clone());
    let dir = std::env::temp_dir().join(format!(
        "vitistack-e2e-conversion-drain-{}",
        std::process::id()
    ));
    gen_certs(&dir, false);
    let (a_addr, replica_a) =
        start_webhook_draining("127.0.0.1:0".parse().unwrap(), &dir, Duration::from_secs(2)).await;
    let (b_addr, replica_b) = start_webhook("127.0.0.1:0".parse().unwrap(), &dir).await;
    let backends = Arc::new(vec![
        Backend {
            addr: a_addr,
            ready: AtomicBool::new(true),
        },
        Backend {
            addr: b_addr,
            ready: AtomicBool::new(true),
        },
    ]);
    let prober = probe_forever(backends.clone(), dir.clone());
    let proxy = start_proxy(backends.clone()).await;
    delete_crd_if_left(&crds, proxy.addr, &dir).await;
    viti.install_crds_from([with_conversion(example::crd(), proxy.addr, &dir)], WAIT)
        .await
        .expect("install");
    let ns = test_namespace("conversion-drain").await;
    let old: Api<v1alpha1::Widget> = Api::namespaced(client.clone(), &ns);
    let new: Api<v1beta1::Widget> = Api::namespaced(client.clone(), &ns);
    let spec = v1beta1::WidgetSpec {
        size: 1,
        colors: Some(vec!["red".into(), "blue".into()]),
        replicas: Some(2),
    };
    new.create(&PostParams::default(), &v1beta1::Widget::new("w", spec))
        .await
        .expect("create in v1beta1");

    // Keep-alive: 50 reads in v1alpha1, one after another, each converted by the webhook.
    let before = proxy.connections.load(Ordering::SeqCst);
    for _ in 0..50 {
        let widget = old.get("w").await.expect("read in v1alpha1");
        assert_eq!(widget.spec.color.as_deref(), Some("red"));
    }
    let opened = proxy.connections.load(Ordering::SeqCst) - before;
    assert!(
        opened <= 5,
        "50 conversions opened {opened} connections: the webhook does not keep them alive"
    );

    // A drain under load: four readers until told to stop; replica A shuts down meanwhile.
    let stop = Arc::new(AtomicBool::new(false));
    let reads = Arc::new(AtomicUsize::new(0));
    let readers: Vec<_> = (0..4)
        .map(|_| {
            let (old, stop, reads) = (old.clone(), stop.clone(), reads.clone());
            tokio::spawn(async move {
                let mut failures = Vec::new();
                while !stop.load(Ordering::SeqCst) {
                    match old.get("w").await {
                        Ok(_) => {
                            reads.fetch_add(1, Ordering::SeqCst);
                        }
                        Err(e) => failures.push(e.to_string()),
                    }
                }
                failures
            })
        })
        .collect();
    let wait_for_reads = |target: usize| {
        let reads = reads.clone();
        async move {
            tokio::time::timeout(WAIT, async {
                while reads.load(Ordering::SeqCst) < target {
                    tokio::task::yield_now().await;
                }
            })
            .await
            .expect("reads go on");
        }
    };
    wait_for_reads(40).await;
    stop_webhook(replica_a).await; // returns once A has drained and closed
    let after_a = reads.load(Ordering::SeqCst);
    wait_for_reads(after_a + 40).await; // B alone serves
    stop.store(true, Ordering::SeqCst);
    let failures: Vec<String> = join_all(readers)
        .await
        .into_iter()
        .flat_map(|r| r.expect("reader"))
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} reads failed during the drain, e.g. {:?}",
        failures.len(),
        reads.load(Ordering::SeqCst) + failures.len(),
        failures.first()
    );
    assert!(
        !backends[0].ready.load(Ordering::SeqCst),
        "replica A is gone"
    );

    prober.abort();
    stop_webhook(replica_b).await;
    let _ = std::fs::remove_dir_all(&dir);
    crds.delete(CRD, &DeleteParams::default()).await.unwrap();
}
