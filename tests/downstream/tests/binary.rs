//! The operator binary as a Pod runs it: as the ServiceAccount of `deploy/operator/rbac.yaml`,
//! its namespace read from the ServiceAccount's namespace file (no `$NAMESPACE`), JSON logs,
//! `/healthz`, `/readyz` and `/metrics` served, Machines reconciled; on SIGTERM it stops
//! gracefully through kube-runtime, releases the Lease and exits 0.

mod support;

use k8s_openapi::api::coordination::v1::Lease;
use kube::api::Api;
use serde_json::Value;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;
use support::machines::*;
use support::*;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::process::Command;
use vitistack_types::kinds::common::ConditionStatus;

/// A kubeconfig file for the server of `kubeconfig` with only `token` as credentials.
fn write_kubeconfig(kubeconfig: &kube::config::Kubeconfig, token: &str, path: &Path) {
    let cluster = kubeconfig.clusters[0].cluster.clone().expect("a cluster");
    let file = serde_json::json!({
        "apiVersion": "v1", "kind": "Config",
        "clusters": [{"name": "test", "cluster": {
            "server": cluster.server,
            "certificate-authority-data": cluster.certificate_authority_data,
            "certificate-authority": cluster.certificate_authority}}],
        "users": [{"name": "operator", "user": {"token": token}}],
        "contexts": [{"name": "test", "context": {"cluster": "test", "user": "operator"}}],
        "current-context": "test"
    });
    std::fs::write(path, serde_json::to_vec(&file).expect("JSON")).expect("write kubeconfig");
}

/// `GET path` on `address`: the status code and the body.
async fn get(address: &str, path: &str) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect(address).await.ok()?;
    let request = format!("GET {path} HTTP/1.1\r\nHost: operator\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).await.ok()?;
    let status = response.split(' ').nth(1)?.parse().ok()?;
    let body = response.split_once("\r\n\r\n")?.1.to_string();
    Some((status, body))
}

#[tokio::test]
async fn the_binary_runs_as_a_pod_would_and_stops_on_sigterm() {
    let kubeconfig = shared_kubeconfig();
    let admin = client_for(kubeconfig.clone()).await;
    install_crds(&admin).await;
    let ns = namespace(&admin, "binary").await;
    install_operator_rbac(&admin, &ns).await;
    let token = operator_token(&admin, &ns).await;
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("binary-{ns}"));
    std::fs::create_dir_all(&dir).expect("scratch dir");
    write_kubeconfig(&kubeconfig, &token, &dir.join("kubeconfig"));
    std::fs::write(dir.join("namespace"), &ns).expect("the namespace file");
    create_provider(&admin, &ns, "pve").await;

    let mut child = Command::new(env!("CARGO_BIN_EXE_vitistack-downstream"))
        .env_clear()
        .env("KUBECONFIG", dir.join("kubeconfig"))
        .env("NAMESPACE_FILE", dir.join("namespace"))
        .env("POD_NAME", "binary-0")
        .env("LISTEN_ADDRESS", "127.0.0.1:0")
        .env("LOG_FORMAT", "json")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("start the operator binary");
    let (lines_tx, mut lines) = tokio::sync::mpsc::unbounded_channel::<String>();
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout")).lines();
    tokio::spawn(async move {
        while let Ok(Some(line)) = stdout.next_line().await {
            let _ = lines_tx.send(line);
        }
    });
    let mut logs: Vec<Value> = Vec::new();
    let address = loop {
        let line = tokio::time::timeout(Duration::from_secs(30), lines.recv())
            .await
            .expect("a log line within 30 s")
            .expect("the binary logs before it listens");
        let entry: Value = serde_json::from_str(&line)
            .unwrap_or_else(|e| panic!("a log line that is not JSON ({e}): {line}"));
        logs.push(entry.clone());
        if entry["message"] == "listening" {
            assert_eq!(entry["namespace"], ns.as_str(), "the namespace of the file");
            break entry["address"].as_str().expect("the address").to_string();
        }
    };

    let ready = eventually(Duration::from_secs(20), "/readyz 200", || async {
        get(&address, "/readyz").await.filter(|(s, _)| *s == 200)
    })
    .await;
    assert_eq!(ready.1, "ok\n");
    assert_eq!(get(&address, "/healthz").await.map(|r| r.0), Some(200));
    assert_eq!(get(&address, "/nothing").await.map(|r| r.0), Some(404));
    create_machine(&admin, &ns, &machine("m1", "pve")).await;
    wait_ready(&admin, &ns, "m1", ConditionStatus::True, 1).await;
    let metrics = eventually(Duration::from_secs(10), "the leader metric", || async {
        let (status, body) = get(&address, "/metrics").await?;
        (status == 200 && body.lines().any(|l| l == "vitistack_downstream_leader 1"))
            .then_some(body)
    })
    .await;
    for family in [
        "vitistack_downstream_reconciles_total",
        "vitistack_downstream_reconcile_errors_total",
        "vitistack_downstream_reconcile_duration_seconds_bucket",
        "vitistack_downstream_reconciles_in_flight",
    ] {
        assert!(metrics.contains(family), "no {family} in\n{metrics}");
    }

    let pid = child.id().expect("the pid").to_string();
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("run kill");
    assert!(killed.success());
    let status = tokio::time::timeout(Duration::from_secs(30), child.wait())
        .await
        .expect("the binary exits within 30 s of SIGTERM")
        .expect("its exit status");
    let mut stderr = String::new();
    if let Some(mut err) = child.stderr.take() {
        let _ = err.read_to_string(&mut stderr).await;
    }
    assert!(status.success(), "exit {status:?} after SIGTERM:\n{stderr}");
    let lease = Api::<Lease>::namespaced(admin.clone(), &ns)
        .get("vitistack-downstream-leader")
        .await
        .expect("the Lease");
    assert_eq!(
        lease.spec.and_then(|s| s.holder_identity),
        None,
        "released on SIGTERM"
    );
    while let Ok(line) = lines.try_recv() {
        let entry: Value = serde_json::from_str(&line)
            .unwrap_or_else(|e| panic!("a log line that is not JSON ({e}): {line}"));
        logs.push(entry);
    }
    assert!(
        logs.iter()
            .all(|l| l["level"].is_string() && l["timestamp"].is_string()),
        "{logs:?}"
    );
}
