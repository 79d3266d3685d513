//! Issue #5: VitiClient against the real apiserver: CRUD of every kind through the typed and the
//! dynamic paths, conflicts and retried status updates, watches that resume, the lenient list.

use futures::StreamExt;
use kube::api::{DynamicObject, PostParams};
use kube::runtime::watcher;
use kube::Resource;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::time::Duration;
use vitistack_e2e::*;
use vitistack_types::client::{Kind, VitiClient};
use vitistack_types::kinds::*;
use vitistack_types::unstructured::{from_unstructured, to_unstructured};
use vitistack_types::{CustomResource, Schema};

async fn viti() -> VitiClient {
    let client = client().await;
    ensure_crds(&client).await;
    VitiClient::new(client).with_field_manager("vitistack-e2e")
}

fn typed<K: Kind>(stem: &str, namespace: &str) -> (K, Value) {
    let mut value = example(stem);
    let status = value
        .as_object_mut()
        .and_then(|o| o.remove("status"))
        .expect("status");
    set_path(&mut value, "metadata.namespace", json!(namespace));
    (
        serde_json::from_value(value).unwrap_or_else(|e| panic!("{stem}: {e}")),
        status,
    )
}

fn spec_of<K: Serialize>(object: &K) -> Value {
    serde_json::to_value(object).expect("JSON")["spec"].clone()
}

async fn crud<K: Kind>(viti: &VitiClient, stem: &str) {
    let namespace = test_namespace("crud").await;
    let (object, status) = typed::<K>(stem, &namespace);
    let name = object.meta().name.clone().expect("name");

    // Typed create, get, dynamic get, unstructured round trip.
    let created = viti
        .create(&namespace, &object)
        .await
        .unwrap_or_else(|e| panic!("{stem}: create: {e}"));
    assert!(
        missing_from(&spec_of(&object), &spec_of(&created), "spec").is_empty(),
        "{stem}"
    );
    let got: K = viti.get(&namespace, &name).await.expect("get");
    let via_dynamic: K = viti
        .get_via_dynamic(&namespace, &name)
        .await
        .expect("dynamic get");
    assert_eq!(spec_of(&got), spec_of(&via_dynamic), "{stem}");
    let round: K = from_unstructured(&to_unstructured(&got).expect("to")).expect("from");
    assert_eq!(
        serde_json::to_value(&round).ok(),
        serde_json::to_value(&got).ok(),
        "{stem}"
    );

    // Server-side apply of a change to the object as read (managedFields, resourceVersion and
    // all): the client leaves out what the server sets.
    let mut changed = got.clone();
    assert!(changed.meta().managed_fields.is_some() && changed.meta().resource_version.is_some());
    changed
        .meta_mut()
        .labels
        .get_or_insert_with(Default::default)
        .insert("e2e".into(), "applied".into());
    let applied = viti
        .apply(&namespace, &changed)
        .await
        .unwrap_or_else(|e| panic!("{stem}: apply: {e}"));
    assert_eq!(
        applied
            .meta()
            .labels
            .as_ref()
            .and_then(|l| l.get("e2e"))
            .map(String::as_str),
        Some("applied")
    );

    // Status through the status subresource.
    let set_status = |o: &mut K| {
        let mut value = serde_json::to_value(&*o).expect("JSON");
        value["status"] = status.clone();
        *o = serde_json::from_value(value).expect("the example's status fits the type");
    };
    let updated = viti
        .update_status::<K>(&namespace, &name, set_status)
        .await
        .unwrap_or_else(|e| panic!("{stem}: status: {e}"));
    let stored = serde_json::to_value(&updated).expect("JSON")["status"].clone();
    assert!(
        missing_from(&status, &stored, "status").is_empty(),
        "{stem}: {stored}"
    );

    // Delete and wait until gone.
    viti.delete::<K>(&namespace, &name, Some(Duration::from_secs(20)))
        .await
        .expect("delete");
    assert!(
        viti.get::<K>(&namespace, &name).await.is_err(),
        "{stem}: still there"
    );

    // The dynamic path: create, read typed, delete.
    let dynamic = viti.dynamic_api_of::<K>(&namespace);
    let unstructured: DynamicObject = to_unstructured(&object).expect("to");
    dynamic
        .create(&PostParams::default(), &unstructured)
        .await
        .unwrap_or_else(|e| panic!("{stem}: dynamic create: {e}"));
    let back: K = viti
        .get(&namespace, &name)
        .await
        .expect("typed read of a dynamic create");
    assert!(
        missing_from(&spec_of(&object), &spec_of(&back), "spec").is_empty(),
        "{stem}"
    );
    dynamic
        .delete(&name, &Default::default())
        .await
        .expect("dynamic delete");
}

