//! Issue #13: several versions of a kind on the real apiserver, converted by the example webhook
//! (vitistack-conversion's server, HTTPS on 127.0.0.1, url form with a caBundle): reads, lists,
//! watches, server-side apply and status in the non-storage version, a new field surviving a
//! write through the old version, refusals and an unreachable webhook reaching the client, a
//! rotated certificate, and storage migration before removing the old version.
//!
//! One test, in order: the CRD (cluster-wide) is shared by every step.

use futures::{StreamExt, TryStreamExt};
use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use kube::api::{
    Api, DeleteParams, ListParams, Patch, PatchParams, PostParams, WatchEvent, WatchParams,
};
use serde_json::json;
use std::time::Duration;
use vitistack_codegen_lib::conversion::example::{self, v1alpha1, v1beta1};
use vitistack_conversion::lossless::PRESERVED_ANNOTATION;
use vitistack_conversion::merge::{merge_versions, VersionOptions};
use vitistack_e2e::*;

mod conversion_support;
use conversion_support::*;
use vitistack_types::client::VitiClient;
use vitistack_types::crd::CustomResourceKind;

fn old_widget(name: &str, color: &str) -> v1alpha1::Widget {
    v1alpha1::Widget::new(
        name,
        v1alpha1::WidgetSpec {
            size: 1,
            color: Some(color.into()),
        },
    )
}

async fn stored_versions(crds: &Api<CustomResourceDefinition>) -> Vec<String> {
    crds.get(CRD)
        .await
        .unwrap()
        .status
        .and_then(|s| s.stored_versions)
        .unwrap_or_default()
}

