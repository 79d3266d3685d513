//! Issue #17 item 8: what `install_crds` waits for, proven on the real server with CRDs of this
//! file's own (group `crdwait.e2e.vitistack.io`, and a shadowed `node.k8s.io/v1`):
//! refused names fail at once with the server's message, CRDs that never get served time out
//! together within one timeout, and after a schema change `install_crds` returns only once the
//! server serves the new schema.

use futures::StreamExt;
use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use kube::api::{Api, ApiResource, DynamicObject, ListParams, PostParams, WatchParams};
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use vitistack_e2e::*;
use vitistack_types::client::{Error, VitiClient};

const GROUP: &str = "crdwait.e2e.vitistack.io";

async fn viti() -> VitiClient {
    VitiClient::new(client().await).with_field_manager("vitistack-e2e-crds")
}

/// A CRD of one served and stored version `v1` whose `spec` has the properties `spec`.
fn crd(group: &str, plural: &str, kind: &str, scope: &str, spec: Value) -> Value {
    json!({
        "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
        "metadata": {"name": format!("{plural}.{group}")},
        "spec": {
            "group": group, "scope": scope,
            "names": {"plural": plural, "singular": plural.trim_end_matches('s'), "kind": kind,
                      "listKind": format!("{kind}List")},
            "versions": [{"name": "v1", "served": true, "storage": true, "schema": {"openAPIV3Schema": {
                "type": "object",
                "properties": {"spec": {"type": "object", "properties": spec}},
            }}}],
        },
    })
}

