//! The operator's HTTP endpoints for the kubelet and Prometheus: `/healthz` (liveness: the
//! election loop still runs its rounds), `/readyz` (readiness: the API server has answered a
//! Lease round, as leader or as standby) and `/metrics` (see [`crate::metrics`]).

use crate::metrics::Metrics;
use http_body_util::Full;
use hyper::body::Bytes;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use std::convert::Infallible;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::net::TcpListener;

/// Liveness and readiness of one replica, as its election loop reports them.
#[derive(Debug)]
pub struct Health {
    stale_after: Duration,
    last_round: Mutex<Instant>,
    answered: AtomicBool,
}

impl Health {
    /// Live while a round ended less than `stale_after` ago (or the loop started that recently).
    pub fn new(stale_after: Duration) -> Self {
        Health {
            stale_after,
            last_round: Mutex::new(Instant::now()),
            answered: AtomicBool::new(false),
        }
    }

    /// Records the end of an election round; `answered`: the API server answered it.
    pub fn round_done(&self, answered: bool) {
        *self.last_round.lock().unwrap_or_else(|p| p.into_inner()) = Instant::now();
        if answered {
            self.answered.store(true, Ordering::Relaxed);
        }
    }

    /// Whether the election loop still runs (its rounds are bounded by timeouts, so a loop
    /// without a recent round is stuck).
    pub fn live(&self) -> bool {
        let last = *self.last_round.lock().unwrap_or_else(|p| p.into_inner());
        last.elapsed() < self.stale_after
    }

    /// Whether the API server has answered this replica.
    pub fn ready(&self) -> bool {
        self.answered.load(Ordering::Relaxed)
    }
}

/// What the endpoints report on.
#[derive(Clone, Debug)]
pub struct Endpoints {
    /// Liveness and readiness.
    pub health: Arc<Health>,
    /// The metrics `/metrics` serves.
    pub metrics: Arc<Metrics>,
}

impl Endpoints {
    /// The answer to `GET path`.
    fn answer(&self, method: &Method, path: &str) -> Response<Full<Bytes>> {
        if method != Method::GET {
            return text(StatusCode::METHOD_NOT_ALLOWED, "GET only\n");
        }
        let verdict = |ok: bool| {
            if ok {
                text(StatusCode::OK, "ok\n")
            } else {
                text(StatusCode::SERVICE_UNAVAILABLE, "not yet\n")
            }
        };
        match path {
            "/healthz" => verdict(self.health.live()),
            "/readyz" => verdict(self.health.ready()),
            "/metrics" => {
                let mut response = text(StatusCode::OK, &self.metrics.encode());
                response.headers_mut().insert(
                    hyper::header::CONTENT_TYPE,
                    hyper::header::HeaderValue::from_static(
                        "application/openmetrics-text; version=1.0.0; charset=utf-8",
                    ),
                );
                response
            }
            _ => text(StatusCode::NOT_FOUND, "not found\n"),
        }
    }
}

fn text(status: StatusCode, body: &str) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(body.to_owned())));
    *response.status_mut() = status;
    response
}

/// Serves the endpoints on `listener` until the future is dropped.
pub async fn serve(listener: TcpListener, endpoints: Endpoints) {
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(error) => {
                tracing::warn!(%error, "accepting a connection failed");
                continue;
            }
        };
        let endpoints = endpoints.clone();
        tokio::spawn(async move {
            let service = service_fn(move |request: Request<hyper::body::Incoming>| {
                let response = endpoints.answer(request.method(), request.uri().path());
                async move { Ok::<_, Infallible>(response) }
            });
            let served = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
            if let Err(error) = served {
                tracing::debug!(%error, "an endpoint connection failed");
            }
        });
    }
}
