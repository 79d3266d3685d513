//! The conversion webhook over HTTPS (cargo feature `server`): hyper 1, rustls with ring.
//!
//! `POST /convert` answers a `ConversionReview` v1 ([`crate::review::answer`]); `GET /healthz`
//! and `GET /readyz` answer `ok`. The certificate and key are read again when their files
//! change ([`ReloadingCert`]). Request bodies over [`Options::max_body_bytes`] get 413, slow
//! handshakes and headers time out, and on shutdown the listener closes while requests in flight
//! finish (for at most [`Options::grace`]).

mod routes;
mod tls;

pub use tls::{CertError, ReloadingCert};

use crate::{Converter, Hub};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use routes::{route, Shared};
use std::future::Future;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

/// How the webhook serves.
#[derive(Debug, Clone)]
pub struct Options {
    /// PEM certificate chain file.
    pub cert_path: PathBuf,
    /// PEM private key file.
    pub key_path: PathBuf,
    /// Largest request body accepted (default 3 MiB, the apiserver's own request limit).
    pub max_body_bytes: usize,
    /// Time for a TLS handshake and for a request's headers (default 10 s).
    pub io_timeout: Duration,
    /// How long requests in flight may take to finish on shutdown (default 10 s).
    pub grace: Duration,
}

impl Options {
    /// Defaults with these certificate and key files.
    pub fn new(cert_path: impl Into<PathBuf>, key_path: impl Into<PathBuf>) -> Self {
        Options {
            cert_path: cert_path.into(),
            key_path: key_path.into(),
            max_body_bytes: 3 * 1024 * 1024,
            io_timeout: Duration::from_secs(10),
            grace: Duration::from_secs(10),
        }
    }
}

/// Why the webhook could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The certificate or key is unusable.
    #[error(transparent)]
    Cert(#[from] CertError),
    /// rustls refused the configuration.
    #[error("TLS configuration: {0}")]
    Tls(#[from] rustls::Error),
}

/// Serves `converter` on `listener` until `shutdown` completes, then drains.
pub async fn serve<H>(
    listener: TcpListener,
    converter: Converter<H>,
    options: Options,
    shutdown: impl Future<Output = ()>,
) -> Result<(), ServeError>
where
    H: Hub + Send + Sync + 'static,
{
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let resolver = ReloadingCert::new(&options.cert_path, &options.key_path, provider.clone())?;
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_cert_resolver(Arc::new(resolver));
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let shared = Arc::new(Shared {
        converter,
        max_body_bytes: options.max_body_bytes,
        ready: AtomicBool::new(true),
    });
    let graceful = GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((tcp, _)) => {
                    let watcher = graceful.watcher();
                    let (acceptor, shared, timeout) = (acceptor.clone(), shared.clone(), options.io_timeout);
                    tokio::spawn(async move {
                        let Ok(Ok(stream)) = tokio::time::timeout(timeout, acceptor.accept(tcp)).await else { return };
                        let service = service_fn(move |request| route(request, shared.clone()));
                        let connection = http1::Builder::new()
                            .timer(TokioTimer::new())
                            .header_read_timeout(timeout)
                            .serve_connection(TokioIo::new(stream), service);
                        // A client that goes away mid-request is its own problem, not the server's.
                        let _ = watcher.watch(connection).await;
                    });
                }
                // Out of file descriptors and the like: back off instead of spinning.
                Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
            },
            () = &mut shutdown => break,
        }
    }
    shared.ready.store(false, Ordering::Relaxed);
    drop(listener);
    let _ = tokio::time::timeout(options.grace, graceful.shutdown()).await;
    Ok(())
}
