//! The conversion webhook over HTTPS (cargo feature `server`): hyper 1, rustls with ring.
//!
//! `POST /convert` answers a `ConversionReview` v1 ([`crate::review::answer`]) for every kind
//! the [`ConvertObject`] given to [`serve`] converts (one [`crate::Converter`], or several in
//! [`crate::Conversions`]); `GET /healthz` and `GET /readyz` answer `ok`. The certificate and key
//! are read again when their files change ([`ReloadingCert`]).
//!
//! - **Body limit**: [`DEFAULT_MAX_BODY_BYTES`], sized for a full list page; larger bodies get
//!   413 with a failed review.
//! - **Keep-alive**: the apiserver reuses its connections; an idle one stays open for
//!   [`Options::idle_timeout`] (default 120 s), longer than the apiserver's own idle timeout
//!   (90 s, Go's `http.Transport` default), so the apiserver closes first and never sends a
//!   request on a connection the webhook is closing.
//! - **Logs** (`tracing`): TLS handshake failures and time-outs with the peer address, failed
//!   reviews with their message, each step of the drain.
//! - **Drain** on shutdown, in order: `/readyz` says 503 while the listener still accepts for
//!   [`Options::drain_delay`] (Kubernetes takes a moment to stop routing to a Pod that is not
//!   ready); then the listener closes; then requests in flight finish (for at most
//!   [`Options::grace`]) while idle keep-alive connections are closed.

mod routes;
mod tls;

pub use tls::{CertError, ReloadingCert};

use crate::ConvertObject;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use routes::{route, Shared};
use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsAcceptor;

/// The objects of one list page: the apiserver converts a page in one review, and 500 is the
/// page size of client-go's reflectors (every controller's initial list and re-list) and of
/// `kubectl get --chunk-size`.
pub const LIST_PAGE_OBJECTS: usize = 500;

/// The room for one object in a review: 10 KiB of content (spec and status) plus 6 KiB of
/// metadata (`managedFields`, labels, annotations, the kept fields of
/// [`crate::lossless::PRESERVED_ANNOTATION`]).
pub const OBJECT_BYTES: usize = 16 * 1024;

/// The review around the objects (`apiVersion`, `kind`, `uid`, `desiredAPIVersion`), with room
/// to spare.
pub const ENVELOPE_BYTES: usize = 64 * 1024;

/// The default body limit: a full list page, [`LIST_PAGE_OBJECTS`] × [`OBJECT_BYTES`] +
/// [`ENVELOPE_BYTES`] = 8,257,536 bytes (7.9 MiB).
///
/// The apiserver's own 3 MiB request limit is per object. An apiserver that converts a list
/// page as a whole sends the page in one review: 500 objects of 6 KB already exceed 3 MiB, and
/// every LIST and initial watch in a non-storage version would then fail with 413. (The 1.37
/// apiserver of the tests encodes lists item by item and sends one object per review; the
/// limit is for apiservers that do not, and for clients other than the apiserver.) Kinds with
/// larger objects need a larger
/// [`Options::max_body_bytes`]. Memory per review is about twice the body (bytes and decoded
/// objects), times the reviews served at once.
pub const DEFAULT_MAX_BODY_BYTES: usize = LIST_PAGE_OBJECTS * OBJECT_BYTES + ENVELOPE_BYTES;

/// How the webhook serves.
#[derive(Debug, Clone)]
pub struct Options {
    /// PEM certificate chain file.
    pub cert_path: PathBuf,
    /// PEM private key file.
    pub key_path: PathBuf,
    /// Largest request body accepted (default [`DEFAULT_MAX_BODY_BYTES`]).
    pub max_body_bytes: usize,
    /// Time for a TLS handshake (default 10 s).
    pub io_timeout: Duration,
    /// How long a keep-alive connection may wait for its next request, and a request for its
    /// headers (default 120 s, above the apiserver's 90 s idle timeout).
    pub idle_timeout: Duration,
    /// How long the listener keeps accepting after `/readyz` turned 503 on shutdown (default
    /// 5 s), for the endpoints to drop this Pod.
    pub drain_delay: Duration,
    /// How long requests in flight may take to finish once the listener closed (default 10 s).
    /// `drain_delay + grace` stays below the Pod's `terminationGracePeriodSeconds`.
    pub grace: Duration,
}

