//! Issue #17: VitiClient as operators use it, against the real apiserver: apply of a read
//! object, non-forced and partial apply with conflicts naming field and manager, waits with
//! `kubectl wait` semantics, typed errors (403 vs transient), idempotent deletes with options
//! and finalizers, status updates that retry 409s, and CRDs whose names are refused.

use kube::api::{Api, DeleteParams, Patch, PatchParams, Preconditions};
use kube::Resource;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use vitistack_e2e::*;
use vitistack_types::client::{Error, FieldConflict, VitiClient};
use vitistack_types::kinds::common::Condition;
use vitistack_types::kinds::{Machine, Vitistack};

async fn viti() -> VitiClient {
    let client = client().await;
    ensure_crds(&client).await;
    VitiClient::new(client).with_field_manager("vitistack-e2e")
}

/// [`viti`] whose requests are logged: a test waits until a wait watches (its list is done, so
/// what happens next reaches it through the watch) before making the event it waits for.
async fn logged_viti() -> (VitiClient, requests::RequestLog) {
    let (client, log) = requests::logging_test_client().await;
    ensure_crds(&client).await;
    (
        VitiClient::new(client).with_field_manager("vitistack-e2e"),
        log,
    )
}

/// Whether a request is a watch of Machines.
fn machine_watch(sent: &requests::Sent) -> bool {
    sent.is_watch_of("machines")
}

/// The example Machine in `namespace`, without status and without a GPU count (a field without
/// default that nobody owns then), created by the field manager `vitistack-e2e`.
async fn created_machine(viti: &VitiClient, namespace: &str) -> Machine {
    let mut value = example("machine");
    remove_path(&mut value, "status");
    remove_path(&mut value, "spec.resources.gpu.count");
    set_path(&mut value, "metadata.namespace", json!(namespace));
    let object: kube::api::DynamicObject = serde_json::from_value(value).expect("object");
    let params = kube::api::PostParams {
        field_manager: Some("vitistack-e2e".into()),
        ..Default::default()
    };
    let created = viti
        .dynamic_api_of::<Machine>(namespace)
        .create(&params, &object)
        .await
        .expect("create");
    vitistack_types::unstructured::from_unstructured(&created).expect("fits")
}

fn name_of<K: Resource>(object: &K) -> String {
    object.meta().name.clone().expect("name")
}

/// What `kubectl edit` does: a merge patch by the field manager `kubectl-edit`.
async fn person_edits(viti: &VitiClient, namespace: &str, name: &str, patch: Value) {
    let api: Api<Machine> = viti.api(namespace);
    let params = PatchParams {
        field_manager: Some("kubectl-edit".into()),
        ..Default::default()
    };
    api.patch(name, &params, &Patch::Merge(&patch))
        .await
        .expect("kubectl edit");
}

/// `machine` with the label `e2e=applied`.
fn labelled(mut machine: Machine) -> Machine {
    machine
        .meta_mut()
        .labels
        .get_or_insert_with(Default::default)
        .insert("e2e".into(), "applied".into());
    machine
}

/// The error of an apply that conflicts with `kubectl-edit` on exactly `field`.
fn expect_conflict(result: Result<Machine, Error>, field: &str) -> Error {
    match result {
        Err(Error::ApplyConflict(conflicts)) => {
            assert_eq!(
                conflicts.conflicts,
                vec![FieldConflict {
                    field: field.into(),
                    manager: "kubectl-edit".into()
                }]
            );
            assert_eq!(conflicts.status.code, 409);
            Error::ApplyConflict(conflicts)
        }
        other => panic!("expected an apply conflict on {field}, got {other:?}"),
    }
}

fn cores(machine: &Machine) -> Option<i64> {
    let value = serde_json::to_value(machine).expect("JSON");
    get_path(&value, "spec.resources.cpu.cores").and_then(Value::as_i64)
}

