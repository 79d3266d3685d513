//! Issue #17 item 10: the quickstart (`make quickstart`, `vitistack-types/examples/quickstart.rs`,
//! built as this crate's `quickstart` binary) run as a program against the test server. Its
//! output is checked against what a watch of this test saw: "update watched (resourceVersion
//! LISTED -> UPDATED)" says its watch listed the object as created and then saw the status
//! update as an update (not folded into its initial list), and every object is gone afterwards. Then a ValidatingAdmissionPolicy refuses the delete of its Machine: the
//! quickstart must report that delete and fail.

use futures::StreamExt;
use k8s_openapi::api::admissionregistration::v1::{
    ValidatingAdmissionPolicy, ValidatingAdmissionPolicyBinding,
};
use kube::api::{Api, DeleteParams, DynamicObject, ListParams, PostParams, WatchParams};
use kube::core::WatchEvent;
use serde_json::json;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use vitistack_e2e::*;

/// The quickstart's namespace.
const NAMESPACE: &str = "vitistack-quickstart";
/// The policy that keeps the quickstart's Machines.
const POLICY: &str = "e2e-quickstart-keep-machines";
const POLICY_MESSAGE: &str = "the quickstart's machines are kept (e2e test)";

/// What the test's watch saw: (kind, event type, name, resourceVersion, has a status).
type Seen = Arc<Mutex<Vec<(String, &'static str, String, String, bool)>>>;

fn run_quickstart() -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_quickstart"))
        .env("KUBECONFIG", apiserver::kubeconfig_path())
        .output()
        .expect("run the quickstart")
}

/// Watches every kind in the quickstart's namespace from now on.
async fn watch_every_kind(client: &kube::Client, seen: &Seen) -> Vec<tokio::task::JoinHandle<()>> {
    let mut tasks = Vec::new();
    for info in vitistack_types::registry::kinds() {
        let api: Api<DynamicObject> =
            Api::namespaced_with(client.clone(), NAMESPACE, &info.api_resource());
        let version = api
            .list_metadata(&ListParams::default())
            .await
            .expect("list")
            .metadata
            .resource_version
            .expect("resourceVersion");
        let stream = api
            .watch(&WatchParams::default().timeout(280), &version)
            .await
            .expect("watch");
        let (seen, kind) = (seen.clone(), info.kind.to_string());
        tasks.push(tokio::spawn(async move {
            let mut stream = std::pin::pin!(stream);
            while let Some(Ok(event)) = stream.next().await {
                let (ty, object) = match event {
                    WatchEvent::Added(o) => ("ADDED", o),
                    WatchEvent::Modified(o) => ("MODIFIED", o),
                    WatchEvent::Deleted(o) => ("DELETED", o),
                    _ => continue,
                };
                let has_status = !object.data["status"].is_null();
                seen.lock().expect("lock").push((
                    kind.clone(),
                    ty,
                    object.metadata.name.unwrap_or_default(),
                    object.metadata.resource_version.unwrap_or_default(),
                    has_status,
                ));
            }
        }));
    }
    tasks
}

/// The events of one object, in order.
fn events_of(seen: &Seen, kind: &str, name: &str) -> Vec<(&'static str, String, bool)> {
    seen.lock()
        .expect("lock")
        .iter()
        .filter(|(k, _, n, _, _)| k == kind && n == name)
        .map(|(_, ty, _, rv, status)| (*ty, rv.clone(), *status))
        .collect()
}