impl Options {
    /// Defaults with these certificate and key files.
    pub fn new(cert_path: impl Into<PathBuf>, key_path: impl Into<PathBuf>) -> Self {
        Options {
            cert_path: cert_path.into(),
            key_path: key_path.into(),
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            io_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(120),
            drain_delay: Duration::from_secs(5),
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

/// Serves `converter` on `listener` until `shutdown` completes, then drains in order (see the
/// module docs).
pub async fn serve<C>(
    listener: TcpListener,
    converter: C,
    options: Options,
    shutdown: impl Future<Output = ()>,
) -> Result<(), ServeError>
where
    C: ConvertObject + 'static,
{
    let acceptor = tls_acceptor(&options)?;
    let shared = Arc::new(Shared {
        converter,
        max_body_bytes: options.max_body_bytes,
        ready: AtomicBool::new(true),
    });
    let graceful = GracefulShutdown::new();
    let connections = Connections {
        acceptor,
        shared: shared.clone(),
        options: options.clone(),
    };
    tokio::pin!(shutdown);
    accept_until(&listener, &connections, &graceful, &mut shutdown).await;
    shared.ready.store(false, Ordering::SeqCst);
    tracing::info!(drain_delay = ?options.drain_delay, "shutting down: /readyz is 503, still accepting");
    accept_until(
        &listener,
        &connections,
        &graceful,
        tokio::time::sleep(options.drain_delay),
    )
    .await;
    drop(listener);
    tracing::info!(grace = ?options.grace, "listener closed; waiting for requests in flight");
    match tokio::time::timeout(options.grace, graceful.shutdown()).await {
        Ok(()) => tracing::info!("drained: every connection finished"),
        Err(_) => {
            tracing::warn!(grace = ?options.grace, "grace period over: connections still open are dropped")
        }
    }
    Ok(())
}

fn tls_acceptor(options: &Options) -> Result<TlsAcceptor, ServeError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let resolver = ReloadingCert::new(&options.cert_path, &options.key_path, provider.clone())?;
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_cert_resolver(Arc::new(resolver));
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(TlsAcceptor::from(Arc::new(config)))
}

/// What each accepted connection needs.
struct Connections<C> {
    acceptor: TlsAcceptor,
    shared: Arc<Shared<C>>,
    options: Options,
}

/// Accepts connections until `until` completes.
async fn accept_until<C: ConvertObject + 'static>(
    listener: &TcpListener,
    connections: &Connections<C>,
    graceful: &GracefulShutdown,
    until: impl Future<Output = ()>,
) {
    tokio::pin!(until);
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((tcp, peer)) => {
                    let watcher = graceful.watcher();
                    let (acceptor, shared, options) = (
                        connections.acceptor.clone(),
                        connections.shared.clone(),
                        connections.options.clone(),
                    );
                    tokio::spawn(async move {
                        let Some(stream) = handshake(&acceptor, tcp, peer, options.io_timeout).await else { return };
                        let service = service_fn(move |request| route(request, shared.clone()));
                        let connection = http1::Builder::new()
                            .timer(TokioTimer::new())
                            .header_read_timeout(options.idle_timeout)
                            .serve_connection(TokioIo::new(stream), service);
                        if let Err(error) = watcher.watch(connection).await {
                            // A client that goes away mid-request is its own problem, not the server's.
                            tracing::debug!(%peer, %error, "connection ended with an error");
                        }
                    });
                }
                // Out of file descriptors and the like: back off instead of spinning.
                Err(error) => {
                    tracing::warn!(%error, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            },
            () = &mut until => return,
        }
    }
}

/// The TLS handshake, bounded by `timeout`; a failure is logged with the peer's address (a
/// client that does not trust the CA, a plain-HTTP probe, a port scanner), never dropped silently.
async fn handshake(
    acceptor: &TlsAcceptor,
    tcp: TcpStream,
    peer: SocketAddr,
    timeout: Duration,
) -> Option<tokio_rustls::server::TlsStream<TcpStream>> {
    match tokio::time::timeout(timeout, acceptor.accept(tcp)).await {
        Ok(Ok(stream)) => Some(stream),
        Ok(Err(error)) => {
            tracing::warn!(%peer, %error, "TLS handshake failed");
            None
        }
        Err(_) => {
            tracing::warn!(%peer, ?timeout, "TLS handshake timed out");
            None
        }
    }
}
