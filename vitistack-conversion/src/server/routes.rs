//! The HTTP routes: `POST /convert`, `GET /healthz`, `GET /readyz`.

use crate::{review, Converter, Hub};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::{Method, Request, Response, StatusCode};
use std::convert::Infallible;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// What every request needs.
pub(crate) struct Shared<H: Hub> {
    pub converter: Converter<H>,
    pub max_body_bytes: usize,
    /// False once shutdown began: `/readyz` says 503 so no new work is routed here.
    pub ready: AtomicBool,
}

/// Answers one request; never fails (errors are HTTP responses).
pub(crate) async fn route<H: Hub>(
    request: Request<Incoming>,
    shared: Arc<Shared<H>>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let response = match (request.method(), request.uri().path()) {
        (&Method::GET, "/healthz") => text(StatusCode::OK, "ok"),
        (&Method::GET, "/readyz") if shared.ready.load(Ordering::Relaxed) => {
            text(StatusCode::OK, "ok")
        }
        (&Method::GET, "/readyz") => text(StatusCode::SERVICE_UNAVAILABLE, "shutting down"),
        (&Method::POST, "/convert") => convert(request, &shared).await,
        (_, "/convert" | "/healthz" | "/readyz") => {
            text(StatusCode::METHOD_NOT_ALLOWED, "method not allowed")
        }
        _ => text(StatusCode::NOT_FOUND, "not found"),
    };
    Ok(response)
}

async fn convert<H: Hub>(request: Request<Incoming>, shared: &Shared<H>) -> Response<Full<Bytes>> {
    let limit = shared.max_body_bytes;
    let body = match Limited::new(request.into_body(), limit).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(e) if e.is::<http_body_util::LengthLimitError>() => {
            let message = format!("request body larger than {limit} bytes");
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
    review_response(StatusCode::OK, &review::answer(&shared.converter, &body))
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
