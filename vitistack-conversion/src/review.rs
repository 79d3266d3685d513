//! A `ConversionReview` (apiextensions.k8s.io/v1) in, a `ConversionReview` out.
//!
//! Every failure is a response with `result.status: Failure` and a message; the apiserver passes
//! the message to the client. One object that fails fails the whole review (the apiserver needs
//! every object converted, in order), and the message names that object.

use crate::converter::object_name;
use crate::ConvertObject;
use kube_core::conversion::{ConversionRequest, ConversionResponse, ConversionReview};
use kube_core::response::Status;
use kube_core::TypeMeta;
use serde_json::Value;

/// The only review version this webhook speaks (the CRD stanza's `conversionReviewVersions`).
pub const REVIEW_API_VERSION: &str = "apiextensions.k8s.io/v1";

/// Answers a review given as its JSON bytes. Never panics; malformed input gives a failed review.
pub fn answer<C: ConvertObject + ?Sized>(converter: &C, body: &[u8]) -> ConversionReview {
    let review: ConversionReview = match serde_json::from_slice(body) {
        Ok(review) => review,
        Err(e) => return invalid(format!("malformed ConversionReview: {e}")),
    };
    if review.types.api_version != REVIEW_API_VERSION || review.types.kind != "ConversionReview" {
        return invalid(format!(
            "expected a ConversionReview of {REVIEW_API_VERSION}, got kind {:?} of {:?}",
            review.types.kind, review.types.api_version
        ));
    }
    match ConversionRequest::from_review(review) {
        Ok(request) => convert_request(converter, request),
        Err(_) => invalid("ConversionReview has no request".to_string()),
    }
}

/// Converts every object of `request`; the first failure fails the review.
pub fn convert_request<C: ConvertObject + ?Sized>(
    converter: &C,
    request: ConversionRequest,
) -> ConversionReview {
    let desired = request.desired_api_version.clone();
    let objects = request.objects.clone();
    let response = ConversionResponse::for_request(request);
    let mut converted = Vec::with_capacity(objects.len());
    for (index, object) in objects.into_iter().enumerate() {
        let name = object_name(&object);
        match converter.convert_object(object, &desired) {
            Ok(value) => converted.push(value),
            Err(e) => {
                let message = format!("converting object {index} ({name}) to {desired}: {e}");
                return finish(response.failure(Status::failure(&message, "ConversionFailed")));
            }
        }
    }
    finish(response.success(converted))
}

/// A failed review not tied to a request (e.g. a body too large to read).
pub fn answer_invalid(message: String) -> ConversionReview {
    invalid(message)
}

fn invalid(message: String) -> ConversionReview {
    finish(ConversionResponse::invalid(Status::failure(
        &message,
        "BadRequest",
    )))
}

/// The review around `response`, with the type meta the apiserver expects.
fn finish(response: ConversionResponse) -> ConversionReview {
    let mut review = response.into_review();
    review.types = TypeMeta {
        api_version: REVIEW_API_VERSION.to_string(),
        kind: "ConversionReview".to_string(),
    };
    review
}

/// The failure message of a review, `None` when it succeeded (for tests and logs).
pub fn failure_message(review: &ConversionReview) -> Option<&str> {
    let response = review.response.as_ref()?;
    let failed = matches!(
        response.result.status,
        Some(kube_core::response::StatusSummary::Failure)
    );
    failed.then_some(response.result.message.as_str())
}

/// The converted objects of a successful review.
pub fn converted_objects(review: &ConversionReview) -> &[Value] {
    review
        .response
        .as_ref()
        .map(|r| r.converted_objects.as_slice())
        .unwrap_or(&[])
}
