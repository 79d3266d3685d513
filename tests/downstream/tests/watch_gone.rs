//! The operator's watch survives `410 Gone`: on a server of its own with the watch cache off
//! (so a resumed watch from a compacted resourceVersion really gets 410), the operator is cut
//! off by a proxy, Machines change meanwhile, etcd is compacted, and the operator comes back.
//! Every change of the gap is reconciled (none missed), and the re-list, which reconciles every
//! Machine again, adds no status transition and no Event (none duplicated).

mod support;

use futures::StreamExt;
use kube::api::{Api, DeleteParams, ListParams, Patch, PatchParams, WatchEvent, WatchParams};
use std::time::Duration;
use support::journal::{Fault, Journal};
use support::machines::*;
use support::*;
use vitistack_downstream::operator::{Operator, OperatorConfig};
use vitistack_types::kinds::common::ConditionStatus;
use vitistack_types::kinds::Machine;

#[tokio::test]
async fn no_reconcile_missed_or_duplicated_across_410_gone() {
    let server = tokio::task::spawn_blocking(|| OwnServer::start("gone", "--watch-cache=false"))
        .await
        .expect("start the server");
    let admin = client_for(server.kubeconfig()).await;
    install_crds(&admin).await;
    let ns = namespace(&admin, "gone").await;
    create_provider(&admin, &ns, "pve").await;
    let proxy = Proxy::start(server_address(&server.kubeconfig())).await;
    let behind_proxy = with_server(server.kubeconfig(), &proxy.url());
    let client = operator_client(&admin, behind_proxy, &ns).await;

    let mut config = OperatorConfig::new(&ns, "replica-a");
    config.lease.lease_duration = Duration::from_secs(60); // keeps leading through the outage
    config.lease.retry_period = Duration::from_millis(500);
    let journal = Journal::default();
    let operator = Operator::new(client, config)
        .with_reconciler(journal.reconciler("replica-a", Fault::default()));
    let mut leading = operator.leadership();
    let task = tokio::spawn(operator.run(futures::future::pending()));
    tokio::time::timeout(Duration::from_secs(10), leading.wait_for(|l| *l))
        .await
        .expect("leading")
        .expect("running");

    for name in ["m-changed", "m-untouched", "m-deleted"] {
        create_machine(&admin, &ns, &machine(name, "pve")).await;
    }
    for name in ["m-changed", "m-untouched", "m-deleted"] {
        wait_ready(&admin, &ns, name, ConditionStatus::True, 1).await;
    }
    let machines = Api::<Machine>::namespaced(admin.clone(), &ns);
    let seen = machines
        .list(&ListParams::default())
        .await
        .expect("list")
        .metadata
        .resource_version
        .expect("a list resourceVersion");
    let untouched_before = wait_ready(&admin, &ns, "m-untouched", ConditionStatus::True, 1).await;
    let reconciles_before = journal.count("replica-a", "m-untouched");

    // The gap: the operator is cut off while Machines change, then etcd is compacted.
    proxy.outage();
    let patch = serde_json::json!({"spec": {"resources": {"cpu": {"cores": 4}}}});
    machines
        .patch("m-changed", &PatchParams::default(), &Patch::Merge(&patch))
        .await
        .expect("spec change");
    create_machine(&admin, &ns, &machine("m-new", "pve")).await;
    machines
        .delete("m-deleted", &DeleteParams::default())
        .await
        .expect("delete");
    server.compact();
    // What the operator's watch resumes from (at most `seen`) is gone now.
    let mut stale = machines
        .watch(&WatchParams::default(), &seen)
        .await
        .expect("watch")
        .boxed();
    match tokio::time::timeout(Duration::from_secs(10), stale.next()).await {
        Ok(Some(Ok(WatchEvent::Error(status)))) => assert_eq!(status.code, 410, "{status:?}"),
        other => panic!("expected 410 Gone for resourceVersion {seen}, got {other:?}"),
    }
    // No pause before the restore: the operator's connections were cut before the changes, and
    // any watch it opens from now on starts at a resourceVersion the compaction removed.
    proxy.restore();

    // Nothing missed: every change of the gap is reconciled.
    wait_ready(&admin, &ns, "m-changed", ConditionStatus::True, 2).await;
    wait_ready(&admin, &ns, "m-new", ConditionStatus::True, 1).await;
    eventually(Duration::from_secs(30), "m-deleted gone", || async {
        matches!(machines.get_opt("m-deleted").await, Ok(None)).then_some(())
    })
    .await;
    // The re-list after 410 reconciled the untouched Machine again (a resumed watch would not)...
    assert!(
        journal.count("replica-a", "m-untouched") > reconciles_before,
        "no re-list after the 410"
    );
    // ... and changed nothing: the same status, one Event per transition.
    let untouched_after = machines.get("m-untouched").await.expect("m-untouched");
    assert_eq!(untouched_after.status, untouched_before.status);
    // Not a synchronization (the re-list and its reconciles are seen above): the window in which a
    // duplicate Event, which must not exist and so has no event to wait for, would show.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let one = |gen: i64| {
        vec![(
            "ProviderFound".to_string(),
            format!("generation {gen}: Ready=True"),
            1,
        )]
    };
    assert_eq!(events_of(&admin, &ns, "m-untouched").await, one(1));
    assert_eq!(events_of(&admin, &ns, "m-new").await, one(1));
    let changed = events_of(&admin, &ns, "m-changed").await;
    assert_eq!(
        changed,
        vec![(
            "ProviderFound".to_string(),
            "generation 1: Ready=True".to_string(),
            2
        )]
    );
    task.abort();
}
