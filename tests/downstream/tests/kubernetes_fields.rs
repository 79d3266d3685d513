//! Kubernetes types embedded as plain fields of the user's CRD (`src/crd.rs`): the CRD with
//! their bridged schemas installs (the apiserver refuses a schema that is not structural), a
//! good object keeps every embedded value (nothing pruned), and a bad value inside each type is
//! refused by vitistack's schema walk (what `validate()` and `crdgen validate` run), by the
//! typed `validate()` where the Rust type can hold the value at all, and by the apiserver, all
//! at the same field path.

mod support;

use kube::api::{Api, ApiResource, DynamicObject, PostParams};
use serde_json::{json, Value};
use support::*;
use vitistack_downstream::crd::VlanAttachment;
use vitistack_types::crd::CustomResourceKind;
use vitistack_types::validate::{check_value, Options};
use vitistack_types::Validate;

/// A valid object that sets every embedded Kubernetes type.
fn good(name: &str) -> Value {
    json!({
        "apiVersion": "example.com/v1",
        "kind": "VlanAttachment",
        "metadata": {"name": name},
        "spec": {
            "vlan": 100, "subnet": "10.0.0.0/24", "bandwidth": "10G",
            "nodeSelector": {"matchLabels": {"rack": "r1"},
                             "matchExpressions": [{"key": "zone", "operator": "In", "values": ["a"]}]},
            "burst": "2G",
            "healthPort": "health",
            "notBefore": "2026-01-01T00:00:00Z",
            "credentials": {"name": "switch-credentials"},
            "agentResources": {"limits": {"cpu": "500m", "memory": "128Mi"}, "requests": {"cpu": 1}},
            "agentTemplate": {
                "metadata": {"labels": {"app": "uplink-agent"}},
                "spec": {"containers": [{"name": "agent", "image": "agent:1",
                                         "ports": [{"containerPort": 9100, "name": "metrics"}]}]}
            },
            "bond": {"mode": "lacp", "members": ["eth0", "eth1"], "miimon": 100}
        }
    })
}

fn condition(kind: &str) -> Value {
    json!({"type": kind, "status": "True", "reason": "Attached", "message": "",
           "lastTransitionTime": "2026-01-01T00:00:00Z", "observedGeneration": 1})
}

/// `good(name)` with the value at the JSON pointer replaced.
fn with(name: &str, pointer: &str, value: Value) -> Value {
    let mut object = good(name);
    *object
        .pointer_mut(pointer)
        .unwrap_or_else(|| panic!("{pointer} is not in the good object")) = value;
    object
}

/// The field paths the schema walk names; the note at the root that CEL rules were skipped
/// (after a type or required error, as the apiserver also says) is left out.
fn walk_paths(object: &Value) -> Vec<String> {
    let mut paths: Vec<String> =
        check_value(VlanAttachment::root_schema(), object, Options::default())
            .iter()
            .map(|e| e.path.clone())
            .filter(|p| !p.is_empty())
            .collect();
    paths.sort();
    paths
}

async fn refused_by_server(api: &Api<DynamicObject>, name: &str, object: &Value) -> String {
    let dynamic: DynamicObject = serde_json::from_value(object.clone()).expect("a DynamicObject");
    match api.create(&PostParams::default(), &dynamic).await {
        Err(kube::Error::Api(status)) => {
            assert_eq!(status.code, 422, "{name}: {status:?}");
            status.message
        }
        other => panic!("{name}: the server accepted it: {other:?}"),
    }
}

