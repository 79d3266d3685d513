//! The HTTPS webhook, served for real on 127.0.0.1 with an openssl-made CA: routes, many objects,
//! bad input, body limit, certificate rotation on disk, idle and non-TLS clients, graceful shutdown.

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;
use serde_json::{json, Value};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::oneshot;
use tokio_rustls::client::TlsStream;

use vitistack_conversion::example::converter;
use vitistack_conversion::server::{serve, Options};

mod common;
use common::*;

const LIMIT: Duration = Duration::from_secs(20);

fn certs(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "vitistack-conversion-{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    gen(&dir, false);
    dir
}

struct Server {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    done: tokio::task::JoinHandle<()>,
    dir: PathBuf,
}

async fn start(dir: PathBuf, max_body_bytes: usize) -> Server {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let mut options = Options::new(dir.join("tls.crt"), dir.join("tls.key"));
    options.max_body_bytes = max_body_bytes;
    options.io_timeout = Duration::from_secs(2);
    let done = tokio::spawn(async move {
        serve(listener, converter(), options, async {
            let _ = stopped.await;
        })
        .await
        .unwrap();
    });
    Server {
        addr,
        stop: Some(stop),
        done,
        dir,
    }
}

async fn request(server: &Server, method: &str, path: &str, body: &[u8]) -> (u16, String) {
    tokio::time::timeout(LIMIT, async {
        let mut stream = connect(server.addr, &server.dir).await;
        stream
            .write_all(head(method, path, body.len()).as_bytes())
            .await
            .unwrap();
        stream.write_all(body).await.unwrap();
        stream.flush().await.unwrap();
        read_response(&mut stream).await
    })
    .await
    .expect("no answer in time")
}

async fn stop(mut server: Server) {
    let _ = server.stop.take().unwrap().send(());
    tokio::time::timeout(LIMIT, server.done)
        .await
        .expect("serve returns after shutdown")
        .unwrap();
    let _ = std::fs::remove_dir_all(&server.dir);
}

#[tokio::test]
async fn routes_and_many_objects() {
    let server = start(certs("routes"), 3 << 20).await;
    assert_eq!(
        request(&server, "GET", "/healthz", b"").await,
        (200, "ok".into())
    );
    assert_eq!(
        request(&server, "GET", "/readyz", b"").await,
        (200, "ok".into())
    );
    assert_eq!(request(&server, "GET", "/nope", b"").await.0, 404);
    assert_eq!(request(&server, "GET", "/convert", b"").await.0, 405);
    let (status, body) = request(&server, "POST", "/convert", &review(100)).await;
    assert_eq!(status, 200);
    let body: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["response"]["result"]["status"], "Success");
    assert_eq!(body["response"]["uid"], "u");
    let objects = body["response"]["convertedObjects"].as_array().unwrap();
    assert_eq!(objects.len(), 100);
    assert_eq!(objects[99]["metadata"]["name"], "w99");
    assert_eq!(objects[99]["spec"]["colors"], json!(["red"]));
    stop(server).await;
}

#[tokio::test]
async fn malformed_and_oversized_reviews_fail_cleanly() {
    let server = start(certs("bad"), 4096).await;
    let (status, body) = request(&server, "POST", "/convert", b"{\"apiVersion\": 1").await;
    assert_eq!(status, 200);
    let body: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["response"]["result"]["status"], "Failure");
    assert!(body["response"]["result"]["message"]
        .as_str()
        .unwrap()
        .contains("malformed ConversionReview"));
    let (status, body) = request(&server, "POST", "/convert", &review(200)).await;
    assert_eq!(status, 413);
    assert!(
        body.contains("request body larger than 4096 bytes"),
        "{body}"
    );
    // Still serving after both.
    assert_eq!(request(&server, "GET", "/healthz", b"").await.0, 200);
    stop(server).await;
}

#[tokio::test]
async fn idle_and_non_tls_clients_do_not_block_others() {
    let server = start(certs("idle"), 3 << 20).await;
    let _idle = TcpStream::connect(server.addr).await.unwrap();
    let mut plain = TcpStream::connect(server.addr).await.unwrap();
    plain
        .write_all(b"GET /healthz HTTP/1.1\r\n\r\n")
        .await
        .unwrap();
    assert_eq!(request(&server, "GET", "/healthz", b"").await.0, 200);
    // The plain-HTTP client gets its connection closed, not an answer.
    let mut buf = Vec::new();
    let read = tokio::time::timeout(LIMIT, plain.read_to_end(&mut buf))
        .await
        .expect("closed in time");
    assert!(read.is_err() || !String::from_utf8_lossy(&buf).contains("200 OK"));
    stop(server).await;
}

