//! Machines, providers and Events as the tests create and read them (through the admin).

use k8s_openapi::api::events::v1::Event;
use kube::api::{Api, ListParams, PostParams};
use kube::Client;
use vitistack_types::kinds::common::ConditionStatus;
use vitistack_types::kinds::{Machine, MachineProvider};

/// A Machine `name` provisioned by the MachineProvider `provider`.
pub fn machine(name: &str, provider: &str) -> Machine {
    serde_json::from_value(serde_json::json!({
        "apiVersion": "vitistack.io/v1alpha1", "kind": "Machine",
        "metadata": {"name": name},
        "spec": {"providerRef": {"name": provider}}
    }))
    .expect("a Machine")
}

/// Creates the MachineProvider `name` in `namespace`.
pub async fn create_provider(admin: &Client, namespace: &str, name: &str) {
    let provider: MachineProvider = serde_json::from_value(serde_json::json!({
        "apiVersion": "vitistack.io/v1alpha1", "kind": "MachineProvider",
        "metadata": {"name": name},
        "spec": {"type": "proxmox", "endpoint": {"url": "https://pve.example.com:8006/api2/json"}}
    }))
    .expect("a MachineProvider");
    Api::<MachineProvider>::namespaced(admin.clone(), namespace)
        .create(&PostParams::default(), &provider)
        .await
        .unwrap_or_else(|e| panic!("cannot create MachineProvider {name}: {e}"));
}

/// Creates `machine` in `namespace`.
pub async fn create_machine(admin: &Client, namespace: &str, machine: &Machine) -> Machine {
    Api::<Machine>::namespaced(admin.clone(), namespace)
        .create(&PostParams::default(), machine)
        .await
        .unwrap_or_else(|e| panic!("cannot create the Machine: {e}"))
}

/// The Ready condition's status and observedGeneration, if the Machine exists and has one.
pub async fn ready_of(
    admin: &Client,
    namespace: &str,
    name: &str,
) -> Option<(ConditionStatus, i64)> {
    let machine = Api::<Machine>::namespaced(admin.clone(), namespace)
        .get_opt(name)
        .await
        .ok()??;
    let condition = machine
        .status?
        .conditions?
        .into_iter()
        .find(|c| c.r#type == "Ready")?;
    Some((condition.status, condition.observed_generation?))
}

/// Waits until the Machine is Ready=`status` for `generation`.
pub async fn wait_ready(
    admin: &Client,
    namespace: &str,
    name: &str,
    status: ConditionStatus,
    generation: i64,
) -> Machine {
    super::eventually(
        std::time::Duration::from_secs(30),
        &format!("Machine {name} Ready={status:?} for generation {generation}"),
        || async {
            let got = ready_of(admin, namespace, name).await?;
            (got == (status, generation)).then_some(())
        },
    )
    .await;
    Api::<Machine>::namespaced(admin.clone(), namespace)
        .get(name)
        .await
        .expect("the Machine")
}

/// The Events about the object `name` in `namespace`, as `(reason, note, count)`, oldest first
/// (`count` is 1, or the series count when the recorder folded repeats into one Event).
pub async fn events_of(admin: &Client, namespace: &str, name: &str) -> Vec<(String, String, i32)> {
    let mut events: Vec<Event> = Api::<Event>::namespaced(admin.clone(), namespace)
        .list(&ListParams::default())
        .await
        .unwrap_or_else(|e| panic!("cannot list Events: {e}"))
        .items
        .into_iter()
        .filter(|e| e.regarding.as_ref().and_then(|r| r.name.as_deref()) == Some(name))
        .collect();
    events.sort_by_key(|e| e.event_time.clone().map(|t| t.0));
    events
        .into_iter()
        .map(|e| {
            let count = e.series.as_ref().map_or(1, |s| s.count);
            (
                e.reason.unwrap_or_default(),
                e.note.unwrap_or_default(),
                count,
            )
        })
        .collect()
}
