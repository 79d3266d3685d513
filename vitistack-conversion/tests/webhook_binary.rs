//! The template binary (`examples/conversion_webhook.rs`) as a user runs it: it prints where it
//! listens, answers health, readiness and a review over HTTPS, logs JSON lines with
//! `--log-format json`, and on SIGTERM drains and exits 0, saying so in its logs.
//!
//! `cargo test` builds the example with the other targets; this test runs that build
//! (`target/<profile>/examples/conversion_webhook`).

use serde_json::Value;
use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Duration;

mod common;
use common::*;

fn binary() -> PathBuf {
    let exe = std::env::current_exe().expect("the test's path");
    // target/<profile>/deps/webhook_binary-<hash> → target/<profile>/examples/conversion_webhook
    let path = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("target/<profile>")
        .join("examples/conversion_webhook");
    assert!(
        path.is_file(),
        "{} is missing: run `cargo test -p vitistack-conversion --features server,k8s-openapi/latest` (it builds the examples)",
        path.display()
    );
    path
}

#[tokio::test]
async fn the_template_binary_serves_logs_json_and_drains_on_sigterm() {
    let dir = std::env::temp_dir().join(format!(
        "vitistack-conversion-binary-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    gen(&dir, false);
    let mut child = Command::new(binary())
        .args(["--listen", "127.0.0.1:0", "--log-format", "json", "--cert"])
        .arg(dir.join("tls.crt"))
        .arg("--key")
        .arg(dir.join("tls.key"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut stderr = child.stderr.take().unwrap();
    let mut line = String::new();
    stdout.read_line(&mut line).expect("a line on stdout");
    let addr: std::net::SocketAddr = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("not `listening on ADDR`: {line:?}"))
        .parse()
        .expect("an address");

    assert_eq!(
        one_request(addr, &dir, "GET", "/healthz", b"").await,
        (200, "ok".into())
    );
    assert_eq!(
        one_request(addr, &dir, "GET", "/readyz", b"").await,
        (200, "ok".into())
    );
    let (status, body) = one_request(addr, &dir, "POST", "/convert", &review(3)).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"Success\""), "{body}");

    let pid = child.id().to_string();
    let signal = |name: &str| {
        Command::new("kill")
            .args([name, &pid])
            .status()
            .expect("kill runs")
    };
    assert!(signal("-TERM").success());
    // The drain: 5 s of readiness down, then the listener closes and connections finish.
    let exit = tokio::time::timeout(
        Duration::from_secs(30),
        tokio::task::spawn_blocking(move || child.wait()),
    )
    .await;
    let Ok(exit) = exit else {
        signal("-KILL");
        panic!("the binary did not exit within 30 s of SIGTERM");
    };
    let exit = exit.unwrap().expect("the binary exits");
    assert!(exit.success(), "exit after SIGTERM: {exit:?}");

    // The process has exited: its stderr is complete.
    let mut logs = String::new();
    stderr.read_to_string(&mut logs).expect("stderr");
    let messages: Vec<String> = logs
        .lines()
        .map(|line| {
            let entry: Value = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("not a JSON log line ({e}): {line}"));
            entry["fields"]["message"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    for expected in [
        "serving /convert",
        "SIGTERM",
        "drained: every connection finished",
    ] {
        assert!(
            messages.iter().any(|m| m.starts_with(expected)),
            "no log line {expected:?} in {messages:?}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
