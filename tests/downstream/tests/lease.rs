//! The Lease elector on the real server: acquire when free, renew, respect a live holder, take
//! an expired Lease, lose it to another, release, and a race with exactly one winner.

mod support;

use k8s_openapi::api::coordination::v1::Lease;
use kube::api::Api;
use kube::Client;
use std::time::Duration;
use support::*;
use vitistack_downstream::lease::{LeaseConfig, LeaseElector};

fn elector(client: &Client, ns: &str, lease: &str, identity: &str) -> LeaseElector {
    LeaseElector::new(
        Api::namespaced(client.clone(), ns),
        LeaseConfig {
            name: lease.into(),
            identity: identity.into(),
            lease_duration: Duration::from_secs(2),
            retry_period: Duration::from_millis(200),
        },
    )
}

async fn holder(client: &Client, ns: &str, lease: &str) -> (Option<String>, Option<i32>) {
    let spec = Api::<Lease>::namespaced(client.clone(), ns)
        .get(lease)
        .await
        .expect("the Lease")
        .spec
        .unwrap_or_default();
    (spec.holder_identity, spec.lease_transitions)
}

async fn ok(elector: &mut LeaseElector) -> bool {
    elector
        .try_acquire_or_renew()
        .await
        .expect("the server answers")
}

#[tokio::test]
async fn acquire_renew_respect_expire_lose_release() {
    let admin = client_for(shared_kubeconfig()).await;
    let ns = namespace(&admin, "lease").await;
    let mut a = elector(&admin, &ns, "l", "a");
    let mut b = elector(&admin, &ns, "l", "b");

    assert!(ok(&mut a).await, "a creates the free Lease");
    assert!(!ok(&mut b).await, "b must not take a live Lease");
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert!(ok(&mut a).await, "a renews");
    tokio::time::sleep(Duration::from_millis(1200)).await;
    // 2.4 s since b first looked, but a renewed in between: still live.
    assert!(!ok(&mut b).await, "b took a Lease that was renewed");
    assert_eq!(holder(&admin, &ns, "l").await, (Some("a".into()), Some(0)));

    // a stops renewing: after the lease duration (by b's clock) b takes over.
    tokio::time::sleep(Duration::from_millis(2300)).await;
    assert!(ok(&mut b).await, "b takes the expired Lease");
    assert_eq!(holder(&admin, &ns, "l").await, (Some("b".into()), Some(1)));
    assert!(!ok(&mut a).await, "a lost the Lease and must see it");

    b.release().await.expect("release");
    assert_eq!(holder(&admin, &ns, "l").await.0, None);
    assert!(ok(&mut a).await, "a takes the released Lease at once");
    assert_eq!(holder(&admin, &ns, "l").await, (Some("a".into()), Some(2)));
    b.release()
        .await
        .expect("release by a non-holder is a no-op");
    assert_eq!(holder(&admin, &ns, "l").await.0.as_deref(), Some("a"));
}

#[tokio::test]
async fn racing_candidates_have_one_winner() {
    let admin = client_for(shared_kubeconfig()).await;
    let ns = namespace(&admin, "lease-race").await;
    for round in 0..5 {
        let lease = format!("race-{round}");
        let mut candidates: Vec<LeaseElector> = (0..4)
            .map(|i| elector(&admin, &ns, &lease, &format!("c{i}")))
            .collect();
        let results =
            futures::future::join_all(candidates.iter_mut().map(|c| c.try_acquire_or_renew()))
                .await;
        let winners: Vec<usize> = results
            .iter()
            .enumerate()
            .filter(|(_, r)| *r.as_ref().expect("the server answers"))
            .map(|(i, _)| i)
            .collect();
        assert_eq!(winners.len(), 1, "round {round}: winners {winners:?}");
        let expected = format!("c{}", winners[0]);
        assert_eq!(holder(&admin, &ns, &lease).await.0, Some(expected));
    }
}
