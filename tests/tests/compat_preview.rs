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

/// A one-version CRD `widgets.GROUP` with this root schema.
fn widget_crd(root: Value) -> Value {
    json!({
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": format!("widgets.{GROUP}")},
        "spec": {
            "group": GROUP,
            "names": {"kind": "Widget", "plural": "widgets", "singular": "widget", "listKind": "WidgetList"},
            "scope": "Namespaced",
            "versions": [{"name": "v1", "served": true, "storage": true,
                "schema": {"openAPIV3Schema": root}}],
        }
    })
}

/// Crafted: one tightening of each kind the apiserver ratchets differently, one object each.
fn widget_case() -> Case {
    let old_spec = json!({"type": "object", "properties": {
        "mode": {"type": "string", "enum": ["a", "b", "c"]},
        "owner": {"type": "string"},
        "name": {"type": "string"},
        "size": {"type": "integer"},
        "level": {"type": "integer"},
        "label": {"type": "string"},
        "replicas": {"type": "integer"},
        "tags": {"type": "array", "items": {"type": "string"}},
        "ports": {"type": "array", "x-kubernetes-list-type": "map",
            "x-kubernetes-list-map-keys": ["name"],
            "items": {"type": "object", "required": ["name"], "properties": {
                "name": {"type": "string"}, "port": {"type": "integer"}}}},
    }});
    let mut new_spec = old_spec.clone();
    let edits = [
        // An enum tightened.
        ("/properties/mode/enum", json!(["a", "b"])),
        // A new required field.
        ("/required", json!(["owner"])),
        // A maxLength added.
        ("/properties/name/maxLength", json!(5)),
        // A transition rule: a size above 10 may only decrease (never ratcheted).
        (
            "/properties/size/x-kubernetes-validations",
            json!([{"rule": "self <= 10 || self < oldSelf", "message": "a size above 10 may only decrease"}]),
        ),
        // Rules added on spec: a plain one, one that errors on a missing field, one that
        // holds only once NEW's default is read in.
        (
            "/x-kubernetes-validations",
            json!([
                {"rule": "!has(self.level) || self.level <= 10", "message": "level at most 10"},
                {"rule": "!has(self.mode) || self.mode != 'b' || self.name.size() > 0"},
                {"rule": "self.replicas >= 1"},
            ]),
        ),
        ("/properties/replicas/default", json!(1)),
        // Items of an atomic list (no correlation) and of a list-map (correlated by key).
        ("/properties/tags/items/maxLength", json!(3)),
        (
            "/properties/ports/items/properties/port/maximum",
            json!(100),
        ),
    ];
    for (pointer, value) in edits {
        let (parent, key) = pointer.rsplit_once('/').expect("a pointer");
        new_spec
            .pointer_mut(parent)
            .and_then(Value::as_object_mut)
            .expect(parent)
            .insert(key.to_owned(), value);
    }
    let old = widget_crd(json!({"type": "object", "properties": {"spec": old_spec}}));
    // At the root, which every update changes (its metadata): a new required field and a rule.
    let new = widget_crd(json!({"type": "object", "required": ["spec"],
        "x-kubernetes-validations": [{"rule": "!has(self.spec) || !has(self.spec.label) || self.spec.label != 'root'",
            "message": "label must not be root"}],
        "properties": {"spec": new_spec}}));
    let base = json!({"spec": {"mode": "a", "owner": "o", "name": "n", "size": 1, "level": 1,
        "tags": ["x"], "ports": [{"name": "a", "port": 1}]}});
    let widget = |changes: &[(&str, Value)]| changed(base.clone(), changes);
    Case {
        what: "Widget (crafted): enum, required, maxLength, transition rule, CEL rules, list items, root rules",
        old,
        new,
        version: "v1",
        objects: vec![
            ("fits", widget(&[])),
            ("mode-c", widget(&[("spec.mode", json!("c"))])),
            ("no-owner", widget(&[("spec.owner", Value::Null)])),
            ("long-name", widget(&[("spec.name", json!("toolong"))])),
            ("size-20", widget(&[("spec.size", json!(20))])),
            ("level-20", widget(&[("spec.level", json!(20))])),
            ("rule-errors", widget(&[("spec.mode", json!("b")), ("spec.name", Value::Null)])),
            ("long-tag", widget(&[("spec.tags", json!(["abcd"]))])),
            ("port-200", widget(&[("spec.ports", json!([{"name": "a", "port": 200}]))])),
            ("root-rule", widget(&[("spec.label", json!("root"))])),
            ("no-spec", json!({})),
        ],
        probe: ("v1", widget(&[("spec.mode", json!("c"))])),
    }
}

