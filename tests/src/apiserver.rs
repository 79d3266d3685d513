//! One real Kubernetes API server for the end-to-end tests of a run.
//!
//! The server is `test-apiserver` (`tests/apiserver/`): an embedded etcd plus the kube-apiserver
//! of Kubernetes v1.37.2 in one Go process, what controller-runtime's envtest runs. It serves the
//! whole API (core, RBAC, coordination, apiextensions, admission) with RBAC authorization and real
//! TLS; its kubeconfig carries the CA and the client certificate of an admin in `system:masters`
//! (who may impersonate). No controllers run: namespaces are never deleted, no pod is scheduled.
//! Tests that need a namespace create their own ([`crate::test_namespace`]); other identities
//! come from [`crate::identity`].
//!
//! [`kubeconfig_path`] picks the server, in this order of precedence:
//!
//! 1. `$VITISTACK_TEST_KUBECONFIG` ([`KUBECONFIG_ENV`]), if set and non-empty: that kubeconfig is
//!    used as it is (any cluster; nothing is started or checked beyond the file existing).
//! 2. `$VITISTACK_TEST_APISERVER_DIR` ([`APISERVER_DIR_ENV`]), if set and non-empty: the server
//!    that `tests/apiserver/start.sh DIR` started in that directory (`DIR/kubeconfig`, `DIR/pid`).
//!    This is how `make test` shares one server between all test binaries. If no server is
//!    running there, the tests panic (they do not fall back to starting their own).
//! 3. Otherwise one server per test process: `tests/apiserver/start.sh` (which builds
//!    `target/test-apiserver` first if needed; that needs Go ≥ 1.26 and takes about four minutes
//!    the first time) starts it in a fresh directory under `<repo>/target/apiserver-runs/`, on free
//!    ports, with `-parent-pid` set to this process: the server shuts itself down (within about
//!    a second, removing its etcd data) once the test process has exited. Directories of servers
//!    that are no longer running are removed by later runs after ten minutes.
//!
//! The choice is made once per process; every call returns the same path. If the server cannot
//! be had, every call panics with the reason (for 3., including the output of `start.sh` and the
//! tail of the server log): the end-to-end tests fail loudly and never skip.
//!
//! Linux only (liveness checks read `/proc`). Start a server by hand with
//! `tests/apiserver/start.sh DIR` (it prints `export KUBECONFIG=DIR/kubeconfig`) and stop it
//! with `tests/apiserver/stop.sh DIR`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Environment variable naming a kubeconfig to use as it is (precedence 1).
pub const KUBECONFIG_ENV: &str = "VITISTACK_TEST_KUBECONFIG";
/// Environment variable naming the directory of a server started by `start.sh` (precedence 2).
pub const APISERVER_DIR_ENV: &str = "VITISTACK_TEST_APISERVER_DIR";

/// Directories of stopped servers older than this are removed when a test process starts one.
const STALE_AFTER: Duration = Duration::from_secs(10 * 60);

/// The kubeconfig of the test API server (see the [module docs](self) for which server).
///
/// Starts the server on first use if this process has to have its own. Panics, with the reason,
/// if there is no server.
pub fn kubeconfig_path() -> PathBuf {
    static SERVER: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    match SERVER.get_or_init(resolve) {
        Ok(path) => path.clone(),
        Err(reason) => panic!("no Kubernetes API server for the tests: {reason}"),
    }
}

