//! Issue #3: the CRDs and examples against a real kube-apiserver.

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use kube::api::{Api, Patch, PatchParams};
use serde_json::{json, Value};
use vitistack_e2e::server::{self, Verdict};
use vitistack_e2e::*;
use vitistack_types::registry;

fn plural(kind: &str) -> &'static str {
    registry::by_kind(kind)
        .unwrap_or_else(|| panic!("no kind {kind}"))
        .plural
}

/// The example with its namespace set and without status (status goes through /status).
fn example_object(stem: &str, namespace: &str) -> (Value, Option<Value>) {
    let mut object = example(stem);
    let status = object.as_object_mut().and_then(|o| o.remove("status"));
    set_path(&mut object, "metadata.namespace", json!(namespace));
    (object, status)
}

async fn create_accepted(
    client: &kube::Client,
    kind: &str,
    namespace: &str,
    object: &Value,
) -> Value {
    match server::create(client, plural(kind), namespace, object, false).await {
        Verdict::Accepted(stored) => stored,
        Verdict::Rejected { message, .. } => panic!("{kind} example rejected: {message}"),
    }
}

#[tokio::test]
async fn crds_apply_become_established_and_reapplying_changes_nothing() {
    let client = client().await;
    ensure_crds(&client).await;
    let api: Api<CustomResourceDefinition> = Api::all(client.clone());
    // The files users apply (ensure_crds applied them the same way).
    let crds = crd_files();
    assert_eq!(crds.len(), 10);
    for (_, crd) in &crds {
        let name = crd["metadata"]["name"].as_str().expect("name");
        let before = api.get(name).await.expect("CRD exists");
        let established = before
            .status
            .as_ref()
            .and_then(|s| s.conditions.as_ref())
            .is_some_and(|c| {
                c.iter()
                    .any(|c| c.type_ == "Established" && c.status == "True")
            });
        assert!(established, "{name} is not Established");
        // The same field manager as the install: an unchanged apply must not write.
        let params = PatchParams::apply(vitistack_types::client::DEFAULT_FIELD_MANAGER).force();
        let after = api
            .patch(name, &params, &Patch::Apply(crd))
            .await
            .expect("re-apply");
        assert_eq!(
            before.metadata.generation, after.metadata.generation,
            "{name}: generation changed"
        );
        assert_eq!(
            before.metadata.resource_version, after.metadata.resource_version,
            "{name}: re-apply wrote"
        );
    }
}

#[tokio::test]
async fn every_example_is_stored_as_written_with_defaults_and_status() {
    let client = client().await;
    ensure_crds(&client).await;
    let namespace = test_namespace("examples").await;
    for (kind, stem) in EXAMPLES {
        let (object, status) = example_object(stem, &namespace);
        let stored = create_accepted(&client, kind, &namespace, &object).await;
        let lost = missing_from(&object["spec"], &stored["spec"], "spec");
        assert!(lost.is_empty(), "{kind}: changed or pruned: {lost:?}");
        let Some(status) = status else {
            panic!("{kind}: the example has no status block")
        };
        let mut with_status = stored.clone();
        with_status["status"] = status.clone();
        let name = stored["metadata"]["name"].as_str().expect("name");
        let updated =
            match server::replace_status(&client, plural(kind), &namespace, name, &with_status)
                .await
            {
                Verdict::Accepted(v) => v,
                Verdict::Rejected { message, .. } => panic!("{kind}: status rejected: {message}"),
            };
        let lost = missing_from(&status, &updated["status"], "status");
        assert!(lost.is_empty(), "{kind}: changed or pruned: {lost:?}");
    }
}

#[tokio::test]
async fn server_defaults_fill_cpu_topology_and_load_balancer_method() {
    let client = client().await;
    ensure_crds(&client).await;
    let namespace = test_namespace("defaults").await;
    let (mut machine, _) = example_object("machine", &namespace);
    set_path(&mut machine, "spec.resources.cpu", json!({}));
    let stored = create_accepted(&client, "Machine", &namespace, &machine).await;
    assert_eq!(
        stored["spec"]["resources"]["cpu"],
        json!({"cores": 1, "threads": 1, "sockets": 1})
    );

    let (mut lb, _) = example_object("loadbalancer", &namespace);
    remove_path(&mut lb, "spec.method");
    let stored = create_accepted(&client, "LoadBalancer", &namespace, &lb).await;
    assert_eq!(stored["spec"]["method"], json!("first-alive"));
}