#[tokio::test]
async fn apply_of_a_read_object_and_non_forced_conflicts_name_field_and_manager() {
    let viti = viti().await;
    let namespace = test_namespace("apply").await;
    let created = created_machine(&viti, &namespace).await;
    let name = name_of(&created);
    let edit = |patch: Value| person_edits(&viti, &namespace, &name, patch);

    // A person changes the cores; the operator then applies the object it read earlier
    // (resourceVersion, managedFields and all) with other cores: a conflict, nothing changes.
    edit(json!({"spec": {"resources": {"cpu": {"cores": 12}}}})).await;
    let stale = labelled(created.clone());
    let error = expect_conflict(
        viti.apply(&namespace, &stale).await,
        ".spec.resources.cpu.cores",
    );
    assert!(error.is_conflict() && !error.is_transient(), "{error}");
    assert!(
        error
            .to_string()
            .contains(".spec.resources.cpu.cores (owned by \"kubectl-edit\")"),
        "{error}"
    );
    let now: Machine = viti.get(&namespace, &name).await.expect("get");
    assert_eq!(cores(&now), Some(12), "a non-forced apply changed nothing");

    // Applying the object as read now (the person's cores included) is no conflict.
    let fresh = labelled(now.clone());
    let applied = viti
        .apply(&namespace, &fresh)
        .await
        .expect("apply of a read object");
    let labels = applied.meta().labels.clone().unwrap_or_default();
    assert_eq!(labels.get("e2e").map(String::as_str), Some("applied"));

    // A controller forces: it takes the field over.
    let forced = viti
        .apply_forced(&namespace, &stale)
        .await
        .expect("forced apply");
    assert_eq!(cores(&forced), cores(&created));
}

/// The example Machine in `namespace` without status, with `cores` CPU cores.
fn machine_with_cores(namespace: &str, cores: i64) -> Machine {
    let mut value = example("machine");
    remove_path(&mut value, "status");
    set_path(&mut value, "metadata.namespace", json!(namespace));
    set_path(&mut value, "spec.resources.cpu.cores", json!(cores));
    serde_json::from_value(value).expect("example")
}

#[tokio::test]
async fn the_shared_default_field_manager_never_forces_a_conflict() {
    let client = client().await;
    ensure_crds(&client).await;
    let namespace = test_namespace("default-manager").await;
    // Two tools that both forgot `with_field_manager`: the first creates, the second applies
    // other cores. Under the shared name the server sees one manager; the apply must come back
    // as a conflict, not silently take the first tool's field.
    let first_tool = VitiClient::new(client.clone());
    let second_tool = VitiClient::new(client.clone());
    let created = first_tool
        .create(&namespace, &machine_with_cores(&namespace, 2))
        .await
        .expect("create");
    let name = name_of(&created);
    match second_tool
        .apply(&namespace, &machine_with_cores(&namespace, 6))
        .await
    {
        Err(Error::ApplyConflict(conflicts)) => assert!(
            conflicts.conflicts.contains(&FieldConflict {
                field: ".spec.resources.cpu.cores".into(),
                manager: vitistack_types::client::DEFAULT_FIELD_MANAGER.into(),
            }),
            "{conflicts:?}"
        ),
        other => panic!("expected a conflict under the default manager, got {other:?}"),
    }
    let now: Machine = first_tool.get(&namespace, &name).await.expect("get");
    assert_eq!(cores(&now), Some(2), "nothing changed");

    // A tool with a name of its own takes over the fields it created itself.
    let own = VitiClient::new(client).with_field_manager("vitistack-e2e-own");
    let mut mine = machine_with_cores(&namespace, 2);
    mine.meta_mut().name = Some(format!("{name}-own"));
    own.create(&namespace, &mine).await.expect("create");
    set_cores(&mut mine, 6);
    let applied = own.apply(&namespace, &mine).await.expect("own fields");
    assert_eq!(cores(&applied), Some(6));
}

fn set_cores(machine: &mut Machine, cores: i64) {
    let mut value = serde_json::to_value(&*machine).expect("JSON");
    set_path(&mut value, "spec.resources.cpu.cores", json!(cores));
    *machine = serde_json::from_value(value).expect("Machine");
}