#[tokio::test]
async fn crud_of_every_kind_typed_and_dynamic() {
    let viti = viti().await;
    crud::<Vitistack>(&viti, "vitistack").await;
    crud::<Machine>(&viti, "machine").await;
    crud::<MachineProvider>(&viti, "machineprovider").await;
    crud::<KubernetesCluster>(&viti, "kubernetescluster").await;
    crud::<KubernetesProvider>(&viti, "kubernetesprovider").await;
    crud::<NetworkConfiguration>(&viti, "networkconfiguration").await;
    crud::<NetworkNamespace>(&viti, "networknamespace").await;
    crud::<LoadBalancer>(&viti, "loadbalancer").await;
    crud::<KubevirtConfig>(&viti, "kubevirtconfig").await;
    crud::<ProxmoxConfig>(&viti, "proxmoxconfig").await;
}

#[tokio::test]
async fn validate_runs_before_create_unless_turned_off() {
    let viti = viti().await;
    let namespace = test_namespace("validate").await;
    let (mut machine, _) = typed::<Machine>("machine", &namespace);
    machine
        .spec
        .resources
        .as_mut()
        .and_then(|r| r.cpu.as_mut())
        .expect("cpu")
        .cores = Some(200);
    match viti.create(&namespace, &machine).await {
        Err(vitistack_types::client::Error::Invalid(errors)) => {
            assert_eq!(errors.paths(), vec!["spec.resources.cpu.cores"]);
        }
        other => panic!("expected a client-side rejection, got {other:?}"),
    }
    // Without validation the apiserver rejects it, naming the same field.
    let unchecked = viti.clone().without_validation();
    match unchecked.create(&namespace, &machine).await {
        Err(vitistack_types::client::Error::Kube(kube::Error::Api(status))) => {
            assert_eq!(status.code, 422);
            assert!(
                status.message.contains("spec.resources.cpu.cores"),
                "{}",
                status.message
            );
        }
        other => panic!("expected a 422, got {other:?}"),
    }
}

