//! The HTTP routes: `POST /convert`, `GET /healthz`, `GET /readyz`.

use crate::{review, ConvertObject};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::{Method, Request, Response, StatusCode};
use std::convert::Infallible;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// What every request needs.
pub(crate) struct Shared<C> {
    pub converter: C,
    pub max_body_bytes: usize,
    /// False once shutdown began: `/readyz` says 503 so no new work is routed here, and every
    /// answer closes its connection.
    pub ready: AtomicBool,
}

/// Answers one request; never fails (errors are HTTP responses).
pub(crate) async fn route<C: ConvertObject>(
    request: Request<Incoming>,
    shared: Arc<Shared<C>>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let ready = shared.ready.load(Ordering::SeqCst);
    let mut response = match (request.method(), request.uri().path()) {
        (&Method::GET, "/healthz") => text(StatusCode::OK, "ok"),
        (&Method::GET, "/readyz") if ready => text(StatusCode::OK, "ok"),
        (&Method::GET, "/readyz") => text(StatusCode::SERVICE_UNAVAILABLE, "shutting down"),
        (&Method::POST, "/convert") => convert(request, &shared).await,
        (_, "/convert" | "/healthz" | "/readyz") => {
            text(StatusCode::METHOD_NOT_ALLOWED, "method not allowed")
        }
        _ => text(StatusCode::NOT_FOUND, "not found"),
    };
    if !ready {
        // Draining: the client's next request opens a new connection, which the Service routes
        // to a replica that is ready, instead of reusing this one until it is closed under it.
        response.headers_mut().insert(
            hyper::header::CONNECTION,
            hyper::header::HeaderValue::from_static("close"),
        );
    }
    Ok(response)
}

async fn convert<C: ConvertObject>(
    request: Request<Incoming>,
    shared: &Shared<C>,
) -> Response<Full<Bytes>> {
    let limit = shared.max_body_bytes;
    let body = match Limited::new(request.into_body(), limit).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(e) if e.is::<http_body_util::LengthLimitError>() => {
            let message = format!("request body larger than {limit} bytes");
            tracing::warn!(limit, "review refused: {message}");
            return review_response(
                StatusCode::PAYLOAD_TOO_LARGE,
                &review::answer_invalid(message),
            );
        }
        Err(e) => {
            return review_response(
                StatusCode::BAD_REQUEST,
                &review::answer_invalid(format!("reading body: {e}")),
            )
        }
    };
    let answer = review::answer(&shared.converter, &body);
    match review::failure_message(&answer) {
        Some(message) => tracing::warn!(bytes = body.len(), "review failed: {message}"),
        None => tracing::debug!(
            bytes = body.len(),
            objects = review::converted_objects(&answer).len(),
            "review converted"
        ),
    }
    review_response(StatusCode::OK, &answer)
}

fn review_response(
    status: StatusCode,
    review: &kube_core::conversion::ConversionReview,
) -> Response<Full<Bytes>> {
    match serde_json::to_vec(review) {
        Ok(json) => build(status, "application/json", Bytes::from(json)),
        Err(e) => text(
            StatusCode::INTERNAL_SERVER_ERROR,
            &format!("encoding the review: {e}"),
        ),
    }
}

fn text(status: StatusCode, body: &str) -> Response<Full<Bytes>> {
    build(
        status,
        "text/plain; charset=utf-8",
        Bytes::from(body.to_string()),
    )
}

fn build(status: StatusCode, content_type: &'static str, body: Bytes) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(body));
    *response.status_mut() = status;
    response.headers_mut().insert(
        hyper::header::CONTENT_TYPE,
        hyper::header::HeaderValue::from_static(content_type),
    );
    response
}