fn gpus(machine: &Machine) -> Option<i64> {
    let value = serde_json::to_value(machine).expect("JSON");
    get_path(&value, "spec.resources.gpu.count").and_then(Value::as_i64)
}

fn gpu_fields(count: i64) -> Value {
    json!({"spec": {"resources": {"gpu": {"count": count}}}})
}

#[tokio::test]
async fn partial_apply_owns_only_the_fields_it_sets_and_is_validated() {
    let viti = viti().await;
    let operator = viti.clone().with_field_manager("gpu-operator");
    let namespace = test_namespace("partial").await;
    let created = created_machine(&viti, &namespace).await;
    let name = name_of(&created);
    let edit = |patch: Value| person_edits(&viti, &namespace, &name, patch);

    // A partial object with an invalid value is refused before anything is sent...
    match operator
        .apply_partial::<Machine>(&namespace, &name, &gpu_fields(0))
        .await
    {
        Err(Error::Invalid(errors)) => assert_eq!(errors.paths(), vec!["spec.resources.gpu.count"]),
        other => panic!("expected a client-side rejection, got {other:?}"),
    }
    // ... and so is an unknown field (strict, as kubectl), while missing required fields are fine.
    let typo = json!({"spec": {"resources": {"gpu": {"cont": 2}}}});
    match operator
        .apply_partial::<Machine>(&namespace, &name, &typo)
        .await
    {
        Err(Error::Invalid(errors)) => assert_eq!(errors.paths(), vec!["spec.resources.gpu.cont"]),
        other => panic!("expected an unknown-field rejection, got {other:?}"),
    }

    // The operator owns the GPU count (a field nobody set); everything else stays.
    let applied: Machine = operator
        .apply_partial(&namespace, &name, &gpu_fields(2))
        .await
        .expect("partial apply");
    assert_eq!(gpus(&applied), Some(2));
    let before = serde_json::to_value(&created).expect("JSON");
    let mut after = serde_json::to_value(&applied).expect("JSON");
    remove_path(&mut after, "spec.resources.gpu.count");
    assert_eq!(after["spec"], before["spec"], "only the GPU count changed");

    // The person sets the memory: the operator's next apply does not touch it.
    edit(json!({"spec": {"resources": {"memory": {"size": "64Gi"}}}})).await;
    let again: Machine = operator
        .apply_partial(&namespace, &name, &gpu_fields(3))
        .await
        .expect("no conflict on a field the person did not touch");
    let again = serde_json::to_value(&again).expect("JSON");
    assert_eq!(
        get_path(&again, "spec.resources.memory.size"),
        Some(&json!("64Gi"))
    );
    assert_eq!(
        get_path(&again, "spec.resources.gpu.count"),
        Some(&json!(3))
    );

    // The person takes the GPU count: the operator's next non-forced apply names field and manager.
    edit(json!({"spec": {"resources": {"gpu": {"count": 4}}}})).await;
    expect_conflict(
        operator
            .apply_partial::<Machine>(&namespace, &name, &gpu_fields(2))
            .await,
        ".spec.resources.gpu.count",
    );
    let now: Machine = viti.get(&namespace, &name).await.expect("get");
    assert_eq!(gpus(&now), Some(4), "a non-forced apply changed nothing");
    let forced: Machine = operator
        .apply_partial_forced(&namespace, &name, &gpu_fields(2))
        .await
        .expect("forced partial apply");
    assert_eq!(gpus(&forced), Some(2));
}

fn ready(observed_generation: i64) -> Condition {
    serde_json::from_value(json!({
        "type": "Ready", "status": "True", "reason": "Provisioned", "message": "",
        "lastTransitionTime": "2026-01-01T00:00:00Z", "observedGeneration": observed_generation,
    }))
    .expect("condition")
}

async fn set_ready(viti: &VitiClient, namespace: &str, name: &str, observed_generation: i64) {
    viti.update_status::<Machine>(namespace, name, |m| {
        m.status.get_or_insert_with(Default::default).conditions =
            Some(vec![ready(observed_generation)]);
    })
    .await
    .expect("status");
}

