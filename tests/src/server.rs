//! Asking the real API server for a verdict: create (or dry-run create) an object through raw
//! HTTP with `fieldValidation=Strict`, and read the field paths of a rejection.

use serde_json::Value;

/// The server's answer to a create.
#[derive(Debug)]
pub enum Verdict {
    /// Accepted; the stored (or dry-run) object.
    Accepted(Value),
    /// Rejected with this HTTP code, the field paths it names, the whole message, and each
    /// cause as (field path, message).
    Rejected {
        code: u16,
        paths: Vec<String>,
        message: String,
        causes: Vec<(String, String)>,
    },
}

impl Verdict {
    /// The distinct field paths of a rejection (empty when accepted).
    pub fn paths(&self) -> Vec<String> {
        match self {
            Verdict::Accepted(_) => Vec::new(),
            Verdict::Rejected { paths, .. } => paths.clone(),
        }
    }
}

/// The apiserver's note that it skipped CEL rules because of other errors (no field).
pub const CEL_SKIPPED: &str = "some validation rules were not checked";

/// POSTs `object` to `/apis/<group>/<version>/namespaces/<ns>/<plural>`, as a dry run or for
/// real, with strict field validation.
pub async fn create(
    client: &kube::Client,
    plural: &str,
    namespace: &str,
    object: &Value,
    dry_run: bool,
) -> Verdict {
    create_in(client, VITISTACK_API, plural, namespace, object, dry_run).await
}

/// [`create`] under another API group and version (`api` is `/apis/<group>/<version>`).
pub async fn create_in(
    client: &kube::Client,
    api: &str,
    plural: &str,
    namespace: &str,
    object: &Value,
    dry_run: bool,
) -> Verdict {
    let url = url_in(api, &format!("namespaces/{namespace}/{plural}"), dry_run);
    send(client, http::Method::POST, &url, object).await
}

/// POSTs `object` to a collection (`/apis/<group>/<version>[/namespaces/<ns>]/<plural>`, any
/// scope), as a dry run or for real, with strict field validation.
pub async fn create_at(
    client: &kube::Client,
    collection: &str,
    object: &Value,
    dry_run: bool,
) -> Verdict {
    let url = strict_url(collection, dry_run);
    send(client, http::Method::POST, &url, object).await
}

/// PUTs `object` as the new state of `name` in a collection (any scope), as a dry run or for
/// real, with strict field validation.
pub async fn replace_at(
    client: &kube::Client,
    collection: &str,
    name: &str,
    object: &Value,
    dry_run: bool,
) -> Verdict {
    let url = strict_url(&format!("{collection}/{name}"), dry_run);
    send(client, http::Method::PUT, &url, object).await
}

/// PUTs a whole object to its status subresource.
pub async fn replace_status(
    client: &kube::Client,
    plural: &str,
    namespace: &str,
    name: &str,
    object: &Value,
) -> Verdict {
    replace_status_with(client, plural, namespace, name, object, false).await
}

/// PUTs a whole object to its status subresource, as a dry run or for real.
pub async fn replace_status_with(
    client: &kube::Client,
    plural: &str,
    namespace: &str,
    name: &str,
    object: &Value,
    dry_run: bool,
) -> Verdict {
    let url = url(
        &format!("namespaces/{namespace}/{plural}/{name}/status"),
        dry_run,
    );
    send(client, http::Method::PUT, &url, object).await
}

async fn send(client: &kube::Client, method: http::Method, url: &str, object: &Value) -> Verdict {
    send_as(client, method, url, object, "application/json").await
}