#[tokio::test]
async fn embedded_kubernetes_types_are_checked_alike_by_validate_and_the_server() {
    // Installing is the first check: the apiserver refuses a schema that is not structural.
    let (admin, ns) = user_crd_namespace("k8s-fields").await;
    let resource = ApiResource::erase::<VlanAttachment>(&());
    let api: Api<DynamicObject> = Api::namespaced_with(admin.clone(), &ns, &resource);

    let object = good("good");
    assert_eq!(walk_paths(&object), Vec::<String>::new());
    let typed: VlanAttachment = serde_json::from_value(object.clone()).expect("typed");
    typed.validate().expect("valid in Rust");
    let dynamic: DynamicObject = serde_json::from_value(object).expect("dynamic");
    let stored = api
        .create(&PostParams::default(), &dynamic)
        .await
        .expect("valid for the server");
    // Nothing pruned: the template's labels and the int-or-string values come back as sent.
    assert_eq!(
        stored.data["spec"]["agentTemplate"]["metadata"]["labels"],
        json!({"app": "uplink-agent"})
    );
    assert_eq!(stored.data["spec"]["healthPort"], "health");
    assert_eq!(stored.data["spec"]["agentResources"]["requests"]["cpu"], 1);

    // (case, pointer, bad value, the path each enforcer must name, whether the Rust type can
    // hold the value: serde refuses or changes the others before validate() could run).
    let duplicate_containers = json!([{"name": "agent"}, {"name": "agent"}]);
    let cases = [
        (
            "selector",
            "/spec/nodeSelector/matchExpressions/0",
            json!({"key": "zone"}),
            "spec.nodeSelector.matchExpressions[0].operator",
            false,
        ),
        (
            "quantity",
            "/spec/burst",
            json!("2 gigs"),
            "spec.burst",
            true,
        ),
        (
            "int-or-string",
            "/spec/healthPort",
            json!(true),
            "spec.healthPort",
            false,
        ),
        (
            "time",
            "/spec/notBefore",
            json!("tomorrow"),
            "spec.notBefore",
            false,
        ),
        (
            "local-ref",
            "/spec/credentials/name",
            json!(7),
            "spec.credentials.name",
            false,
        ),
        (
            "resources",
            "/spec/agentResources/limits/memory",
            json!("128MB"),
            "spec.agentResources.limits.memory",
            true,
        ),
        (
            "template",
            "/spec/agentTemplate/spec/containers",
            duplicate_containers,
            "spec.agentTemplate.spec.containers[1]",
            true,
        ),
        (
            "template-port",
            "/spec/agentTemplate/spec/containers/0/ports/0/containerPort",
            json!("metrics"),
            "spec.agentTemplate.spec.containers[0].ports[0].containerPort",
            false,
        ),
        // A user type opted in with #[viti(schemars)]: its enum, range and item count.
        (
            "schemars-enum",
            "/spec/bond/mode",
            json!("broadcast"),
            "spec.bond.mode",
            false,
        ),
        (
            "schemars-range",
            "/spec/bond/miimon",
            json!(5),
            "spec.bond.miimon",
            true,
        ),
        (
            "schemars-items",
            "/spec/bond/members",
            json!([]),
            "spec.bond.members",
            true,
        ),
    ];
    for (name, pointer, value, path, typed) in cases {
        let object = with(name, pointer, value);
        assert_eq!(walk_paths(&object), vec![path], "{name}: the schema walk");
        // The typed object carries the bad value only if it survives serde both ways
        // (k8s-openapi fills a missing required string with "", and refuses a wrong type).
        let typed_object = serde_json::from_value::<VlanAttachment>(object.clone()).ok();
        let survives = typed_object.as_ref().is_some_and(|t| {
            let back = serde_json::to_value(t).unwrap_or_default();
            back.pointer(pointer) == object.pointer(pointer)
        });
        assert_eq!(
            survives, typed,
            "{name}: whether the Rust type holds the bad value"
        );
        if let (true, Some(typed_object)) = (survives, typed_object) {
            let errors = typed_object.validate().expect_err(name);
            let paths: Vec<_> = errors
                .paths()
                .into_iter()
                .filter(|p| !p.is_empty())
                .collect();
            assert_eq!(paths, vec![path], "{name}: validate()");
        }
        let message = refused_by_server(&api, name, &object).await;
        assert!(
            message.contains(&format!("{path}: ")),
            "{name}: the server names another field: {message}"
        );
    }
}

#[tokio::test]
async fn conditions_are_a_list_map_keyed_by_type_on_the_status_subresource() {
    let (admin, ns) = user_crd_namespace("k8s-conditions").await;
    let typed_api: Api<VlanAttachment> = Api::namespaced(admin.clone(), &ns);
    let object: VlanAttachment = serde_json::from_value(good("status")).expect("typed");
    let mut created = typed_api
        .create(&PostParams::default(), &object)
        .await
        .expect("created");

    let mut status = created.status.clone().unwrap_or_default();
    status.conditions = vec![
        serde_json::from_value(condition("Ready")).expect("a Condition"),
        serde_json::from_value(condition("Ready")).expect("a Condition"),
    ];
    created.status = Some(status);
    let errors = created.validate().expect_err("duplicate condition types");
    assert_eq!(errors.paths(), vec!["status.conditions[1]"]);
    match typed_api
        .replace_status("status", &PostParams::default(), &created)
        .await
    {
        Err(kube::Error::Api(status)) => {
            assert_eq!(status.code, 422, "{status:?}");
            assert!(
                status
                    .message
                    .contains("status.conditions[1]: Duplicate value"),
                "{}",
                status.message
            );
        }
        other => panic!("the server took two Ready conditions: {other:?}"),
    }

    if let Some(status) = created.status.as_mut() {
        status.conditions.truncate(1);
    }
    created.validate().expect("one condition is valid");
    let stored = typed_api
        .replace_status("status", &PostParams::default(), &created)
        .await
        .expect("the server takes one condition");
    let conditions = stored.status.map(|s| s.conditions).unwrap_or_default();
    assert_eq!(conditions.len(), 1);
    assert_eq!(conditions[0].observed_generation, Some(1));
}
