//! Issue #13: `vitistack-codegen migrate CRD`, the built binary, against the real test server
//! (`vitistack_e2e::apiserver`): objects stored in an old version, the old version's removal
//! refused while `status.storedVersions` lists it, the migration, then the removal accepted and
//! every object still readable. A CRD of this test's own (`gauges.migrate.e2e.vitistack.io`,
//! two versions with one schema, no webhook).

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use kube::api::{Api, ApiResource, DynamicObject, Patch, PatchParams, PostParams};
use serde_json::{json, Value};
use std::process::{Command, Output};
use std::time::{Duration, Instant};
use vitistack_e2e::{apiserver, client, test_namespace};
use vitistack_types::client::{VitiClient, DEFAULT_PAGE_SIZE};

const GROUP: &str = "migrate.e2e.vitistack.io";
const CRD: &str = "gauges.migrate.e2e.vitistack.io";
const WAIT: Duration = Duration::from_secs(60);

fn migrate(crd: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vitistack-codegen"))
        .args(["migrate", crd])
        .env("KUBECONFIG", apiserver::kubeconfig_path())
        .output()
        .expect("run vitistack-codegen migrate")
}

/// The CRD with `versions` served, `storage` its storage version.
fn gauges(versions: &[&str], storage: &str) -> Value {
    let versions: Vec<Value> = versions
        .iter()
        .map(|v| {
            json!({"name": v, "served": true, "storage": *v == storage, "schema": {"openAPIV3Schema": {
                "type": "object",
                "properties": {"spec": {"type": "object", "properties": {"level": {"type": "integer"}}}},
            }}})
        })
        .collect();
    json!({
        "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
        "metadata": {"name": CRD},
        "spec": {"group": GROUP, "scope": "Namespaced",
            "names": {"plural": "gauges", "singular": "gauge", "kind": "Gauge", "listKind": "GaugeList"},
            "versions": versions},
    })
}

fn api(client: &kube::Client, namespace: &str, version: &str) -> Api<DynamicObject> {
    let resource = ApiResource {
        group: GROUP.into(),
        version: version.into(),
        api_version: format!("{GROUP}/{version}"),
        kind: "Gauge".into(),
        plural: "gauges".into(),
    };
    Api::namespaced_with(client.clone(), namespace, &resource)
}

async fn create(api: &Api<DynamicObject>, version: &str, name: &str, level: i64) {
    let object: DynamicObject = serde_json::from_value(json!({
        "apiVersion": format!("{GROUP}/{version}"), "kind": "Gauge",
        "metadata": {"name": name}, "spec": {"level": level},
    }))
    .expect("gauge");
    api.create(&PostParams::default(), &object)
        .await
        .unwrap_or_else(|e| panic!("create {name} in {version}: {e}"));
}

async fn stored_versions(crds: &Api<CustomResourceDefinition>) -> Vec<String> {
    crds.get(CRD)
        .await
        .expect("CRD")
        .status
        .and_then(|s| s.stored_versions)
        .unwrap_or_default()
}

/// Deletes the CRD and its objects. The CRD's finalizer must decode every object: one a failed
/// run left stored in v1 needs v1 back in the CRD first.
async fn delete_crd(crds: &Api<CustomResourceDefinition>) {
    if crds.get_opt(CRD).await.expect("get CRD").is_some() {
        let versions =
            json!({"spec": {"versions": gauges(&["v1", "v2"], "v2")["spec"]["versions"]}});
        let _ = crds
            .patch(CRD, &PatchParams::default(), &Patch::Merge(&versions))
            .await;
        let _ = crds.delete(CRD, &Default::default()).await;
    }
    let deadline = Instant::now() + WAIT;
    while crds.get_opt(CRD).await.expect("get CRD").is_some() {
        assert!(
            Instant::now() < deadline,
            "{CRD} still exists after {WAIT:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test]
async fn migrate_lets_the_old_version_go() {
    let client = client().await;
    let viti = VitiClient::new(client.clone()).with_field_manager("vitistack-e2e-migrate");
    let crds: Api<CustomResourceDefinition> = Api::all(client.clone());
    delete_crd(&crds).await;
    let namespace = test_namespace("migrate").await;

    // More objects than the migration lists in one page stored in v1 (three named, the rest
    // filler), then v2 becomes the storage version and one is stored in it.
    viti.install_crds_from([gauges(&["v1", "v2"], "v1")], WAIT)
        .await
        .expect("CRD, v1 stored");
    let (v1, v2) = (
        api(&client, &namespace, "v1"),
        api(&client, &namespace, "v2"),
    );
    for (name, level) in [("a", 1), ("b", 2), ("c", 3)] {
        create(&v1, "v1", name, level).await;
    }
    let fillers = DEFAULT_PAGE_SIZE as usize - 1;
    let mut creating = tokio::task::JoinSet::new();
    for worker in 0..8 {
        let v1 = v1.clone();
        creating.spawn(async move {
            for i in (worker..fillers).step_by(8) {
                create(&v1, "v1", &format!("filler-{i:04}"), 0).await;
            }
        });
    }
    while let Some(done) = creating.join_next().await {
        done.expect("create the fillers");
    }
    viti.install_crds_from([gauges(&["v1", "v2"], "v2")], WAIT)
        .await
        .expect("CRD, v2 stored");
    create(&v2, "v2", "d", 4).await;
    assert_eq!(stored_versions(&crds).await, ["v1", "v2"]);

    // Removing v1 while etcd may hold it is refused by the apiserver.
    let refused = viti
        .install_crds_from([gauges(&["v2"], "v2")], WAIT)
        .await
        .expect_err("v1 is in status.storedVersions")
        .to_string();
    assert!(
        refused.contains("storedVersions") && refused.contains("v1"),
        "{refused}"
    );

    let output = migrate(CRD);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "migrate failed: {stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        stdout.trim_end(),
        format!(
            "{CRD}: {} object(s) rewritten in v2; status.storedVersions [v1, v2] -> [v2]",
            fillers + 4
        )
    );
    assert_eq!(stored_versions(&crds).await, ["v2"]);

    // Now v1 can go, and every object reads in v2 (one still stored in v1 would not decode).
    viti.install_crds_from([gauges(&["v2"], "v2")], WAIT)
        .await
        .expect("remove v1");
    let versions: Vec<String> = crds
        .get(CRD)
        .await
        .expect("CRD")
        .spec
        .versions
        .into_iter()
        .map(|v| v.name)
        .collect();
    assert_eq!(versions, ["v2"]);
    let listed = v2
        .list(&Default::default())
        .await
        .expect("list in v2 after v1 is gone")
        .items;
    assert_eq!(listed.len(), fillers + 4);
    let mut levels: Vec<(String, i64)> = listed
        .into_iter()
        .filter(|o| {
            !o.metadata
                .name
                .as_deref()
                .unwrap_or("")
                .starts_with("filler-")
        })
        .map(|o| {
            let level = o.data["spec"]["level"].as_i64().unwrap_or(-1);
            (o.metadata.name.unwrap_or_default(), level)
        })
        .collect();
    levels.sort();
    let expected: Vec<(String, i64)> = [("a", 1), ("b", 2), ("c", 3), ("d", 4)]
        .into_iter()
        .map(|(n, l)| (n.to_string(), l))
        .collect();
    assert_eq!(levels, expected);
    delete_crd(&crds).await;

    // A CRD that does not exist: exit code 2 and the server's 404, named.
    let output = migrate("nosuchthings.migrate.e2e.vitistack.io");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("migrating nosuchthings.migrate.e2e.vitistack.io")
            && stderr.contains("not found"),
        "{stderr}"
    );
}