#[tokio::test]
async fn two_versions_through_the_webhook_then_migration() {
    let client = client().await;
    let viti = VitiClient::new(client.clone()).with_field_manager("vitistack-e2e");
    let crds: Api<CustomResourceDefinition> = Api::all(client.clone());
    let dir = std::env::temp_dir().join(format!("vitistack-e2e-conversion-{}", std::process::id()));
    gen_certs(&dir, false);
    let (addr, webhook) = start_webhook("127.0.0.1:0".parse().unwrap(), &dir).await;
    delete_crd_if_left(&crds, addr, &dir).await;
    let ns = test_namespace("conversion").await;
    let old: Api<v1alpha1::Widget> = Api::namespaced(client.clone(), &ns);
    let new: Api<v1beta1::Widget> = Api::namespaced(client.clone(), &ns);
    let pp = PostParams::default();

    // 1. The CRD as it was: v1alpha1 the storage version; one object stored in v1alpha1.
    let first = merge_versions(&[
        VersionOptions::served(v1alpha1::Widget::crd()).storage(),
        VersionOptions::served(v1beta1::Widget::crd()),
    ])
    .unwrap();
    viti.install_crds_from([with_conversion(first, addr, &dir)], WAIT)
        .await
        .expect("install v1alpha1-storage CRD");
    old.create(&pp, &old_widget("stored-old", "red"))
        .await
        .expect("create in v1alpha1");

    // 2. v1beta1 becomes the storage version (the example's CRD).
    let crd = with_conversion(example::crd(), addr, &dir);
    viti.install_crds_from([crd], WAIT)
        .await
        .expect("install the example CRD");
    assert_eq!(stored_versions(&crds).await, ["v1alpha1", "v1beta1"]);

    // Create in each version, read in the other.
    old.create(&pp, &old_widget("a", "red"))
        .await
        .expect("create in v1alpha1");
    let a = new.get("a").await.expect("read v1alpha1 object as v1beta1");
    assert_eq!(
        a.spec,
        v1beta1::WidgetSpec {
            size: 1,
            colors: Some(vec!["red".into()]),
            replicas: None
        }
    );
    let b = v1beta1::Widget::new(
        "b",
        v1beta1::WidgetSpec {
            size: 2,
            colors: Some(vec!["cyan".into(), "teal".into()]),
            replicas: Some(3),
        },
    );
    new.create(&pp, &b).await.expect("create in v1beta1");
    let b_old = old.get("b").await.expect("read v1beta1 object as v1alpha1");
    assert_eq!(
        b_old.spec,
        v1alpha1::WidgetSpec {
            size: 2,
            color: Some("cyan".into())
        }
    );
    assert!(b_old
        .metadata
        .annotations
        .as_ref()
        .unwrap()
        .contains_key(PRESERVED_ANNOTATION));

    // A field only v1beta1 has survives a write through v1alpha1.
    let mut b_old = b_old;
    b_old.spec.size = 5;
    old.replace("b", &pp, &b_old)
        .await
        .expect("replace through v1alpha1");
    let b_new = new.get("b").await.unwrap();
    assert_eq!(
        b_new.spec,
        v1beta1::WidgetSpec {
            size: 5,
            colors: Some(vec!["cyan".into(), "teal".into()]),
            replicas: Some(3)
        }
    );
    assert!(
        b_new.metadata.annotations.is_none(),
        "the hub carries no preserved annotation: {:?}",
        b_new.metadata.annotations
    );

    // Server-side apply and a status update in the non-storage version.
    let apply = json!({"apiVersion": "example.vitistack.dev/v1alpha1", "kind": "Widget",
        "metadata": {"name": "applied"}, "spec": {"size": 7, "color": "green"}});
    old.patch(
        "applied",
        &PatchParams::apply("vitistack-e2e"),
        &Patch::Apply(&apply),
    )
    .await
    .expect("SSA in v1alpha1");
    assert_eq!(
        new.get("applied").await.unwrap().spec.colors,
        Some(vec!["green".into()])
    );
    let status = json!({"status": {"phase": "Ready"}});
    let patched = old
        .patch_status("b", &PatchParams::default(), &Patch::Merge(&status))
        .await
        .expect("status in v1alpha1");
    assert_eq!(patched.status.unwrap().phase.as_deref(), Some("Ready"));
    let b_new = new.get("b").await.unwrap();
    assert_eq!(b_new.status.and_then(|s| s.phase).as_deref(), Some("Ready"));
    assert_eq!(
        b_new.spec.replicas,
        Some(3),
        "the status write through v1alpha1 kept spec.replicas"
    );

    // List and watch in the non-storage version.
    let list = old
        .list(&ListParams::default())
        .await
        .expect("list in v1alpha1");
    let mut names: Vec<String> = list
        .items
        .iter()
        .map(|w| w.metadata.name.clone().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["a", "applied", "b", "stored-old"]);
    let rv = list.metadata.resource_version.unwrap();
    let events = old
        .watch(&WatchParams::default().timeout(30), &rv)
        .await
        .expect("watch in v1alpha1");
    let mut events = events.boxed();
    new.create(
        &pp,
        &v1beta1::Widget::new(
            "watched",
            v1beta1::WidgetSpec {
                size: 9,
                colors: None,
                replicas: Some(1),
            },
        ),
    )
    .await
    .unwrap();
    let seen = tokio::time::timeout(WAIT, async {
        loop {
            match events.try_next().await.expect("watch stream") {
                Some(WatchEvent::Added(w)) if w.metadata.name.as_deref() == Some("watched") => {
                    return w
                }
                Some(_) => continue,
                None => panic!("watch ended before the event"),
            }
        }
    })
    .await
    .expect("watch event in time");
    assert_eq!(seen.spec.size, 9);
    assert_eq!(
        seen.metadata.annotations.unwrap()[PRESERVED_ANNOTATION],
        "{\"/spec/replicas\":{\"hub\":1}}"
    );

    // The webhook refuses an object: its message reaches the client.
    let mut corrupt = old_widget("corrupt", "red");
    corrupt.metadata.annotations =
        Some([(PRESERVED_ANNOTATION.to_string(), "{oops".to_string())].into());
    let err = old
        .create(&pp, &corrupt)
        .await
        .expect_err("the webhook refuses")
        .to_string();
    assert!(
        err.contains("Widget") && err.contains("annotation conversion.vitistack.io/preserved"),
        "{err}"
    );

    // The certificate is rotated on disk (a new leaf of the same CA; renamed into place, so no
    // pause for the mtime resolution is needed): requests keep succeeding.
    gen_certs(&dir, true);
    for _ in 0..5 {
        old.get("a")
            .await
            .expect("read through the webhook after rotation");
    }

    // Rotated to a new CA, and the CRD's caBundle to it: once the apiserver uses the new
    // bundle, reads succeed only if the webhook serves the new certificate (the old one is not
    // signed by the new CA).
    let first_ca = std::fs::read(dir.join("ca.crt")).unwrap();
    gen_certs(&dir, false);
    assert_ne!(
        std::fs::read(dir.join("ca.crt")).unwrap(),
        first_ca,
        "a new CA"
    );
    viti.install_crds_from([with_conversion(example::crd(), addr, &dir)], WAIT)
        .await
        .expect("the CRD with the new caBundle");
    let deadline = std::time::Instant::now() + WAIT;
    let mut reads = 0;
    while reads < 5 {
        match old.get("a").await {
            Ok(_) => reads += 1,
            Err(e) => {
                // Until the apiserver switched to the new caBundle.
                assert!(
                    std::time::Instant::now() < deadline,
                    "no read through the webhook {WAIT:?} after the rotation to a new CA: {e}"
                );
                tokio::time::sleep(Duration::from_millis(200)).await; // poll interval
            }
        }
    }

    // The webhook is down: the client's error says the conversion webhook failed.
    stop_webhook(webhook).await;
    let err = old.get("a").await.expect_err("no webhook").to_string();
    assert!(
        err.contains("conversion webhook") && err.contains("failed"),
        "{err}"
    );
    let (_, webhook) = start_webhook(addr, &dir).await;
    old.get("a").await.expect("webhook back");

    // Dropping v1alpha1 while etcd may still hold it is refused.
    let refused = viti
        .install_crds_from([v1beta1::Widget::crd()], WAIT)
        .await
        .expect_err("storedVersions has v1alpha1");
    let refused = refused.to_string();
    assert!(
        refused.contains("storedVersions") && refused.contains("v1alpha1"),
        "{refused}"
    );

    // Migration: every object rewritten in v1beta1, storedVersions trimmed; then the removal works.
    let migration = viti.migrate_storage(CRD).await.expect("migrate");
    assert_eq!(migration.storage_version, "v1beta1");
    assert_eq!(migration.stored_versions_before, ["v1alpha1", "v1beta1"]);
    assert!(migration.rewritten >= 5, "{migration:?}");
    assert_eq!(stored_versions(&crds).await, ["v1beta1"]);
    viti.install_crds_from([v1beta1::Widget::crd()], WAIT)
        .await
        .expect("remove v1alpha1");
    let crd = crds.get(CRD).await.unwrap();
    let versions: Vec<&str> = crd.spec.versions.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(versions, ["v1beta1"]);
    stop_webhook(webhook).await;
    // Without v1alpha1 and without a webhook every object still reads, in v1beta1.
    let stored = new
        .get("stored-old")
        .await
        .expect("object first stored in v1alpha1");
    assert_eq!(stored.spec.colors, Some(vec!["red".into()]));
    assert_eq!(
        new.list(&ListParams::default()).await.unwrap().items.len(),
        5
    );
    let _ = std::fs::remove_dir_all(&dir);
    crds.delete(CRD, &DeleteParams::default()).await.unwrap();
}