#[tokio::test]
async fn a_wait_skips_conditions_of_an_older_generation_and_notices_deletion() {
    let (viti, mut sent) = logged_viti().await;
    let namespace = test_namespace("wait").await;
    let machine = created_machine(&viti, &namespace).await;
    let name = name_of(&machine);
    assert_eq!(machine.meta().generation, Some(1));
    set_ready(&viti, &namespace, &name, 1).await;
    let got = viti
        .wait_for_condition::<Machine>(&namespace, &name, "Ready", "True", Duration::from_secs(20))
        .await
        .expect("Ready for generation 1");
    assert_eq!(got.meta().generation, Some(1));

    // A spec change: generation 2; the Ready of generation 1 no longer counts.
    let changed: Machine = viti
        .apply_partial(&namespace, &name, &gpu_fields(2))
        .await
        .expect("spec change");
    assert_eq!(changed.meta().generation, Some(2));
    match viti
        .wait_for_condition::<Machine>(&namespace, &name, "Ready", "True", Duration::from_secs(3))
        .await
    {
        Err(Error::Timeout { what, .. }) => assert!(what.contains("Ready=True"), "{what}"),
        other => panic!("a stale Ready must not end the wait: {other:?}"),
    }
    let watches = sent.count(machine_watch);
    let waiter = {
        let (viti, namespace, name) = (viti.clone(), namespace.clone(), name.clone());
        tokio::spawn(async move {
            viti.wait_for_condition::<Machine>(
                &namespace,
                &name,
                "Ready",
                "True",
                Duration::from_secs(30),
            )
            .await
        })
    };
    sent.until("the wait watches", watches + 1, machine_watch)
        .await;
    set_ready(&viti, &namespace, &name, 2).await;
    let got = waiter.await.expect("task").expect("Ready for generation 2");
    assert_eq!(got.meta().generation, Some(2));

    // Deleted while waiting: the wait ends at once, saying so.
    let watches = sent.count(machine_watch);
    let waiter = {
        let (viti, namespace, name) = (viti.clone(), namespace.clone(), name.clone());
        tokio::spawn(async move {
            let start = Instant::now();
            let result = viti
                .wait_for_condition::<Machine>(
                    &namespace,
                    &name,
                    "Healthy",
                    "True",
                    Duration::from_secs(60),
                )
                .await;
            (result, start.elapsed())
        })
    };
    sent.until("the wait watches", watches + 1, machine_watch)
        .await;
    viti.delete::<Machine>(&namespace, &name, None)
        .await
        .expect("delete");
    let (result, waited) = waiter.await.expect("task");
    assert!(matches!(result, Err(Error::Deleted { .. })), "{result:?}");
    assert!(
        waited < Duration::from_secs(30),
        "noticed the deletion only after {waited:?}"
    );
    // A wait on an object that does not exist fails the same way.
    let result = viti
        .wait_for_condition::<Machine>(
            &namespace,
            "nothing-here",
            "Ready",
            "True",
            Duration::from_secs(30),
        )
        .await;
    assert!(matches!(result, Err(Error::Deleted { .. })), "{result:?}");
}

#[tokio::test]
async fn a_wait_refused_for_good_fails_at_once_with_the_status_code() {
    let admin = client().await;
    ensure_crds(&admin).await;
    let namespace = test_namespace("forbidden").await;
    // A ServiceAccount bound to nothing may not list or watch machines.
    let nobody =
        identity::client_for(identity::service_account(&admin, &namespace, "nobody").await).await;
    let viti = VitiClient::new(nobody);
    let start = Instant::now();
    let error = viti
        .wait_for_condition::<Machine>(&namespace, "m", "Ready", "True", Duration::from_secs(30))
        .await
        .expect_err("forbidden");
    assert!(error.is_forbidden(), "{error:?}");
    assert_eq!(error.code(), Some(403));
    assert!(!error.is_transient());
    assert!(matches!(error, Error::Watch(_)), "{error:?}");
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "took {:?}",
        start.elapsed()
    );
    let error = viti
        .get::<Machine>(&namespace, "m")
        .await
        .expect_err("forbidden");
    assert_eq!(error.code(), Some(403));
}

