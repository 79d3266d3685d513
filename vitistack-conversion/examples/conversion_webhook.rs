//! A conversion webhook binary to copy: change the one line in [`conversions`] to your kinds.
//!
//! ```text
//! cargo run -p vitistack-conversion --features server,k8s-openapi/latest --example conversion_webhook -- \
//!     --listen 0.0.0.0:9443 --cert tls.crt --key tls.key [--log-format json]
//! ```
//!
//! - Serves `POST /convert` for every kind in [`conversions`] (one CRD stanza per kind, all
//!   pointing at this Service and path), `GET /healthz` (liveness) and `GET /readyz` (readiness,
//!   503 once shutdown began). `deploy/webhook` runs it as a Deployment, in the image
//!   `packaging/conversion-webhook.Containerfile` builds.
//! - Logs with `tracing` to stderr, as text or JSON (`--log-format json`); the level comes from
//!   `RUST_LOG` (default `info`).
//! - On SIGTERM or Ctrl-C: readiness goes down, the listener keeps accepting for the drain delay,
//!   then closes, then requests in flight finish ([`vitistack_conversion::server`]).
//! - The certificate and key are reloaded when their files change (cert-manager rotation).
//!
//! Prints `listening on ADDR` on stdout when ready. Exit status: 0 after a clean shutdown, 1 when
//! it cannot listen or the certificate is unusable, 2 for bad flags.

use std::process::ExitCode;
use vitistack_codegen_lib::conversion::example;
use vitistack_conversion::server::{serve, Options};
use vitistack_conversion::Conversions;

/// The kinds this webhook converts: the one line to change (`.with(converter)` per kind).
fn conversions() -> Conversions {
    Conversions::new().with(example::converter())
}

struct Args {
    listen: String,
    cert: String,
    key: String,
    json_logs: bool,
}

const USAGE: &str = "flags: --listen ADDR, --cert FILE, --key FILE, --log-format text|json";

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut parsed = Args {
        listen: "127.0.0.1:9443".into(),
        cert: "tls.crt".into(),
        key: "tls.key".into(),
        json_logs: false,
    };
    while let Some(flag) = args.next() {
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match (flag.as_str(), value.as_str()) {
            ("--listen", _) => parsed.listen = value,
            ("--cert", _) => parsed.cert = value,
            ("--key", _) => parsed.key = value,
            ("--log-format", "json") => parsed.json_logs = true,
            ("--log-format", "text") => parsed.json_logs = false,
            ("--log-format", other) => return Err(format!("unknown log format {other:?}")),
            (other, _) => return Err(format!("unknown flag {other} ({USAGE})")),
        }
    }
    Ok(parsed)
}

fn init_logs(json: bool) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if json {
        logs.json().init();
    } else {
        logs.init();
    }
}

/// SIGTERM (the kubelet stopping the Pod) or Ctrl-C.
async fn terminated() {
    let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
        Ok(term) => term,
        Err(error) => {
            tracing::warn!(%error, "no SIGTERM handler; stopping on Ctrl-C only");
            let _ = tokio::signal::ctrl_c().await;
            return;
        }
    };
    tokio::select! {
        _ = term.recv() => tracing::info!("SIGTERM"),
        _ = tokio::signal::ctrl_c() => tracing::info!("interrupted"),
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(e) => {
            eprintln!("conversion_webhook: {e}");
            return ExitCode::from(2);
        }
    };
    init_logs(args.json_logs);
    let conversions = conversions();
    let listener = match tokio::net::TcpListener::bind(&args.listen).await {
        Ok(listener) => listener,
        Err(error) => {
            tracing::error!(listen = %args.listen, %error, "cannot listen");
            return ExitCode::FAILURE;
        }
    };
    match listener.local_addr() {
        Ok(addr) => {
            tracing::info!(%addr, kinds = ?conversions.kinds(), "serving /convert");
            println!("listening on {addr}");
        }
        Err(error) => tracing::warn!(%error, "no local address"),
    }
    let options = Options::new(args.cert, args.key);
    match serve(listener, conversions, options, terminated()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(%error, "cannot serve");
            ExitCode::FAILURE
        }
    }
}
