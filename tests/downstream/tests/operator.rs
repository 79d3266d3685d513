//! The operator on the real API server, running as the ServiceAccount of
//! `deploy/operator/rbac.yaml`: finalizer, status with observedGeneration, Events once per
//! transition, requeue with backoff, a MachineProvider change enqueuing its Machines, cleanup on
//! delete, and leader election between two replicas: a panicking reconcile ends the replica
//! (the other takes over), a stalled renew makes the leader step down before the other may take
//! the Lease, and a stop lets the running reconcile finish before the Lease is released (the
//! replicas' reconcile intervals, recorded, never overlap); a leader that loses the Lease
//! reports stepping down only once its running reconcile ended. The work queue's depth, read at
//! `/metrics`, counts the Machines waiting for a reconcile.

mod support;

use k8s_openapi::api::coordination::v1::Lease;
use k8s_openapi::api::core::v1::Secret;
use kube::api::{Api, DeleteParams, ListParams, Patch, PatchParams};
use kube::Client;
use std::sync::Arc;
use std::time::Duration;
use support::journal::{Fault, Journal};
use support::lease_proxy::LeaseProxy;
use support::machines::*;
use support::*;
use tokio::sync::{oneshot, watch};
use tokio::task::JoinHandle;
use vitistack_downstream::backoff::Backoff;
use vitistack_downstream::controller::{self, Reconciler, FINALIZER};
use vitistack_downstream::health::{self, Endpoints, Health};
use vitistack_downstream::metrics::Metrics;
use vitistack_downstream::operator::{self, Operator, OperatorConfig};
use vitistack_types::kinds::common::ConditionStatus;
use vitistack_types::kinds::Machine;

/// A replica running in the background; `stop` shuts it down gracefully, dropping it crashes it.
struct Replica {
    metrics: Arc<Metrics>,
    health: Arc<Health>,
    leading: tokio::sync::watch::Receiver<bool>,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<Result<(), operator::Error>>,
}

impl Replica {
    /// Replica `name` (also its identity), reconciling through `journal` with `fault`.
    fn start(
        client: Client,
        ns: &str,
        name: &'static str,
        journal: &Journal,
        fault: Fault,
    ) -> Replica {
        Replica::start_with(client, config(ns, name), journal.reconciler(name, fault))
    }

    fn start_with(client: Client, config: OperatorConfig, reconciler: Reconciler) -> Replica {
        let operator = Operator::new(client, config).with_reconciler(reconciler);
        let (metrics, health, leading) =
            (operator.metrics(), operator.health(), operator.leadership());
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(operator.run(async move {
            let _ = stopped.await;
        }));
        Replica {
            metrics,
            health,
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

    /// Asks the replica to stop, without waiting.
    fn signal_stop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }

    /// Serves the replica's `/healthz`, `/readyz` and `/metrics` on a free port, as the binary
    /// does; their address.
    async fn serve_endpoints(&self) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let address = listener.local_addr().expect("address").to_string();
        let endpoints = Endpoints {
            health: self.health.clone(),
            metrics: self.metrics.clone(),
        };
        tokio::spawn(health::serve(listener, endpoints));
        address
    }

