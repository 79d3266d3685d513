//! Issue #13: `#[crd(deprecated = "...")]` on a version type reaches clients. A two-version CRD
//! built by `versions!` (its own kind and group, cluster-scoped, no conversion webhook: both
//! versions have the same schema) is installed on the real apiserver; requests through the
//! deprecated version get the apiserver's `Warning: 299 - "<deprecationWarning>"` response
//! header with exactly the text of the attribute, requests through the storage version get none.
//!
//! kube's typed `Api` drops response headers, so the requests go through `kube::Client::send`.

use http::{Method, Request, Response};
use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use kube::api::{Api, DeleteParams};
use kube::client::Body;
use serde_json::{json, Value};
use std::time::Duration;
use vitistack_e2e::*;
use vitistack_types::client::VitiClient;
use vitistack_types::crd::Versions;

/// The kind's group: its own, shared with no other test.
const GROUP: &str = "deprecation.e2e.vitistack.io";
/// The CRD's name (`<plural>.<group>`).
const CRD: &str = "gadgets.deprecation.e2e.vitistack.io";
/// The text of `v1`'s `#[crd(deprecated = "...")]` (an attribute takes a literal, not a const;
/// the two must stay equal).
const WARNING: &str = "deprecation.e2e.vitistack.io/v1 Gadget is deprecated; use v2";
/// How long installing and deleting the CRD may take.
const WAIT: Duration = Duration::from_secs(60);

/// A gadget's observed state, the same in both versions (every kind has a status subresource).
#[derive(
    Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize, vitistack_types::Schema,
)]
pub struct GadgetStatus {
    /// Whether it is ready.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ready: Option<bool>,
}

/// The old version, deprecated.
mod v1 {
    use super::GadgetStatus;
    use serde::{Deserialize, Serialize};
    use vitistack_types::{CustomResource, Schema};

    /// A gadget (old version).
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Schema, CustomResource)]
    #[crd(
        group = "deprecation.e2e.vitistack.io",
        version = "v1",
        kind = "Gadget",
        plural = "gadgets",
        status = "GadgetStatus",
        deprecated = "deprecation.e2e.vitistack.io/v1 Gadget is deprecated; use v2"
    )]
    pub struct GadgetSpec {
        /// Its size.
        pub size: i32,
    }
}

/// The new version, stored; the same shape, so the apiserver converts by rewriting apiVersion.
mod v2 {
    use super::GadgetStatus;
    use serde::{Deserialize, Serialize};
    use vitistack_types::{CustomResource, Schema};

    /// A gadget.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Schema, CustomResource)]
    #[crd(
        group = "deprecation.e2e.vitistack.io",
        version = "v2",
        kind = "Gadget",
        plural = "gadgets",
        status = "GadgetStatus",
        storage
    )]
    pub struct GadgetSpec {
        /// Its size.
        pub size: i32,
    }
}

vitistack_types::versions! {
    /// Both versions of `Gadget`: `v1` (deprecated) and `v2` (storage).
    GadgetVersions: v1::Gadget, v2::Gadget
}

/// Sends `method` to `path` (with `body` as JSON, if any) and returns the response, failing
/// the test unless the apiserver answered with a success status.
async fn send(
    client: &kube::Client,
    method: Method,
    path: &str,
    body: Option<&Value>,
) -> Response<Body> {
    let bytes = body.map(|b| serde_json::to_vec(b).expect("JSON body"));
    let request = Request::builder()
        .method(method.clone())
        .uri(path)
        .header(http::header::CONTENT_TYPE, "application/json")
        .body(Body::from(bytes.unwrap_or_default()))
        .expect("request");
    let response = client
        .send(request)
        .await
        .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
    assert!(
        response.status().is_success(),
        "{method} {path}: status {}",
        response.status()
    );
    response
}

/// Every `Warning` header of a response, as text.
fn warnings(response: &Response<Body>) -> Vec<String> {
    response
        .headers()
        .get_all(http::header::WARNING)
        .iter()
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .collect()
}

/// A create then a get of one object through `version`: the `Warning` headers of each.
async fn create_and_get(client: &kube::Client, version: &str, name: &str) -> [Vec<String>; 2] {
    let collection = format!("/apis/{GROUP}/{version}/gadgets");
    let object = json!({
        "apiVersion": format!("{GROUP}/{version}"),
        "kind": "Gadget",
        "metadata": {"name": name},
        "spec": {"size": 3},
    });
    let created = send(client, Method::POST, &collection, Some(&object)).await;
    let read = send(client, Method::GET, &format!("{collection}/{name}"), None).await;
    let headers = [warnings(&created), warnings(&read)];
    // The object really came back through `version`.
    let body = read.into_body().collect_bytes().await.expect("GET body");
    let got: Value = serde_json::from_slice(&body).expect("GET body is JSON");
    assert_eq!(got["apiVersion"], format!("{GROUP}/{version}"));
    assert_eq!(got["spec"]["size"], 3);
    headers
}

/// Deletes the CRD and waits until it is gone (its objects go with it).
async fn delete_crd(crds: &Api<CustomResourceDefinition>) {
    crds.delete(CRD, &DeleteParams::default())
        .await
        .expect("delete the CRD");
    let deadline = std::time::Instant::now() + WAIT;
    while crds.get_opt(CRD).await.expect("get the CRD").is_some() {
        assert!(
            std::time::Instant::now() < deadline,
            "{CRD} still exists after {WAIT:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test]
async fn the_deprecated_version_warns_and_the_storage_version_does_not() {
    let client = client().await;
    let viti = VitiClient::new(client.clone()).with_field_manager("vitistack-e2e");
    let crds: Api<CustomResourceDefinition> = Api::all(client.clone());
    let crd = GadgetVersions::crd();
    assert_eq!(crd["metadata"]["name"], CRD);
    viti.install_crds_from([crd], WAIT)
        .await
        .expect("install the two-version CRD");

    // Names of this run: a CRD left by a failed earlier run may still hold older objects.
    let old_name = unique_namespace("old");
    let new_name = unique_namespace("new");
    let expected = format!("299 - \"{WARNING}\"");
    let [created, read] = create_and_get(&client, "v1", &old_name).await;
    assert_eq!(created, [expected.as_str()], "create through v1");
    assert_eq!(read, [expected.as_str()], "get through v1");
    let [created, read] = create_and_get(&client, "v2", &new_name).await;
    assert!(created.is_empty(), "create through v2 warned: {created:?}");
    assert!(read.is_empty(), "get through v2 warned: {read:?}");

    delete_crd(&crds).await;
}
