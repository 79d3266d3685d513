//! What the webhook tests and the benchmark share: an openssl-made CA and certificate, and a
//! minimal HTTPS client (one request per connection, `Connection: close`).

#![allow(dead_code)] // each includer uses its part

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use serde_json::{json, Value};
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use tokio::io::AsyncReadExt;
use tokio::net::TcpStream;
use tokio_rustls::client::TlsStream;
use tokio_rustls::TlsConnector;

/// Runs scripts/conversion-certs.sh into `dir` (`--leaf` when `leaf_only`).
pub fn gen(dir: &Path, leaf_only: bool) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/conversion-certs.sh");
    let mut cmd = std::process::Command::new("bash");
    cmd.arg(script).arg(dir);
    if leaf_only {
        cmd.arg("--leaf");
    }
    let status = cmd.status().expect("bash runs");
    assert!(status.success(), "conversion-certs.sh failed");
}

/// A TLS connection to the webhook at `addr`, trusting the CA in `dir`.
pub async fn connect(addr: SocketAddr, dir: &Path) -> TlsStream<TcpStream> {
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
    let tcp = TcpStream::connect(addr).await.unwrap();
    let name = ServerName::try_from("127.0.0.1").unwrap();
    TlsConnector::from(Arc::new(config))
        .connect(name, tcp)
        .await
        .unwrap()
}

/// The request line and headers of a request with a body of `length` bytes.
pub fn head(method: &str, path: &str, length: usize) -> String {
    format!("{method} {path} HTTP/1.1\r\nHost: webhook\r\nContent-Type: application/json\r\nContent-Length: {length}\r\nConnection: close\r\n\r\n")
}

/// Status code and body of the response (read until the server closes).
pub async fn read_response(stream: &mut TlsStream<TcpStream>) -> (u16, String) {
    let mut raw = Vec::new();
    // The server may close without close_notify after `Connection: close`; what was read counts.
    let _ = stream.read_to_end(&mut raw).await;
    let text = String::from_utf8_lossy(&raw).to_string();
    let status = text.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

/// A ConversionReview of `objects` v1alpha1 Widgets to v1beta1.
pub fn review(objects: usize) -> Vec<u8> {
    let objects: Vec<Value> = (0..objects)
        .map(|i| json!({"apiVersion": "example.vitistack.dev/v1alpha1", "kind": "Widget",
            "metadata": {"name": format!("w{i}"), "namespace": "ns"}, "spec": {"size": 1, "color": "red"}}))
        .collect();
    serde_json::to_vec(&json!({"apiVersion": "apiextensions.k8s.io/v1", "kind": "ConversionReview",
        "request": {"uid": "u", "desiredAPIVersion": "example.vitistack.dev/v1beta1", "objects": objects}}))
    .unwrap()
}

/// One request on a new connection (`Connection: close`): status code and body.
pub async fn one_request(
    addr: SocketAddr,
    dir: &Path,
    method: &str,
    path: &str,
    body: &[u8],
) -> (u16, String) {
    use tokio::io::AsyncWriteExt;
    let mut stream = connect(addr, dir).await;
    stream
        .write_all(head(method, path, body.len()).as_bytes())
        .await
        .unwrap();
    stream.write_all(body).await.unwrap();
    stream.flush().await.unwrap();
    read_response(&mut stream).await
}
