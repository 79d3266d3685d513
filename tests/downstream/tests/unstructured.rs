//! The dynamic API as another operator uses it: Machines written as unstructured objects
//! (`machine_to_unstructured`), read from a `DynamicObject` watch, turned typed
//! (`machine_from_unstructured`) and validated; a bad object fails with the field path, the
//! same one the API server names.

mod support;

use futures::{StreamExt, TryStreamExt};
use kube::api::{Api, ApiResource, DynamicObject, PostParams};
use kube::runtime::{watcher, WatchStreamExt};
use std::time::Duration;
use support::machines::machine;
use support::*;
use vitistack_types::kinds::Machine;
use vitistack_types::unstructured::{machine_from_unstructured, machine_to_unstructured};
use vitistack_types::Validate;

#[tokio::test]
async fn a_dynamic_watch_gives_typed_validated_machines() {
    let admin = client_for(shared_kubeconfig()).await;
    install_crds(&admin).await;
    let ns = namespace(&admin, "dynamic").await;
    let resource = ApiResource::erase::<Machine>(&());
    let dynamic: Api<DynamicObject> = Api::namespaced_with(admin.clone(), &ns, &resource);
    let mut watch = watcher(dynamic.clone(), watcher::Config::default())
        .applied_objects()
        .boxed();

    let mut sent = machine("dyn-1", "pve");
    // threads and sockets set to their schema defaults: the server would add them.
    let patch = serde_json::json!({
        "resources": {"cpu": {"cores": 8, "threads": 1, "sockets": 1}},
        "providerRef": {"name": "pve"}});
    sent.spec = serde_json::from_value(patch).expect("a spec");
    let unstructured = machine_to_unstructured(&sent).expect("to unstructured");
    assert_eq!(unstructured.data["spec"]["resources"]["cpu"]["cores"], 8);
    dynamic
        .create(&PostParams::default(), &unstructured)
        .await
        .expect("create from unstructured");

    let seen: DynamicObject = tokio::time::timeout(Duration::from_secs(20), watch.try_next())
        .await
        .expect("an event within 20 s")
        .expect("the watch works")
        .expect("an object");
    let typed = machine_from_unstructured(&seen).expect("typed");
    assert_eq!(typed.spec, sent.spec);
    assert_eq!(typed.metadata.name.as_deref(), Some("dyn-1"));
    assert!(typed.metadata.uid.is_some(), "server metadata kept");
    typed
        .validate()
        .expect("a Machine the server accepted is valid");

    // A change that breaks a rule: validate() and the server name the same field.
    let mut bad = typed.clone();
    bad.metadata = kube::api::ObjectMeta {
        name: Some("dyn-2".into()),
        ..Default::default()
    };
    bad.spec.provider_ref.name = "Not_A_Name".into();
    let errors = bad.validate().expect_err("an invalid provider name");
    assert_eq!(errors.paths(), vec!["spec.providerRef.name"]);
    let refused = dynamic
        .create(
            &PostParams::default(),
            &machine_to_unstructured(&bad).expect("to unstructured"),
        )
        .await
        .expect_err("the server refuses it too");
    let message = refused.to_string();
    assert!(message.contains("spec.providerRef.name"), "{message}");

    // An unstructured object that does not fit the type fails with the field path.
    let mut wrong = seen.clone();
    wrong.data["spec"]["resources"]["cpu"]["cores"] = serde_json::json!("eight");
    let error = machine_from_unstructured(&wrong).expect_err("cores is a number");
    assert_eq!(error.path, "spec.resources.cpu.cores");
}
