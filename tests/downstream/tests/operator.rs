//! The operator on the real API server, running as a ServiceAccount bound to a least-privilege
//! Role: finalizer, status with observedGeneration, Events once per transition, requeue with
//! backoff, cleanup on delete, and leader election between two replicas.

mod support;

use k8s_openapi::api::coordination::v1::Lease;
use k8s_openapi::api::core::v1::Secret;
use kube::api::{Api, DeleteParams, ListParams, Patch, PatchParams};
use kube::Client;
use std::time::Duration;
use support::machines::*;
use support::*;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use vitistack_downstream::backoff::Backoff;
use vitistack_downstream::controller::{Metrics, FINALIZER};
use vitistack_downstream::operator::{Operator, OperatorConfig};
use vitistack_types::kinds::common::ConditionStatus;
use vitistack_types::kinds::Machine;

/// A replica running in the background; `stop` shuts it down gracefully, dropping it crashes it.
struct Replica {
    metrics: std::sync::Arc<Metrics>,
    leading: tokio::sync::watch::Receiver<bool>,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<Result<(), kube::Error>>,
}

impl Replica {
    fn start(client: Client, config: OperatorConfig) -> Replica {
        let operator = Operator::new(client, config);
        let (metrics, leading) = (operator.metrics(), operator.leadership());
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(operator.run(async move {
            let _ = stopped.await;
        }));
        Replica {
            metrics,
            leading,
            stop: Some(stop),
            task,
        }
    }

    async fn wait_leading(&mut self, leading: bool, timeout: Duration) {
        tokio::time::timeout(timeout, self.leading.wait_for(|l| *l == leading))
            .await
            .unwrap_or_else(|_| panic!("replica leading={leading} not reached in {timeout:?}"))
            .expect("the replica is running");
    }

    async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        (&mut self.task)
            .await
            .expect("the replica did not panic")
            .expect("the replica stopped cleanly");
    }
}

impl Drop for Replica {
    fn drop(&mut self) {
        self.task.abort(); // a crash: no release of the Lease
    }
}

fn config(namespace: &str, identity: &str) -> OperatorConfig {
    let mut config = OperatorConfig::new(namespace, identity);
    // Short, for a quick takeover, with room for a slow renew on a busy machine.
    config.lease.lease_duration = Duration::from_secs(5);
    config.lease.retry_period = Duration::from_millis(300);
    config.backoff = Backoff {
        first: Duration::from_millis(200),
        max: Duration::from_secs(2),
    };
    config
}

async fn setup(prefix: &str) -> (Client, kube::config::Kubeconfig, String) {
    let kubeconfig = shared_kubeconfig();
    let admin = client_for(kubeconfig.clone()).await;
    install_crds(&admin).await;
    let namespace = namespace(&admin, prefix).await;
    (admin, kubeconfig, namespace)
}

async fn lease_holder(admin: &Client, namespace: &str) -> (Option<String>, i32) {
    let lease = Api::<Lease>::namespaced(admin.clone(), namespace)
        .get("vitistack-downstream-leader")
        .await
        .expect("the Lease");
    let spec = lease.spec.unwrap_or_default();
    (spec.holder_identity, spec.lease_transitions.unwrap_or(0))
}

#[tokio::test]
async fn the_service_account_may_do_what_the_operator_needs_and_no_more() {
    let (admin, kubeconfig, ns) = setup("least-privilege").await;
    let operator = operator_client(&admin, kubeconfig, &ns, "machine-operator").await;
    let forbidden =
        |r: Result<_, kube::Error>| matches!(r, Err(kube::Error::Api(ref s)) if s.code == 403);
    let here = Api::<Machine>::namespaced(operator.clone(), &ns);
    assert!(
        here.list(&ListParams::default()).await.is_ok(),
        "may list Machines in {ns}"
    );
    assert!(forbidden(
        Api::<Machine>::namespaced(operator.clone(), "default")
            .list(&ListParams::default())
            .await
            .map(|_| ())
    ));
    assert!(forbidden(
        here.delete("any", &DeleteParams::default())
            .await
            .map(|_| ())
    ));
    assert!(forbidden(
        here.create(&Default::default(), &machine("m", "p"))
            .await
            .map(|_| ())
    ));
    assert!(forbidden(
        Api::<Secret>::namespaced(operator.clone(), &ns)
            .list(&ListParams::default())
            .await
            .map(|_| ())
    ));
}

