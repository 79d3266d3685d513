//! Issue #17: VitiClient when the server misbehaves. A server of its own (so that compacting
//! etcd and restarting it disturbs no other test), started with the watch cache off so that a
//! watch resumed from a compacted resourceVersion really gets `410 Gone` (the watch cache would
//! serve it), and restartable (`TEST_APISERVER_KEEP_STATE=1`): `tests/apiserver/restart.sh`
//! stops it and starts it again on the same port with the same CA and etcd data, as a cluster's
//! apiserver restarts.
//!
//! Proves: after `install_crds` returns on a fresh server, a create of every kind succeeds at
//! once (no retries); a condition wait survives a `410 Gone` re-list and a server restart.

use kube::api::{Api, DynamicObject, PostParams, WatchParams};
use kube::core::WatchEvent;
use kube::Resource;
use serde_json::json;
use std::path::PathBuf;
use std::time::Duration;
use vitistack_e2e::*;
use vitistack_types::client::{condition_met, VitiClient};
use vitistack_types::kinds::common::Condition;
use vitistack_types::kinds::Machine;

/// A test-apiserver of this test, stopped when dropped (and by its parent-pid watchdog if the
/// test process dies).
struct OwnServer {
    dir: PathBuf,
    flags: String,
}

impl OwnServer {
    fn start(flags: &str) -> OwnServer {
        let dir = repo_root()
            .join("target/apiserver-runs")
            .join(format!("resilience-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("server dir");
        let _ = std::fs::remove_dir_all(&dir); // a fresh state: a new CA, an empty etcd
        let server = OwnServer {
            dir,
            flags: flags.to_string(),
        };
        server.script("start.sh");
        server
    }

    /// Runs `tests/apiserver/SCRIPT DIR PID` with this server's flags, its state kept.
    fn script(&self, script: &str) {
        let output = std::process::Command::new("bash")
            .arg(repo_root().join("tests/apiserver").join(script))
            .arg(&self.dir)
            .arg(std::process::id().to_string())
            .env("TEST_APISERVER_FLAGS", &self.flags)
            .env("TEST_APISERVER_KEEP_STATE", "1")
            .output()
            .expect("run the script");
        assert!(
            output.status.success(),
            "{script} failed: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }

    fn pid(&self) -> String {
        std::fs::read_to_string(self.dir.join("pid"))
            .expect("pid")
            .trim()
            .to_string()
    }

    fn kubeconfig(&self) -> kube::config::Kubeconfig {
        kube::config::Kubeconfig::read_from(self.dir.join("kubeconfig")).expect("kubeconfig")
    }

    /// Compacts etcd at its current revision (SIGUSR1, see tests/apiserver/main.go).
    fn compact(&self) {
        let status = std::process::Command::new("kill")
            .args(["-USR1", &self.pid()])
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

fn ready() -> Condition {
    serde_json::from_value(json!({
        "type": "Ready", "status": "True", "reason": "Provisioned", "message": "",
        "lastTransitionTime": "2026-01-01T00:00:00Z", "observedGeneration": 1,
    }))
    .expect("condition")
}

#[tokio::test]
async fn install_then_create_at_once_and_a_wait_survives_410_and_a_restart() {
    let server = tokio::task::spawn_blocking(|| OwnServer::start("--watch-cache=false"))
        .await
        .expect("start");
    let direct = identity::client_for(server.kubeconfig()).await;
    // The wait's client logs its requests: they show when it watches and that it re-listed.
    let (wait_client, mut wait_requests) = requests::logging_client(server.kubeconfig()).await;
    let viti = VitiClient::new(wait_client).with_field_manager("vitistack-e2e");
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

    // A wait, then writes, a compaction, and a restart of the server.
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
    // What the wait sends from here on is counted (install_crds listed every kind before).
    let watch = |s: &requests::Sent| s.is_watch_of("machines");
    let list = |s: &requests::Sent| s.is_list_of("machines");
    let (lists, watches) = (wait_requests.count(list), wait_requests.count(watch));
    let waiter = {
        let (viti, name) = (viti.clone(), name.clone());
        tokio::spawn(async move {
            viti.wait_for_condition_dynamic(
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
    // The wait has listed (its watch starts from that list's resourceVersion, which the
    // compaction below removes).
    wait_requests
        .until("the wait watches", watches + 1, watch)
        .await;
    assert_eq!(
        wait_requests.count(list),
        lists + 1,
        "{:?}",
        wait_requests.sent()
    );
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
    // The compaction (asynchronous to the signal) is done once a watch from the Machine's
    // resourceVersion gets 410 Gone: what the wait's watch will meet when it resumes.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    loop {
        let stream = machines
            .watch(&WatchParams::default().timeout(1), &created_at)
            .await
            .expect("watch");
        let mut stream = std::pin::pin!(stream);
        use futures::StreamExt;
        match stream.next().await {
            Some(Ok(WatchEvent::Error(status))) if status.code == 410 => break,
            other => assert!(
                tokio::time::Instant::now() < deadline,
                "expected 410 Gone for a compacted resourceVersion, got {other:?}"
            ),
        }
    }
    let before = server.pid();
    let server = tokio::task::spawn_blocking(move || {
        server.script("restart.sh");
        server
    })
    .await
    .expect("restart");
    assert_ne!(server.pid(), before, "a new server process");
    // The wait itself met the 410: its watch, resumed from the compacted resourceVersion, was
    // refused and it listed again (the watcher re-lists only after 410 Gone).
    wait_requests
        .until("the wait re-lists after 410 Gone", lists + 2, list)
        .await;
    assert!(
        !waiter.is_finished(),
        "the wait gave up during the restart: {:?}",
        waiter.await
    );
    // The restarted server has the objects (same etcd data) and the same CA (the clients'
    // kubeconfig still verifies it).
    let updated = admin
        .update_status::<Machine>(namespace, &name, |m| {
            m.status.get_or_insert_with(Default::default).conditions = Some(vec![ready()]);
        })
        .await
        .expect("status after the restart");
    let got = tokio::time::timeout(Duration::from_secs(60), waiter)
        .await
        .expect("the wait ends once Ready is set")
        .expect("task")
        .expect("the wait survived the 410 and the restart");
    assert_eq!(got.metadata.name.as_deref(), Some(name.as_str()));
    assert!(condition_met(&got, "Ready", "True"), "{got:?}");
    assert_eq!(
        got.metadata.resource_version, updated.metadata.resource_version,
        "the wait returns the object as the status write left it"
    );
    // One list, one re-list after the 410; the re-list may meet the restarted server before it
    // is ready (a 5xx while its informers sync, seen under load), and the watcher then lists
    // once more. A wait that re-listed on every failed watch would list once per reconnect
    // attempt during the restart, well above that.
    let relists = wait_requests.count(list) - lists;
    assert!(
        (2..=3).contains(&relists),
        "one list, one re-list after the 410 (one more if the server was not ready yet), got {relists}: {:?}",
        wait_requests.sent()
    );
}