#[tokio::test]
async fn stale_writes_conflict_and_status_updates_retry_until_they_land() {
    let viti = viti().await.with_conflict_retries(20);
    let namespace = test_namespace("conflict").await;
    let (object, _) = typed::<Vitistack>("vitistack", &namespace);
    let name = object.meta().name.clone().expect("name");
    viti.create(&namespace, &object).await.expect("create");

    // A write with a stale resourceVersion is refused with 409.
    let stale: Vitistack = viti.get(&namespace, &name).await.expect("get");
    viti.update_status::<Vitistack>(&namespace, &name, |v| v.status = Some(Default::default()))
        .await
        .expect("status");
    let api = viti.api::<Vitistack>(&namespace);
    match api
        .replace_status(&name, &PostParams::default(), &stale)
        .await
    {
        Err(kube::Error::Api(status)) => assert_eq!(status.code, 409),
        other => panic!("expected 409 Conflict, got {other:?}"),
    }

    // Concurrent read-modify-write increments: every one lands, through retries.
    let writers = 6;
    let tasks: Vec<_> = (0..writers)
        .map(|_| {
            let (viti, namespace, name) = (viti.clone(), namespace.clone(), name.clone());
            tokio::spawn(async move {
                viti.update_status::<Vitistack>(&namespace, &name, |v| {
                    let status = v.status.get_or_insert_with(Default::default);
                    let resources = status.resources.get_or_insert_with(Default::default);
                    resources.machines = Some(resources.machines.unwrap_or(0) + 1);
                })
                .await
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("task").expect("status update");
    }
    let after: Vitistack = viti.get(&namespace, &name).await.expect("get");
    let machines = after
        .status
        .and_then(|s| s.resources)
        .and_then(|r| r.machines);
    assert_eq!(machines, Some(writers));
}

#[tokio::test]
async fn a_watch_sees_create_update_delete_in_order_across_server_timeouts() {
    let (client, mut sent) = requests::logging_test_client().await;
    ensure_crds(&client).await;
    let viti = VitiClient::new(client).with_field_manager("vitistack-e2e");
    // After each change, the next one waits until the watcher opened a new watch: the server
    // ended the one that was open (or the change would not be across a server timeout).
    let watch_of = |s: &requests::Sent| s.is_watch_of("networknamespaces");
    let namespace = test_namespace("watch").await;
    // The server ends every watch request after 1 s; the watcher must resume each time.
    let stream =
        viti.watch_with::<NetworkNamespace>(&namespace, watcher::Config::default().timeout(1));
    let (sender, mut events) = tokio::sync::mpsc::unbounded_channel();
    let watch = tokio::spawn(async move {
        let mut stream = std::pin::pin!(stream);
        while let Some(event) = stream.next().await {
            if sender.send(event).is_err() {
                break;
            }
        }
    });
    // Wait for the initial (empty) list to finish.
    loop {
        match tokio::time::timeout(Duration::from_secs(20), events.recv())
            .await
            .expect("watch started")
        {
            Some(Ok(watcher::Event::InitDone)) => break,
            Some(_) => continue,
            None => panic!("watch ended"),
        }
    }
    let (mut object, _) = typed::<NetworkNamespace>("networknamespace", &namespace);
    let name = object.meta().name.clone().expect("name");
    viti.create(&namespace, &object).await.expect("create");
    let watches = sent.count(watch_of);
    sent.until("a watch after the create", watches + 1, watch_of)
        .await;
    object
        .spec
        .qos
        .get_or_insert_with(Default::default)
        .priority = Some(7);
    viti.apply(&namespace, &object).await.expect("apply");
    let watches = sent.count(watch_of);
    sent.until("a watch after the update", watches + 1, watch_of)
        .await;
    viti.delete::<NetworkNamespace>(&namespace, &name, None)
        .await
        .expect("delete");

    let mut seen = Vec::new();
    while !seen.iter().any(|s: &String| s == "delete") {
        let event = tokio::time::timeout(Duration::from_secs(20), events.recv())
            .await
            .expect("events keep coming");
        match event.expect("stream open") {
            Ok(watcher::Event::Apply(o) | watcher::Event::InitApply(o)) => {
                let priority = o.spec.qos.as_ref().and_then(|q| q.priority);
                seen.push(format!("apply priority={priority:?}"));
            }
            Ok(watcher::Event::Delete(_)) => seen.push("delete".to_string()),
            Ok(_) => {}
            Err(e) => seen.push(format!("error {e}")),
        }
    }
    watch.abort();
    let original = typed::<NetworkNamespace>("networknamespace", &namespace)
        .0
        .spec
        .qos
        .and_then(|q| q.priority);
    seen.dedup();
    assert_eq!(
        seen,
        vec![
            format!("apply priority={original:?}"),
            "apply priority=Some(7)".to_string(),
            "delete".to_string()
        ]
    );
}

/// A test kind whose Rust type is stricter than its stored objects: its spec rejects unknown
/// fields, while its CRD keeps them (as after a schema change that removed a field).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Schema, CustomResource)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[crd(
    group = "e2e.vitistack.io",
    version = "v1",
    kind = "Widget",
    plural = "widgets",
    namespaced,
    status = "WidgetStatus"
)]
pub struct WidgetSpec {
    /// Size of the widget.
    #[viti(length(max = 16))]
    pub size: String,
}

/// Status of a widget.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
pub struct WidgetStatus {
    /// Whether it is ready.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ready: Option<bool>,
}

#[tokio::test]
async fn the_lenient_list_returns_every_object_that_decodes_and_an_error_per_other() {
    use vitistack_types::crd::CustomResourceKind;
    let viti = viti().await;
    // The CRD as derived (unknown spec fields pruned), then a schema change that keeps them:
    // once install_crds_from returns, the new schema is in effect ("b" keeps its legacy field).
    viti.install_crds_from([Widget::crd()], Duration::from_secs(30))
        .await
        .expect("widget CRD");
    let mut crd = Widget::crd();
    crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["spec"] =
        json!({"type": "object", "x-kubernetes-preserve-unknown-fields": true});
    viti.install_crds_from([crd], Duration::from_secs(30))
        .await
        .expect("widget CRD, changed");

    // Five objects, one of which no longer fits the Rust type, listed two a page; "e" is
    // labelled apart and selected out. Every create succeeds at once after install_crds_from.
    let namespace = test_namespace("lenient").await;
    let dynamic = viti.dynamic_api_of::<Widget>(&namespace);
    for (name, spec, set) in [
        ("a", json!({"size": "s"}), "one"),
        ("b", json!({"size": "m", "legacy": true}), "one"),
        ("c", json!({"size": "l"}), "one"),
        ("d", json!({"size": "xl"}), "one"),
        ("e", json!({"size": "xs"}), "two"),
        ("f", json!({"size": "xxl"}), "one"),
    ] {
        let object: DynamicObject = serde_json::from_value(json!({
            "apiVersion": "e2e.vitistack.io/v1", "kind": "Widget",
            "metadata": {"name": name, "namespace": namespace, "labels": {"set": set}},
            "spec": spec,
        }))
        .expect("object");
        dynamic
            .create(&PostParams::default(), &object)
            .await
            .unwrap_or_else(|e| panic!("create {name}: {e}"));
    }
    let params = kube::api::ListParams::default().labels("set=one").limit(2);
    let list = viti
        .list_lenient::<Widget>(&namespace, &params)
        .await
        .expect("list");
    let names: Vec<String> = list
        .items
        .iter()
        .filter_map(|w| w.meta().name.clone())
        .collect();
    assert_eq!(names, ["a", "c", "d", "f"]);
    assert_eq!(list.failures.len(), 1);
    assert_eq!(list.failures[0].name, "b");
    assert_eq!(list.failures[0].error.path, "spec.legacy");
    assert!(
        list.failures[0].error.message.contains("legacy"),
        "{}",
        list.failures[0].error
    );

    // A watch from the list's resourceVersion sees what changed after the list, and only that.
    use kube::api::WatchParams;
    use kube::core::WatchEvent;
    let watch = dynamic
        .watch(&WatchParams::default().timeout(10), &list.resource_version)
        .await
        .expect("watch from the list's resourceVersion");
    let mut watch = std::pin::pin!(watch);
    dynamic
        .delete("c", &Default::default())
        .await
        .expect("delete c");
    let first = tokio::time::timeout(Duration::from_secs(10), watch.next())
        .await
        .expect("an event")
        .expect("stream open")
        .expect("event");
    match first {
        WatchEvent::Deleted(o) => assert_eq!(o.metadata.name.as_deref(), Some("c")),
        other => panic!("expected the delete of c first, got {other:?}"),
    }
}
