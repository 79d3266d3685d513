//! Test support of the downstream workspace, self-contained (a user's crate cannot use our
//! test crate): the test API server, namespaces, the operator's ServiceAccount with the rights
//! `deploy/operator/rbac.yaml` gives it, a TCP proxy that can cut the operator off the server,
//! an HTTP proxy that can stall its Lease requests ([`lease_proxy`]), and a journal of
//! reconciles ([`journal`]).
//!
//! The server: `$VITISTACK_TEST_KUBECONFIG` when set (any cluster), else
//! `$VITISTACK_TEST_APISERVER_DIR/kubeconfig` when that is set (what `make test` does), else one
//! started by `../../tests/apiserver/start.sh` for this test process. No server
//! is a test failure with the reason, never a skip.

#![allow(dead_code)] // each test binary uses a part

pub mod journal;
pub mod lease_proxy;
pub mod machines;

use k8s_openapi::api::authentication::v1::TokenRequest;
use k8s_openapi::api::core::v1::{Namespace, ServiceAccount};
use k8s_openapi::api::rbac::v1::{Role, RoleBinding};
use kube::api::{Api, ObjectMeta, PostParams};
use kube::config::{AuthInfo, KubeConfigOptions, Kubeconfig};
use kube::{Client, Config};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;
use vitistack_types::client::VitiClient;

/// The repository root (this workspace is `tests/downstream` in it).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A test-apiserver started by this process, stopped when dropped (and by its parent-pid
/// watchdog if the process dies first).
pub struct OwnServer {
    pub dir: PathBuf,
}