#[tokio::test]
async fn printer_columns_have_a_value_in_every_cell() {
    let client = client().await;
    ensure_crds(&client).await;
    let namespace = test_namespace("columns").await;
    for (kind, stem) in EXAMPLES {
        let (object, status) = example_object(stem, &namespace);
        let mut stored = create_accepted(&client, kind, &namespace, &object).await;
        stored["status"] = status.unwrap_or_else(|| panic!("{kind}: the example has no status"));
        let name = stored["metadata"]["name"]
            .as_str()
            .expect("name")
            .to_string();
        if let Verdict::Rejected { message, .. } =
            server::replace_status(&client, plural(kind), &namespace, &name, &stored).await
        {
            panic!("{kind}: status rejected: {message}");
        }
        let url = format!(
            "/apis/vitistack.io/v1alpha1/namespaces/{namespace}/{}",
            plural(kind)
        );
        let table = server::get_json(
            &client,
            &url,
            Some("application/json;as=Table;v=v1;g=meta.k8s.io"),
        )
        .await;
        let columns: Vec<&str> = table["columnDefinitions"]
            .as_array()
            .expect("columns")
            .iter()
            .filter_map(|c| c["name"].as_str())
            .collect();
        // decisions.md section 4, after the Name column every table has.
        let mut expected = vec!["Name"];
        expected.extend_from_slice(declared_columns(kind));
        assert_eq!(columns, expected, "{kind}: printer columns");
        let rows = table["rows"].as_array().expect("rows");
        assert_eq!(rows.len(), 1, "{kind}");
        let cells = rows[0]["cells"].as_array().expect("cells");
        assert_eq!(cells.len(), columns.len(), "{kind}: cells {cells:?}");
        for (column, cell) in columns.iter().zip(cells) {
            let empty =
                cell.is_null() || cell.as_str() == Some("") || cell.as_str() == Some("<none>");
            assert!(!empty, "{kind}: column {column} is empty");
        }
    }
}

/// The printer columns of decisions.md section 4, as written there.
fn declared_columns(kind: &str) -> &'static [&'static str] {
    match kind {
        "Vitistack" => &["Phase", "Machines", "Networks", "Age"],
        "Machine" => &["Phase", "Cores", "Memory", "Provider", "IP", "Age"],
        "MachineProvider" => &["Type", "Ready", "Machines", "Age"],
        "KubernetesProvider" => &["Type", "Version", "Ready", "Age"],
        "KubernetesCluster" => &["Provider", "Version", "Phase", "Endpoint", "Age"],
        "NetworkConfiguration" => &["Network", "VLAN", "Subnet", "Ready", "Age"],
        "NetworkNamespace" => &["Isolation", "QoS", "Phase", "Age"],
        "LoadBalancer" => &["Provider", "Method", "Phase", "Age"],
        "KubevirtConfig" => &["Version", "Applied", "Phase", "Age"],
        "ProxmoxConfig" => &["Endpoint", "Version", "Ready", "Age"],
        other => panic!("no printer columns declared for {other}"),
    }
}

#[tokio::test]
async fn published_openapi_carries_the_field_descriptions() {
    let client = client().await;
    ensure_crds(&client).await;
    let index = server::get_json(&client, "/openapi/v3", None).await;
    let url = index["paths"]["apis/vitistack.io/v1alpha1"]["serverRelativeURL"]
        .as_str()
        .unwrap_or_else(|| panic!("vitistack.io/v1alpha1 is not published: {index}"))
        .to_string();
    let document = server::get_json(&client, &url, None).await;
    let schemas = document["components"]["schemas"]
        .as_object()
        .expect("components.schemas");
    let machine = schemas
        .get("io.vitistack.v1alpha1.Machine")
        .expect("Machine schema published");
    let spec = &machine["properties"]["spec"];
    assert_eq!(spec["description"], "Desired state of the Machine.");
    let cores = &spec["properties"]["resources"]["properties"]["cpu"]["properties"]["cores"];
    assert_eq!(cores["description"], "CPU cores (1-128, default 1).");
    for kind in registry::kinds() {
        let schema = schemas
            .get(&format!("io.vitistack.v1alpha1.{}", kind.kind))
            .unwrap_or_else(|| panic!("{} not published", kind.kind));
        assert!(
            schema["description"]
                .as_str()
                .is_some_and(|d| !d.is_empty()),
            "{}",
            kind.kind
        );
    }
}

#[tokio::test]
async fn status_goes_through_the_status_subresource_only() {
    let client = client().await;
    ensure_crds(&client).await;
    let namespace = test_namespace("status").await;
    let (object, _) = example_object("networkconfiguration", &namespace);
    let stored = create_accepted(&client, "NetworkConfiguration", &namespace, &object).await;
    let name = stored["metadata"]["name"]
        .as_str()
        .expect("name")
        .to_string();

    // Status sent with a create is dropped.
    assert!(
        stored.get("status").is_none(),
        "status was stored on create: {stored}"
    );

    let mut update = stored.clone();
    update["status"] = json!({"ready": true, "allocatedIPs": ["10.20.0.10"]});
    update["spec"]["vlan"] = json!(42);
    let Verdict::Accepted(after) =
        server::replace_status(&client, "networkconfigurations", &namespace, &name, &update).await
    else {
        panic!("status update rejected");
    };
    assert_eq!(after["status"]["ready"], json!(true));
    assert_eq!(after["status"]["allocatedIPs"], json!(["10.20.0.10"]));
    assert_eq!(
        after["spec"]["vlan"], stored["spec"]["vlan"],
        "a spec change through /status was stored"
    );
}