#[tokio::test]
async fn finalizer_status_events_and_cleanup() {
    let (admin, kubeconfig, ns) = setup("reconcile").await;
    let client = operator_client(&admin, kubeconfig, &ns, "machine-operator").await;
    create_provider(&admin, &ns, "pve").await;
    let mut replica = Replica::start(client, config(&ns, "replica-a"));
    replica.wait_leading(true, Duration::from_secs(10)).await;

    create_machine(&admin, &ns, &machine("m1", "pve")).await;
    let first = wait_ready(&admin, &ns, "m1", ConditionStatus::True, 1).await;
    assert_eq!(first.metadata.finalizers, Some(vec![FINALIZER.to_string()]));
    let status = first.status.clone().expect("a status");
    assert_eq!(
        serde_json::to_value(status.phase).expect("phase"),
        serde_json::json!("Running")
    );
    let transition = |m: &Machine| {
        m.status
            .as_ref()
            .and_then(|s| s.conditions.as_ref())
            .and_then(|c| {
                c.iter()
                    .find(|c| c.r#type == "Ready")
                    .and_then(|c| c.last_transition_time.clone())
            })
    };

    // A spec change is a new generation: observed once, Ready stays True (no transition time).
    let machines = Api::<Machine>::namespaced(admin.clone(), &ns);
    let patch = serde_json::json!({"spec": {"resources": {"cpu": {"cores": 2}}}});
    machines
        .patch("m1", &PatchParams::default(), &Patch::Merge(&patch))
        .await
        .expect("spec change");
    let second = wait_ready(&admin, &ns, "m1", ConditionStatus::True, 2).await;
    assert_eq!(transition(&second), transition(&first));
    // kube's Recorder folds repeats of one reason into one Event with a series count: two
    // transitions (generations 1 and 2) are a count of 2, a duplicate would make it 3.
    let events = eventually(
        Duration::from_secs(10),
        "the Event of generation 2",
        || async {
            let events = events_of(&admin, &ns, "m1").await;
            events.iter().any(|e| e.2 >= 2).then_some(events)
        },
    )
    .await;
    // Not a synchronization: the Event of generation 2 is awaited above. This is the window in
    // which a duplicate Event (one that must not exist, so there is nothing to wait for) would
    // show.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(events, events_of(&admin, &ns, "m1").await, "no more Events");
    assert_eq!(
        events,
        vec![("ProviderFound".into(), "generation 1: Ready=True".into(), 2)]
    );

    // Delete: the finalizer holds the object until cleanup ran, then it is gone.
    machines
        .delete("m1", &DeleteParams::default())
        .await
        .expect("delete");
    eventually(Duration::from_secs(30), "m1 deleted", || async {
        matches!(machines.get_opt("m1").await, Ok(None)).then_some(())
    })
    .await;
    let events = events_of(&admin, &ns, "m1").await;
    assert_eq!(
        events.last().map(|e| e.0.as_str()),
        Some("Deleting"),
        "{events:?}"
    );

    replica.stop().await;
    assert_eq!(lease_holder(&admin, &ns).await.0, None, "released on stop");
}

#[tokio::test]
async fn failures_requeue_with_backoff_until_the_provider_exists() {
    let (admin, kubeconfig, ns) = setup("backoff").await;
    let client = operator_client(&admin, kubeconfig, &ns, "machine-operator").await;
    let mut replica = Replica::start(client, config(&ns, "replica-a"));
    replica.wait_leading(true, Duration::from_secs(10)).await;

    create_machine(&admin, &ns, &machine("m2", "late")).await;
    wait_ready(&admin, &ns, "m2", ConditionStatus::False, 1).await;
    let metrics = replica.metrics.clone();
    eventually(Duration::from_secs(20), "three requeues", || async {
        (metrics.requeue_delays().len() >= 3).then_some(())
    })
    .await;
    let delays = metrics.requeue_delays();
    assert_eq!(
        delays[..3],
        [200, 400, 800].map(Duration::from_millis),
        "backoff doubles per failure"
    );

    // Nothing about the Machine changes: only a requeue can notice the provider.
    create_provider(&admin, &ns, "late").await;
    wait_ready(&admin, &ns, "m2", ConditionStatus::True, 1).await;
    let events = events_of(&admin, &ns, "m2").await;
    assert_eq!(
        events,
        vec![
            (
                "ProviderNotFound".into(),
                "generation 1: Ready=False".into(),
                1
            ),
            ("ProviderFound".into(), "generation 1: Ready=True".into(), 1),
        ],
        "one Event per transition, none per retry"
    );
    replica.stop().await;
}

#[tokio::test]
async fn only_the_lease_holder_reconciles_and_another_takes_over() {
    let (admin, kubeconfig, ns) = setup("leader").await;
    create_provider(&admin, &ns, "pve").await;
    let a_client = operator_client(&admin, kubeconfig.clone(), &ns, "operator-a").await;
    let b_client = operator_client(&admin, kubeconfig, &ns, "operator-b").await;
    let mut a = Replica::start(a_client, config(&ns, "replica-a"));
    a.wait_leading(true, Duration::from_secs(10)).await;
    let mut b = Replica::start(b_client, config(&ns, "replica-b"));

    create_machine(&admin, &ns, &machine("m-a", "pve")).await;
    wait_ready(&admin, &ns, "m-a", ConditionStatus::True, 1).await;
    // Not a synchronization (A's reconcile is awaited above): the window in which the standby
    // would reconcile m-a if it wrongly ran its controller, which has no event to wait for.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(a.metrics.reconciles_of("m-a") > 0);
    assert_eq!(b.metrics.reconciles(), 0, "the standby reconciled");
    assert!(!*b.leading.borrow());
    assert_eq!(
        lease_holder(&admin, &ns).await,
        (Some("replica-a".into()), 0)
    );

    // A crashes (no release): B takes over once the Lease expired, and reconciles.
    let a_metrics = a.metrics.clone();
    drop(a);
    b.wait_leading(true, Duration::from_secs(15)).await;
    assert_eq!(
        lease_holder(&admin, &ns).await,
        (Some("replica-b".into()), 1)
    );
    create_machine(&admin, &ns, &machine("m-b", "pve")).await;
    wait_ready(&admin, &ns, "m-b", ConditionStatus::True, 1).await;
    assert!(b.metrics.reconciles_of("m-b") > 0);
    assert_eq!(a_metrics.reconciles_of("m-b"), 0);

    // B loses the Lease to another holder: it steps down and stops reconciling.
    let leases = Api::<Lease>::namespaced(admin.clone(), &ns);
    let now = k8s_openapi::jiff::Timestamp::now();
    let intruder = serde_json::json!({"spec": {
        "holderIdentity": "intruder", "leaseDurationSeconds": 60,
        "renewTime": format!("{now:.6}")}});
    leases
        .patch(
            "vitistack-downstream-leader",
            &PatchParams::default(),
            &Patch::Merge(&intruder),
        )
        .await
        .expect("take the Lease");
    b.wait_leading(false, Duration::from_secs(5)).await;
    let before = b.metrics.reconciles();
    create_machine(&admin, &ns, &machine("m-c", "pve")).await;
    // Not a synchronization: the window in which B would reconcile m-c without the Lease (a
    // reconcile that must not happen has no event to wait for).
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(
        b.metrics.reconciles(),
        before,
        "reconciled without the Lease"
    );
    let m_c = Api::<Machine>::namespaced(admin.clone(), &ns)
        .get("m-c")
        .await
        .expect("m-c");
    assert_eq!(m_c.metadata.finalizers, None);
    b.stop().await;
    assert_eq!(
        lease_holder(&admin, &ns).await.0.as_deref(),
        Some("intruder"),
        "a replica that lost the Lease does not release it"
    );
}
