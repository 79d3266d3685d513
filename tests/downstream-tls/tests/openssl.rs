//! The TLS backend is the user's: with vitistack-types' default features off and `openssl-tls`
//! on, the build holds OpenSSL and no rustls, and the client verifies the test API server's
//! certificate and talks to it through OpenSSL.

use std::path::PathBuf;
use std::process::Command;

/// The packages of this crate's normal build, one name per line (`cargo tree`).
fn packages() -> Vec<String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args([
            "tree",
            "--locked",
            "--edges",
            "normal",
            "--prefix",
            "none",
            "--manifest-path",
        ])
        .arg(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml"))
        .output()
        .expect("cargo tree runs");
    assert!(
        out.status.success(),
        "cargo tree: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|line| line.split_whitespace().next().map(str::to_string))
        .collect()
}

#[test]
fn the_build_has_openssl_and_no_rustls() {
    let packages = packages();
    assert!(packages.iter().any(|p| p == "openssl"), "{packages:?}");
    let rustls: Vec<&String> = packages
        .iter()
        .filter(|p| p.contains("rustls") || *p == "ring")
        .collect();
    assert!(rustls.is_empty(), "rustls came in: {rustls:?}");
}

/// The admin kubeconfig of the test server: `$VITISTACK_TEST_KUBECONFIG`, else
/// `$VITISTACK_TEST_APISERVER_DIR/kubeconfig` (what `make test` sets).
fn kubeconfig() -> kube::config::Kubeconfig {
    let path = match std::env::var("VITISTACK_TEST_KUBECONFIG") {
        Ok(path) if !path.trim().is_empty() => PathBuf::from(path),
        _ => PathBuf::from(std::env::var("VITISTACK_TEST_APISERVER_DIR").expect(
            "VITISTACK_TEST_APISERVER_DIR or VITISTACK_TEST_KUBECONFIG (make test sets it)",
        ))
        .join("kubeconfig"),
    };
    kube::config::Kubeconfig::read_from(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[tokio::test]
async fn the_client_talks_to_the_api_server_over_openssl() {
    let viti = vitistack_downstream_tls::client(kubeconfig())
        .await
        .expect("a client over OpenSSL");
    let version = viti
        .kube_client()
        .apiserver_version()
        .await
        .expect("the API server answers over OpenSSL");
    assert!(!version.git_version.is_empty());
    // A vitistack API call through the same connection: the CRDs are installed (or already
    // are) and served.
    viti.install_crds(std::time::Duration::from_secs(60))
        .await
        .expect("CRDs installed over OpenSSL");
}
