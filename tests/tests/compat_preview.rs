//! Issue 27 items 5 and 6: the preview of stored objects (`compat OLD NEW --objects`,
//! `--objects-from-cluster`) gives the apiserver's verdict on every object.
//!
//! For each case the objects are created on the real test server under OLD and read back (the
//! stored form), the CRD is moved to NEW, and for each object the server is asked two things:
//! a dry-run create of the object as read under NEW (does NEW reject it?) and an update that
//! only sets a label (does a write that leaves the failing fields unchanged go through?). The
//! server's verdict (valid, ratcheted, blocked) must equal the preview's on every object.

use std::time::{Duration, Instant};

use kube::api::{Api, ApiResource, DynamicObject, PostParams};
use serde_json::{json, Value};
use vitistack_codegen_lib::compat::preview::{self, Outcome, StoredObject};
use vitistack_e2e::compat_crds::{loaded, own_group};
use vitistack_e2e::*;

/// The group every case's CRDs move to (one group per case and run, see [`own_group`]).
const GROUP: &str = "preview.e2e.vitistack.io";

/// One case: OLD and NEW, the version objects are written through, the objects stored under
/// OLD (each `(name, object)`; apiVersion, kind, name and namespace are set here), and a probe
/// that OLD accepts and NEW rejects as invalid, with the version it is written through (how the
/// test knows NEW is in effect: the apiserver switches a CRD's schema some time after the
/// update).
struct Case {
    what: &'static str,
    old: Value,
    new: Value,
    version: &'static str,
    objects: Vec<(&'static str, Value)>,
    probe: (&'static str, Value),
}

/// Our Machine CRD as generated (`crds/`), the NEW side of the cases on our kinds.
fn machine_crd() -> Value {
    crd_files()
        .into_iter()
        .map(|(_, crd)| crd)
        .find(|crd| crd["spec"]["names"]["kind"] == "Machine")
        .expect("the Machine CRD in crds/")
}

/// `crd` with the member at a JSON pointer into its only version's openAPIV3Schema removed.
fn without(mut crd: Value, pointer: &str) -> Value {
    let full = format!("/spec/versions/0/schema/openAPIV3Schema{pointer}");
    let (parent, key) = full.rsplit_once('/').expect("a JSON pointer");
    let removed = crd
        .pointer_mut(parent)
        .and_then(Value::as_object_mut)
        .and_then(|map| map.remove(key));
    assert!(removed.is_some(), "nothing at {full}");
    crd
}

/// `object` with `changes` (field path → value, `null` removes the field) applied.
fn changed(mut object: Value, changes: &[(&str, Value)]) -> Value {
    for (path, value) in changes {
        if value.is_null() {
            remove_path(&mut object, path);
        } else {
            set_path(&mut object, path, value.clone());
        }
    }
    object
}

/// The Machine example without its status, with `changes` applied.
fn machine(changes: &[(&str, Value)]) -> Value {
    let mut object = example("machine");
    object.as_object_mut().expect("an object").remove("status");
    changed(object, changes)
}

fn machine_case() -> Case {
    let spec = "/properties/spec/properties";
    let old = [
        format!("{spec}/resources/properties/cpu/properties/cores/maximum"),
        format!("{spec}/resources/properties/cpu/properties/sockets/default"),
        format!("{spec}/resources/properties/memory/properties/size/x-kubernetes-validations"),
        format!("{spec}/boot/properties/order/items/enum"),
    ]
    .iter()
    .fold(machine_crd(), |crd, pointer| without(crd, pointer));
    Case {
        what: "Machine: a maximum, a CEL rule, an enum on atomic list items and a default added",
        old,
        new: machine_crd(),
        version: "v1alpha1",
        objects: vec![
            (
                "cores-over",
                machine(&[("spec.resources.cpu.cores", json!(200))]),
            ),
            (
                "memory-small",
                machine(&[("spec.resources.memory.size", json!("64Mi"))]),
            ),
            (
                "boot-usb",
                machine(&[("spec.boot.order", json!(["disk", "usb"]))]),
            ),
            ("fits", machine(&[])),
            (
                "fits-too",
                machine(&[("spec.resources.cpu.cores", json!(128))]),
            ),
        ],
        probe: (
            "v1alpha1",
            machine(&[("spec.resources.cpu.cores", json!(129))]),
        ),
    }
}

fn cases() -> Vec<Case> {
    vec![machine_case()]
}

/// The resource of `version` of the CRD.
fn resource(crd: &Value, version: &str) -> ApiResource {
    let text = |pointer: &str| {
        crd.pointer(pointer)
            .and_then(Value::as_str)
            .expect(pointer)
            .to_owned()
    };
    let group = text("/spec/group");
    ApiResource {
        api_version: format!("{group}/{version}"),
        group,
        version: version.to_owned(),
        kind: text("/spec/names/kind"),
        plural: text("/spec/names/plural"),
    }
}

/// `object` as an object of `resource` named `name` in `namespace`.
fn placed(object: &Value, resource: &ApiResource, namespace: &str, name: &str) -> DynamicObject {
    let mut object = object.clone();
    object["apiVersion"] = json!(resource.api_version);
    object["kind"] = json!(resource.kind);
    object["metadata"]["name"] = json!(name);
    object["metadata"]["namespace"] = json!(namespace);
    serde_json::from_value(object).expect("a DynamicObject")
}

/// A dry-run create of `object` under another name: `Err` with the HTTP status and the
/// server's message when it is refused (422: the schema in effect rejects it).
async fn dry_run_create(
    api: &Api<DynamicObject>,
    object: &Value,
    name: &str,
) -> Result<(), (u16, String)> {
    let mut copy = json!({
        "apiVersion": object["apiVersion"],
        "kind": object["kind"],
        "metadata": {"name": name, "namespace": object["metadata"]["namespace"]},
    });
    for (key, value) in object.as_object().expect("an object") {
        if !["apiVersion", "kind", "metadata", "status"].contains(&key.as_str()) {
            copy[key] = value.clone();
        }
    }
    let copy: DynamicObject = serde_json::from_value(copy).expect("a DynamicObject");
    let params = PostParams {
        dry_run: true,
        ..PostParams::default()
    };
    api.create(&params, &copy).await.map(drop).map_err(|e| {
        let code = match &e {
            kube::Error::Api(status) => status.code,
            _ => 0,
        };
        (code, e.to_string())
    })
}

/// The server's verdict on a stored object after the move: the update is a replace of the
/// object as read with one label added.
async fn server_verdict(api: &Api<DynamicObject>, name: &str) -> (Outcome, String) {
    let read = api.get(name).await.expect("get the stored object");
    let read_json = serde_json::to_value(&read).expect("JSON");
    let create = dry_run_create(api, &read_json, &format!("{name}-create")).await;
    let mut updated = read.clone();
    updated
        .metadata
        .labels
        .get_or_insert_with(Default::default)
        .insert(preview::UPDATE_LABEL.to_owned(), "update".to_owned());
    let update = api.replace(name, &PostParams::default(), &updated).await;
    match (update, create) {
        (Err(e), _) => (Outcome::Blocked, e.to_string()),
        (Ok(_), Err((422, e))) => (Outcome::Ratcheted, e),
        (Ok(_), Err((_, e))) => panic!("{name}: the dry-run create failed otherwise: {e}"),
        (Ok(_), Ok(())) => (Outcome::Valid, String::new()),
    }
}

/// Waits until the server rejects the probe, i.e. NEW's schema is the one in effect. The
/// apiserver rebuilds a CRD's handler from its informer, some time after the update returns,
/// and nothing reports when: polling this condition is the only signal there is.
async fn until_new_in_effect(api: &Api<DynamicObject>, probe: &Value, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    // Until NEW is in effect the probe is accepted, or not found when it is written through a
    // version only NEW has.
    while !matches!(dry_run_create(api, probe, "probe").await, Err((422, _))) {
        assert!(
            Instant::now() < deadline,
            "{what}: NEW not in effect after 60 s"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Stores the case's objects under OLD, returning the CRDs (in their own group), the API and
/// the objects as stored (read back).
async fn store_under_old(
    client: &kube::Client,
    case: &Case,
    index: usize,
    namespace: &str,
) -> (Value, Value, Api<DynamicObject>, Vec<StoredObject>) {
    let old = own_group(case.old.clone(), &format!("p{index}"), GROUP);
    let new = own_group(case.new.clone(), &format!("p{index}"), GROUP);
    apply_crd(client, &old)
        .await
        .unwrap_or_else(|e| panic!("{}: installing OLD: {e}", case.what));
    let resource = resource(&old, case.version);
    let api: Api<DynamicObject> = Api::namespaced_with(client.clone(), namespace, &resource);
    let mut stored = Vec::new();
    for (name, object) in &case.objects {
        let object = placed(object, &resource, namespace, name);
        let created = api
            .create(&PostParams::default(), &object)
            .await
            .unwrap_or_else(|e| panic!("{}: {name} under OLD: {e}", case.what));
        stored.push(StoredObject {
            origin: format!("stored {name}"),
            value: serde_json::to_value(created).expect("JSON"),
        });
    }
    (old, new, api, stored)
}

#[tokio::test]
async fn the_preview_gives_the_apiservers_verdict_on_every_stored_object() {
    let client = client().await;
    let namespace = test_namespace("compat-preview").await;
    let mut mismatches = Vec::new();
    let mut seen = Vec::new();
    for (index, case) in cases().iter().enumerate() {
        let (old, new, api, stored) = store_under_old(&client, case, index, &namespace).await;
        let preview = preview::preview(&loaded(&old), &loaded(&new), &stored);
        apply_crd(&client, &new)
            .await
            .unwrap_or_else(|e| panic!("{}: moving to NEW: {e}", case.what));
        let (probe_version, probe) = &case.probe;
        let probe_resource = resource(&new, probe_version);
        let probe_api = Api::namespaced_with(client.clone(), &namespace, &probe_resource);
        let probe = serde_json::to_value(placed(probe, &probe_resource, &namespace, "probe"))
            .expect("JSON");
        until_new_in_effect(&probe_api, &probe, case.what).await;
        assert_eq!(preview.verdicts.len(), case.objects.len(), "{}", case.what);
        for ((name, _), verdict) in case.objects.iter().zip(&preview.verdicts) {
            let (server, why) = server_verdict(&api, name).await;
            seen.push(server);
            if server != verdict.outcome {
                mismatches.push(format!(
                    "{}: {name}: server {} ({why}); preview {verdict:?}",
                    case.what,
                    server.as_str()
                ));
            }
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
    for outcome in [Outcome::Valid, Outcome::Ratcheted] {
        assert!(seen.contains(&outcome), "no case is {}", outcome.as_str());
    }
}

/// `--objects PATH`: the stored objects written to a multi-document file are read back as they
/// were, each named by file and document.
#[tokio::test]
async fn objects_from_a_file_and_from_the_cluster_are_the_stored_objects() {
    let client = client().await;
    let namespace = test_namespace("compat-preview-list").await;
    let cases = cases();
    let case = &cases[0];
    // An index no case of the other test uses: its own group.
    let (old, new, _, stored) = store_under_old(&client, case, 100, &namespace).await;

    let dir = std::env::temp_dir().join(format!("compat-preview-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("objects.yaml");
    let text: String = stored
        .iter()
        .map(|o| format!("---\n{}\n", o.value))
        .collect();
    std::fs::write(&file, text).expect("write objects");
    let from_file = preview::read_objects(&dir).expect("read objects");
    std::fs::remove_dir_all(&dir).expect("remove temp dir");
    let values =
        |objects: &[StoredObject]| objects.iter().map(|o| o.value.clone()).collect::<Vec<_>>();
    assert_eq!(values(&from_file), values(&stored));
    assert_eq!(
        from_file[1].origin,
        format!("{}: document 2", file.display())
    );

    // Pages of two: five objects need three requests, each after a continue token.
    let listed = preview::cluster::list_objects(&client, &loaded(&old), &loaded(&new), 2)
        .await
        .expect("list from the cluster");
    let names = |objects: &[StoredObject]| {
        let mut names: Vec<String> = objects
            .iter()
            .map(|o| {
                o.value["metadata"]["name"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned()
            })
            .collect();
        names.sort();
        names
    };
    assert_eq!(names(&listed), names(&stored));
    assert!(listed.len() > 2, "the case has more objects than a page");
    let verdicts = |objects: &[StoredObject]| {
        let mut v: Vec<(String, Outcome)> = preview::preview(&loaded(&old), &loaded(&new), objects)
            .verdicts
            .into_iter()
            .map(|v| (v.name, v.outcome))
            .collect();
        v.sort_by(|a, b| a.0.cmp(&b.0));
        v
    };
    assert_eq!(verdicts(&listed), verdicts(&stored));
}
