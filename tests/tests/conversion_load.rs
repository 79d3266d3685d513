//! Issue #13 under load: 5,000 Widgets stored in v1beta1, watched and listed in v1alpha1 through
//! the example webhook: every object converted, none lost, events in resourceVersion order,
//! the list complete and in name order.

use futures::{stream, StreamExt, TryStreamExt};
use kube::api::{ListParams, PostParams, WatchEvent, WatchParams};
use std::collections::BTreeSet;
use std::time::Duration;
use vitistack_codegen_lib::conversion::example::{v1alpha1, v1beta1};
use vitistack_conversion::lossless::PRESERVED_ANNOTATION;

mod conversion_support;
use conversion_support::*;

const OBJECTS: usize = 5_000;

fn name(i: usize) -> String {
    format!("load-{i:05}")
}

fn replicas_of(widget: &v1alpha1::Widget) -> String {
    widget
        .metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get(PRESERVED_ANNOTATION))
        .cloned()
        .unwrap_or_default()
}

#[tokio::test]
async fn five_thousand_objects_listed_and_watched_in_the_old_version() {
    let setup = install_example("conversion-load").await;
    let (old, new) = (setup.old.clone(), setup.new.clone());

    let start = old
        .list(&ListParams::default())
        .await
        .unwrap()
        .metadata
        .resource_version
        .unwrap();
    let watch = old
        .watch(&WatchParams::default().timeout(290), &start)
        .await
        .expect("watch in v1alpha1");
    let collector = tokio::spawn(async move {
        let mut events = watch.boxed();
        let mut seen = Vec::with_capacity(OBJECTS);
        while seen.len() < OBJECTS {
            match events.try_next().await.expect("watch stream") {
                Some(WatchEvent::Added(w)) => seen.push(w),
                Some(WatchEvent::Error(e)) => panic!("watch error: {e:?}"),
                Some(_) => {}
                None => panic!("watch ended after {} events", seen.len()),
            }
        }
        seen
    });

    stream::iter(0..OBJECTS)
        .map(|i| {
            let new = new.clone();
            async move {
                let spec = v1beta1::WidgetSpec {
                    size: (i % 1000) as i32,
                    colors: None,
                    replicas: Some((i % 100) as i32),
                };
                new.create(
                    &PostParams::default(),
                    &v1beta1::Widget::new(&name(i), spec),
                )
                .await
                .map(|_| ())
            }
        })
        .buffer_unordered(32)
        .try_collect::<Vec<()>>()
        .await
        .expect("create 5,000 in v1beta1");

    let events = tokio::time::timeout(Duration::from_secs(300), collector)
        .await
        .expect("all events in time")
        .unwrap();
    let versions: Vec<u64> = events
        .iter()
        .map(|w| {
            w.metadata
                .resource_version
                .as_deref()
                .unwrap()
                .parse()
                .unwrap()
        })
        .collect();
    assert!(
        versions.windows(2).all(|p| p[0] < p[1]),
        "watch events out of resourceVersion order"
    );
    let names: BTreeSet<String> = events
        .iter()
        .map(|w| w.metadata.name.clone().unwrap())
        .collect();
    assert_eq!(
        names.len(),
        OBJECTS,
        "an object missing or seen twice in the watch"
    );
    for w in &events {
        let i: usize = w.metadata.name.as_deref().unwrap()[5..].parse().unwrap();
        assert_eq!(w.spec.size, (i % 1000) as i32);
        assert_eq!(
            replicas_of(w),
            format!("{{\"/spec/replicas\":{{\"hub\":{}}}}}", i % 100),
            "{}",
            name(i)
        );
    }

    let mut listed = Vec::with_capacity(OBJECTS);
    let mut params = ListParams::default().limit(500);
    loop {
        let page = old.list(&params).await.expect("list page in v1alpha1");
        listed.extend(page.items);
        match page.metadata.continue_.filter(|c| !c.is_empty()) {
            Some(token) => params = params.continue_token(&token),
            None => break,
        }
    }
    let listed_names: Vec<String> = listed
        .iter()
        .map(|w| w.metadata.name.clone().unwrap())
        .collect();
    let expected: Vec<String> = (0..OBJECTS).map(name).collect();
    assert_eq!(
        listed_names, expected,
        "the list is complete and in name order"
    );
    for (i, w) in listed.iter().enumerate() {
        assert_eq!(
            replicas_of(w),
            format!("{{\"/spec/replicas\":{{\"hub\":{}}}}}", i % 100),
            "{}",
            name(i)
        );
    }

    setup.finish().await;
}