#[tokio::test]
async fn deletes_are_idempotent_take_options_and_name_the_blocking_finalizers() {
    let (viti, mut sent) = logged_viti().await;
    let namespace = test_namespace("delete").await;
    // A missing object is already deleted.
    viti.delete::<Machine>(&namespace, "never-created", Some(Duration::from_secs(5)))
        .await
        .expect("deleting a missing object is fine");

    let created = created_machine(&viti, &namespace).await;
    let name = name_of(&created);
    let edit = |patch: Value| person_edits(&viti, &namespace, &name, patch);
    // A uid precondition that does not match: refused, the object stays.
    let wrong_uid = DeleteParams {
        preconditions: Some(Preconditions {
            uid: Some("00000000-0000-0000-0000-000000000000".into()),
            resource_version: None,
        }),
        ..Default::default()
    };
    let error = viti
        .delete_with::<Machine>(&namespace, &name, &wrong_uid, Some(Duration::from_secs(5)))
        .await
        .expect_err("precondition");
    assert!(error.is_conflict(), "{error:?}");
    viti.get::<Machine>(&namespace, &name)
        .await
        .expect("still there");

    // A finalizer blocks the delete: the timeout names it.
    edit(json!({"metadata": {"finalizers": ["e2e.vitistack.io/hold"]}})).await;
    let right_uid = DeleteParams {
        preconditions: Some(Preconditions {
            uid: created.meta().uid.clone(),
            resource_version: None,
        }),
        ..Default::default()
    };
    match viti
        .delete_with::<Machine>(&namespace, &name, &right_uid, Some(Duration::from_secs(2)))
        .await
    {
        Err(Error::DeleteBlocked { finalizers, .. }) => {
            assert_eq!(finalizers, vec!["e2e.vitistack.io/hold".to_string()])
        }
        other => panic!("expected the finalizer to be named, got {other:?}"),
    }
    // The finalizer goes: a waiting delete returns once the object is gone.
    let watches = sent.count(machine_watch);
    let waiter = {
        let (viti, namespace, name) = (viti.clone(), namespace.clone(), name.clone());
        tokio::spawn(async move {
            viti.delete::<Machine>(&namespace, &name, Some(Duration::from_secs(30)))
                .await
        })
    };
    sent.until("the delete waits", watches + 1, machine_watch)
        .await;
    edit(json!({"metadata": {"finalizers": null}})).await;
    waiter
        .await
        .expect("task")
        .expect("deleted once the finalizer is gone");
    assert!(viti
        .get::<Machine>(&namespace, &name)
        .await
        .expect_err("gone")
        .is_not_found());

    // Foreground propagation (no garbage collector runs here): its finalizer is named.
    let again = created_machine(&viti, &namespace).await;
    match viti
        .delete_with::<Machine>(
            &namespace,
            &name_of(&again),
            &DeleteParams::foreground(),
            Some(Duration::from_secs(2)),
        )
        .await
    {
        Err(Error::DeleteBlocked { finalizers, .. }) => {
            assert_eq!(finalizers, vec!["foregroundDeletion".to_string()])
        }
        other => panic!("expected foregroundDeletion to be named, got {other:?}"),
    }
    edit(json!({"metadata": {"finalizers": null}})).await;
}