impl OwnServer {
    /// Starts a server with extra kube-apiserver `flags` (e.g. `--watch-cache=false`).
    pub fn start(tag: &str, flags: &str) -> OwnServer {
        let dir = repo_root()
            .join("target/apiserver-runs")
            .join(format!("downstream-{tag}-{}", std::process::id()));
        std::fs::create_dir_all(&dir)
            .unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
        let script = repo_root().join("tests/apiserver/start.sh");
        let output = Command::new("bash")
            .arg(&script)
            .arg(&dir)
            .arg(std::process::id().to_string())
            .env("TEST_APISERVER_FLAGS", flags)
            .output()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", script.display()));
        assert!(
            output.status.success() && dir.join("kubeconfig").is_file(),
            "no test API server: `{} {}` failed:\n{}{}",
            script.display(),
            dir.display(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        OwnServer { dir }
    }

    pub fn kubeconfig(&self) -> Kubeconfig {
        read_kubeconfig(&self.dir.join("kubeconfig"))
    }

    /// Compacts etcd at its current revision (SIGUSR1, see tests/apiserver/main.go): a watch
    /// resumed from an older resourceVersion gets `410 Gone`.
    pub fn compact(&self) {
        let pid = std::fs::read_to_string(self.dir.join("pid")).expect("the server's pid file");
        let status = Command::new("kill")
            .args(["-USR1", pid.trim()])
            .status()
            .expect("run kill");
        assert!(status.success(), "kill -USR1 {pid} failed");
    }
}

impl Drop for OwnServer {
    fn drop(&mut self) {
        let stopped = Command::new("bash")
            .arg(repo_root().join("tests/apiserver/stop.sh"))
            .arg(&self.dir)
            .output();
        if stopped.is_ok_and(|o| o.status.success()) {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// The admin kubeconfig of the shared server (see the module docs).
pub fn shared_kubeconfig() -> Kubeconfig {
    static SERVER: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    let path = SERVER.get_or_init(|| match std::env::var("VITISTACK_TEST_APISERVER_DIR") {
        _ if std::env::var("VITISTACK_TEST_KUBECONFIG").is_ok_and(|k| !k.trim().is_empty()) => {
            let path =
                PathBuf::from(std::env::var("VITISTACK_TEST_KUBECONFIG").unwrap_or_default());
            if path.is_file() {
                Ok(path)
            } else {
                Err(format!(
                    "VITISTACK_TEST_KUBECONFIG={} is not a file",
                    path.display()
                ))
            }
        }
        Ok(dir) if !dir.trim().is_empty() => {
            let path = Path::new(&dir).join("kubeconfig");
            if path.is_file() {
                Ok(path)
            } else {
                Err(format!(
                    "VITISTACK_TEST_APISERVER_DIR={dir} has no kubeconfig: start a server there \
                     with tests/apiserver/start.sh {dir}, or unset it"
                ))
            }
        }
        _ => {
            // Lives as long as the process (the watchdog stops it when the process exits).
            let server = Box::leak(Box::new(OwnServer::start("shared", "")));
            Ok(server.dir.join("kubeconfig"))
        }
    });
    match path {
        Ok(path) => read_kubeconfig(path),
        Err(reason) => panic!("no Kubernetes API server for the tests: {reason}"),
    }
}

fn read_kubeconfig(path: &Path) -> Kubeconfig {
    Kubeconfig::read_from(path)
        .unwrap_or_else(|e| panic!("cannot read kubeconfig {}: {e}", path.display()))
}

/// A client for `kubeconfig`.
pub async fn client_for(kubeconfig: Kubeconfig) -> Client {
    let config = Config::from_custom_kubeconfig(kubeconfig, &KubeConfigOptions::default())
        .await
        .unwrap_or_else(|e| panic!("bad kubeconfig: {e}"));
    Client::try_from(config).unwrap_or_else(|e| panic!("cannot build a client: {e}"))
}

/// `kubeconfig` pointed at another server URL (the proxy).
pub fn with_server(mut kubeconfig: Kubeconfig, url: &str) -> Kubeconfig {
    for cluster in &mut kubeconfig.clusters {
        if let Some(c) = cluster.cluster.as_mut() {
            c.server = Some(url.to_string());
        }
    }
    kubeconfig
}

/// The server's address (`127.0.0.1:port`) from its kubeconfig.
pub fn server_address(kubeconfig: &Kubeconfig) -> SocketAddr {
    let url = kubeconfig.clusters[0]
        .cluster
        .as_ref()
        .and_then(|c| c.server.clone())
        .expect("a server URL in the kubeconfig");
    url.trim_start_matches("https://")
        .trim_end_matches('/')
        .parse()
        .unwrap_or_else(|e| panic!("server {url} is no host:port: {e}"))
}

/// Installs the vitistack CRDs (idempotent) and waits until they are served.
pub async fn install_crds(admin: &Client) {
    VitiClient::new(admin.clone())
        .install_crds(Duration::from_secs(60))
        .await
        .unwrap_or_else(|e| panic!("installing the CRDs failed: {e}"));
}

/// An admin client with the user's CRD (`src/crd.rs`) installed and served, and a fresh
/// namespace `<prefix>-...` for its objects.
pub async fn user_crd_namespace(prefix: &str) -> (Client, String) {
    use vitistack_types::crd::CustomResourceKind;
    let admin = client_for(shared_kubeconfig()).await;
    VitiClient::new(admin.clone())
        .install_crds_from(
            [vitistack_downstream::crd::VlanAttachment::crd()],
            Duration::from_secs(60),
        )
        .await
        .unwrap_or_else(|e| panic!("installing the user's CRD failed: {e}"));
    let ns = namespace(&admin, prefix).await;
    (admin, ns)
}

/// Creates a fresh namespace `<prefix>-<pid>-<n>`.
pub async fn namespace(admin: &Client, prefix: &str) -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    let name = format!(
        "{prefix}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    );
    let namespace = Namespace {
        metadata: ObjectMeta {
            name: Some(name.clone()),
            ..ObjectMeta::default()
        },
        ..Namespace::default()
    };
    Api::<Namespace>::all(admin.clone())
        .create(&PostParams::default(), &namespace)
        .await
        .unwrap_or_else(|e| panic!("cannot create namespace {name}: {e}"));
    name
}

/// The operator's ServiceAccount, as `deploy/operator/rbac.yaml` names it.
pub const OPERATOR_ACCOUNT: &str = "vitistack-downstream";

/// The documents of `deploy/operator/rbac.yaml` (the operator's ServiceAccount, Roles and
/// RoleBindings: the one source of its rights) placed in `namespace`, as kustomize's namespace
/// transformer places them: `metadata.namespace` and the RoleBindings' subjects.
pub fn operator_rbac(namespace: &str) -> Vec<serde_json::Value> {
    let path = repo_root().join("deploy/operator/rbac.yaml");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let mut documents: Vec<serde_json::Value> = serde_saphyr::from_multiple(&text)
        .unwrap_or_else(|e| panic!("{} is no YAML stream: {e}", path.display()));
    for document in &mut documents {
        document["metadata"]["namespace"] = namespace.into();
        if let Some(subjects) = document["subjects"].as_array_mut() {
            for subject in subjects {
                subject["namespace"] = namespace.into();
            }
        }
    }
    documents
}

/// Creates the objects of [`operator_rbac`] in `namespace` (keeping those that exist).
pub async fn install_operator_rbac(admin: &Client, namespace: &str) {
    let params = PostParams::default();
    for document in operator_rbac(namespace) {
        let kind = document["kind"].as_str().unwrap_or_default().to_string();
        let created = match kind.as_str() {
            "ServiceAccount" => Api::<ServiceAccount>::namespaced(admin.clone(), namespace)
                .create(&params, &typed(document))
                .await
                .map(|_| ()),
            "Role" => Api::<Role>::namespaced(admin.clone(), namespace)
                .create(&params, &typed(document))
                .await
                .map(|_| ()),
            "RoleBinding" => Api::<RoleBinding>::namespaced(admin.clone(), namespace)
                .create(&params, &typed(document))
                .await
                .map(|_| ()),
            other => panic!("deploy/operator/rbac.yaml: unexpected kind {other:?}"),
        };
        create_or_keep(created, &kind);
    }
}

fn typed<T: serde::de::DeserializeOwned>(document: serde_json::Value) -> T {
    serde_json::from_value(document).unwrap_or_else(|e| panic!("a bad RBAC document: {e}"))
}

/// A token of the operator's ServiceAccount in `namespace` (a TokenRequest, one hour).
pub async fn operator_token(admin: &Client, namespace: &str) -> String {
    let accounts = Api::<ServiceAccount>::namespaced(admin.clone(), namespace);
    // Built from JSON: TokenRequest's Rust shape differs between Kubernetes versions.
    let request: TokenRequest =
        serde_json::from_value(serde_json::json!({"spec": {"expirationSeconds": 3600}}))
            .expect("a TokenRequest");
    let response = accounts
        .create_token_request(OPERATOR_ACCOUNT, &PostParams::default(), &request)
        .await
        .unwrap_or_else(|e| panic!("TokenRequest for {namespace}/{OPERATOR_ACCOUNT} failed: {e}"));
    response
        .status
        .and_then(|s| s.token)
        .unwrap_or_else(|| panic!("TokenRequest for {namespace}/{OPERATOR_ACCOUNT} gave no token"))
}

/// Installs the operator's RBAC in `namespace` and returns a client that authenticates as its
/// ServiceAccount (a token, no client certificate) to the server of `kubeconfig`.
pub async fn operator_client(admin: &Client, kubeconfig: Kubeconfig, namespace: &str) -> Client {
    install_operator_rbac(admin, namespace).await;
    let token = operator_token(admin, namespace).await;
    client_for(with_token(kubeconfig, &token)).await
}

/// `kubeconfig` authenticating with `token` only.
pub fn with_token(mut kubeconfig: Kubeconfig, token: &str) -> Kubeconfig {
    for named in &mut kubeconfig.auth_infos {
        named.auth_info = Some(AuthInfo {
            token: Some(token.to_string().into()),
            ..AuthInfo::default()
        });
    }
    kubeconfig
}

fn create_or_keep<T>(result: Result<T, kube::Error>, what: &str) {
    match result {
        Ok(_) => {}
        Err(kube::Error::Api(status)) if status.code == 409 => {}
        Err(e) => panic!("cannot create the {what}: {e}"),
    }
}

/// `GET path` on `address` over plain HTTP/1.1 (the operator's endpoints): the status code and
/// the body.
pub async fn http_get(address: &str, path: &str) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect(address).await.ok()?;
    let request = format!("GET {path} HTTP/1.1\r\nHost: operator\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).await.ok()?;
    let status = response.split(' ').nth(1)?.parse().ok()?;
    let body = response.split_once("\r\n\r\n")?.1.to_string();
    Some((status, body))
}

/// Polls `check` every 100 ms until it returns `Some`, failing with `what` after `timeout`.
pub async fn eventually<T, F, Fut>(timeout: Duration, what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out after {timeout:?} waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A TCP proxy to the server that can cut every connection and refuse new ones: to the
/// operator behind it, a server that went away and came back.
pub struct Proxy {
    pub port: u16,
    down: Arc<AtomicBool>,
    connections: Arc<Mutex<Vec<JoinHandle<()>>>>,
}

impl Proxy {
    pub async fn start(target: SocketAddr) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let port = listener.local_addr().expect("local address").port();
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

    pub fn url(&self) -> String {
        format!("https://127.0.0.1:{}", self.port)
    }

    /// Cuts every open connection and refuses new ones until [`Proxy::restore`].
    pub fn outage(&self) {
        self.down.store(true, Ordering::SeqCst);
        for connection in self.connections.lock().expect("lock").drain(..) {
            connection.abort();
        }
    }

    pub fn restore(&self) {
        self.down.store(false, Ordering::SeqCst);
    }
}
