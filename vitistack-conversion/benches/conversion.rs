//! Conversion throughput and webhook latency (`cargo bench -p vitistack-conversion --features
//! server,k8s-openapi/latest --bench conversion`).
//!
//! - in-process: objects converted per second through `review::answer` (100-object reviews,
//!   v1alpha1 → v1beta1 and back), JSON decode and encode included;
//! - webhook: 50 concurrent clients, each sending reviews of 100 objects over HTTPS (a new TLS
//!   connection per review, as a worst case for the apiserver's client), p50/p99 latency;
//! - peak memory: the process's VmHWM (server and clients together) from /proc/self/status.

#[path = "../tests/common/mod.rs"]
mod common;

use common::{connect, gen, head, read_response, review};
use std::time::{Duration, Instant};
use tokio::io::AsyncWriteExt;
use vitistack_codegen_lib::conversion::example::converter;
use vitistack_conversion::review::{answer, converted_objects};
use vitistack_conversion::server::{serve, Options};

const CLIENTS: usize = 50;
const REVIEWS_PER_CLIENT: usize = 20;
const OBJECTS: usize = 100;

fn in_process() {
    let converter = converter();
    let up = review(OBJECTS);
    let down: Vec<u8> = {
        let converted = answer(&converter, &up);
        let objects = converted_objects(&converted).to_vec();
        serde_json::to_vec(&serde_json::json!({"apiVersion": "apiextensions.k8s.io/v1", "kind": "ConversionReview",
            "request": {"uid": "u", "desiredAPIVersion": "example.vitistack.dev/v1alpha1", "objects": objects}}))
        .expect("encode")
    };
    for (label, body) in [("v1alpha1 -> v1beta1", &up), ("v1beta1 -> v1alpha1", &down)] {
        let start = Instant::now();
        let mut objects = 0usize;
        while start.elapsed() < Duration::from_secs(2) {
            let out = answer(&converter, body);
            objects += converted_objects(&out).len();
        }
        let rate = objects as f64 / start.elapsed().as_secs_f64();
        println!("in-process {label}: {rate:.0} objects/s ({OBJECTS}-object reviews)");
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

async fn webhook() {
    let dir =
        std::env::temp_dir().join(format!("vitistack-conversion-bench-{}", std::process::id()));
    gen(&dir, false);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let mut options = Options::new(dir.join("tls.crt"), dir.join("tls.key"));
    options.drain_delay = Duration::ZERO; // behind no Service: nothing to wait for
    let server = tokio::spawn(serve(listener, converter(), options, async {
        let _ = stopped.await;
    }));
    let body = std::sync::Arc::new(review(OBJECTS));
    let start = Instant::now();
    let clients: Vec<_> = (0..CLIENTS)
        .map(|_| {
            let (body, dir) = (body.clone(), dir.clone());
            tokio::spawn(async move {
                let mut latencies = Vec::with_capacity(REVIEWS_PER_CLIENT);
                for _ in 0..REVIEWS_PER_CLIENT {
                    let t = Instant::now();
                    let mut stream = connect(addr, &dir).await;
                    stream
                        .write_all(head("POST", "/convert", body.len()).as_bytes())
                        .await
                        .expect("write");
                    stream.write_all(&body).await.expect("write");
                    let (status, text) = read_response(&mut stream).await;
                    assert!(
                        status == 200 && text.contains("\"Success\""),
                        "status {status}"
                    );
                    latencies.push(t.elapsed());
                }
                latencies
            })
        })
        .collect();
    let mut latencies = Vec::new();
    for client in clients {
        latencies.extend(client.await.expect("client"));
    }
    let wall = start.elapsed();
    latencies.sort();
    let reviews = latencies.len();
    println!(
        "webhook: {CLIENTS} concurrent clients, {reviews} reviews of {OBJECTS} objects in {:.2} s ({:.0} objects/s): p50 {:.1} ms, p99 {:.1} ms",
        wall.as_secs_f64(),
        (reviews * OBJECTS) as f64 / wall.as_secs_f64(),
        percentile(&latencies, 0.50).as_secs_f64() * 1e3,
        percentile(&latencies, 0.99).as_secs_f64() * 1e3,
    );
    let _ = stop.send(());
    let _ = server.await;
    let _ = std::fs::remove_dir_all(&dir);
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` runs this once too, which is fine.
    in_process();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(webhook());
    match peak_rss_kib() {
        Some(kib) => println!(
            "peak memory (VmHWM, server + clients): {:.1} MiB",
            kib as f64 / 1024.0
        ),
        None => println!("peak memory: /proc/self/status not readable"),
    }
}