/// A different value for every interfering write, so each one changes the object.
static CALLS_SEEN: AtomicUsize = AtomicUsize::new(0);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn status_updates_carry_the_field_manager_retry_409s_and_refuse_spec_changes() {
    let viti = viti().await;
    let namespace = test_namespace("status").await;
    let mut value = example("vitistack");
    remove_path(&mut value, "status");
    set_path(&mut value, "metadata.namespace", json!(namespace));
    let object: Vitistack = serde_json::from_value(value).expect("example");
    let name = name_of(&object);
    viti.create(&namespace, &object).await.expect("create");

    // On its first attempt another writer comes in between the read and the write: one 409,
    // then the update lands on a fresh read.
    let calls = Arc::new(AtomicUsize::new(0));
    let interfere = |viti: &VitiClient, namespace: &str, name: &str| {
        let api: Api<Vitistack> = viti.api(namespace);
        let machines = CALLS_SEEN.fetch_add(1, Ordering::SeqCst) as i64 + 100;
        let patch = json!({"status": {"resources": {"machines": machines}}});
        tokio::task::block_in_place(|| {
            tokio::runtime::Handle::current().block_on(api.patch_status(
                name,
                &PatchParams::default(),
                &Patch::Merge(&patch),
            ))
        })
        .expect("interfering write");
    };
    let counted = calls.clone();
    let updated = viti
        .update_status::<Vitistack>(&namespace, &name, |v| {
            if counted.fetch_add(1, Ordering::SeqCst) == 0 {
                interfere(&viti, &namespace, &name);
            }
            let status = v.status.get_or_insert_with(Default::default);
            status
                .resources
                .get_or_insert_with(Default::default)
                .machines = Some(3);
        })
        .await
        .expect("status after one conflict");
    assert_eq!(calls.load(Ordering::SeqCst), 2, "one 409, one retry");
    assert_eq!(
        updated
            .status
            .and_then(|s| s.resources)
            .and_then(|r| r.machines),
        Some(3)
    );
    let managers: Vec<(String, Option<String>)> = viti
        .get::<Vitistack>(&namespace, &name)
        .await
        .expect("get")
        .meta()
        .managed_fields
        .clone()
        .unwrap_or_default()
        .into_iter()
        .map(|m| (m.manager.unwrap_or_default(), m.subresource))
        .collect();
    assert!(
        managers.contains(&("vitistack-e2e".to_string(), Some("status".to_string()))),
        "{managers:?}"
    );

    // Without retries the 409 comes back, typed.
    let once = viti.clone().with_conflict_retries(0);
    let calls = AtomicUsize::new(0);
    let error = once
        .update_status::<Vitistack>(&namespace, &name, |_| {
            calls.fetch_add(1, Ordering::SeqCst);
            interfere(&viti, &namespace, &name);
        })
        .await
        .expect_err("conflict");
    assert!(error.is_conflict(), "{error:?}");
    assert_eq!(calls.load(Ordering::SeqCst), 1);

    // Spec changes in the closure would be dropped by the status subresource: refused.
    let error = viti
        .update_status::<Vitistack>(&namespace, &name, |v| {
            v.meta_mut().labels = Some([("x".to_string(), "y".to_string())].into());
        })
        .await
        .expect_err("not status only");
    match error {
        Error::NotStatusOnly { paths } => assert_eq!(paths, vec!["metadata.labels"]),
        other => panic!("expected NotStatusOnly, got {other:?}"),
    }
}

#[tokio::test]
async fn crds_whose_names_are_refused_fail_at_once() {
    let viti = viti().await;
    // The kind Machine is taken in vitistack.io by machines.vitistack.io.
    let mut crd = vitistack_types::catalog::crds()
        .into_iter()
        .find(|c| c["metadata"]["name"] == "machines.vitistack.io")
        .expect("machines CRD");
    crd["metadata"]["name"] = json!("e2emachines.vitistack.io");
    crd["spec"]["names"] = json!({"kind": "Machine", "listKind": "MachineList", "plural": "e2emachines", "singular": "e2emachine"});
    let start = Instant::now();
    let result = viti.install_crds_from([crd], Duration::from_secs(30)).await;
    let crds: Api<k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition> =
        Api::all(viti.kube_client().clone());
    let _ = crds
        .delete("e2emachines.vitistack.io", &Default::default())
        .await;
    match result {
        Err(Error::CrdNamesNotAccepted { name, reason, .. }) => {
            assert_eq!(name, "e2emachines.vitistack.io");
            assert!(!reason.is_empty());
        }
        other => panic!("expected NamesAccepted=False, got {other:?}"),
    }
    assert!(
        start.elapsed() < Duration::from_secs(15),
        "took {:?}",
        start.elapsed()
    );
}

