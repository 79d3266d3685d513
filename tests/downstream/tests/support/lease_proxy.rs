//! An HTTP proxy on 127.0.0.1 in front of the test API server that, once told to, holds every
//! request for a Lease without ever answering it, while the client's other requests (watches,
//! writes) pass: a renew that stalls, as a half-open connection or an overloaded server makes
//! it. The client speaks plain HTTP to the proxy with its bearer token; the proxy forwards each
//! request with the same headers over TLS (the server's certificate verified), so the server
//! sees the client's own identity.

use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use kube::client::Body;
use kube::config::{AuthInfo, Kubeconfig};
use kube::Client;
use std::convert::Infallible;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use tokio::net::TcpListener;

pub struct LeaseProxy {
    pub port: u16,
    stalling: Arc<AtomicBool>,
    held: Arc<AtomicUsize>,
}

#[derive(Clone)]
struct Forward {
    upstream: Client,
    stalling: Arc<AtomicBool>,
    held: Arc<AtomicUsize>,
}

impl LeaseProxy {
    /// A proxy to the server of `kubeconfig` (whose credentials it drops: each request carries
    /// its client's own).
    pub async fn start(mut kubeconfig: Kubeconfig) -> LeaseProxy {
        for named in &mut kubeconfig.auth_infos {
            named.auth_info = Some(AuthInfo::default());
        }
        let forward = Forward {
            upstream: super::client_for(kubeconfig).await,
            stalling: Arc::default(),
            held: Arc::default(),
        };
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let port = listener.local_addr().expect("local address").port();
        let proxy = LeaseProxy {
            port,
            stalling: forward.stalling.clone(),
            held: forward.held.clone(),
        };
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let forward = forward.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |request| forward.clone().answer(request));
                    let _ = http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        proxy
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// From now on, every Lease request is held forever.
    pub fn stall_leases(&self) {
        self.stalling.store(true, Ordering::SeqCst);
    }

    /// How many Lease requests are being held.
    pub fn held(&self) -> usize {
        self.held.load(Ordering::SeqCst)
    }
}

impl Forward {
    async fn answer(self, request: Request<Incoming>) -> Result<Response<Body>, Infallible> {
        let path = request.uri().path();
        if self.stalling.load(Ordering::SeqCst) && path.contains("/leases") {
            self.held.fetch_add(1, Ordering::SeqCst);
            std::future::pending::<()>().await;
        }
        let (mut parts, body) = request.into_parts();
        let body = match body.collect().await {
            Ok(body) => body.to_bytes().to_vec(),
            Err(e) => return Ok(bad_gateway(format!("reading the request: {e}"))),
        };
        // Hop-by-hop: this hop's framing is not the next one's.
        parts.headers.remove(hyper::header::CONNECTION);
        parts.headers.remove(hyper::header::TRANSFER_ENCODING);
        match self
            .upstream
            .send(Request::from_parts(parts, body.into()))
            .await
        {
            Ok(response) => Ok(response),
            Err(e) => Ok(bad_gateway(e.to_string())),
        }
    }
}

fn bad_gateway(message: String) -> Response<Body> {
    let mut response = Response::new(Body::from(message.into_bytes()));
    *response.status_mut() = StatusCode::BAD_GATEWAY;
    response
}