async fn send_as(
    client: &kube::Client,
    method: http::Method,
    url: &str,
    object: &Value,
    content_type: &str,
) -> Verdict {
    let body = serde_json::to_vec(object).expect("JSON");
    let request = http::Request::builder()
        .method(method)
        .uri(url)
        .header("Content-Type", content_type)
        .body(body)
        .expect("request");
    match client.request::<Value>(request).await {
        Ok(value) => Verdict::Accepted(value),
        Err(kube::Error::Api(status)) => {
            let message = status.message.clone();
            let mut paths = Vec::new();
            let mut all_causes = Vec::new();
            if let Some(details) = &status.details {
                for cause in &details.causes {
                    // The note that CEL rules were skipped is not a violation. Every other
                    // cause counts, an object-level one (no field, or `<nil>`) as "".
                    if cause.message.contains(CEL_SKIPPED) {
                        continue;
                    }
                    let field = if cause.field == "<nil>" {
                        ""
                    } else {
                        &cause.field
                    };
                    paths.push(field.to_string());
                    all_causes.push((field.to_string(), cause.message.clone()));
                }
            }
            // Strict decoding errors (400) name unknown fields only in the message.
            for part in message.split("unknown field \"").skip(1) {
                if let Some(end) = part.find('"') {
                    paths.push(part[..end].to_string());
                }
            }
            // Duplicate fields likewise.
            for part in message.split("duplicate field \"").skip(1) {
                if let Some(end) = part.find('"') {
                    paths.push(part[..end].to_string());
                }
            }
            paths.sort();
            paths.dedup();
            Verdict::Rejected {
                code: status.code,
                paths,
                message,
                causes: all_causes,
            }
        }
        Err(other) => panic!("request to {url} failed: {other}"),
    }
}

/// GETs a path and parses JSON, with an optional Accept header.
pub async fn get_json(client: &kube::Client, url: &str, accept: Option<&str>) -> Value {
    let mut request = http::Request::builder().method(http::Method::GET).uri(url);
    if let Some(accept) = accept {
        request = request.header("Accept", accept);
    }
    let request = request.body(Vec::new()).expect("request");
    let text = client
        .request_text(request)
        .await
        .unwrap_or_else(|e| panic!("GET {url}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("GET {url}: not JSON: {e}"))
}

/// PUTs a whole object (an update), as a dry run or for real, with strict field validation.
pub async fn replace(
    client: &kube::Client,
    plural: &str,
    namespace: &str,
    name: &str,
    object: &Value,
    dry_run: bool,
) -> Verdict {
    replace_in(
        client,
        VITISTACK_API,
        plural,
        namespace,
        name,
        object,
        dry_run,
    )
    .await
}

/// [`replace`] under another API group and version (`api` is `/apis/<group>/<version>`).
pub async fn replace_in(
    client: &kube::Client,
    api: &str,
    plural: &str,
    namespace: &str,
    name: &str,
    object: &Value,
    dry_run: bool,
) -> Verdict {
    let url = url_in(
        api,
        &format!("namespaces/{namespace}/{plural}/{name}"),
        dry_run,
    );
    send(client, http::Method::PUT, &url, object).await
}

/// PATCHes an object with a JSON merge patch (RFC 7386), as a dry run or for real, with strict
/// field validation.
pub async fn merge_patch(
    client: &kube::Client,
    plural: &str,
    namespace: &str,
    name: &str,
    patch: &Value,
    dry_run: bool,
) -> Verdict {
    let url = url(&format!("namespaces/{namespace}/{plural}/{name}"), dry_run);
    send_as(
        client,
        http::Method::PATCH,
        &url,
        patch,
        "application/merge-patch+json",
    )
    .await
}

/// The API of the vitistack.io kinds.
const VITISTACK_API: &str = "/apis/vitistack.io/v1alpha1";

/// The URL of `resource` under vitistack.io/v1alpha1, with strict field validation and, for a
/// dry run, `dryRun=All`.
fn url(resource: &str, dry_run: bool) -> String {
    url_in(VITISTACK_API, resource, dry_run)
}

/// The URL of `resource` under `api` (`/apis/<group>/<version>`), with strict field validation
/// and, for a dry run, `dryRun=All`.
fn url_in(api: &str, resource: &str, dry_run: bool) -> String {
    strict_url(&format!("{api}/{resource}"), dry_run)
}

/// `path` with strict field validation and, for a dry run, `dryRun=All`.
fn strict_url(path: &str, dry_run: bool) -> String {
    let mut url = format!("{path}?fieldValidation=Strict");
    if dry_run {
        url.push_str("&dryRun=All");
    }
    url
}