/// Deletes CRDs (left by an earlier run, or at the end) and waits until they are gone.
async fn delete_crds(crds: &Api<CustomResourceDefinition>, names: &[String]) {
    for name in names {
        let _ = crds.delete(name, &Default::default()).await;
    }
    // The apiserver finishes a CRD's deletion only after its storage has been (re)initialised,
    // which on a loaded machine took over 60 s right after an install: a generous bound, since
    // this is cleanup, not what the tests assert.
    let deadline = Instant::now() + Duration::from_secs(180);
    for name in names {
        while crds.get_opt(name).await.expect("get CRD").is_some() {
            assert!(Instant::now() < deadline, "{name} not deleted after 180 s");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

#[tokio::test]
async fn refused_names_fail_at_once_with_the_crd_and_the_servers_message() {
    let viti = viti().await;
    let crds: Api<CustomResourceDefinition> = Api::all(viti.kube_client().clone());
    let taken = crd(GROUP, "alphas", "Alpha", "Namespaced", json!({}));
    // Another plural with the kind (and list kind) that alphas already has.
    let clash = crd(GROUP, "betas", "Alpha", "Namespaced", json!({}));
    let names = [format!("alphas.{GROUP}"), format!("betas.{GROUP}")];
    delete_crds(&crds, &names).await;
    viti.install_crds_from([taken], Duration::from_secs(30))
        .await
        .expect("alphas");

    let start = Instant::now();
    let result = viti
        .install_crds_from([clash], Duration::from_secs(30))
        .await;
    let elapsed = start.elapsed();
    // What the server says, read apart from the client.
    let condition = crds
        .get(&names[1])
        .await
        .expect("betas")
        .status
        .and_then(|s| s.conditions)
        .unwrap_or_default()
        .into_iter()
        .find(|c| c.type_ == "NamesAccepted")
        .expect("a NamesAccepted condition");
    delete_crds(&crds, &names).await;

    assert_eq!(condition.status, "False", "{condition:?}");
    let server_message = condition.message.expect("condition message");
    assert!(server_message.contains("AlphaList"), "{server_message}");
    let Err(error) = result else {
        panic!("refused names must fail the install, it returned Ok");
    };
    let text = error.to_string();
    match error {
        Error::CrdNamesNotAccepted {
            name,
            reason,
            message,
        } => {
            assert_eq!(name, names[1]);
            assert_eq!(Some(reason), condition.reason);
            assert_eq!(message, server_message);
        }
        other => panic!("expected CrdNamesNotAccepted, got {other:?}"),
    }
    assert!(
        text.contains(&names[1]) && text.contains(&server_message),
        "{text}"
    );
    assert!(elapsed < Duration::from_secs(10), "took {elapsed:?}");
}

#[tokio::test]
async fn crds_that_never_get_served_time_out_together_within_one_timeout() {
    // A CRD in a group version the apiserver serves itself is Established but never served:
    // the built-in handler of node.k8s.io/v1 answers 404 for its resource.
    let viti = viti().await;
    let crds: Api<CustomResourceDefinition> = Api::all(viti.kube_client().clone());
    let shadowed: Vec<Value> = ["Phantom", "Wraith", "Spectre"]
        .iter()
        .map(|kind| {
            let plural = format!("{}s", kind.to_lowercase());
            let mut crd = crd("node.k8s.io", &plural, kind, "Cluster", json!({}));
            crd["metadata"]["annotations"] =
                json!({"api-approved.kubernetes.io": "unapproved, vitistack-rs e2e test"});
            crd
        })
        .collect();
    let names: Vec<String> = shadowed
        .iter()
        .map(|c| c["metadata"]["name"].as_str().expect("name").to_string())
        .collect();
    delete_crds(&crds, &names).await;

    let timeout = Duration::from_secs(4);
    let start = Instant::now();
    let result = viti.install_crds_from(shadowed, timeout).await;
    let elapsed = start.elapsed();
    let established = {
        let mut all = true;
        for name in &names {
            let crd = crds.get(name).await.expect("CRD");
            all &= crd
                .status
                .and_then(|s| s.conditions)
                .unwrap_or_default()
                .iter()
                .any(|c| c.type_ == "Established" && c.status == "True");
        }
        all
    };
    delete_crds(&crds, &names).await;

    assert!(established, "the shadowed CRDs are Established");
    match result {
        Err(Error::Timeout { what, waited, .. }) => {
            assert_eq!(waited, timeout);
            assert!(
                names.iter().any(|n| what.contains(n.as_str())) && what.contains("served"),
                "{what}"
            );
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
    // One timeout for all three (one after another would be three).
    assert!(
        elapsed >= timeout - Duration::from_millis(500) && elapsed < timeout * 2,
        "took {elapsed:?} for a timeout of {timeout:?}"
    );
}

/// `spec.size` an integer (`integer`) or a string.
fn dials(integer: bool) -> Value {
    let size = if integer { "integer" } else { "string" };
    crd(
        GROUP,
        "dials",
        "Dial",
        "Namespaced",
        json!({"size": {"type": size}}),
    )
}

fn dial(name: &str, namespace: &str, size: Value) -> DynamicObject {
    serde_json::from_value(json!({
        "apiVersion": format!("{GROUP}/v1"), "kind": "Dial",
        "metadata": {"name": name, "namespace": namespace}, "spec": {"size": size},
    }))
    .expect("dial")
}

/// A watch on the dials the server serves now, opened before a schema change.
async fn watch_current_dials(
    api: &Api<DynamicObject>,
) -> impl futures::Stream<
    Item = kube::Result<kube::core::WatchEvent<kube::core::PartialObjectMeta<DynamicObject>>>,
> {
    let version = api
        .list_metadata(&ListParams::default().limit(1))
        .await
        .expect("list dials")
        .metadata
        .resource_version
        .expect("resourceVersion");
    api.watch_metadata(&WatchParams::default().timeout(300), &version)
        .await
        .expect("watch dials")
}

#[tokio::test]
async fn after_a_schema_change_install_returns_once_the_new_schema_is_served() {
    let viti = viti().await;
    let crds: Api<CustomResourceDefinition> = Api::all(viti.kube_client().clone());
    let name = format!("dials.{GROUP}");
    delete_crds(&crds, std::slice::from_ref(&name)).await;
    let timeout = Duration::from_secs(30);
    viti.install_crds_from([dials(true)], timeout)
        .await
        .expect("dials");
    let namespace = test_namespace("crdwait").await;
    let resource = ApiResource {
        group: GROUP.into(),
        version: "v1".into(),
        api_version: format!("{GROUP}/v1"),
        kind: "Dial".into(),
        plural: "dials".into(),
    };
    let all: Api<DynamicObject> = Api::all_with(viti.kube_client().clone(), &resource);
    let dials_api: Api<DynamicObject> =
        Api::namespaced_with(viti.kube_client().clone(), &namespace, &resource);
    let dry_run = PostParams {
        dry_run: true,
        ..PostParams::default()
    };

    // Re-applying an unchanged CRD waits for nothing more (the server keeps its storage).
    let start = Instant::now();
    viti.install_crds_from([dials(true)], Duration::from_secs(5))
        .await
        .expect("unchanged dials");
    assert!(
        start.elapsed() < Duration::from_secs(3),
        "{:?}",
        start.elapsed()
    );

    // spec.size flips between integer and string; every time, right after install returns,
    // the server's old storage is gone and a create is judged by the new schema.
    for round in 0..4 {
        let integer = round % 2 == 1;
        let old_storage = watch_current_dials(&all).await;
        let mut old_storage = std::pin::pin!(old_storage);
        viti.install_crds_from([dials(integer)], timeout)
            .await
            .unwrap_or_else(|e| panic!("round {round}: install: {e}"));
        // The server ends every watch of a storage it drops: by now this one has ended.
        let ended = tokio::time::timeout(Duration::from_millis(300), async {
            while let Some(event) = old_storage.next().await {
                event.unwrap_or_else(|e| panic!("round {round}: watch: {e}"));
            }
        })
        .await;
        assert!(
            ended.is_ok(),
            "round {round}: install_crds returned while the server still served the old schema"
        );
        let (fits, fits_not) = if integer {
            (json!(3), json!("three"))
        } else {
            (json!("three"), json!(3))
        };
        dials_api
            .create(
                &PostParams::default(),
                &dial(&format!("d{round}"), &namespace, fits),
            )
            .await
            .unwrap_or_else(|e| panic!("round {round}: a create right after install: {e}"));
        let refused = dials_api
            .create(&dry_run, &dial(&format!("x{round}"), &namespace, fits_not))
            .await
            .expect_err("the new schema refuses the old type");
        assert!(
            refused.to_string().contains("spec.size"),
            "round {round}: {refused}"
        );
    }
    delete_crds(&crds, std::slice::from_ref(&name)).await;
}
