//! The operator binary as a Pod runs it: as the ServiceAccount of `deploy/operator/rbac.yaml`,
//! its namespace read from the ServiceAccount's namespace file (no `$NAMESPACE`), JSON logs,
//! `/healthz`, `/readyz` and `/metrics` served, Machines reconciled; on SIGTERM it stops
//! gracefully through kube-runtime, releases the Lease and exits 0. And the same main with a
//! reconcile that panics (`src/bin/faulty_operator.rs`): the process exits 1, and a replica of
//! the real binary takes over.

mod support;

use k8s_openapi::api::coordination::v1::Lease;
use kube::api::Api;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;
use support::machines::*;
use support::*;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, BufReader};
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

/// One operator process and what it logged.
struct Process {
    child: tokio::process::Child,
    lines: tokio::sync::mpsc::UnboundedReceiver<String>,
    logs: Vec<Value>,
    address: String,
}

/// An admin client, a fresh namespace `<prefix>-...` with the CRDs, the operator's RBAC and the
/// MachineProvider `pve`, and the scratch directory of [`pod_files`].
async fn setup(prefix: &str) -> (kube::Client, String, PathBuf) {
    let kubeconfig = shared_kubeconfig();
    let admin = client_for(kubeconfig.clone()).await;
    install_crds(&admin).await;
    let ns = namespace(&admin, prefix).await;
    let dir = pod_files(&admin, &kubeconfig, &ns).await;
    create_provider(&admin, &ns, "pve").await;
    (admin, ns, dir)
}

/// The scratch directory of a test in `ns`: a kubeconfig with the operator's token and the
/// ServiceAccount namespace file, as a Pod has them.
async fn pod_files(
    admin: &kube::Client,
    kubeconfig: &kube::config::Kubeconfig,
    ns: &str,
) -> PathBuf {
    install_operator_rbac(admin, ns).await;
    let token = operator_token(admin, ns).await;
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("binary-{ns}"));
    std::fs::create_dir_all(&dir).expect("scratch dir");
    write_kubeconfig(kubeconfig, &token, &dir.join("kubeconfig"));
    std::fs::write(dir.join("namespace"), ns).expect("the namespace file");
    dir
}

impl Process {
    /// Starts `exe` as replica `identity` with the files of `dir` (no `$NAMESPACE`) and `env`;
    /// returns once it listens.
    async fn start(exe: &Path, dir: &Path, identity: &str, env: &[(&str, &str)]) -> Process {
        let mut child = Command::new(exe)
            .env_clear()
            .env("KUBECONFIG", dir.join("kubeconfig"))
            .env("NAMESPACE_FILE", dir.join("namespace"))
            .env("POD_NAME", identity)
            .env("LISTEN_ADDRESS", "127.0.0.1:0")
            .env("LOG_FORMAT", "json")
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", exe.display()));
        let (lines_tx, mut lines) = tokio::sync::mpsc::unbounded_channel::<String>();
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout")).lines();
        tokio::spawn(async move {
            while let Ok(Some(line)) = stdout.next_line().await {
                let _ = lines_tx.send(line);
            }
        });
        let mut logs = Vec::new();
        let address = loop {
            let line = tokio::time::timeout(Duration::from_secs(30), lines.recv())
                .await
                .expect("a log line within 30 s")
                .expect("the binary logs before it listens");
            let entry = json_line(&line);
            logs.push(entry.clone());
            if entry["message"] == "listening" {
                break entry["address"].as_str().expect("the address").to_string();
            }
        };
        Process {
            child,
            lines,
            logs,
            address,
        }
    }

    /// Waits for the exit (at most 30 s); its status and standard error.
    async fn exit(&mut self) -> (std::process::ExitStatus, String) {
        let status = tokio::time::timeout(Duration::from_secs(30), self.child.wait())
            .await
            .expect("the binary exits within 30 s")
            .expect("its exit status");
        let mut stderr = String::new();
        if let Some(mut err) = self.child.stderr.take() {
            let _ = err.read_to_string(&mut stderr).await;
        }
        while let Ok(line) = self.lines.try_recv() {
            self.logs.push(json_line(&line));
        }
        (status, stderr)
    }

    fn sigterm(&self) {
        let pid = self.child.id().expect("the pid").to_string();
        let killed = std::process::Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("run kill");
        assert!(killed.success());
    }
}

