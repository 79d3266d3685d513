//! The HTTPS webhook, served for real on 127.0.0.1 with an openssl-made CA: routes, many objects,
//! bad input, body limit, certificate rotation on disk, idle and non-TLS clients, keep-alive,
//! logs, graceful shutdown and the drain in order.

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;
use serde_json::{json, Value};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::oneshot;
use tokio_rustls::client::TlsStream;

use vitistack_codegen_lib::conversion::example::converter;
use vitistack_conversion::server::{serve, Options, DEFAULT_MAX_BODY_BYTES};

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
    start_with(dir, |options| options.max_body_bytes = max_body_bytes).await
}

async fn start_with(dir: PathBuf, configure: impl FnOnce(&mut Options)) -> Server {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let mut options = Options::new(dir.join("tls.crt"), dir.join("tls.key"));
    options.io_timeout = Duration::from_secs(2);
    options.drain_delay = Duration::ZERO;
    configure(&mut options);
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
    tokio::time::timeout(
        LIMIT,
        one_request(server.addr, &server.dir, method, path, body),
    )
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

/// The webhook's log lines, captured for the test's thread (a current-thread runtime polls the
/// server's tasks on it).
#[derive(Clone, Default)]
struct Logs(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Logs {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Logs {
    fn capture() -> (Logs, tracing::subscriber::DefaultGuard) {
        let logs = Logs::default();
        let writer = logs.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        (logs, tracing::subscriber::set_default(subscriber))
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).to_string()
    }
}

/// Reads until the peer closes (EOF or reset), within [`LIMIT`].
async fn until_closed(stream: &mut TcpStream) -> Vec<u8> {
    let mut buf = Vec::new();
    let _ = tokio::time::timeout(LIMIT, stream.read_to_end(&mut buf))
        .await
        .expect("the server closes the connection in time");
    buf
}

#[tokio::test]
async fn idle_and_non_tls_clients_do_not_block_others_and_are_closed() {
    let (logs, _guard) = Logs::capture();
    let server = start(certs("idle"), 3 << 20).await;
    // A client that never starts the TLS handshake is closed after `io_timeout` (2 s here).
    let mut idle = TcpStream::connect(server.addr).await.unwrap();
    let mut plain = TcpStream::connect(server.addr).await.unwrap();
    plain
        .write_all(b"GET /healthz HTTP/1.1\r\n\r\n")
        .await
        .unwrap();
    assert_eq!(request(&server, "GET", "/healthz", b"").await.0, 200);
    // The plain-HTTP client gets its connection closed without an HTTP answer (at most a TLS
    // alert), and the failed handshake is logged with its address.
    let answer = until_closed(&mut plain).await;
    assert!(!answer.starts_with(b"HTTP/"), "{answer:?}");
    let plain_addr = plain.local_addr().unwrap().to_string();
    let text = logs.text();
    assert!(
        text.lines()
            .any(|l| l.contains("TLS handshake failed") && l.contains(&plain_addr)),
        "no handshake failure logged for {plain_addr}:\n{text}"
    );
    assert_eq!(
        until_closed(&mut idle).await,
        b"",
        "nothing sent to the idle client"
    );
    let idle_addr = idle.local_addr().unwrap().to_string();
    assert!(
        logs.text()
            .lines()
            .any(|l| l.contains("TLS handshake timed out") && l.contains(&idle_addr)),
        "no handshake time-out logged for {idle_addr}:\n{}",
        logs.text()
    );
    stop(server).await;
}

/// Writes one keep-alive request on `stream` and reads its response (status, whether the server
/// closes the connection after it, body).
async fn keep_alive_request(
    stream: &mut TlsStream<TcpStream>,
    method: &str,
    path: &str,
    body: &[u8],
) -> std::io::Result<(u16, bool, String)> {
    let head = format!("{method} {path} HTTP/1.1\r\nHost: webhook\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n", body.len());
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(body).await?;
    stream.flush().await?;
    let mut raw = Vec::new();
    let end = loop {
        let mut chunk = [0u8; 8192];
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        raw.extend_from_slice(&chunk[..n]);
        if let Some(end) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
    };
    let head = String::from_utf8_lossy(&raw[..end]).to_ascii_lowercase();
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    while raw.len() < end + length {
        let mut chunk = vec![0u8; end + length - raw.len()];
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        raw.extend_from_slice(&chunk[..n]);
    }
    let status = head.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
    let closes = head.contains("connection: close");
    let body = String::from_utf8_lossy(&raw[end..end + length]).to_string();
    Ok((status, closes, body))
}

#[tokio::test]
async fn a_keep_alive_connection_is_reused_after_idling_past_the_handshake_timeout() {
    let server = start(certs("keepalive"), 3 << 20).await;
    let mut stream = connect(server.addr, &server.dir).await;
    let body = review(3);
    let first = keep_alive_request(&mut stream, "POST", "/convert", &body)
        .await
        .expect("first request");
    assert_eq!((first.0, first.1), (200, false), "{}", first.2);
    // The apiserver keeps idle connections for 90 s; the webhook must not close them sooner.
    // Idle longer than `io_timeout` (2 s here), which bounds handshakes only: the waiting is the
    // behaviour under test, not a synchronisation.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let second = keep_alive_request(&mut stream, "POST", "/convert", &body)
        .await
        .expect("the idle connection is still open");
    assert_eq!(second.0, 200, "{}", second.2);
    assert!(second.2.contains("\"Success\""), "{}", second.2);
    stop(server).await;
}

#[tokio::test]
async fn a_full_list_page_of_ten_kilobyte_objects_fits_the_default_limit() {
    let server = start(certs("page"), DEFAULT_MAX_BODY_BYTES).await;
    let colors: Vec<String> = (0..1000).map(|i| format!("color-{i:04}")).collect();
    let objects: Vec<Value> = (0..500)
        .map(|i| {
            json!({"apiVersion": "example.vitistack.dev/v1beta1", "kind": "Widget",
            "metadata": {"name": format!("w{i}"), "namespace": "ns"},
            "spec": {"size": 1, "colors": colors}})
        })
        .collect();
    assert!(serde_json::to_vec(&objects[0]).unwrap().len() >= 10_000);
    let body = serde_json::to_vec(&json!({"apiVersion": "apiextensions.k8s.io/v1",
        "kind": "ConversionReview", "request": {"uid": "u",
        "desiredAPIVersion": "example.vitistack.dev/v1alpha1", "objects": objects}}))
    .unwrap();
    let (status, text) = request(&server, "POST", "/convert", &body).await;
    assert_eq!(status, 200, "{}", &text[..text.len().min(300)]);
    let text: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(text["response"]["result"]["status"], "Success");
    assert_eq!(
        text["response"]["convertedObjects"]
            .as_array()
            .unwrap()
            .len(),
        500
    );
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

#[tokio::test]
async fn the_drain_runs_in_order_readiness_down_then_listener_closed() {
    let mut server = start_with(certs("order"), |o| o.drain_delay = Duration::from_secs(3)).await;
    assert_eq!(request(&server, "GET", "/readyz", b"").await.0, 200);
    let _ = server.stop.take().unwrap().send(());
    // Readiness goes down while the listener still accepts: new connections are answered 503
    // (each answer closes its connection, so the client reconnects through the Service).
    let readiness = tokio::time::timeout(LIMIT, async {
        loop {
            let mut stream = connect(server.addr, &server.dir).await;
            let answer = keep_alive_request(&mut stream, "GET", "/readyz", b"").await;
            if let Ok((503, closes, _)) = answer {
                return closes;
            }
        }
    })
    .await
    .expect("readiness goes down while the listener accepts");
    assert!(
        readiness,
        "a response during the drain closes its connection"
    );
    tokio::time::timeout(LIMIT, &mut server.done)
        .await
        .expect("serve returns after the drain")
        .unwrap();
    assert!(
        TcpStream::connect(server.addr).await.is_err(),
        "the listener is closed after the drain"
    );
    let _ = std::fs::remove_dir_all(&server.dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_under_load_fails_no_request() {
    let mut server = start_with(certs("load"), |o| o.drain_delay = Duration::from_secs(2)).await;
    let body = Arc::new(review(20));
    let sent = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    // Clients on keep-alive connections, each sending reviews back to back until an answer
    // closes its connection (then a client behind a Service goes to another replica).
    let clients: Vec<_> = (0..8)
        .map(|_| {
            let (addr, dir, body, sent) =
                (server.addr, server.dir.clone(), body.clone(), sent.clone());
            tokio::spawn(async move {
                let mut stream = connect(addr, &dir).await;
                let mut answered = 0usize;
                loop {
                    sent.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    let (status, closes, text) =
                        keep_alive_request(&mut stream, "POST", "/convert", &body)
                            .await
                            .unwrap_or_else(|e| panic!("request {answered} failed: {e}"));
                    assert_eq!(status, 200, "{text}");
                    assert!(text.contains("\"Success\""), "{text}");
                    answered += 1;
                    if closes {
                        return answered;
                    }
                }
            })
        })
        .collect();
    // Under load: every client has had answers before the shutdown starts.
    tokio::time::timeout(LIMIT, async {
        while sent.load(std::sync::atomic::Ordering::SeqCst) < 8 * 5 {
            tokio::task::yield_now().await;
        }
    })
    .await
    .expect("load");
    let _ = server.stop.take().unwrap().send(());
    for client in clients {
        let answered = tokio::time::timeout(LIMIT, client)
            .await
            .expect("client ends")
            .expect("no request failed");
        assert!(answered >= 1);
    }
    tokio::time::timeout(LIMIT, &mut server.done)
        .await
        .expect("serve returns")
        .unwrap();
    let _ = std::fs::remove_dir_all(&server.dir);
}