fn peer_cert(stream: &TlsStream<TcpStream>) -> Vec<u8> {
    stream.get_ref().1.peer_certificates().unwrap()[0].to_vec()
}

fn file_cert(dir: &Path) -> Vec<u8> {
    CertificateDer::from_pem_file(dir.join("tls.crt"))
        .unwrap()
        .to_vec()
}

#[tokio::test]
async fn a_certificate_rotated_on_disk_is_served_without_restart() {
    let server = start(certs("rotate"), 3 << 20).await;
    let first = file_cert(&server.dir);
    assert_eq!(peer_cert(&connect(server.addr, &server.dir).await), first);
    // No pause for the file system's mtime resolution: the new files are renamed into place,
    // and the inode is part of what tells a changed file.
    gen(&server.dir, true);
    let second = file_cert(&server.dir);
    assert_ne!(first, second);
    assert_eq!(peer_cert(&connect(server.addr, &server.dir).await), second);
    assert_eq!(request(&server, "GET", "/healthz", b"").await.0, 200);
    stop(server).await;
}

#[tokio::test]
async fn a_key_that_does_not_match_keeps_the_previous_pair() {
    let server = start(certs("mismatch"), 3 << 20).await;
    let first = file_cert(&server.dir);
    let old_key = std::fs::read(server.dir.join("tls.key")).unwrap();
    // The server has loaded the first pair (it serves it) before the files change.
    assert_eq!(peer_cert(&connect(server.addr, &server.dir).await), first);
    gen(&server.dir, true);
    // Half a rotation: new certificate, old key.
    std::fs::write(server.dir.join("tls.key"), old_key).unwrap();
    assert_eq!(peer_cert(&connect(server.addr, &server.dir).await), first);
    stop(server).await;
}

/// Reads up to the end of one response head (an interim `100 Continue`).
async fn read_head(stream: &mut TlsStream<TcpStream>) -> String {
    let mut raw = Vec::new();
    while !raw.ends_with(b"\r\n\r\n") {
        let mut byte = [0u8; 1];
        if stream.read(&mut byte).await.unwrap() == 0 {
            break;
        }
        raw.push(byte[0]);
    }
    String::from_utf8_lossy(&raw).into_owned()
}

#[tokio::test]
async fn shutdown_finishes_the_request_in_flight_then_refuses_new_ones() {
    let mut server = start(certs("drain"), 3 << 20).await;
    let body = review(10);
    let mut stream = connect(server.addr, &server.dir).await;
    // `Expect: 100-continue`: the server's `100 Continue` says the request is in flight (its
    // head parsed, its body asked for).
    let expect = head("POST", "/convert", body.len())
        .replace("\r\n\r\n", "\r\nExpect: 100-continue\r\n\r\n");
    stream.write_all(expect.as_bytes()).await.unwrap();
    stream.flush().await.unwrap();
    let interim = tokio::time::timeout(LIMIT, read_head(&mut stream))
        .await
        .expect("100 Continue in time");
    assert!(interim.starts_with("HTTP/1.1 100"), "{interim}");
    stream.write_all(&body[..10]).await.unwrap();
    stream.flush().await.unwrap();
    let _ = server.stop.take().unwrap().send(());
    // The shutdown has begun once the listener is closed.
    tokio::time::timeout(LIMIT, async {
        while TcpStream::connect(server.addr).await.is_ok() {
            tokio::time::sleep(Duration::from_millis(10)).await; // poll interval
        }
    })
    .await
    .expect("the listener closes");
    stream.write_all(&body[10..]).await.unwrap();
    stream.flush().await.unwrap();
    let (status, text) = tokio::time::timeout(LIMIT, read_response(&mut stream))
        .await
        .unwrap();
    assert_eq!(status, 200, "{text}");
    assert!(text.contains("\"Success\""), "{text}");
    tokio::time::timeout(LIMIT, &mut server.done)
        .await
        .expect("serve returns")
        .unwrap();
    assert!(
        TcpStream::connect(server.addr).await.is_err(),
        "the listener is closed"
    );
    let _ = std::fs::remove_dir_all(&server.dir);
}