fn json_line(line: &str) -> Value {
    serde_json::from_str(line)
        .unwrap_or_else(|e| panic!("a log line that is not JSON ({e}): {line}"))
}

async fn lease_holder(admin: &kube::Client, ns: &str) -> Option<String> {
    Api::<Lease>::namespaced(admin.clone(), ns)
        .get_opt("vitistack-downstream-leader")
        .await
        .expect("read the Lease")
        .and_then(|l| l.spec)
        .and_then(|s| s.holder_identity)
}

#[tokio::test]
async fn the_binary_runs_as_a_pod_would_and_stops_on_sigterm() {
    let (admin, ns, dir) = setup("binary").await;
    let exe = Path::new(env!("CARGO_BIN_EXE_vitistack-downstream"));
    let mut process = Process::start(exe, &dir, "binary-0", &[]).await;
    assert_eq!(
        process.logs.last().map(|l| l["namespace"].clone()),
        Some(Value::from(ns.as_str())),
        "the namespace of the file"
    );
    let address = process.address.clone();

    let ready = eventually(Duration::from_secs(20), "/readyz 200", || async {
        http_get(&address, "/readyz")
            .await
            .filter(|(s, _)| *s == 200)
    })
    .await;
    assert_eq!(ready.1, "ok\n");
    assert_eq!(http_get(&address, "/healthz").await.map(|r| r.0), Some(200));
    assert_eq!(http_get(&address, "/nothing").await.map(|r| r.0), Some(404));
    create_machine(&admin, &ns, &machine("m1", "pve")).await;
    wait_ready(&admin, &ns, "m1", ConditionStatus::True, 1).await;
    let metrics = eventually(Duration::from_secs(10), "the leader metric", || async {
        let (status, body) = http_get(&address, "/metrics").await?;
        (status == 200 && body.lines().any(|l| l == "vitistack_downstream_leader 1"))
            .then_some(body)
    })
    .await;
    for family in [
        "vitistack_downstream_reconciles_total",
        "vitistack_downstream_reconcile_errors_total",
        "vitistack_downstream_reconcile_duration_seconds_bucket",
        "vitistack_downstream_reconciles_in_flight",
        "vitistack_downstream_queue_depth",
    ] {
        assert!(metrics.contains(family), "no {family} in\n{metrics}");
    }

    process.sigterm();
    let (status, stderr) = process.exit().await;
    assert!(status.success(), "exit {status:?} after SIGTERM:\n{stderr}");
    assert_eq!(lease_holder(&admin, &ns).await, None, "released on SIGTERM");
    assert!(
        process
            .logs
            .iter()
            .all(|l| l["level"].is_string() && l["timestamp"].is_string()),
        "{:?}",
        process.logs
    );
}

#[tokio::test]
async fn a_panicking_reconcile_exits_the_process_non_zero_and_the_other_takes_over() {
    let (admin, ns, dir) = setup("binary-panic").await;
    let mut faulty = Process::start(
        Path::new(env!("CARGO_BIN_EXE_faulty_operator")),
        &dir,
        "faulty-0",
        &[("PANIC_ON", "m-boom")],
    )
    .await;
    eventually(Duration::from_secs(20), "faulty-0 leading", || async {
        (lease_holder(&admin, &ns).await.as_deref() == Some("faulty-0")).then_some(())
    })
    .await;
    let exe = Path::new(env!("CARGO_BIN_EXE_vitistack-downstream"));
    let mut standby = Process::start(exe, &dir, "binary-1", &[]).await;

    create_machine(&admin, &ns, &machine("m-boom", "pve")).await;
    let (status, stderr) = faulty.exit().await;
    assert_eq!(
        status.code(),
        Some(1),
        "the faulty replica's exit:\n{stderr}"
    );
    assert!(
        faulty.logs.iter().any(|l| l["level"] == "ERROR"
            && l["error"].as_str().is_some_and(|e| e.contains("panicked"))),
        "no error logged: {:?}",
        faulty.logs
    );
    wait_ready(&admin, &ns, "m-boom", ConditionStatus::True, 1).await;
    assert_eq!(lease_holder(&admin, &ns).await.as_deref(), Some("binary-1"));
    standby.sigterm();
    let (status, stderr) = standby.exit().await;
    assert!(status.success(), "exit {status:?} after SIGTERM:\n{stderr}");
}