/// One invalid object per kind and rule family; each must be rejected naming exactly the path.
#[tokio::test]
async fn invalid_objects_are_rejected_with_the_field_path() {
    let client = client().await;
    ensure_crds(&client).await;
    let namespace = test_namespace("invalid").await;
    let cases: &[(&str, &str, Value, &str)] = &[
        // (example, path to set, value, expected path in the rejection)
        (
            "networkconfiguration",
            "spec.vlan",
            json!(5000),
            "spec.vlan",
        ),
        (
            "networkconfiguration",
            "spec.ipam.type",
            json!("bogus"),
            "spec.ipam.type",
        ),
        (
            "networkconfiguration",
            "spec.networkId",
            json!("Not_A_Label"),
            "spec.networkId",
        ),
        (
            "networkconfiguration",
            "spec.ipam.gateway",
            json!("10.0.0.256"),
            "spec.ipam.gateway",
        ),
        (
            "networkconfiguration",
            "spec.ipam.subnet",
            json!("10.1.0.1/16"),
            "spec.ipam.subnet",
        ),
        (
            "networkconfiguration",
            "spec.ipam.gateway",
            json!("192.168.99.1"),
            "spec.ipam.gateway",
        ),
        (
            "machine",
            "spec.resources.cpu.cores",
            json!(129),
            "spec.resources.cpu.cores",
        ),
        (
            "machine",
            "spec.resources.memory.size",
            json!("64Mi"),
            "spec.resources.memory.size",
        ),
        (
            "machine",
            "spec.networking.interfaces[0].macAddress",
            json!("00:11:22:33:44"),
            "spec.networking.interfaces[0].macAddress",
        ),
        (
            "machine",
            "spec.boot.order",
            json!(["disk", "disk"]),
            "spec.boot.order[1]",
        ),
        (
            "machine",
            "spec.boot.firmware",
            json!({"type": "bios", "secureBoot": true}),
            "spec.boot.firmware.secureBoot",
        ),
        (
            "machineprovider",
            "spec.endpoint.url",
            json!("ftp://example.com"),
            "spec.endpoint.url",
        ),
        (
            "kubernetesprovider",
            "spec.clusterTemplate.controlPlane.replicas",
            json!(2),
            "spec.clusterTemplate.controlPlane.replicas",
        ),
        (
            "kubernetescluster",
            "spec.networking.serviceCIDR",
            json!("10.244.0.0/24"),
            "spec.networking.serviceCIDR",
        ),
        (
            "networknamespace",
            "spec.qos.priority",
            json!(256),
            "spec.qos.priority",
        ),
        (
            "loadbalancer",
            "spec.poolMembers",
            json!([]),
            "spec.poolMembers",
        ),
        (
            "kubevirtconfig",
            "spec.storage.volumeModes",
            json!(["Filesystem", "Tape"]),
            "spec.storage.volumeModes[1]",
        ),
        (
            "proxmoxconfig",
            "spec.templates[0].id",
            json!("12a"),
            "spec.templates[0].id",
        ),
        (
            "vitistack",
            "spec.quotas.machines",
            json!({"total": 5, "perProvider": 6}),
            "spec.quotas.machines.perProvider",
        ),
    ];
    for (stem, path, value, expected) in cases {
        let kind = EXAMPLES
            .iter()
            .find(|(_, s)| s == stem)
            .map(|(k, _)| *k)
            .expect("kind");
        let (mut object, _) = example_object(stem, &namespace);
        set_path(&mut object, path, value.clone());
        match server::create(&client, plural(kind), &namespace, &object, true).await {
            Verdict::Accepted(_) => panic!("{kind} with {path}={value} was accepted"),
            Verdict::Rejected {
                code,
                paths,
                message,
                ..
            } => {
                assert_eq!(code, 422, "{kind} {path}: {message}");
                assert!(
                    paths.iter().any(|p| p == expected),
                    "{kind} {path}={value}: expected {expected} in {paths:?} ({message})"
                );
            }
        }
    }
    // Required: a Machine without providerRef.
    let (mut machine, _) = example_object("machine", &namespace);
    remove_path(&mut machine, "spec.providerRef");
    let verdict = server::create(&client, "machines", &namespace, &machine, true).await;
    assert!(
        verdict.paths().contains(&"spec.providerRef".to_string()),
        "{verdict:?}"
    );
}