#[tokio::test]
async fn the_quickstart_reports_real_updates_and_failed_deletes() {
    let client = client().await;
    identity::create_namespace(&client, NAMESPACE).await;
    let seen: Seen = Arc::default();
    let watches = watch_every_kind(&client, &seen).await;

    let output = tokio::task::spawn_blocking(run_quickstart)
        .await
        .expect("run");
    let stdout = String::from_utf8_lossy(&output.stdout).to_string();
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    assert!(
        output.status.success(),
        "quickstart failed:\n{stdout}\n{stderr}"
    );
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 11, "{stdout}");
    assert_eq!(lines[0], "10 CRDs installed and Established");

    // Every object's ADDED, MODIFIED (status) and DELETED reach this test's watch.
    let names: Vec<(&str, String)> = EXAMPLES
        .iter()
        .map(|(kind, stem)| {
            let name = example(stem)["metadata"]["name"]
                .as_str()
                .expect("name")
                .to_string();
            (*kind, name)
        })
        .collect();
    let deadline = Instant::now() + Duration::from_secs(30);
    while names.iter().any(|(kind, name)| {
        !events_of(&seen, kind, name)
            .iter()
            .any(|e| e.0 == "DELETED")
    }) {
        assert!(
            Instant::now() < deadline,
            "no delete seen: {:?}",
            seen.lock()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    for task in watches {
        task.abort();
    }

    for ((kind, name), line) in names.iter().zip(&lines[1..]) {
        let prefix = format!("{kind:<21} {name}: created, read typed + unstructured, status updated, update watched (resourceVersion ");
        let (listed, version) = line
            .strip_prefix(&prefix)
            .and_then(|rest| rest.strip_suffix("), deleted"))
            .and_then(|versions| versions.split_once(" -> "))
            .unwrap_or_else(|| panic!("unexpected line for {kind}: {line:?}"));
        let events = events_of(&seen, kind, name);
        let kinds: Vec<&str> = events.iter().map(|e| e.0).collect();
        assert_eq!(
            kinds,
            ["ADDED", "MODIFIED", "DELETED"],
            "{kind}: {events:?}"
        );
        let (added, modified) = (&events[0], &events[1]);
        assert!(
            !added.2 && modified.2,
            "{kind}: the update sets the status: {events:?}"
        );
        assert_eq!(
            version, modified.1,
            "{kind}: the watched update is the status write"
        );
        assert_eq!(
            listed, added.1,
            "{kind}: listed as created, before the update"
        );
    }
    let machines: Api<DynamicObject> = Api::namespaced_with(
        client.clone(),
        NAMESPACE,
        &vitistack_types::registry::by_kind("Machine")
            .expect("Machine")
            .api_resource(),
    );
    assert!(machines
        .list(&Default::default())
        .await
        .expect("list")
        .items
        .is_empty());

    // A delete the server refuses: the quickstart names it and fails.
    keep_machines(&client, &machines).await;
    let output = tokio::task::spawn_blocking(run_quickstart)
        .await
        .expect("run");
    let stdout = String::from_utf8_lossy(&output.stdout).to_string();
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    release_machines(&client, &machines).await;
    assert!(
        !output.status.success(),
        "a failed delete must fail the quickstart:\n{stdout}"
    );
    let machine = &names[1].1;
    assert!(
        stderr.contains(&format!("Machine {machine}: delete failed"))
            && stderr.contains(POLICY_MESSAGE),
        "{stderr}"
    );
}

/// Installs a policy that refuses deletes of Machines in the quickstart's namespace, and waits
/// until the server applies it (a dry-run delete of a probe Machine is refused).
async fn keep_machines(client: &kube::Client, machines: &Api<DynamicObject>) {
    let policy: ValidatingAdmissionPolicy = serde_json::from_value(json!({
        "metadata": {"name": POLICY},
        "spec": {
            "failurePolicy": "Fail",
            "matchConstraints": {"resourceRules": [{"apiGroups": ["vitistack.io"],
                "apiVersions": ["v1alpha1"], "operations": ["DELETE"], "resources": ["machines"]}]},
            "validations": [{"expression": "false", "message": POLICY_MESSAGE}],
        },
    }))
    .expect("policy");
    let binding: ValidatingAdmissionPolicyBinding = serde_json::from_value(json!({
        "metadata": {"name": POLICY},
        "spec": {"policyName": POLICY, "validationActions": ["Deny"],
            "matchResources": {"namespaceSelector": {"matchLabels":
                {"kubernetes.io/metadata.name": NAMESPACE}}}},
    }))
    .expect("binding");
    let pp = PostParams::default();
    Api::<ValidatingAdmissionPolicy>::all(client.clone())
        .create(&pp, &policy)
        .await
        .expect("create policy");
    Api::<ValidatingAdmissionPolicyBinding>::all(client.clone())
        .create(&pp, &binding)
        .await
        .expect("create binding");
    let mut probe = example("machine");
    remove_path(&mut probe, "status");
    set_path(&mut probe, "metadata.name", json!("policy-probe"));
    set_path(&mut probe, "metadata.namespace", json!(NAMESPACE));
    let probe: DynamicObject = serde_json::from_value(probe).expect("probe");
    machines.create(&pp, &probe).await.expect("probe machine");
    let dry_run = DeleteParams {
        dry_run: true,
        ..DeleteParams::default()
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    while machines.delete("policy-probe", &dry_run).await.is_ok() {
        assert!(
            Instant::now() < deadline,
            "the policy is not in effect after 30 s"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Removes the policy and every Machine left in the quickstart's namespace.
async fn release_machines(client: &kube::Client, machines: &Api<DynamicObject>) {
    let _ = Api::<ValidatingAdmissionPolicyBinding>::all(client.clone())
        .delete(POLICY, &Default::default())
        .await;
    let _ = Api::<ValidatingAdmissionPolicy>::all(client.clone())
        .delete(POLICY, &Default::default())
        .await;
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let left = machines
            .list(&Default::default())
            .await
            .expect("list")
            .items;
        if left.is_empty() {
            return;
        }
        for machine in left {
            let _ = machines
                .delete(
                    &machine.metadata.name.unwrap_or_default(),
                    &Default::default(),
                )
                .await;
        }
        assert!(Instant::now() < deadline, "machines left after 30 s");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