/// A CRD of `tests/corpus/compat-history/` (released files of public projects).
fn corpus_crd(file: &str) -> Value {
    let path = repo_root().join("tests/corpus/compat-history").join(file);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Pairs of the history corpus that tighten what stored objects may hold.
fn history_cases() -> Vec<Case> {
    let address = json!({"spec": {"address": "10.0.0.1", "claimRef": {"name": "c"},
        "poolRef": {"apiGroup": "ipam.example.com", "kind": "Pool", "name": "p"}, "prefix": 24,
        "gateway": "10.0.0.254"}});
    let drain = json!({"spec": {"drain": {"behavior": "Drain"},
        "machines": [{"selector": {"matchLabels": {"a": "b"}}}]}});
    let binding = json!({"spec": {"clusterName": "c", "bindings": [{"clusterResourceSetName": "s",
        "resources": [{"applied": true, "kind": "Secret", "name": "n", "hash": "h"}]}]}});
    let unnamed = changed(binding.clone(), &[("spec.clusterName", Value::Null)]);
    let token = json!({"spec": {"appID": "1", "installID": "2",
        "auth": {"privateKey": {"secretRef": {"name": "github-app", "key": "private.key"}}}}});
    let key = "spec.auth.privateKey.secretRef.key";
    let secret = "spec.auth.privateKey.secretRef.name";
    vec![
        Case {
            what: "cluster-api ipaddresses v1.9.0 -> v1.10.0: minLength and maxLength added",
            old: corpus_crd("cluster-api/ipam.cluster.x-k8s.io_ipaddresses@v1.9.0.yaml"),
            new: corpus_crd("cluster-api/ipam.cluster.x-k8s.io_ipaddresses@v1.10.0.yaml"),
            version: "v1beta1",
            objects: vec![
                ("fits", address.clone()),
                ("empty-address", changed(address.clone(), &[("spec.address", json!(""))])),
                ("long-gateway", changed(address.clone(), &[("spec.gateway", json!("1".repeat(40)))])),
            ],
            probe: ("v1beta1", changed(address.clone(), &[("spec.address", json!(""))])),
        },
        Case {
            what: "cluster-api machinedrainrules v1.9.0 -> v1.10.0: a uniqueness rule on an atomic list",
            old: corpus_crd("cluster-api/cluster.x-k8s.io_machinedrainrules@v1.9.0.yaml"),
            new: corpus_crd("cluster-api/cluster.x-k8s.io_machinedrainrules@v1.10.0.yaml"),
            version: "v1beta1",
            objects: vec![
                ("fits", drain.clone()),
                ("twice", changed(drain.clone(), &[("spec.machines", json!([
                    {"selector": {"matchLabels": {"a": "b"}}}, {"selector": {"matchLabels": {"a": "b"}}}]))])),
            ],
            probe: ("v1beta1", changed(drain.clone(), &[("spec.pods", json!([
                {"selector": {"matchLabels": {"a": "b"}}}, {"selector": {"matchLabels": {"a": "b"}}}]))])),
        },
        Case {
            what: "cluster-api clusterresourcesetbindings v1.9.0 -> v1.10.0: bounds added, also in list items",
            old: corpus_crd("cluster-api/addons.cluster.x-k8s.io_clusterresourcesetbindings@v1.9.0.yaml"),
            new: corpus_crd("cluster-api/addons.cluster.x-k8s.io_clusterresourcesetbindings@v1.10.0.yaml"),
            version: "v1beta1",
            objects: vec![
                ("fits", binding.clone()),
                ("empty-cluster", changed(binding.clone(), &[("spec.clusterName", json!(""))])),
                ("empty-hash", changed(binding.clone(), &[("spec.bindings[0].resources[0].hash", json!(""))])),
            ],
            probe: ("v1beta1", changed(binding.clone(), &[("spec.clusterName", json!(""))])),
        },
        Case {
            what: "external-secrets githubaccesstokens v0.10.0 -> v0.11.0: patterns and lengths added to a secret reference",
            old: corpus_crd("external-secrets/generators.external-secrets.io_githubaccesstokens@v0.10.0.yaml"),
            new: corpus_crd("external-secrets/generators.external-secrets.io_githubaccesstokens@v0.11.0.yaml"),
            version: "v1alpha1",
            objects: vec![
                ("fits", token.clone()),
                ("spaced-key", changed(token.clone(), &[(key, json!("private key"))])),
                ("upper-name", changed(token.clone(), &[(secret, json!("GitHub"))])),
            ],
            probe: ("v1alpha1", changed(token.clone(), &[(key, json!(""))])),
        },
        Case {
            what: "cluster-api clusterresourcesetbindings v1.10.0 -> v1.11.0: v1beta2 (requiring spec.clusterName) becomes the storage version",
            old: corpus_crd("cluster-api/addons.cluster.x-k8s.io_clusterresourcesetbindings@v1.10.0.yaml"),
            new: corpus_crd("cluster-api/addons.cluster.x-k8s.io_clusterresourcesetbindings@v1.11.0.yaml"),
            version: "v1beta1",
            objects: vec![("fits", binding.clone()), ("unnamed", unnamed.clone())],
            probe: ("v1beta2", unnamed),
        },
    ]
}

fn cases() -> Vec<Case> {
    let mut cases = vec![machine_case(), widget_case()];
    cases.extend(history_cases());
    cases
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
            // The verdicts, for the record of a run (`--nocapture`).
            eprintln!("{}: {name}: {}", case.what, server.as_str());
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
    for outcome in [Outcome::Valid, Outcome::Ratcheted, Outcome::Blocked] {
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