fn env_nonempty(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn resolve() -> Result<PathBuf, String> {
    if let Some(path) = env_nonempty(KUBECONFIG_ENV) {
        let path = PathBuf::from(path);
        return if path.is_file() {
            Ok(path)
        } else {
            Err(format!("{KUBECONFIG_ENV}={} is not a file", path.display()))
        };
    }
    if let Some(dir) = env_nonempty(APISERVER_DIR_ENV) {
        return shared_server(Path::new(&dir));
    }
    start_own()
}

fn shared_server(dir: &Path) -> Result<PathBuf, String> {
    let kubeconfig = dir.join("kubeconfig");
    let pid = read_pid(dir);
    if kubeconfig.is_file() && pid.is_some_and(server_running) {
        return Ok(kubeconfig);
    }
    Err(format!(
        "{APISERVER_DIR_ENV}={} has no running test-apiserver ({}). Start one with \
         `tests/apiserver/start.sh {0}`, or unset {APISERVER_DIR_ENV} to let each test process \
         start its own.{}",
        dir.display(),
        match pid {
            None => "no pid file".to_string(),
            Some(pid) if !server_running(pid) => format!("process {pid} is not running"),
            Some(_) => "no kubeconfig".to_string(),
        },
        log_tail(dir)
    ))
}

fn start_own() -> Result<PathBuf, String> {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf();
    let script = repo.join("tests/apiserver/start.sh");
    let runs = repo.join("target/apiserver-runs");
    fs::create_dir_all(&runs).map_err(|e| format!("cannot create {}: {e}", runs.display()))?;
    remove_stale_runs(&runs);

    let me = std::process::id();
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let dir = runs.join(format!("{me}-{nanos}"));
    fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;

    eprintln!(
        "vitistack-e2e: starting test-apiserver in {} (the first build takes a few minutes)",
        dir.display()
    );
    let output = Command::new("bash")
        .arg(&script)
        .arg(&dir)
        .arg(me.to_string())
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run `bash {}`: {e}", script.display()))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let kubeconfig = dir.join("kubeconfig");
    if output.status.success() && kubeconfig.is_file() {
        eprint!("{stdout}");
        return Ok(kubeconfig);
    }
    Err(format!(
        "`bash {} {} {me}` failed ({}).\n--- stdout ---\n{stdout}--- stderr ---\n{stderr}",
        script.display(),
        dir.display(),
        if output.status.success() {
            "exit 0 but no kubeconfig".to_string()
        } else {
            output.status.to_string()
        },
    ))
}

/// Removes run directories whose server is not running and that were last touched more than
/// [`STALE_AFTER`] ago (a directory being set up right now by another process is recent).
fn remove_stale_runs(runs: &Path) {
    let Ok(entries) = fs::read_dir(runs) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if !path.is_dir() || read_pid(&path).is_some_and(server_running) {
            continue;
        }
        let newest = ["pid", "server.log", "."]
            .iter()
            .filter_map(|f| fs::metadata(path.join(f)).and_then(|m| m.modified()).ok())
            .max();
        let old = newest
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > STALE_AFTER);
        if old {
            let _ = fs::remove_dir_all(&path);
        }
    }
}

fn read_pid(dir: &Path) -> Option<u32> {
    fs::read_to_string(dir.join("pid"))
        .ok()?
        .trim()
        .parse()
        .ok()
}

/// Whether `pid` is a live (not zombie) test-apiserver process.
fn server_running(pid: u32) -> bool {
    let Ok(stat) = fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return false;
    };
    let state = stat
        .rsplit_once(')')
        .and_then(|(_, rest)| rest.split_whitespace().next());
    if matches!(state, None | Some("Z") | Some("X")) {
        return false;
    }
    fs::read(format!("/proc/{pid}/cmdline"))
        .map(|c| String::from_utf8_lossy(&c).contains("test-apiserver"))
        .unwrap_or(false)
}

fn log_tail(dir: &Path) -> String {
    match fs::read_to_string(dir.join("server.log")) {
        Ok(log) => {
            let lines: Vec<&str> = log.lines().collect();
            let tail = lines[lines.len().saturating_sub(30)..].join("\n");
            format!(
                "\n--- last lines of {} ---\n{tail}",
                dir.join("server.log").display()
            )
        }
        Err(_) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_live_and_dead_processes() {
        // This test process is alive but is no test-apiserver; pid 0 never exists in /proc.
        assert!(!server_running(std::process::id()));
        assert!(!server_running(0));
        assert!(fs::read_to_string(format!("/proc/{}/stat", std::process::id())).is_ok());
    }

    #[test]
    fn shared_server_without_server_is_a_clear_error() {
        let dir = std::env::temp_dir().join(format!("vitistack-no-server-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let err = shared_server(&dir).unwrap_err();
        assert!(
            err.contains("no running test-apiserver") && err.contains("no pid file"),
            "{err}"
        );
        let _ = fs::remove_dir_all(&dir);
    }
}