/// A cluster-scoped test kind (the vitistack.io kinds are all namespaced).
#[derive(
    Clone,
    Debug,
    PartialEq,
    serde::Serialize,
    serde::Deserialize,
    vitistack_types::Schema,
    vitistack_types::CustomResource,
)]
#[crd(
    group = "scope.e2e.vitistack.io",
    version = "v1",
    kind = "Beacon",
    plural = "beacons",
    status = "BeaconStatus"
)]
pub struct BeaconSpec {
    /// Brightness.
    pub lumens: i64,
}

/// Status of a beacon.
#[derive(
    Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize, vitistack_types::Schema,
)]
pub struct BeaconStatus {
    /// Whether it shines.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lit: Option<bool>,
}

#[tokio::test]
async fn the_dynamic_api_follows_the_scope_of_the_kind() {
    use kube::api::{DynamicObject, PostParams};
    use vitistack_types::crd::CustomResourceKind;
    use vitistack_types::registry::{self, KindInfo};
    let viti = viti().await;
    viti.install_crds_from([Beacon::crd()], Duration::from_secs(30))
        .await
        .expect("beacons CRD");
    let namespace = test_namespace("scope").await;
    let pp = PostParams::default();

    // Cluster-scoped: the API is cluster-wide, whatever namespace is passed.
    let beacon: DynamicObject = serde_json::from_value(json!({
        "apiVersion": "scope.e2e.vitistack.io/v1", "kind": "Beacon",
        "metadata": {"name": format!("b-{namespace}")}, "spec": {"lumens": 800},
    }))
    .expect("beacon");
    let beacons = viti.dynamic_api_for(&KindInfo::of::<Beacon>(), &namespace);
    let created = beacons
        .create(&pp, &beacon)
        .await
        .expect("a cluster-scoped create through the dynamic API");
    assert_eq!(created.metadata.namespace, None);
    let got = beacons.get(&format!("b-{namespace}")).await.expect("get");
    assert_eq!(got.data["spec"]["lumens"], 800);
    beacons
        .delete(&format!("b-{namespace}"), &Default::default())
        .await
        .expect("delete");

    // Namespaced: the API is bound to the namespace.
    let mut machine = example("machine");
    remove_path(&mut machine, "status");
    remove_path(&mut machine, "metadata.namespace");
    let machine: DynamicObject = serde_json::from_value(machine).expect("machine");
    let info = registry::by_kind("Machine").expect("Machine");
    let machines = viti.dynamic_api_for(info, &namespace);
    let created = machines
        .create(&pp, &machine)
        .await
        .expect("a namespaced create through the dynamic API");
    assert_eq!(
        created.metadata.namespace.as_deref(),
        Some(namespace.as_str())
    );
    let in_namespace = viti
        .api::<Machine>(&namespace)
        .list(&Default::default())
        .await
        .expect("list");
    assert_eq!(in_namespace.items.len(), 1);
}

/// A kind outside vitistack's registry, as a downstream crate defines it.
mod gadget {
    use serde::{Deserialize, Serialize};
    use vitistack_types::kinds::common::Condition;
    use vitistack_types::{CustomResource, Schema};

    /// A gadget.
    #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema, CustomResource)]
    #[serde(rename_all = "camelCase")]
    #[crd(
        group = "e2e.downstream.example",
        version = "v1",
        kind = "Gadget",
        plural = "gadgets",
        namespaced,
        status = "GadgetStatus"
    )]
    pub struct GadgetSpec {
        /// Size.
        pub size: i32,
    }

    /// What the gadget's controller saw.
    #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
    #[serde(rename_all = "camelCase")]
    pub struct GadgetStatus {
        /// Conditions.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub conditions: Option<Vec<Condition>>,
    }
}

