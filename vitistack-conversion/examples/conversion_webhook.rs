//! The example conversion webhook for `Widget` (example.vitistack.dev, v1alpha1 ⇄ v1beta1).
//!
//! ```text
//! cargo run -p vitistack-conversion --features server,k8s-openapi/latest --example conversion_webhook -- \
//!     --listen 127.0.0.1:9443 --cert tls.crt --key tls.key
//! ```
//! Prints `listening on ADDR` when ready; stops on SIGTERM or Ctrl-C after finishing requests in
//! flight. The certificate and key are reloaded when their files change.

use std::process::ExitCode;
use vitistack_codegen_lib::conversion::example::converter;
use vitistack_conversion::server::{serve, Options};

struct Args {
    listen: String,
    cert: String,
    key: String,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        listen: "127.0.0.1:9443".into(),
        cert: "tls.crt".into(),
        key: "tls.key".into(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--listen" => args.listen = value,
            "--cert" => args.cert = value,
            "--key" => args.key = value,
            other => {
                return Err(format!(
                    "unknown flag {other} (known: --listen, --cert, --key)"
                ))
            }
        }
    }
    Ok(args)
}

async fn terminated() {
    let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
        Ok(term) => term,
        Err(_) => return std::future::pending().await,
    };
    tokio::select! {
        _ = term.recv() => {}
        _ = tokio::signal::ctrl_c() => {}
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(e) => {
            eprintln!("conversion_webhook: {e}");
            return ExitCode::from(2);
        }
    };
    let listener = match tokio::net::TcpListener::bind(&args.listen).await {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("conversion_webhook: listen on {}: {e}", args.listen);
            return ExitCode::FAILURE;
        }
    };
    match listener.local_addr() {
        Ok(addr) => println!("listening on {addr}"),
        Err(e) => eprintln!("conversion_webhook: {e}"),
    }
    match serve(
        listener,
        converter(),
        Options::new(args.cert, args.key),
        terminated(),
    )
    .await
    {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("conversion_webhook: {e}");
            ExitCode::FAILURE
        }
    }
}
