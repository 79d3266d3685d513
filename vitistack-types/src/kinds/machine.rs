//! `Machine`: a virtual machine or other compute resource.

use super::common::{Condition, NamespacedName};
use crate::{CustomResource, Schema};
use serde::{Deserialize, Serialize};

/// A virtual machine or compute resource, provisioned by a MachineProvider.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Schema, CustomResource)]
#[serde(rename_all = "camelCase")]
#[crd(
    group = "vitistack.io",
    version = "v1alpha1",
    kind = "Machine",
    plural = "machines",
    namespaced,
    status = "MachineStatus",
    shortname = "m",
    category = "viti",
    printcolumn(
        name = "Phase",
        type = "string",
        json_path = ".status.phase",
        description = "Lifecycle phase"
    ),
    printcolumn(
        name = "Cores",
        type = "integer",
        json_path = ".spec.resources.cpu.cores",
        description = "CPU cores"
    ),
    printcolumn(
        name = "Memory",
        type = "string",
        json_path = ".spec.resources.memory.size",
        description = "Memory size"
    ),
    printcolumn(
        name = "Provider",
        type = "string",
        json_path = ".spec.providerRef.name",
        description = "MachineProvider name"
    ),
    printcolumn(
        name = "IP",
        type = "string",
        json_path = ".status.addresses.internal[0]",
        description = "First internal IP address"
    ),
    printcolumn(name = "Age", type = "date", json_path = ".metadata.creationTimestamp")
)]
pub struct MachineSpec {
    /// The MachineProvider that provisions this machine; immutable once set.
    #[viti(immutable)]
    pub provider_ref: MachineProviderReference,
    /// CPU, memory and GPU.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resources: Option<MachineResources>,
    /// Root and data volumes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub storage: Option<MachineStorage>,
    /// Network interfaces.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub networking: Option<MachineNetworking>,
    /// Operating system and image.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operating_system: Option<OperatingSystem>,
    /// Boot order and firmware.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub boot: Option<BootConfiguration>,
    /// Cloud-init data.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cloud_init: Option<CloudInit>,
}

/// A reference to the MachineProvider of a machine.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct MachineProviderReference {
    /// Provider API version, e.g. `vitistack.io/v1alpha1`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 316))]
    pub api_version: Option<String>,
    /// Provider kind: MachineProvider.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(one_of("MachineProvider"))]
    pub kind: Option<String>,
    /// Provider instance name.
    #[viti(rfc1123_subdomain)]
    pub name: String,
    /// Provider namespace; the machine's namespace when unset.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(rfc1123_label)]
    pub namespace: Option<String>,
}

/// CPU, memory and GPU of a machine.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct MachineResources {
    /// CPU topology.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cpu: Option<Cpu>,
    /// Memory.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memory: Option<Memory>,
    /// GPU.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gpu: Option<Gpu>,
}

/// CPU topology of a machine.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct Cpu {
    /// CPU cores (1-128, default 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(range(min = 1, max = 128), default = 1)]
    pub cores: Option<u8>,
    /// Threads per core (1-2, default 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(range(min = 1, max = 2), default = 1)]
    pub threads: Option<u8>,
    /// CPU sockets (1-4, default 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(range(min = 1, max = 4), default = 1)]
    pub sockets: Option<u8>,
}

/// Memory of a machine.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct Memory {
    /// Memory size, a Kubernetes quantity between 128Mi and 1024Gi (e.g. "4Gi", "8Gi").
    #[viti(quantity(min = "128Mi", max = "1024Gi"))]
    pub size: String,
}

/// GPU vendor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "lowercase")]
pub enum GpuType {
    /// NVIDIA.
    Nvidia,
    /// AMD.
    Amd,
    /// Intel.
    Intel,
}

/// GPUs of a machine.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct Gpu {
    /// GPU type: nvidia, amd or intel.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r#type: Option<GpuType>,
    /// GPU count (at least 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(range(min = 1))]
    pub count: Option<u32>,
    /// Specific GPU model.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 253))]
    pub model: Option<String>,
}

/// Volume type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "lowercase")]
pub enum VolumeType {
    /// Solid-state disk.
    Ssd,
    /// Hard disk.
    Hdd,
    /// NVMe disk.
    Nvme,
}

/// Storage of a machine.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct MachineStorage {
    /// The root volume.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub root_volume: Option<RootVolume>,
    /// Data volumes, keyed by name.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(list(map("name")), items(max = 64))]
    pub data_volumes: Option<Vec<DataVolume>>,
}

/// The root volume of a machine.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct RootVolume {
    /// Root volume size, a quantity between 1Gi and 100Ti; may only grow.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(quantity(min = "1Gi", max = "100Ti"), may_only_grow)]
    pub size: Option<String>,
    /// Storage class name.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(rfc1123_subdomain)]
    pub storage_class: Option<String>,
    /// Volume type: ssd, hdd or nvme.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r#type: Option<VolumeType>,
}