    async fn stop(mut self) {
        self.signal_stop();
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

/// A fresh namespace with the MachineProvider `pve`, and two clients of the operator's
/// ServiceAccount (one per replica).
async fn setup_two(prefix: &str) -> (Client, String, Client, Client) {
    let (admin, kubeconfig, ns) = setup(prefix).await;
    create_provider(&admin, &ns, "pve").await;
    let a_client = operator_client(&admin, kubeconfig.clone(), &ns).await;
    let b_client = operator_client(&admin, kubeconfig, &ns).await;
    (admin, ns, a_client, b_client)
}

async fn lease_holder(admin: &Client, namespace: &str) -> (Option<String>, i32) {
    let lease = Api::<Lease>::namespaced(admin.clone(), namespace)
        .get("vitistack-downstream-leader")
        .await
        .expect("the Lease");
    let spec = lease.spec.unwrap_or_default();
    (spec.holder_identity, spec.lease_transitions.unwrap_or(0))
}

/// The value of the sample `name` (e.g. `..._bucket{le="0.4"}`) in the metrics' text.
fn sample(metrics: &Metrics, name: &str) -> f64 {
    let text = metrics.encode();
    text.lines()
        .find_map(|line| line.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
        .unwrap_or_else(|| panic!("no sample {name} in\n{text}"))
}

/// The value of the sample `name` in what `/metrics` at `address` serves.
async fn scraped(address: &str, name: &str) -> Option<f64> {
    let (status, body) = http_get(address, "/metrics").await?;
    if status != 200 {
        return None;
    }
    body.lines()
        .find_map(|line| line.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
}

/// Writes `holder` into the Lease with a fresh renew time, as a replica that took it would.
async fn take_lease(admin: &Client, ns: &str, holder: &str) {
    let leases = Api::<Lease>::namespaced(admin.clone(), ns);
    let now = k8s_openapi::jiff::Timestamp::now();
    let taken = serde_json::json!({"spec": {
        "holderIdentity": holder, "leaseDurationSeconds": 60,
        "renewTime": format!("{now:.6}")}});
    leases
        .patch(
            "vitistack-downstream-leader",
            &PatchParams::default(),
            &Patch::Merge(&taken),
        )
        .await
        .expect("take the Lease");
}

/// Sets the label `touch` of the Machine `name`: a change that is not the operator's.
async fn touch(api: &Api<Machine>, name: &str) {
    let patch = serde_json::json!({"metadata": {"labels": {"touch": "1"}}});
    api.patch(name, &PatchParams::default(), &Patch::Merge(&patch))
        .await
        .expect("label");
}

/// Changes the labels of `names` every 100 ms until dropped, so that whoever leads keeps
/// reconciling them.
struct Churn(JoinHandle<()>);

impl Churn {
    fn start(admin: &Client, ns: &str, names: &'static [&'static str]) -> Churn {
        let machines = Api::<Machine>::namespaced(admin.clone(), ns);
        Churn(tokio::spawn(async move {
            for tick in 0u64.. {
                for name in names {
                    let patch =
                        serde_json::json!({"metadata": {"labels": {"tick": tick.to_string()}}});
                    let _ = machines
                        .patch(name, &PatchParams::default(), &Patch::Merge(&patch))
                        .await;
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }))
    }
}

impl Drop for Churn {
    fn drop(&mut self) {
        self.0.abort();
    }
}

#[tokio::test]
async fn the_service_account_may_do_what_the_operator_needs_and_no_more() {
    let (admin, kubeconfig, ns) = setup("least-privilege").await;
    let operator = operator_client(&admin, kubeconfig, &ns).await;
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
    // Its own Lease only: another Lease of the namespace is out of reach once it exists.
    let leases = Api::<Lease>::namespaced(operator.clone(), &ns);
    let other: Lease = serde_json::from_value(serde_json::json!({"metadata": {"name": "other"}}))
        .expect("a Lease");
    leases
        .create(&Default::default(), &other)
        .await
        .expect("create is not limited to a name");
    assert!(forbidden(leases.get("other").await.map(|_| ())));
    assert!(forbidden(
        leases
            .replace("other", &Default::default(), &other)
            .await
            .map(|_| ())
    ));
}

#[tokio::test]
async fn finalizer_status_events_and_cleanup() {
    let (admin, kubeconfig, ns) = setup("reconcile").await;
    let client = operator_client(&admin, kubeconfig, &ns).await;
    create_provider(&admin, &ns, "pve").await;
    let journal = Journal::default();
    let mut replica = Replica::start(client, &ns, "replica-a", &journal, Fault::default());
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
    let client = operator_client(&admin, kubeconfig, &ns).await;
    let journal = Journal::default();
    let mut replica = Replica::start(client, &ns, "replica-a", &journal, Fault::default());
    replica.wait_leading(true, Duration::from_secs(10)).await;

    create_machine(&admin, &ns, &machine("m2", "late")).await;
    wait_ready(&admin, &ns, "m2", ConditionStatus::False, 1).await;
    let metrics = replica.metrics.clone();
    let errors = "vitistack_downstream_reconcile_errors_total";
    eventually(Duration::from_secs(20), "three requeues", || async {
        (sample(&metrics, errors) >= 3.0).then_some(())
    })
    .await;
    // The requeue-delay histogram has one bucket per backoff step (cumulative counts): the
    // first three failures were requeued after 200, 400 and 800 ms, one in each.
    let bucket = |le: &str| {
        sample(
            &metrics,
            &format!("vitistack_downstream_requeue_delay_seconds_bucket{{le=\"{le}\"}}"),
        )
    };
    assert_eq!(
        [bucket("0.2"), bucket("0.4"), bucket("0.8")],
        [1.0, 2.0, 3.0],
        "backoff doubles per failure:\n{}",
        metrics.encode()
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
    let (admin, ns, a_client, b_client) = setup_two("leader").await;
    let journal = Journal::default();
    let mut a = Replica::start(a_client, &ns, "replica-a", &journal, Fault::default());
    a.wait_leading(true, Duration::from_secs(10)).await;
    let mut b = Replica::start(b_client, &ns, "replica-b", &journal, Fault::default());

    create_machine(&admin, &ns, &machine("m-a", "pve")).await;
    wait_ready(&admin, &ns, "m-a", ConditionStatus::True, 1).await;
    // Not a synchronization (A's reconcile is awaited above): the window in which the standby
    // would reconcile m-a if it wrongly ran its controller, which has no event to wait for.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(journal.count("replica-a", "m-a") > 0);
    assert_eq!(b.metrics.reconciles(), 0, "the standby reconciled");
    assert!(!*b.leading.borrow());
    assert_eq!(
        lease_holder(&admin, &ns).await,
        (Some("replica-a".into()), 0)
    );

    // A crashes (no release): B takes over once the Lease expired, and reconciles.
    drop(a);
    b.wait_leading(true, Duration::from_secs(15)).await;
    assert_eq!(
        lease_holder(&admin, &ns).await,
        (Some("replica-b".into()), 1)
    );
    create_machine(&admin, &ns, &machine("m-b", "pve")).await;
    wait_ready(&admin, &ns, "m-b", ConditionStatus::True, 1).await;
    assert!(journal.count("replica-b", "m-b") > 0);
    assert_eq!(journal.count("replica-a", "m-b"), 0);

    // B loses the Lease to another holder: it steps down and stops reconciling.
    take_lease(&admin, &ns, "intruder").await;
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

#[tokio::test]
async fn a_new_provider_enqueues_the_machines_waiting_for_it() {
    let (admin, kubeconfig, ns) = setup("watches").await;
    let client = operator_client(&admin, kubeconfig, &ns).await;
    let journal = Journal::default();
    let mut config = config(&ns, "replica-a");
    // After a failure the next retry is a minute away: only the provider's watch can be quicker.
    config.backoff = Backoff {
        first: Duration::from_secs(60),
        max: Duration::from_secs(600),
    };
    let mut replica = Replica::start_with(
        client,
        config,
        journal.reconciler("replica-a", Fault::default()),
    );
    replica.wait_leading(true, Duration::from_secs(10)).await;

    create_machine(&admin, &ns, &machine("m-waits", "later")).await;
    create_machine(&admin, &ns, &machine("m-other", "elsewhere")).await;
    wait_ready(&admin, &ns, "m-waits", ConditionStatus::False, 1).await;
    wait_ready(&admin, &ns, "m-other", ConditionStatus::False, 1).await;
    let other_before = journal.count("replica-a", "m-other");
    create_provider(&admin, &ns, "later").await;
    wait_ready(&admin, &ns, "m-waits", ConditionStatus::True, 1).await;
    assert_eq!(
        journal.count("replica-a", "m-other"),
        other_before,
        "only the Machines that refer to the provider are enqueued"
    );
    replica.stop().await;
}

#[tokio::test]
async fn a_panicking_reconcile_ends_the_replica_and_the_other_takes_over() {
    let (admin, ns, a_client, b_client) = setup_two("panic").await;
    let journal = Journal::default();
    let faulty = Fault {
        panic_on: Some("m-boom"),
        ..Fault::default()
    };
    let mut a = Replica::start(a_client, &ns, "replica-a", &journal, faulty);
    a.wait_leading(true, Duration::from_secs(10)).await;
    let mut b = Replica::start(b_client, &ns, "replica-b", &journal, Fault::default());

    create_machine(&admin, &ns, &machine("m-boom", "pve")).await;
    // A's controller dies with the panic; A does not keep the Lease (a zombie leader): its run
    // ends with the error (the binary exits non-zero on it) and it released the Lease.
    let ended = tokio::time::timeout(Duration::from_secs(20), &mut a.task)
        .await
        .expect("replica A ended after the panic")
        .expect("run itself did not panic");
    match ended {
        Err(operator::Error::ControllerPanicked(message)) => {
            assert!(message.contains("m-boom"), "{message}")
        }
        other => panic!("expected ControllerPanicked, got {other:?}"),
    }
    assert!(!*a.leading.borrow(), "A no longer claims to lead");
    assert_ne!(
        lease_holder(&admin, &ns).await.0.as_deref(),
        Some("replica-a"),
        "A released the Lease"
    );
    // B takes over and does the work A could not.
    b.wait_leading(true, Duration::from_secs(10)).await;
    wait_ready(&admin, &ns, "m-boom", ConditionStatus::True, 1).await;
    assert!(journal.count("replica-b", "m-boom") > 0);
    journal.assert_no_overlap("replica-a", "replica-b");
    b.stop().await;
}

#[tokio::test]
async fn a_stalled_renew_steps_down_before_the_other_replica_may_take_over() {
    let (admin, kubeconfig, ns) = setup("stall").await;
    create_provider(&admin, &ns, "pve").await;
    const MACHINES: &[&str] = &["m1", "m2", "m3"];
    for name in MACHINES {
        create_machine(&admin, &ns, &machine(name, "pve")).await;
    }
    // A reaches the server through a proxy that will hold its Lease requests; B directly.
    let proxy = LeaseProxy::start(kubeconfig.clone()).await;
    let a_client =
        operator_client(&admin, with_server(kubeconfig.clone(), &proxy.url()), &ns).await;
    let b_client = operator_client(&admin, kubeconfig, &ns).await;
    let journal = Journal::default();
    // Each reconcile takes a while, so that A is likely inside one when it must stop.
    let slow = Fault {
        work: Duration::from_millis(300),
        ..Fault::default()
    };
    let mut a = Replica::start(a_client, &ns, "replica-a", &journal, slow);
    a.wait_leading(true, Duration::from_secs(10)).await;
    let mut b = Replica::start(b_client, &ns, "replica-b", &journal, slow);
    let _churn = Churn::start(&admin, &ns, MACHINES);
    eventually(Duration::from_secs(20), "A reconciling", || async {
        (journal.of("replica-a").len() >= 5).then_some(())
    })
    .await;

    // A's renew stalls (no answer, no error): A must stop reconciling by its renew deadline,
    // before B, which sees the Lease unchanged, may take it after the lease duration.
    proxy.stall_leases();
    b.wait_leading(true, Duration::from_secs(20)).await;
    eventually(Duration::from_secs(20), "B reconciling", || async {
        (journal.of("replica-b").len() >= 5).then_some(())
    })
    .await;
    assert!(proxy.held() >= 1, "no Lease request of A was held");
    journal.assert_no_overlap("replica-a", "replica-b");
    assert!(!*a.leading.borrow(), "A still claims to lead");
    assert_eq!(journal.running("replica-a"), 0, "A still reconciles");
    drop(a); // its Lease calls never return; a graceful stop would wait for them
    b.stop().await;
}

#[tokio::test]
async fn a_stopping_leader_finishes_its_reconcile_before_it_releases_the_lease() {
    let (admin, ns, a_client, b_client) = setup_two("stop-order").await;
    const MACHINES: &[&str] = &["m1", "m2"];
    for name in MACHINES {
        create_machine(&admin, &ns, &machine(name, "pve")).await;
    }
    let journal = Journal::default();
    // Longer than B needs to take a released Lease (one retry period) and start reconciling.
    let slow = Fault {
        work: Duration::from_millis(1500),
        ..Fault::default()
    };
    let mut a = Replica::start(a_client, &ns, "replica-a", &journal, slow);
    a.wait_leading(true, Duration::from_secs(10)).await;
    let mut b = Replica::start(b_client, &ns, "replica-b", &journal, Fault::default());
    let _churn = Churn::start(&admin, &ns, MACHINES);
    eventually(Duration::from_secs(20), "A inside a reconcile", || async {
        (journal.running("replica-a") > 0).then_some(())
    })
    .await;

    a.signal_stop();
    b.wait_leading(true, Duration::from_secs(10)).await;
    eventually(Duration::from_secs(20), "B reconciling", || async {
        (journal.of("replica-b").len() >= 3).then_some(())
    })
    .await;
    a.stop().await;
    // A's reconcile was not cut short: it ran its full length.
    assert!(journal
        .of("replica-a")
        .iter()
        .all(|e| e.end.is_some_and(|end| end - e.start >= slow.work)));
    journal.assert_no_overlap("replica-a", "replica-b");
    b.stop().await;
}

#[tokio::test]
async fn a_leader_that_loses_the_lease_steps_down_only_after_its_reconcile_ended() {
    let (admin, kubeconfig, ns) = setup("lost").await;
    create_provider(&admin, &ns, "pve").await;
    const MACHINES: &[&str] = &["m1", "m2"];
    for name in MACHINES {
        create_machine(&admin, &ns, &machine(name, "pve")).await;
    }
    let client = operator_client(&admin, kubeconfig, &ns).await;
    let journal = Journal::default();
    // Long enough to be running when A learns of the loss (one retry period, 300 ms), short
    // enough to end before A's stop deadline.
    let slow = Fault {
        work: Duration::from_millis(1500),
        ..Fault::default()
    };
    let mut a = Replica::start(client, &ns, "replica-a", &journal, slow);
    a.wait_leading(true, Duration::from_secs(10)).await;
    let _churn = Churn::start(&admin, &ns, MACHINES);
    eventually(Duration::from_secs(20), "A inside a reconcile", || async {
        (journal.running("replica-a") > 0).then_some(())
    })
    .await;

    // Someone else holds the Lease now: A steps down. It may report that (and campaign again)
    // only once its controller ended, so that it never runs two controllers at a time.
    take_lease(&admin, &ns, "intruder").await;
    a.wait_leading(false, Duration::from_secs(10)).await;
    assert_eq!(
        journal.running("replica-a"),
        0,
        "A stepped down while its reconcile still ran"
    );
    let reconciles = journal.of("replica-a");
    assert!(
        reconciles
            .iter()
            .all(|e| e.end.is_some_and(|end| end - e.start >= slow.work)),
        "a reconcile was cut short instead of finishing: {reconciles:?}"
    );
    a.stop().await;
}

#[tokio::test]
async fn queue_depth_counts_the_machines_waiting_for_a_reconcile() {
    // No provider exists yet: the provider watch's first list maps to no Machine.
    let (admin, kubeconfig, ns) = setup("queue").await;
    let client = operator_client(&admin, kubeconfig, &ns).await;
    // Every reconcile waits at a gate until the test opens it; meanwhile a new request for a
    // Machine waits in the queue behind its running reconcile.
    let (open, gate) = watch::channel(false);
    let reconciler: Reconciler = Arc::new(move |machine, ctx| {
        let mut gate = gate.clone();
        Box::pin(async move {
            let _ = gate.wait_for(|open| *open).await;
            controller::reconcile(machine, ctx).await
        })
    });
    let mut replica = Replica::start_with(client, config(&ns, "replica-a"), reconciler);
    replica.wait_leading(true, Duration::from_secs(10)).await;
    let address = replica.serve_endpoints().await;
    let sample = |name: &'static str| {
        let address = address.clone();
        async move { scraped(&address, &format!("vitistack_downstream_{name}")).await }
    };
    let until = |name: &'static str, value: f64| async move {
        eventually(
            Duration::from_secs(20),
            &format!("{name} = {value}"),
            || async { (sample(name).await? == value).then_some(()) },
        )
        .await
    };
    const ON_PVE: &[&str] = &["q1", "q2"];
    const ON_KVM: &[&str] = &["q3", "q4"];
    for (provider, names) in [("pve", ON_PVE), ("kvm", ON_KVM)] {
        for name in names {
            create_machine(&admin, &ns, &machine(name, provider)).await;
        }
    }

    // Each Machine's first reconcile started (and waits at the gate): nothing is queued.
    until("reconciles_in_flight", 4.0).await;
    assert_eq!(sample("queue_depth").await, Some(0.0));
    // Provider pve appears: the two Machines that refer to it are queued.
    create_provider(&admin, &ns, "pve").await;
    until("queue_depth", 2.0).await;
    // A change of each Machine queues the other two; q1 and q2 stay queued once each.
    let machines = Api::<Machine>::namespaced(admin.clone(), &ns);
    for name in ON_PVE.iter().chain(ON_KVM) {
        touch(&machines, name).await;
    }
    until("queue_depth", 4.0).await;
    // So do q3 and q4 when their provider appears (and can then become Ready).
    create_provider(&admin, &ns, "kvm").await;

    // The gate opens: every queued Machine is reconciled. What is left are the resync
    // requeues, due in minutes, which do not count until then.
    open.send_replace(true);
    for name in ON_PVE.iter().chain(ON_KVM) {
        wait_ready(&admin, &ns, name, ConditionStatus::True, 1).await;
    }
    until("queue_depth", 0.0).await;
    until("reconciles_in_flight", 0.0).await;
    replica.stop().await;
}
