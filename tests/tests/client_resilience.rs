//! Issue #17: VitiClient when the server misbehaves. A server of its own (so that compacting
//! etcd and cutting connections disturbs no other test), started with the watch cache off so
//! that a watch resumed from a compacted resourceVersion really gets `410 Gone` (the watch
//! cache would serve it), reached through a TCP proxy in this test that can cut every
//! connection and refuse new ones for a while: to the client, a server that went away and came
//! back.
//!
//! Proves: after `install_crds` returns on a fresh server, a create of every kind succeeds at
//! once (no retries); a condition wait survives a `410 Gone` re-list and an outage.

use kube::api::{Api, DynamicObject, PostParams, WatchParams};
use kube::core::WatchEvent;
use kube::Resource;
use serde_json::json;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;
use vitistack_e2e::*;
use vitistack_types::client::VitiClient;
use vitistack_types::kinds::common::Condition;
use vitistack_types::kinds::Machine;

/// A test-apiserver of this test, stopped when dropped (and by its parent-pid watchdog if the
/// test process dies).
struct OwnServer {
    dir: PathBuf,
}

impl OwnServer {
    fn start(flags: &str) -> OwnServer {
        let dir = repo_root()
            .join("target/apiserver-runs")
            .join(format!("resilience-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("server dir");
        let output = std::process::Command::new("bash")
            .arg(repo_root().join("tests/apiserver/start.sh"))
            .arg(&dir)
            .arg(std::process::id().to_string())
            .env("TEST_APISERVER_FLAGS", flags)
            .output()
            .expect("run start.sh");
        assert!(
            output.status.success(),
            "start.sh failed: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        OwnServer { dir }
    }

    fn kubeconfig(&self) -> kube::config::Kubeconfig {
        kube::config::Kubeconfig::read_from(self.dir.join("kubeconfig")).expect("kubeconfig")
    }

    fn address(&self) -> SocketAddr {
        let server = self.kubeconfig().clusters[0]
            .cluster
            .as_ref()
            .and_then(|c| c.server.clone())
            .expect("server URL");
        server
            .trim_start_matches("https://")
            .parse()
            .expect("host:port")
    }

    /// Compacts etcd at its current revision (SIGUSR1, see tests/apiserver/main.go).
    fn compact(&self) {
        let pid = std::fs::read_to_string(self.dir.join("pid")).expect("pid");
        let status = std::process::Command::new("kill")
            .args(["-USR1", pid.trim()])
            .status()
            .expect("kill");
        assert!(status.success());
    }
}

impl Drop for OwnServer {
    fn drop(&mut self) {
        let stopped = std::process::Command::new("bash")
            .arg(repo_root().join("tests/apiserver/stop.sh"))
            .arg(&self.dir)
            .output();
        if stopped.is_ok_and(|o| o.status.success()) {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// A TCP proxy to the server that can cut all connections and refuse new ones.
struct Proxy {
    port: u16,
    down: Arc<AtomicBool>,
    connections: Arc<Mutex<Vec<JoinHandle<()>>>>,
}

impl Proxy {
    async fn start(target: SocketAddr) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let port = listener.local_addr().expect("address").port();
        let down = Arc::new(AtomicBool::new(false));
        let connections: Arc<Mutex<Vec<JoinHandle<()>>>> = Arc::default();
        let (is_down, open) = (down.clone(), connections.clone());
        tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                if is_down.load(Ordering::SeqCst) {
                    continue; // dropped: the client sees its connection closed
                }
                let forward = tokio::spawn(async move {
                    if let Ok(mut outbound) = TcpStream::connect(target).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
                open.lock().expect("lock").push(forward);
            }
        });
        Proxy {
            port,
            down,
            connections,
        }
    }

    /// Cuts every open connection and refuses new ones until [`Proxy::restore`].
    fn outage(&self) {
        self.down.store(true, Ordering::SeqCst);
        for connection in self.connections.lock().expect("lock").drain(..) {
            connection.abort();
        }
    }

    fn restore(&self) {
        self.down.store(false, Ordering::SeqCst);
    }
}

async fn client_of(
    mut kubeconfig: kube::config::Kubeconfig,
    server: Option<String>,
) -> kube::Client {
    if let Some(server) = server {
        for cluster in &mut kubeconfig.clusters {
            if let Some(c) = cluster.cluster.as_mut() {
                c.server = Some(server.clone());
            }
        }
    }
    identity::client_for(kubeconfig).await
}

fn ready() -> Condition {
    serde_json::from_value(json!({
        "type": "Ready", "status": "True", "reason": "Provisioned", "message": "",
        "lastTransitionTime": "2026-01-01T00:00:00Z", "observedGeneration": 1,
    }))
    .expect("condition")
}

#[tokio::test]
async fn install_then_create_at_once_and_a_wait_survives_410_and_an_outage() {
    let server = tokio::task::spawn_blocking(|| OwnServer::start("--watch-cache=false"))
        .await
        .expect("start");
    let direct = client_of(server.kubeconfig(), None).await;
    let proxy = Proxy::start(server.address()).await;
    let proxied = client_of(
        server.kubeconfig(),
        Some(format!("https://127.0.0.1:{}", proxy.port)),
    )
    .await;
    let viti = VitiClient::new(proxied).with_field_manager("vitistack-e2e");
    let admin = VitiClient::new(direct.clone()).with_field_manager("vitistack-e2e-admin");
    let namespace = "resilience";
    identity::create_namespace(&direct, namespace).await;

    // Fresh CRDs; as soon as install_crds returns, one object of every kind is created, first
    // the kind whose CRD was applied last (the CRDs go in order of their plural).
    viti.install_crds(Duration::from_secs(60))
        .await
        .expect("install");
    let mut kinds = vitistack_types::registry::kinds().to_vec();
    kinds.sort_by(|a, b| b.plural.cmp(a.plural));
    for info in kinds {
        let mut value = example(info.singular);
        remove_path(&mut value, "status");
        set_path(&mut value, "metadata.namespace", json!(namespace));
        let object: DynamicObject = serde_json::from_value(value).expect("object");
        Api::<DynamicObject>::namespaced_with(direct.clone(), namespace, &info.api_resource())
            .create(&PostParams::default(), &object)
            .await
            .unwrap_or_else(|e| panic!("create {} right after install_crds: {e}", info.kind));
    }

    // A wait through the proxy, then writes, a compaction, and an outage.
    let machines: Api<Machine> = Api::namespaced(direct.clone(), namespace);
    let machine = machines
        .list(&Default::default())
        .await
        .expect("list")
        .items
        .remove(0);
    let name = machine.meta().name.clone().expect("name");
    let created_at = machine
        .meta()
        .resource_version
        .clone()
        .expect("resourceVersion");
    let waiter = {
        let (viti, name) = (viti.clone(), name.clone());
        tokio::spawn(async move {
            viti.wait_for_condition(
                "Machine",
                namespace,
                &name,
                "Ready",
                "True",
                Duration::from_secs(120),
            )
            .await
        })
    };
    tokio::time::sleep(Duration::from_millis(1500)).await; // the wait has listed and watches
    let configmaps: Api<k8s_openapi::api::core::v1::ConfigMap> =
        Api::namespaced(direct.clone(), namespace);
    for i in 0..3 {
        let cm =
            serde_json::from_value(json!({"metadata": {"name": format!("bump-{i}")}})).expect("cm");
        configmaps
            .create(&PostParams::default(), &cm)
            .await
            .expect("write");
    }
    server.compact();
    tokio::time::sleep(Duration::from_millis(500)).await;
    // What the wait's watch will meet when it resumes: its resourceVersion is gone.
    let stream = machines
        .watch(&WatchParams::default().timeout(5), &created_at)
        .await
        .expect("watch");
    let mut stream = std::pin::pin!(stream);
    use futures::StreamExt;
    match stream.next().await {
        Some(Ok(WatchEvent::Error(status))) => assert_eq!(status.code, 410, "{status:?}"),
        other => panic!("expected 410 Gone for a compacted resourceVersion, got {other:?}"),
    }
    proxy.outage();
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert!(
        !waiter.is_finished(),
        "the wait gave up during the outage: {:?}",
        waiter.await
    );
    proxy.restore();
    tokio::time::sleep(Duration::from_secs(1)).await;
    admin
        .update_status::<Machine>(namespace, &name, |m| {
            m.status.get_or_insert_with(Default::default).conditions = Some(vec![ready()]);
        })
        .await
        .expect("status");
    let got = tokio::time::timeout(Duration::from_secs(60), waiter)
        .await
        .expect("the wait ends once Ready is set")
        .expect("task")
        .expect("the wait survived the 410 and the outage");
    assert_eq!(got.metadata.name.as_deref(), Some(name.as_str()));
}