/// A data volume of a machine.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct DataVolume {
    /// Volume identifier, unique within the machine.
    #[viti(rfc1123_label)]
    pub name: String,
    /// Volume size, a quantity between 1Gi and 100Ti; may only grow.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(quantity(min = "1Gi", max = "100Ti"), may_only_grow)]
    pub size: Option<String>,
    /// Storage class.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(rfc1123_subdomain)]
    pub storage_class: Option<String>,
    /// Absolute mount path in the VM.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 4096), pattern = "^/")]
    pub mount_path: Option<String>,
}

/// Networking of a machine.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct MachineNetworking {
    /// Network interfaces, keyed by name; no two share a MAC address.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(list(map("name")), items(max = 32), unique_by = "macAddress")]
    pub interfaces: Option<Vec<MachineInterface>>,
}

/// A network interface of a machine.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct MachineInterface {
    /// Interface name, unique within the machine.
    #[viti(length(min = 1, max = 63))]
    pub name: String,
    /// The NetworkConfiguration this interface attaches to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub network_ref: Option<NamespacedName>,
    /// Static IP address (optional).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(ip)]
    pub ip_address: Option<String>,
    /// MAC address (optional).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(mac)]
    pub mac_address: Option<String>,
}

/// Operating system family.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "lowercase")]
pub enum OsType {
    /// Linux.
    Linux,
    /// Windows.
    Windows,
    /// FreeBSD.
    Freebsd,
}

/// Where the OS image comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "kebab-case")]
pub enum ImageSource {
    /// An ISO image.
    Iso,
    /// A provider template.
    Template,
    /// A cloud image.
    CloudImage,
}

/// The OS image.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct OsImage {
    /// Image source: iso, template or cloud-image.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<ImageSource>,
    /// Image URL or template name.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 2048))]
    pub url: Option<String>,
}

/// Operating system of a machine.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct OperatingSystem {
    /// OS type: linux, windows or freebsd; immutable once set.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(immutable)]
    pub r#type: Option<OsType>,
    /// Distribution, e.g. ubuntu, centos, windows-server.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 63))]
    pub distribution: Option<String>,
    /// OS version.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 63))]
    pub version: Option<String>,
    /// The image to install from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<OsImage>,
}

/// A boot device.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "lowercase")]
pub enum BootDevice {
    /// Local disk.
    Disk,
    /// Network (PXE).
    Network,
    /// CD-ROM.
    Cdrom,
}

/// Firmware type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "lowercase")]
pub enum FirmwareType {
    /// Legacy BIOS.
    Bios,
    /// UEFI.
    Uefi,
}

/// Firmware of a machine.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
#[viti(rule(
    when = "secureBoot == true",
    then = "type == 'uefi'",
    message = "secureBoot requires firmware type uefi",
    field_path = ".secureBoot"
))]
pub struct Firmware {
    /// Firmware: bios or uefi.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r#type: Option<FirmwareType>,
    /// Enable secure boot (requires uefi).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secure_boot: Option<bool>,
}

/// Boot configuration of a machine.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct BootConfiguration {
    /// Boot order: disk, network, cdrom, no repeats.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(list(set), items(max = 3))]
    pub order: Option<Vec<BootDevice>>,
    /// Firmware.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub firmware: Option<Firmware>,
}

/// Cloud-init configuration.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct CloudInit {
    /// Enable cloud-init.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Cloud-init user data.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_data: Option<String>,
    /// Cloud-init metadata.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meta_data: Option<String>,
    /// Cloud-init network data.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub network_data: Option<String>,
}

/// Machine lifecycle phase.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Schema)]
pub enum MachinePhase {
    /// Accepted, not yet provisioned.
    Pending,
    /// Being provisioned.
    Provisioning,
    /// Running.
    Running,
    /// Stopped.
    Stopped,
    /// Provisioning or running failed.
    Failed,
    /// Being deleted.
    Terminating,
}

/// Status of one network interface.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct InterfaceStatus {
    /// Interface name.
    #[viti(length(max = 63))]
    pub name: String,
    /// MAC address in use.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(mac)]
    pub mac_address: Option<String>,
    /// IP addresses assigned.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(items(max = 32), each(ip))]
    pub ip_addresses: Option<Vec<String>>,
    /// Whether the link is up.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ready: Option<bool>,
}

/// Network status of a machine.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct NetworkStatus {
    /// Status of each interface.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(list(map("name")), items(max = 32))]
    pub interfaces: Option<Vec<InterfaceStatus>>,
}

/// Addresses of a machine.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct MachineAddresses {
    /// Internal IP addresses.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(items(max = 64), each(ip))]
    pub internal: Option<Vec<String>>,
    /// External IP addresses.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(items(max = 64), each(ip))]
    pub external: Option<Vec<String>>,
}

/// Observed state of a machine.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct MachineStatus {
    /// Machine lifecycle phase.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phase: Option<MachinePhase>,
    /// Detailed conditions, keyed by type.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(list(map("type")))]
    pub conditions: Option<Vec<Condition>>,
    /// Provider-specific status, kept as is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider_status: Option<serde_json::Map<String, serde_json::Value>>,
    /// Network status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub network_status: Option<NetworkStatus>,
    /// IP addresses.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub addresses: Option<MachineAddresses>,
}
