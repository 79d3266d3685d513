//! Builds a `Machine` in code, validates it, and prints it as YAML.
//!
//! ```text
//! cargo run -p vitistack-e2e --example build_machine
//! ```

use std::collections::BTreeMap;
use std::process::ExitCode;

use vitistack_types::constants::{labels, API_VERSION};
use vitistack_types::kinds::common::NamespacedName;
use vitistack_types::kinds::machine::{
    BootConfiguration, BootDevice, CloudInit, Cpu, DataVolume, Firmware, FirmwareType, ImageSource,
    MachineInterface, MachineNetworking, MachineProviderReference, MachineResources,
    MachineStorage, Memory, OperatingSystem, OsImage, OsType, RootVolume, VolumeType,
};
use vitistack_types::kinds::{Machine, MachineSpec};
use vitistack_types::Validate;

const CLUSTER: &str = "prod-cluster";
const PROVIDER: &str = "proxmox-oslo";

fn build() -> Machine {
    let spec = MachineSpec {
        provider_ref: MachineProviderReference {
            api_version: Some(API_VERSION.to_string()),
            kind: Some("MachineProvider".to_string()),
            name: PROVIDER.to_string(),
            namespace: Some("default".to_string()),
        },
        resources: Some(MachineResources {
            // threads and sockets are left to their defaults (1).
            cpu: Some(Cpu {
                cores: Some(4),
                ..Default::default()
            }),
            memory: Some(Memory {
                size: "8Gi".to_string(),
            }),
            gpu: None,
        }),
        storage: Some(MachineStorage {
            root_volume: Some(RootVolume {
                size: Some("50Gi".to_string()),
                storage_class: Some("ceph-rbd-ssd".to_string()),
                r#type: Some(VolumeType::Ssd),
            }),
            data_volumes: Some(vec![DataVolume {
                name: "etcd".to_string(),
                size: Some("20Gi".to_string()),
                storage_class: Some("ceph-rbd-ssd".to_string()),
                mount_path: Some("/var/lib/etcd".to_string()),
            }]),
        }),
        networking: Some(MachineNetworking {
            interfaces: Some(vec![MachineInterface {
                name: "eth0".to_string(),
                network_ref: Some(NamespacedName {
                    name: "prod-vlan100".to_string(),
                    namespace: Some("default".to_string()),
                }),
                ip_address: Some("10.100.0.11".to_string()),
                mac_address: Some("52:54:00:12:34:56".to_string()),
            }]),
        }),
        operating_system: Some(OperatingSystem {
            r#type: Some(OsType::Linux),
            distribution: Some("talos".to_string()),
            version: Some("1.9.5".to_string()),
            image: Some(OsImage {
                source: Some(ImageSource::Template),
                url: Some("talos-1-9".to_string()),
            }),
        }),
        boot: Some(BootConfiguration {
            order: Some(vec![BootDevice::Disk, BootDevice::Network]),
            firmware: Some(Firmware {
                r#type: Some(FirmwareType::Uefi),
                secure_boot: Some(true),
            }),
        }),
        cloud_init: Some(CloudInit {
            enabled: Some(false),
            ..Default::default()
        }),
    };

    let mut machine = Machine::new("prod-cluster-cp-01", spec);
    machine.metadata.namespace = Some("default".to_string());
    machine.metadata.labels = Some(BTreeMap::from([
        (labels::CLUSTER_NAME.to_string(), CLUSTER.to_string()),
        (
            labels::CLUSTER_ROLE.to_string(),
            labels::ROLE_CONTROL_PLANE.to_string(),
        ),
        (
            labels::CLUSTER_NODEPOOL.to_string(),
            "control-plane".to_string(),
        ),
        (labels::PROVIDER.to_string(), PROVIDER.to_string()),
    ]));
    machine
}

fn main() -> Result<ExitCode, Box<dyn std::error::Error>> {
    let machine = build();
    if let Err(errors) = machine.validate() {
        eprintln!("the machine is invalid:\n{errors}");
        return Ok(ExitCode::FAILURE);
    }
    print!("{}", serde_saphyr::to_string(&machine)?);
    Ok(ExitCode::SUCCESS)
}