#[tokio::test]
async fn a_typed_wait_works_for_a_downstream_kind() {
    use gadget::{Gadget, GadgetSpec};
    use vitistack_types::crd::CustomResourceKind;
    let viti = viti().await;
    viti.install_crds_from([Gadget::crd()], Duration::from_secs(60))
        .await
        .expect("install the Gadget CRD");
    let namespace = test_namespace("gadget").await;
    viti.create(&namespace, &Gadget::new("g", GadgetSpec { size: 1 }))
        .await
        .expect("create");
    // The run-time lookup by name knows only vitistack's kinds.
    let by_name = viti
        .wait_for_condition_dynamic(
            "Gadget",
            &namespace,
            "g",
            "Ready",
            "True",
            Duration::from_secs(5),
        )
        .await;
    assert!(matches!(by_name, Err(Error::UnknownKind(_))), "{by_name:?}");
    // Not ready yet: the typed wait waits (and times out).
    let early = viti
        .wait_for_condition::<Gadget>(&namespace, "g", "Ready", "True", Duration::from_secs(2))
        .await;
    assert!(matches!(early, Err(Error::Timeout { .. })), "{early:?}");
    let api: Api<Gadget> = viti.api(&namespace);
    let status = json!({"status": {"conditions": [{"type": "Ready", "status": "True",
        "reason": "Built", "message": "", "lastTransitionTime": "2026-01-01T00:00:00Z",
        "observedGeneration": 1}]}});
    api.patch_status("g", &PatchParams::default(), &Patch::Merge(&status))
        .await
        .expect("status");
    let ready: Gadget = viti
        .wait_for_condition(&namespace, "g", "Ready", "True", Duration::from_secs(30))
        .await
        .expect("Ready");
    let conditions = ready.status.and_then(|s| s.conditions).unwrap_or_default();
    assert_eq!(conditions.len(), 1);
    assert_eq!(conditions[0].r#type, "Ready");
}

fn condition(kind: &str, status: &str) -> Value {
    json!({"type": kind, "status": status, "reason": "Checked", "message": "",
        "lastTransitionTime": "2026-01-01T00:00:00Z", "observedGeneration": 1})
}

#[tokio::test]
async fn status_by_server_side_apply_owns_only_its_conditions() {
    let viti = viti().await;
    let namespace = test_namespace("apply-status").await;
    let created = created_machine(&viti, &namespace).await;
    let name = name_of(&created);
    let ready = viti.clone().with_field_manager("ready-controller");
    let health = viti.clone().with_field_manager("health-controller");
    ready
        .apply_status::<Machine>(
            &namespace,
            &name,
            &json!({"conditions": [condition("Ready", "True")]}),
        )
        .await
        .expect("Ready by apply");
    // Another controller's condition goes next to it (the list is a map keyed by type).
    let both: Machine = health
        .apply_status(
            &namespace,
            &name,
            &json!({"conditions": [condition("Healthy", "True")]}),
        )
        .await
        .expect("Healthy by apply");
    let mut types: Vec<String> = both
        .status
        .and_then(|s| s.conditions)
        .unwrap_or_default()
        .into_iter()
        .map(|c| c.r#type)
        .collect();
    types.sort();
    assert_eq!(types, ["Healthy", "Ready"]);
    // Changing the other controller's condition is a conflict naming it, not a silent write.
    match health
        .apply_status::<Machine>(
            &namespace,
            &name,
            &json!({"conditions": [condition("Healthy", "True"), condition("Ready", "False")]}),
        )
        .await
    {
        Err(Error::ApplyConflict(conflicts)) => assert!(
            conflicts
                .conflicts
                .iter()
                .any(|c| c.manager == "ready-controller"),
            "{conflicts:?}"
        ),
        other => panic!("expected a conflict with ready-controller, got {other:?}"),
    }
    // A status field of the wrong type is refused before sending, naming the path.
    let error = ready
        .apply_status::<Machine>(&namespace, &name, &json!({"conditions": "Ready"}))
        .await
        .expect_err("invalid");
    assert!(matches!(error, Error::Invalid(_)), "{error:?}");
    assert!(error.to_string().contains("status.conditions"), "{error}");
}
