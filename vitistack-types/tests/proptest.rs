//! Property tests over generated *valid* objects.
//!
//! For each of the ten kinds, with a strategy below (every field's range, enum, format, list uniqueness and
//! cross-field rule respected):
//!
//! * typed → JSON text → typed, typed → YAML text → typed and typed → unstructured
//!   (`DynamicObject`) → typed give back the same object, and the unstructured JSON equals the
//!   typed JSON;
//! * `validate()` and the strict schema walk (`check_value` with `strict: true`) find nothing;
//! * pushing one constrained field (picked at random from a per-kind table) out of its range
//!   makes the strict walk report exactly that field path (the apiserver's "some validation
//!   rules were not checked" notice, which has no path, aside).
//!
//! Case counts are kept modest so `make test` stays fast; `PROPTEST_CASES=10000` runs more.

use proptest::collection::{btree_map, btree_set, vec};
use proptest::option;
use proptest::prelude::*;
use proptest::sample::Index;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Map, Value};
use std::collections::BTreeSet;
use std::fmt::Debug;
use std::net::{Ipv4Addr, Ipv6Addr};

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use vitistack_types::crd::CustomResourceKind;
use vitistack_types::kinds::common::{
    Condition, ConditionStatus, DnsConfiguration, NamespacedName, ResourceQuota, SecretReference,
};
use vitistack_types::kinds::kubernetes_cluster::*;
use vitistack_types::kinds::kubernetes_provider::*;
use vitistack_types::kinds::kubevirt_config::*;
use vitistack_types::kinds::load_balancer::*;
use vitistack_types::kinds::machine::*;
use vitistack_types::kinds::machine_provider::*;
use vitistack_types::kinds::network_configuration::*;
use vitistack_types::kinds::network_namespace::*;
use vitistack_types::kinds::proxmox_config::*;
use vitistack_types::kinds::vitistack::*;
use vitistack_types::kinds::{
    KubernetesCluster, KubernetesProvider, KubevirtConfig, LoadBalancer, Machine, MachineProvider,
    NetworkConfiguration, NetworkNamespace, ProxmoxConfig, Vitistack,
};
use vitistack_types::unstructured::{from_unstructured, to_unstructured};
use vitistack_types::validate::{check_value, Options, CEL_SKIPPED};
use vitistack_types::Validate;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(256),
        // Failures print the minimal input; no regression files appear in the source tree.
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// An object of `$kind` from strategies for its spec and (optional) status.
macro_rules! object {
    ($kind:ident, $spec:expr, $status:expr) => {
        (metadata(), $spec, option::of($status)).prop_map(|(metadata, spec, status)| $kind {
            metadata,
            spec,
            status,
        })
    };
}

// ---------------------------------------------------------------------------------------------
// Building blocks: strings of each format.

fn label() -> impl Strategy<Value = String> {
    "[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?"
}

fn subdomain() -> impl Strategy<Value = String> {
    vec(label(), 1..4).prop_map(|labels| labels.join("."))
}

/// Free text: any non-control characters (multi-byte ones included, so length limits are
/// checked in characters, not bytes).
fn text(max: usize) -> impl Strategy<Value = String> {
    proptest::string::string_regex(&format!("\\PC{{0,{max}}}")).expect("valid regex")
}

fn ipv4() -> impl Strategy<Value = Ipv4Addr> {
    any::<[u8; 4]>().prop_map(Ipv4Addr::from)
}

fn ipv6() -> impl Strategy<Value = Ipv6Addr> {
    // CEL's isIP rejects IPv4-mapped IPv6 addresses.
    any::<u128>()
        .prop_map(Ipv6Addr::from)
        .prop_filter("IPv4-mapped", |ip| ip.to_ipv4_mapped().is_none())
}

fn ip() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => ipv4().prop_map(|ip| ip.to_string()),
        1 => ipv6().prop_map(|ip| ip.to_string()),
    ]
}

/// A canonical CIDR (no host bits), IPv4 or IPv6.
fn cidr() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => (ipv4(), 0u32..=32).prop_map(|(ip, len)| {
            let mask = u32::MAX.checked_shl(32 - len).unwrap_or(0);
            format!("{}/{len}", Ipv4Addr::from(u32::from(ip) & mask))
        }),
        1 => (any::<u128>(), 0u32..=128).prop_map(|(ip, len)| {
            let mask = u128::MAX.checked_shl(128 - len).unwrap_or(0);
            format!("{}/{len}", Ipv6Addr::from(ip & mask))
        }),
    ]
    .prop_filter("IPv4-mapped", |c| !c.starts_with("::ffff:"))
}

fn mac(bytes: [u8; 6]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(":")
}

fn any_mac() -> impl Strategy<Value = String> {
    any::<[u8; 6]>().prop_map(mac)
}

fn date_time() -> impl Strategy<Value = String> {
    (
        1970u32..2100,
        1u32..=12,
        1u32..=28,
        0u32..24,
        0u32..60,
        0u32..60,
    )
        .prop_map(|(y, mo, d, h, mi, s)| format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z"))
}

fn duration() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("0".to_string()),
        vec(
            (
                1u32..1000,
                prop::sample::select(vec!["ns", "us", "ms", "s", "m", "h"])
            ),
            1..4
        )
        .prop_map(|parts| parts.iter().map(|(n, u)| format!("{n}{u}")).collect()),
    ]
}

fn port_range() -> impl Strategy<Value = String> {
    prop_oneof![
        (1u32..=65535).prop_map(|p| p.to_string()),
        (1u32..=65535, 1u32..=65535).prop_map(|(a, b)| format!("{}-{}", a.min(b), a.max(b))),
    ]
}

fn http_url() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec!["http", "https"]),
        subdomain(),
        option::of(1u32..=65535),
        "(/[a-z0-9]{1,8}){0,3}",
    )
        .prop_map(|(scheme, host, port, path)| match port {
            Some(port) => format!("{scheme}://{host}:{port}{path}"),
            None => format!("{scheme}://{host}{path}"),
        })
}

/// A quantity `>= 0` in any of the suffix styles.
fn quantity() -> impl Strategy<Value = String> {
    (
        0u64..1_000_000,
        option::of(0u32..1000),
        prop::sample::select(vec!["", "m", "k", "M", "G", "Ki", "Mi", "Gi", "Ti"]),
    )
        .prop_map(|(n, frac, suffix)| match frac {
            Some(f) => format!("{n}.{f}{suffix}"),
            None => format!("{n}{suffix}"),
        })
}

/// A memory size in [128Mi, 1024Gi].
fn memory_size() -> impl Strategy<Value = String> {
    prop_oneof![
        (128u64..=1024 * 1024).prop_map(|n| format!("{n}Mi")),
        (1u64..=1024).prop_map(|n| format!("{n}Gi")),
        (128u64 << 20..=1024u64 << 30).prop_map(|n| n.to_string()),
    ]
}

/// A volume size in [1Gi, 100Ti].
fn volume_size() -> impl Strategy<Value = String> {
    prop_oneof![
        (1u64..=100 * 1024).prop_map(|n| format!("{n}Gi")),
        (1u64..=100).prop_map(|n| format!("{n}Ti")),
        (1024u64..=100 * 1024 * 1024).prop_map(|n| format!("{n}Mi")),
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    // No floats: serde_json without `float_roundtrip` may read a float back one ulp off.
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        text(12).prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..4).prop_map(Value::Array),
            btree_map("[a-zA-Z]{1,8}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn json_map() -> impl Strategy<Value = Map<String, Value>> {
    btree_map("[a-zA-Z][a-zA-Z0-9.-]{0,10}", json_value(), 0..4)
        .prop_map(|m| m.into_iter().collect())
}

fn metadata() -> impl Strategy<Value = ObjectMeta> {
    let key =
        "([a-z0-9]{1,8}(\\.[a-z0-9]{1,8}){0,2}/)?[a-zA-Z0-9]([a-zA-Z0-9_.-]{0,10}[a-zA-Z0-9])?";
    (
        label(),
        option::of(label()),
        option::of(btree_map(key, "[a-zA-Z0-9]{0,12}", 0..3)),
        option::of(btree_map(key, text(40), 0..3)),
        option::of(1i64..1000),
    )
        .prop_map(
            |(name, namespace, labels, annotations, generation)| ObjectMeta {
                name: Some(name),
                namespace,
                labels,
                annotations,
                generation,
                ..ObjectMeta::default()
            },
        )
}

fn conditions() -> impl Strategy<Value = Vec<Condition>> {
    let status = prop_oneof![
        Just(ConditionStatus::True),
        Just(ConditionStatus::False),
        Just(ConditionStatus::Unknown),
    ];
    // Keyed by type: no two conditions share one.
    btree_map(
        "[A-Z][A-Za-z]{0,20}",
        (
            status,
            option::of("[A-Z][A-Za-z]{0,30}"),
            option::of(text(60)),
            option::of(date_time()),
            option::of(0i64..=i64::MAX),
        ),
        0..4,
    )
    .prop_map(|m| {
        m.into_iter()
            .map(
                |(r#type, (status, reason, message, time, generation))| Condition {
                    r#type,
                    status,
                    reason,
                    message,
                    last_transition_time: time,
                    observed_generation: generation,
                },
            )
            .collect()
    })
}

fn ips(max: usize) -> impl Strategy<Value = Vec<String>> {
    vec(ip(), 0..max)
}

fn dns() -> impl Strategy<Value = DnsConfiguration> {
    (option::of(ips(4)), option::of(vec(subdomain(), 0..4))).prop_map(
        |(servers, search_domains)| DnsConfiguration {
            servers,
            search_domains,
        },
    )
}

fn secret_ref() -> impl Strategy<Value = SecretReference> {
    (subdomain(), option::of(label()), option::of(text(40))).prop_map(|(name, namespace, key)| {
        SecretReference {
            name,
            namespace,
            key,
        }
    })
}

/// Vectors of distinct elements, in random order.
fn distinct<T: Clone + Debug>(all: Vec<T>) -> impl Strategy<Value = Vec<T>> {
    let n = all.len();
    (Just(all).prop_shuffle(), 0..=n).prop_map(|(v, k)| v[..k].to_vec())
}

// ---------------------------------------------------------------------------------------------
// Machine.

fn machine_resources() -> impl Strategy<Value = MachineResources> {
    let cpu = (
        option::of(1u8..=128),
        option::of(1u8..=2),
        option::of(1u8..=4),
    )
        .prop_map(|(cores, threads, sockets)| Cpu {
            cores,
            threads,
            sockets,
        });
    let gpu_type = prop_oneof![
        Just(GpuType::Nvidia),
        Just(GpuType::Amd),
        Just(GpuType::Intel)
    ];
    let gpu = (
        option::of(gpu_type),
        option::of(1u32..=u32::MAX),
        option::of(text(253)),
    )
        .prop_map(|(r#type, count, model)| Gpu {
            r#type,
            count,
            model,
        });
    (
        option::of(cpu),
        option::of(memory_size().prop_map(|size| Memory { size })),
        option::of(gpu),
    )
        .prop_map(|(cpu, memory, gpu)| MachineResources { cpu, memory, gpu })
}

fn machine_spec() -> impl Strategy<Value = MachineSpec> {
    let provider_ref = (
        option::of(Just("vitistack.io/v1alpha1".to_string())),
        option::of(Just("MachineProvider".to_string())),
        subdomain(),
        option::of(label()),
    )
        .prop_map(
            |(api_version, kind, name, namespace)| MachineProviderReference {
                api_version,
                kind,
                name,
                namespace,
            },
        );
    let volume_type = prop_oneof![
        Just(VolumeType::Ssd),
        Just(VolumeType::Hdd),
        Just(VolumeType::Nvme)
    ];
    let root = (
        option::of(volume_size()),
        option::of(subdomain()),
        option::of(volume_type),
    )
        .prop_map(|(size, storage_class, r#type)| RootVolume {
            size,
            storage_class,
            r#type,
        });
    let data_volumes = btree_map(
        label(),
        (
            option::of(volume_size()),
            option::of(subdomain()),
            option::of("/[a-z0-9/_.-]{0,40}"),
        ),
        0..5,
    )
    .prop_map(|m| {
        m.into_iter()
            .map(|(name, (size, storage_class, mount_path))| DataVolume {
                name,
                size,
                storage_class,
                mount_path,
            })
            .collect::<Vec<_>>()
    });
    let storage =
        (option::of(root), option::of(data_volumes)).prop_map(|(root_volume, data_volumes)| {
            MachineStorage {
                root_volume,
                data_volumes,
            }
        });
    // Interfaces keyed by name; MACs distinct (the last byte is the interface's index).
    let interfaces = btree_map(
        "[a-z][a-z0-9]{0,14}",
        (
            option::of((subdomain(), option::of(label()))),
            option::of(ip()),
            option::of(any::<[u8; 5]>()),
        ),
        0..5,
    )
    .prop_map(|m| {
        m.into_iter()
            .enumerate()
            .map(
                |(i, (name, (network, ip_address, mac_prefix)))| MachineInterface {
                    name,
                    network_ref: network
                        .map(|(name, namespace)| NamespacedName { name, namespace }),
                    ip_address,
                    mac_address: mac_prefix.map(|p| mac([p[0], p[1], p[2], p[3], p[4], i as u8])),
                },
            )
            .collect::<Vec<_>>()
    });
    let networking = option::of(interfaces).prop_map(|interfaces| MachineNetworking { interfaces });
    let os_type = prop_oneof![
        Just(OsType::Linux),
        Just(OsType::Windows),
        Just(OsType::Freebsd)
    ];
    let source = prop_oneof![
        Just(ImageSource::Iso),
        Just(ImageSource::Template),
        Just(ImageSource::CloudImage)
    ];
    let image = (option::of(source), option::of(text(200)))
        .prop_map(|(source, url)| OsImage { source, url });
    let os = (
        option::of(os_type),
        option::of(text(63)),
        option::of(text(63)),
        option::of(image),
    )
        .prop_map(|(r#type, distribution, version, image)| OperatingSystem {
            r#type,
            distribution,
            version,
            image,
        });
    let firmware_type = prop_oneof![Just(FirmwareType::Bios), Just(FirmwareType::Uefi)];
    let firmware =
        (option::of(firmware_type), option::of(any::<bool>())).prop_map(|(r#type, secure_boot)| {
            Firmware {
                // secureBoot requires uefi.
                r#type: if secure_boot == Some(true) {
                    Some(FirmwareType::Uefi)
                } else {
                    r#type
                },
                secure_boot,
            }
        });
    let order = distinct(vec![
        BootDevice::Disk,
        BootDevice::Network,
        BootDevice::Cdrom,
    ]);
    let boot = (option::of(order), option::of(firmware))
        .prop_map(|(order, firmware)| BootConfiguration { order, firmware });
    let cloud_init = (
        option::of(any::<bool>()),
        option::of(text(200)),
        option::of(text(50)),
        option::of(text(50)),
    )
        .prop_map(|(enabled, user_data, meta_data, network_data)| CloudInit {
            enabled,
            user_data,
            meta_data,
            network_data,
        });
    (
        provider_ref,
        option::of(machine_resources()),
        option::of(storage),
        option::of(networking),
        option::of(os),
        option::of(boot),
        option::of(cloud_init),
    )
        .prop_map(
            |(provider_ref, resources, storage, networking, operating_system, boot, cloud_init)| {
                MachineSpec {
                    provider_ref,
                    resources,
                    storage,
                    networking,
                    operating_system,
                    boot,
                    cloud_init,
                }
            },
        )
}

fn machine_status() -> impl Strategy<Value = MachineStatus> {
    let phase = prop_oneof![
        Just(MachinePhase::Pending),
        Just(MachinePhase::Provisioning),
        Just(MachinePhase::Running),
        Just(MachinePhase::Stopped),
        Just(MachinePhase::Failed),
        Just(MachinePhase::Terminating),
    ];
    let interfaces = btree_map(
        "[a-z][a-z0-9]{0,14}",
        (
            option::of(any_mac()),
            option::of(ips(4)),
            option::of(any::<bool>()),
        ),
        0..4,
    )
    .prop_map(|m| {
        m.into_iter()
            .map(
                |(name, (mac_address, ip_addresses, ready))| InterfaceStatus {
                    name,
                    mac_address,
                    ip_addresses,
                    ready,
                },
            )
            .collect::<Vec<_>>()
    });
    let addresses = (option::of(ips(4)), option::of(ips(4)))
        .prop_map(|(internal, external)| MachineAddresses { internal, external });
    (
        option::of(phase),
        option::of(conditions()),
        option::of(json_map()),
        option::of(option::of(interfaces).prop_map(|interfaces| NetworkStatus { interfaces })),
        option::of(addresses),
    )
        .prop_map(
            |(phase, conditions, provider_status, network_status, addresses)| MachineStatus {
                phase,
                conditions,
                provider_status,
                network_status,
                addresses,
            },
        )
}

fn machine() -> impl Strategy<Value = Machine> {
    (metadata(), machine_spec(), option::of(machine_status())).prop_map(
        |(metadata, spec, status)| Machine {
            metadata,
            spec,
            status,
        },
    )
}

// ---------------------------------------------------------------------------------------------
// NetworkConfiguration: every address inside the /24 subnet, poolStart <= poolEnd, DHCP only
// with kea, no port for icmp.

fn in_subnet(a: u8, b: u8, host: u8) -> String {
    Ipv4Addr::new(10, a, b, host).to_string()
}

fn network_configuration_spec() -> impl Strategy<Value = NetworkConfigurationSpec> {
    let ipam_type = prop_oneof![
        Just(NetworkIpamType::Static),
        Just(NetworkIpamType::Dhcp),
        Just(NetworkIpamType::Kea)
    ];
    let ipam = (
        ipam_type,
        any::<bool>(),
        option::of(1u8..=254),
        option::of(dns()),
    );
    let reservations = btree_map(any::<[u8; 6]>(), (1u8..=254, option::of(subdomain())), 0..5);
    let dhcp = (
        option::of(any::<bool>()),
        option::of((1u8..=254, 1u8..=254)),
        option::of(duration()),
        option::of(reservations),
    );
    let direction = prop_oneof![Just(Direction::Ingress), Just(Direction::Egress)];
    let protocol = prop_oneof![
        Just(Protocol::Tcp),
        Just(Protocol::Udp),
        Just(Protocol::Icmp)
    ];
    let action = prop_oneof![Just(FirewallAction::Allow), Just(FirewallAction::Deny)];
    let ip_or_cidr = prop_oneof![ip(), cidr()];
    let rule = (
        direction,
        protocol,
        option::of(port_range()),
        option::of(ip_or_cidr.clone()),
        option::of(ip_or_cidr),
        action,
    )
        .prop_map(
            |(direction, protocol, port, source, destination, action)| FirewallRule {
                direction,
                protocol,
                port: if protocol == Protocol::Icmp {
                    None
                } else {
                    port
                },
                source,
                destination,
                action,
            },
        );
    let security = (option::of(any::<bool>()), option::of(vec(rule, 0..5))).prop_map(
        |(isolation, firewall_rules)| NetworkSecurity {
            isolation,
            firewall_rules,
        },
    );
    (
        label(),
        option::of(1u16..=4094),
        option::of("[a-z0-9]{1,15}"),
        option::of(68u16..=9216),
        (any::<u8>(), any::<u8>()),
        option::of(ipam),
        option::of(dhcp),
        option::of(security),
    )
        .prop_map(
            |(network_id, vlan, bridge, mtu, (a, b), ipam, dhcp, security)| {
                let dhcp_enabled = dhcp
                    .as_ref()
                    .is_some_and(|(enabled, ..)| *enabled == Some(true));
                let ipam = match (ipam, dhcp_enabled) {
                    (Some((ty, with_subnet, gateway, dns)), _) => {
                        let ty = if dhcp_enabled {
                            NetworkIpamType::Kea
                        } else {
                            ty
                        };
                        // static and kea need a subnet; dhcp may leave it out.
                        let subnet = ty != NetworkIpamType::Dhcp || with_subnet;
                        Some(NetworkIpam {
                            r#type: ty,
                            subnet: subnet.then(|| format!("10.{a}.{b}.0/24")),
                            gateway: gateway.filter(|_| subnet).map(|h| in_subnet(a, b, h)),
                            dns,
                        })
                    }
                    (None, true) => Some(NetworkIpam {
                        r#type: NetworkIpamType::Kea,
                        subnet: Some(format!("10.{a}.{b}.0/24")),
                        gateway: None,
                        dns: None,
                    }),
                    (None, false) => None,
                };
                let dhcp = dhcp.map(|(enabled, pool, lease_time, reservations)| {
                    let pool = pool.map(|(x, y)| (x.min(y), x.max(y)));
                    DhcpConfiguration {
                        enabled,
                        pool_start: pool.map(|(s, _)| in_subnet(a, b, s)),
                        pool_end: pool.map(|(_, e)| in_subnet(a, b, e)),
                        lease_time,
                        reservations: reservations.map(|r| {
                            r.into_iter()
                                .map(|(m, (host, hostname))| DhcpReservation {
                                    mac_address: mac(m),
                                    ip_address: in_subnet(a, b, host),
                                    hostname,
                                })
                                .collect()
                        }),
                    }
                });
                NetworkConfigurationSpec {
                    network_id,
                    vlan,
                    bridge,
                    mtu,
                    ipam,
                    dhcp,
                    security,
                }
            },
        )
}

fn network_configuration() -> impl Strategy<Value = NetworkConfiguration> {
    let status = (
        option::of(any::<bool>()),
        option::of(ips(5)),
        option::of(vec(text(253), 0..4)),
    )
        .prop_map(
            |(ready, allocated_ips, connected_machines)| NetworkConfigurationStatus {
                ready,
                allocated_ips,
                connected_machines,
            },
        );
    (metadata(), network_configuration_spec(), option::of(status)).prop_map(
        |(metadata, spec, status)| NetworkConfiguration {
            metadata,
            spec,
            status,
        },
    )
}

// ---------------------------------------------------------------------------------------------
// LoadBalancer.

fn method() -> impl Strategy<Value = LoadBalancingMethod> {
    prop_oneof![
        Just(LoadBalancingMethod::RoundRobin),
        Just(LoadBalancingMethod::LeastSession),
        Just(LoadBalancingMethod::FirstAlive),
    ]
}

fn load_balancer() -> impl Strategy<Value = LoadBalancer> {
    let identifier = "[A-Za-z0-9_-]{2,32}";
    let spec = (
        identifier,
        identifier,
        identifier,
        text(62).prop_map(|t| format!("p{t}")),
        option::of(method()),
        btree_set(ip(), 1..8),
    )
        .prop_map(
            |(datacenter, supervisor, cluster, provider, method, members)| LoadBalancerSpec {
                datacenter_identifier: datacenter,
                supervisor_identifier: supervisor,
                cluster_identifier: cluster,
                provider,
                method,
                // A set: distinct members, in any order.
                pool_members: members.into_iter().rev().collect(),
            },
        );
    let status = (
        option::of(conditions()),
        option::of(text(63)),
        option::of(text(200)),
        option::of(date_time()),
        option::of(ips(3)),
        option::of(method()),
        option::of(ips(4)),
    )
        .prop_map(
            |(conditions, phase, message, created, load_balancer_ips, method, pool_members)| {
                LoadBalancerStatus {
                    conditions,
                    phase,
                    message,
                    created,
                    load_balancer_ips,
                    method,
                    pool_members,
                }
            },
        );
    object!(LoadBalancer, spec, status)
}

// ---------------------------------------------------------------------------------------------
// KubernetesProvider: odd control-plane replicas, distinct worker names, disjoint pod and
// service CIDRs.

fn cidr_range(cidr: &str) -> Option<(u128, u128, bool)> {
    let (ip, len) = cidr.split_once('/')?;
    let len: u32 = len.parse().ok()?;
    if let Ok(v4) = ip.parse::<Ipv4Addr>() {
        let start = u32::from(v4) as u128;
        let size = 1u128 << (32 - len);
        return Some((start, start + size - 1, true));
    }
    let v6: Ipv6Addr = ip.parse().ok()?;
    let start = u128::from(v6);
    Some((
        start,
        start | u128::MAX.checked_shr(len).unwrap_or(0),
        false,
    ))
}

fn overlap(a: &str, b: &str) -> bool {
    match (cidr_range(a), cidr_range(b)) {
        (Some((s1, e1, v4a)), Some((s2, e2, v4b))) => v4a == v4b && s1 <= e2 && s2 <= e1,
        _ => true,
    }
}

fn node_template() -> impl Strategy<Value = NodeMachineTemplate> {
    option::of(machine_resources()).prop_map(|resources| NodeMachineTemplate { resources })
}

/// Control-plane replicas are odd, 1-7.
fn control_plane() -> impl Strategy<Value = ControlPlane> {
    (
        option::of(prop::sample::select(vec![1u8, 3, 5, 7])),
        option::of(node_template()),
    )
        .prop_map(|(replicas, machine_template)| ControlPlane {
            replicas,
            machine_template,
        })
}

/// Pod and service CIDRs that do not overlap.
fn cluster_networking() -> impl Strategy<Value = ClusterNetworking> {
    (
        option::of(cidr()),
        option::of(cidr()),
        option::of(subdomain()),
    )
        .prop_map(|(pod_cidr, service_cidr, dns_domain)| {
            let service_cidr = match (&pod_cidr, service_cidr) {
                (Some(pod), Some(service)) if overlap(pod, &service) => None,
                (_, service) => service,
            };
            ClusterNetworking {
                pod_cidr,
                service_cidr,
                dns_domain,
            }
        })
}

fn kubernetes_provider() -> impl Strategy<Value = KubernetesProvider> {
    let provider_type = prop_oneof![
        Just(KubernetesProviderType::Talos),
        Just(KubernetesProviderType::Kubeadm),
        Just(KubernetesProviderType::K3s),
    ];
    let cni_type = prop_oneof![
        Just(CniType::Calico),
        Just(CniType::Flannel),
        Just(CniType::Cilium)
    ];
    let cni = (option::of(cni_type), option::of(json_map()))
        .prop_map(|(r#type, config)| Cni { r#type, config });
    let control_plane = control_plane();
    let workers = btree_map(
        label(),
        (option::of(0i32..=i32::MAX), option::of(node_template())),
        0..4,
    )
    .prop_map(|m| {
        m.into_iter()
            .map(|(name, (replicas, machine_template))| WorkerGroup {
                name,
                replicas,
                machine_template,
            })
            .collect::<Vec<_>>()
    });
    let template = (
        option::of("v?[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}"),
        option::of(cni),
        option::of(control_plane),
        option::of(workers),
    )
        .prop_map(
            |(kubernetes_version, cni, control_plane, workers)| ClusterTemplate {
                kubernetes_version,
                cni,
                control_plane,
                workers,
            },
        );
    let networking = cluster_networking();
    let ingress_type = prop_oneof![
        Just(IngressType::Nginx),
        Just(IngressType::Traefik),
        Just(IngressType::Istio)
    ];
    let addons = (
        option::of(
            (option::of(any::<bool>()), option::of(json_map()))
                .prop_map(|(enabled, config)| DnsAddon { enabled, config }),
        ),
        option::of(
            (option::of(any::<bool>()), option::of(ingress_type))
                .prop_map(|(enabled, r#type)| IngressAddon { enabled, r#type }),
        ),
        option::of(
            (option::of(any::<bool>()), option::of(subdomain())).prop_map(
                |(enabled, default_class)| StorageAddon {
                    enabled,
                    default_class,
                },
            ),
        ),
    )
        .prop_map(|(dns, ingress, storage)| Addons {
            dns,
            ingress,
            storage,
        });
    let spec = (
        provider_type,
        option::of(template),
        option::of(networking),
        option::of(addons),
    )
        .prop_map(
            |(r#type, cluster_template, networking, addons)| KubernetesProviderSpec {
                r#type,
                cluster_template,
                networking,
                addons,
            },
        );
    let status = (
        option::of(any::<bool>()),
        option::of(vec(text(32), 0..4)),
        option::of(0i64..=i64::MAX),
    )
        .prop_map(
            |(ready, supported_versions, active_clusters)| KubernetesProviderStatus {
                ready,
                supported_versions,
                active_clusters,
            },
        );
    object!(KubernetesProvider, spec, status)
}

// ---------------------------------------------------------------------------------------------
// NetworkNamespace.

fn network_namespace() -> impl Strategy<Value = NetworkNamespace> {
    let level = prop_oneof![
        Just(IsolationLevel::Strict),
        Just(IsolationLevel::Moderate),
        Just(IsolationLevel::None)
    ];
    let isolation =
        (option::of(level), option::of(btree_set(label(), 0..5))).prop_map(|(level, allowed)| {
            Isolation {
                level,
                allowed_namespaces: allowed.map(|s| s.into_iter().collect()),
            }
        });
    let action = || prop_oneof![Just(PolicyAction::Allow), Just(PolicyAction::Deny)];
    let policy = (option::of(action()), option::of(action()))
        .prop_map(|(ingress, egress)| DefaultPolicy { ingress, egress });
    let limits = (
        option::of(0i64..=i64::MAX),
        option::of(0i64..=i64::MAX),
        option::of("[0-9]{1,6}(\\.[0-9]{1,3})?[KMGT]?bps"),
    )
        .prop_map(|(networks, ip_addresses, bandwidth)| NetworkLimits {
            networks,
            ip_addresses,
            bandwidth,
        });
    let class = prop_oneof![
        Just(QosClass::Guaranteed),
        Just(QosClass::Burstable),
        Just(QosClass::BestEffort)
    ];
    let qos = (option::of(class), option::of(any::<u8>()))
        .prop_map(|(class, priority)| Qos { class, priority });
    let spec = (
        option::of(isolation),
        option::of(policy),
        option::of(limits),
        option::of(qos),
    )
        .prop_map(
            |(isolation, default_policy, limits, qos)| NetworkNamespaceSpec {
                isolation,
                default_policy,
                limits,
                qos,
            },
        );
    let phase = prop_oneof![
        Just(NetworkNamespacePhase::Active),
        Just(NetworkNamespacePhase::Terminating)
    ];
    let status = (
        option::of(phase),
        option::of(0i64..=i64::MAX),
        option::of(0i64..=i64::MAX),
    )
        .prop_map(
            |(phase, network_count, ip_address_count)| NetworkNamespaceStatus {
                phase,
                network_count,
                ip_address_count,
            },
        );
    object!(NetworkNamespace, spec, status)
}

// ---------------------------------------------------------------------------------------------
// MachineProvider: config.proxmox only with type proxmox, config.kubevirt only with kubevirt.

/// A provider template's resources: cpu 1-128, memory 128Mi-1024Gi, storage 1Gi-100Ti.
fn template_resources() -> impl Strategy<Value = TemplateResources> {
    (
        option::of(1u8..=128),
        option::of(memory_size()),
        option::of(volume_size()),
    )
        .prop_map(|(cpu, memory, storage)| TemplateResources {
            cpu,
            memory,
            storage,
        })
}

fn machine_provider() -> impl Strategy<Value = MachineProvider> {
    let provider_type = prop_oneof![
        Just(MachineProviderType::Proxmox),
        Just(MachineProviderType::Kubevirt),
        Just(MachineProviderType::Vmware),
    ];
    let endpoint = (
        http_url(),
        option::of(any::<bool>()),
        option::of(duration()),
    )
        .prop_map(
            |(url, insecure_skip_tls_verify, timeout)| ProviderEndpoint {
                url,
                insecure_skip_tls_verify,
                timeout,
            },
        );
    let auth_type = prop_oneof![
        Just(AuthenticationType::Password),
        Just(AuthenticationType::Token),
        Just(AuthenticationType::Certificate),
    ];
    let credentials = (option::of(auth_type), secret_ref())
        .prop_map(|(r#type, secret_ref)| ProviderAuthentication { r#type, secret_ref });
    let proxmox = (
        option::of(label()),
        option::of(text(253)),
        option::of("[a-z0-9]{1,15}"),
    )
        .prop_map(|(node, storage, network_bridge)| ProxmoxProviderConfig {
            node,
            storage,
            network_bridge,
        });
    let kubevirt = (option::of(subdomain()), option::of(text(253))).prop_map(
        |(storage_class, network_policy)| KubevirtProviderConfig {
            storage_class,
            network_policy,
        },
    );
    let templates = btree_map(label(), option::of(template_resources()), 0..4).prop_map(|m| {
        m.into_iter()
            .map(|(name, resources)| MachineTemplate { name, resources })
            .collect::<Vec<_>>()
    });
    let reserved = (
        option::of(0i64..=i64::MAX),
        option::of(quantity()),
        option::of(quantity()),
    )
        .prop_map(|(cpu, memory, storage)| ResourceQuota {
            cpu,
            memory,
            storage,
        });
    let capacity = (option::of(0i64..=i64::MAX), option::of(reserved)).prop_map(
        |(max_machines, reserved_resources)| ProviderCapacity {
            max_machines,
            reserved_resources,
        },
    );
    let spec = (
        provider_type,
        endpoint,
        option::of(credentials),
        option::of((option::of(proxmox), option::of(kubevirt))),
        option::of(templates),
        option::of(capacity),
    )
        .prop_map(
            |(r#type, endpoint, credentials, config, templates, capacity)| {
                let config = config.map(|(proxmox, kubevirt)| ProviderConfig {
                    proxmox: proxmox.filter(|_| r#type == MachineProviderType::Proxmox),
                    kubevirt: kubevirt.filter(|_| r#type == MachineProviderType::Kubevirt),
                });
                MachineProviderSpec {
                    r#type,
                    endpoint,
                    credentials,
                    config,
                    templates,
                    capacity,
                }
            },
        );
    let status =
        (option::of(any::<bool>()), option::of(0i64..=i64::MAX)).prop_map(|(ready, machines)| {
            MachineProviderStatus {
                ready,
                capacity: None,
                machines,
            }
        });
    object!(MachineProvider, spec, status)
}

// ---------------------------------------------------------------------------------------------
// Vitistack.

fn vitistack() -> impl Strategy<Value = Vitistack> {
    let provider_type = prop_oneof![
        Just(InfrastructureProviderType::Proxmox),
        Just(InfrastructureProviderType::Talos),
        Just(InfrastructureProviderType::Kubevirt),
        Just(InfrastructureProviderType::Kea),
    ];
    let provider = (
        provider_type,
        option::of(http_url()),
        option::of(text(63)),
        option::of(
            option::of(secret_ref()).prop_map(|secret_ref| ProviderCredentials { secret_ref }),
        ),
    );
    let providers = btree_map(label(), provider, 0..4).prop_map(|m| {
        m.into_iter()
            .map(
                |(name, (r#type, endpoint, region, credentials))| InfrastructureProvider {
                    r#type,
                    name,
                    endpoint,
                    region,
                    credentials,
                },
            )
            .collect::<Vec<_>>()
    });
    let infrastructure = option::of(providers).prop_map(|providers| Infrastructure { providers });
    let logging =
        (option::of(any::<bool>()), option::of(http_url())).prop_map(|(enabled, endpoint)| {
            Logging {
                // Enabled logging needs an endpoint.
                enabled: enabled.filter(|on| !on || endpoint.is_some()),
                endpoint,
            }
        });
    let settings = (
        option::of(subdomain()),
        option::of(text(253)),
        option::of(
            (option::of(any::<bool>()), option::of(label()))
                .prop_map(|(enabled, namespace)| Monitoring { enabled, namespace }),
        ),
        option::of(logging),
    )
        .prop_map(
            |(default_storage_class, default_network_policy, monitoring, logging)| Settings {
                default_storage_class,
                default_network_policy,
                monitoring,
                logging,
            },
        );
    // perProvider <= total, perMachine <= total.
    let machines =
        (option::of(0i64..=i64::MAX), any::<Index>()).prop_map(|(total, pick)| MachineQuota {
            total,
            per_provider: total
                .map(|t| pick.index(usize::try_from(t).unwrap_or(usize::MAX).max(1)) as i64),
        });
    let storage =
        (option::of(0u64..=1 << 20), any::<Index>()).prop_map(|(total, pick)| StorageQuota {
            total: total.map(|t| format!("{t}Gi")),
            per_machine: total.map(|t| format!("{}Gi", pick.index(t as usize + 1))),
        });
    let network =
        option::of(0i64..=i64::MAX).prop_map(|max_networks| NetworkQuota { max_networks });
    let quotas = (
        option::of(machines),
        option::of(storage),
        option::of(network),
    )
        .prop_map(|(machines, storage, network)| Quotas {
            machines,
            storage,
            network,
        });
    let spec = (
        option::of(infrastructure),
        option::of(settings),
        option::of(quotas),
    )
        .prop_map(|(infrastructure, settings, quotas)| VitistackSpec {
            infrastructure,
            settings,
            quotas,
        });
    let phase = prop_oneof![
        Just(VitistackPhase::Pending),
        Just(VitistackPhase::Active),
        Just(VitistackPhase::Failed),
    ];
    let provider_status = (
        option::of(text(63)),
        option::of(any::<bool>()),
        option::of(text(200)),
        option::of(date_time()),
    );
    let provider_statuses = btree_map(label(), provider_status, 0..3).prop_map(|m| {
        m.into_iter()
            .map(
                |(name, (r#type, ready, message, last_sync_time))| ProviderStatus {
                    name,
                    r#type,
                    ready,
                    message,
                    last_sync_time,
                },
            )
            .collect::<Vec<_>>()
    });
    let resources = (
        option::of(0i64..=i64::MAX),
        option::of(0i64..=i64::MAX),
        option::of(quantity()),
    )
        .prop_map(|(machines, networks, storage)| ResourceUsage {
            machines,
            networks,
            storage,
        });
    let status = (
        option::of(phase),
        option::of(conditions()),
        option::of(provider_statuses),
        option::of(resources),
    )
        .prop_map(
            |(phase, conditions, providers, resources)| VitistackStatus {
                phase,
                conditions,
                providers,
                resources,
            },
        );
    object!(Vitistack, spec, status)
}

// ---------------------------------------------------------------------------------------------
// KubernetesCluster.

fn kubernetes_cluster() -> impl Strategy<Value = KubernetesCluster> {
    let provider_ref = (subdomain(), option::of(label()))
        .prop_map(|(name, namespace)| ProviderReference { name, namespace });
    let machine_provider_ref = (option::of(subdomain()), option::of(label()))
        .prop_map(|(name, namespace)| OptionalReference { name, namespace });
    let effect = prop_oneof![
        Just(TaintEffect::NoSchedule),
        Just(TaintEffect::PreferNoSchedule),
        Just(TaintEffect::NoExecute),
    ];
    let taint = (
        "[a-z0-9]([a-z0-9./-]{0,40}[a-z0-9])?",
        option::of(label()),
        option::of(effect),
    )
        .prop_map(|(key, value, effect)| Taint { key, value, effect });
    let worker = (
        option::of(0i32..=i32::MAX),
        option::of(node_template()),
        option::of(btree_map(label(), label(), 0..3)),
        option::of(vec(taint, 0..3)),
    );
    let workers = btree_map(label(), worker, 0..4).prop_map(|m| {
        m.into_iter()
            .map(
                |(name, (replicas, machine_template, labels, taints))| WorkerPool {
                    name,
                    replicas,
                    machine_template,
                    labels,
                    taints,
                },
            )
            .collect::<Vec<_>>()
    });
    let spec = (
        provider_ref,
        option::of(machine_provider_ref),
        option::of("v?[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}"),
        option::of(control_plane()),
        option::of(workers),
        option::of(cluster_networking()),
    )
        .prop_map(
            |(
                provider_ref,
                machine_provider_ref,
                kubernetes_version,
                control_plane,
                workers,
                networking,
            )| {
                KubernetesClusterSpec {
                    provider_ref,
                    machine_provider_ref,
                    kubernetes_version,
                    control_plane,
                    workers,
                    networking,
                }
            },
        );
    let phase = prop_oneof![
        Just(KubernetesClusterPhase::Pending),
        Just(KubernetesClusterPhase::Provisioning),
        Just(KubernetesClusterPhase::Ready),
        Just(KubernetesClusterPhase::Upgrading),
        Just(KubernetesClusterPhase::Failed),
        Just(KubernetesClusterPhase::Deleting),
    ];
    let replicas = || (option::of(0i32..=i32::MAX), option::of(0i32..=i32::MAX));
    let worker_statuses = btree_map(label(), replicas(), 0..3).prop_map(|m| {
        m.into_iter()
            .map(|(name, (replicas, ready_replicas))| WorkerPoolStatus {
                name,
                replicas,
                ready_replicas,
            })
            .collect::<Vec<_>>()
    });
    let status = (
        option::of(phase),
        option::of(conditions()),
        option::of(subdomain().prop_map(|host| format!("https://{host}:6443"))),
        option::of(text(32)),
        option::of(
            replicas().prop_map(|(replicas, ready_replicas)| ReplicaStatus {
                replicas,
                ready_replicas,
            }),
        ),
        option::of(worker_statuses),
        option::of(secret_ref()),
    )
        .prop_map(
            |(
                phase,
                conditions,
                endpoint,
                kubernetes_version,
                control_plane,
                workers,
                kubeconfig_secret_ref,
            )| {
                KubernetesClusterStatus {
                    phase,
                    conditions,
                    endpoint,
                    kubernetes_version,
                    control_plane,
                    workers,
                    kubeconfig_secret_ref,
                }
            },
        );
    object!(KubernetesCluster, spec, status)
}

// ---------------------------------------------------------------------------------------------
// KubevirtConfig.

fn kubevirt_config() -> impl Strategy<Value = KubevirtConfig> {
    let installation = (option::of(text(32)), option::of(label()))
        .prop_map(|(version, namespace)| KubevirtInstallation { version, namespace });
    let gates = btree_map("[A-Za-z0-9]{1,40}", option::of(any::<bool>()), 0..5).prop_map(|m| {
        m.into_iter()
            .map(|(name, enabled)| FeatureGate { name, enabled })
            .collect::<Vec<_>>()
    });
    let resources = (
        option::of(text(128)),
        option::of(text(128)),
        option::of(btree_set(text(128), 0..4).prop_map(|s| s.into_iter().collect::<Vec<_>>())),
    )
        .prop_map(
            |(vmi_cpu_model, machine_type, emulated_machines)| KubevirtResources {
                vmi_cpu_model,
                machine_type,
                emulated_machines,
            },
        );
    let storage = (
        option::of(subdomain()),
        option::of(distinct(vec![VolumeMode::Filesystem, VolumeMode::Block])),
        option::of(distinct(vec![
            AccessMode::ReadWriteOnce,
            AccessMode::ReadOnlyMany,
            AccessMode::ReadWriteMany,
            AccessMode::ReadWriteOncePod,
        ])),
    )
        .prop_map(
            |(default_storage_class, volume_modes, access_modes)| KubevirtStorage {
                default_storage_class,
                volume_modes,
                access_modes,
            },
        );
    let network = (option::of(text(63)), option::of(json_map())).prop_map(
        |(default_network_interface, binding)| KubevirtNetwork {
            default_network_interface,
            binding,
        },
    );
    let spec = (
        option::of(installation),
        option::of(gates),
        option::of(resources),
        option::of(storage),
        option::of(network),
    )
        .prop_map(|(kubevirt, feature_gates, resources, storage, network)| {
            KubevirtConfigSpec {
                kubevirt,
                feature_gates,
                resources,
                storage,
                network,
            }
        });
    let status = (
        option::of(text(63)),
        option::of(text(32)),
        option::of(conditions()),
    )
        .prop_map(
            |(phase, applied_version, conditions)| KubevirtConfigStatus {
                phase,
                applied_version,
                conditions,
            },
        );
    object!(KubevirtConfig, spec, status)
}

// ---------------------------------------------------------------------------------------------
// ProxmoxConfig.

fn proxmox_config() -> impl Strategy<Value = ProxmoxConfig> {
    let cluster = (
        option::of(btree_set(label(), 1..5).prop_map(|s| s.into_iter().collect::<Vec<_>>())),
        option::of(http_url()),
    )
        .prop_map(|(nodes, endpoint)| ProxmoxCluster { nodes, endpoint });
    let auth_type = prop_oneof![
        Just(ProxmoxAuthType::Pam),
        Just(ProxmoxAuthType::Pve),
        Just(ProxmoxAuthType::Ad),
        Just(ProxmoxAuthType::Ldap),
    ];
    let authentication = (option::of(auth_type), option::of(text(63)))
        .prop_map(|(r#type, realm)| ProxmoxAuthentication { r#type, realm });
    let defaults = (
        option::of(text(253)),
        option::of(text(15)),
        option::of(text(63)),
    )
        .prop_map(|(storage, network, os_type)| ProxmoxDefaults {
            storage,
            network,
            os_type,
        });
    let limits = (
        option::of(1i64..=i64::MAX),
        option::of(1u8..=128),
        option::of(quantity()),
    )
        .prop_map(
            |(max_vms_per_node, max_cpu_cores, max_memory)| ProxmoxLimits {
                max_vms_per_node,
                max_cpu_cores,
                max_memory,
            },
        );
    let template = (
        option::of("[0-9]{1,10}"),
        option::of(text(63)),
        option::of(template_resources()),
    );
    let templates = btree_map("[A-Za-z0-9 _-]{1,63}", template, 0..4).prop_map(|m| {
        m.into_iter()
            .map(|(name, (id, os_type, resources))| ProxmoxTemplate {
                id,
                name,
                os_type,
                resources,
            })
            .collect::<Vec<_>>()
    });
    let spec = (
        option::of(cluster),
        option::of(authentication),
        option::of(defaults),
        option::of(limits),
        option::of(templates),
    )
        .prop_map(
            |(cluster, authentication, defaults, limits, templates)| ProxmoxConfigSpec {
                cluster,
                authentication,
                defaults,
                limits,
                templates,
            },
        );
    let status = (
        option::of(any::<bool>()),
        option::of(text(32)),
        option::of(vec(text(63), 0..4)),
    )
        .prop_map(
            |(ready, cluster_version, available_nodes)| ProxmoxConfigStatus {
                ready,
                cluster_version,
                available_nodes,
            },
        );
    object!(ProxmoxConfig, spec, status)
}

// ---------------------------------------------------------------------------------------------
// The properties.

/// Paths of the strict walk's findings, without the pathless "rules not checked" notice.
fn strict_paths<K: CustomResourceKind>(value: &Value) -> (BTreeSet<String>, Vec<String>) {
    let report = check_value(K::root_schema(), value, Options { strict: true });
    let paths = report
        .iter()
        .filter(|e| !(e.path.is_empty() && e.detail == CEL_SKIPPED))
        .map(|e| e.path.clone())
        .collect();
    (paths, report.iter().map(|e| e.to_string()).collect())
}

fn check_valid_object<K>(object: &K) -> Result<(), TestCaseError>
where
    K: CustomResourceKind + Serialize + DeserializeOwned + PartialEq + Debug + Validate,
{
    // typed → JSON text → typed.
    let text = serde_json::to_string(object).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let back: K = serde_json::from_str(&text)
        .map_err(|e| TestCaseError::fail(format!("JSON does not read back: {e}\n{text}")))?;
    prop_assert_eq!(&back, object, "JSON round trip changed the object");

    // typed → YAML text → typed.
    let yaml = serde_saphyr::to_string(object).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let back: K = serde_saphyr::from_str(&yaml)
        .map_err(|e| TestCaseError::fail(format!("YAML does not read back: {e}\n{yaml}")))?;
    prop_assert_eq!(
        &back,
        object,
        "YAML round trip changed the object:\n{}",
        yaml
    );

    // typed → unstructured → typed, and the unstructured form is the same JSON.
    let dynamic = to_unstructured(object).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let typed_json =
        serde_json::to_value(object).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let dynamic_json =
        serde_json::to_value(&dynamic).map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert_eq!(&dynamic_json, &typed_json, "unstructured JSON differs");
    let back: K = from_unstructured(&dynamic).map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert_eq!(&back, object, "unstructured round trip changed the object");

    // Valid: validate() and the strict walk find nothing.
    if let Err(errors) = object.validate() {
        return Err(TestCaseError::fail(format!(
            "validate() of a valid object: {errors}\n{typed_json:#}"
        )));
    }
    let (paths, messages) = strict_paths::<K>(&typed_json);
    prop_assert!(
        messages.is_empty(),
        "strict walk of a valid object: {:?} {:?}\n{:#}",
        paths,
        messages,
        typed_json
    );
    Ok(())
}

/// One constrained field, a value outside its constraint, and the path the walk must name.
struct OutOfRange {
    set: &'static str,
    value: Value,
    expect: &'static str,
}

fn oor(set: &'static str, value: Value) -> OutOfRange {
    OutOfRange {
        set,
        value,
        expect: set,
    }
}

/// Sets the field at a dotted path, creating empty objects on the way.
fn set_path(root: &mut Value, dotted: &str, value: Value) {
    let mut current = root;
    let segments: Vec<&str> = dotted.split('.').collect();
    for segment in &segments[..segments.len() - 1] {
        let object = current.as_object_mut().expect("an object on the way");
        current = object
            .entry(segment.to_string())
            .or_insert_with(|| json!({}));
    }
    current
        .as_object_mut()
        .expect("an object at the end")
        .insert(segments[segments.len() - 1].to_string(), value);
}

fn check_out_of_range<K>(object: &K, table: &[OutOfRange], pick: Index) -> Result<(), TestCaseError>
where
    K: CustomResourceKind + Serialize,
{
    let entry = pick.get(table);
    let mut value = serde_json::to_value(object).map_err(|e| TestCaseError::fail(e.to_string()))?;
    set_path(&mut value, entry.set, entry.value.clone());
    let (paths, messages) = strict_paths::<K>(&value);
    let expected: BTreeSet<String> = [entry.expect.to_string()].into();
    prop_assert_eq!(
        &paths,
        &expected,
        "{} = {} gave {:?}",
        entry.set,
        entry.value,
        messages
    );
    Ok(())
}

fn machine_table() -> Vec<OutOfRange> {
    vec![
        oor("spec.resources.cpu.cores", json!(0)),
        oor("spec.resources.cpu.cores", json!(129)),
        oor("spec.resources.cpu.threads", json!(3)),
        oor("spec.resources.cpu.sockets", json!(5)),
        oor("spec.resources.memory.size", json!("127Mi")),
        oor("spec.resources.memory.size", json!("1025Gi")),
        oor("spec.resources.memory.size", json!("lots")),
        oor("spec.resources.gpu.count", json!(0)),
        oor("spec.resources.gpu.type", json!("matrox")),
        oor("spec.storage.rootVolume.size", json!("1023Mi")),
        oor("spec.storage.rootVolume.size", json!("101Ti")),
        oor("spec.providerRef.name", json!("Not_A_Name")),
        oor("spec.providerRef.kind", json!("Machine")),
        oor("spec.operatingSystem.distribution", json!("x".repeat(64))),
        oor("spec.boot.firmware.type", json!("coreboot")),
        oor("metadata.name", json!("UPPER")),
        OutOfRange {
            set: "spec.networking.interfaces",
            value: json!([{"name": "eth0", "macAddress": "52:54:00:zz:00:01"}]),
            expect: "spec.networking.interfaces[0].macAddress",
        },
        oor("status.phase", json!("Exploded")),
    ]
}

fn network_configuration_table() -> Vec<OutOfRange> {
    vec![
        oor("spec.vlan", json!(0)),
        oor("spec.vlan", json!(4095)),
        oor("spec.vlan", json!(5000)),
        oor("spec.mtu", json!(67)),
        oor("spec.mtu", json!(9217)),
        oor("spec.bridge", json!("x".repeat(16))),
        oor("spec.networkId", json!("-bad-")),
        oor("spec.networkId", json!("a".repeat(64))),
        oor("spec.dhcp.leaseTime", json!("1 day")),
        oor("status.allocatedIPs", json!(["10.0.0.256"])),
    ]
    .into_iter()
    .map(|mut o| {
        if o.set == "status.allocatedIPs" {
            o.expect = "status.allocatedIPs[0]";
        }
        o
    })
    .collect()
}

fn load_balancer_table() -> Vec<OutOfRange> {
    vec![
        oor("spec.datacenterIdentifier", json!("a")),
        oor("spec.datacenterIdentifier", json!("a".repeat(33))),
        oor("spec.supervisorIdentifier", json!("has space")),
        oor("spec.clusterIdentifier", json!("dot.ted")),
        oor("spec.provider", json!("")),
        oor("spec.provider", json!("p".repeat(64))),
        oor("spec.method", json!("random")),
        oor("spec.poolMembers", json!([])),
        OutOfRange {
            set: "spec.poolMembers",
            value: json!(["10.0.0.1", "not-an-ip"]),
            expect: "spec.poolMembers[1]",
        },
        OutOfRange {
            set: "spec.poolMembers",
            value: json!(["10.0.0.1", "10.0.0.1"]),
            expect: "spec.poolMembers[1]",
        },
        oor("status.created", json!("yesterday")),
    ]
}

fn kubernetes_provider_table() -> Vec<OutOfRange> {
    vec![
        oor("spec.type", json!("eks")),
        oor("spec.clusterTemplate.controlPlane.replicas", json!(0)),
        oor("spec.clusterTemplate.controlPlane.replicas", json!(2)),
        oor("spec.clusterTemplate.controlPlane.replicas", json!(9)),
        oor("spec.clusterTemplate.kubernetesVersion", json!("1.30")),
        oor("spec.clusterTemplate.cni.type", json!("weave")),
        oor("spec.networking.dnsDomain", json!("-bad-.example")),
        oor("spec.addons.ingress.type", json!("haproxy")),
        oor("status.activeClusters", json!(-1)),
    ]
}

fn network_namespace_table() -> Vec<OutOfRange> {
    vec![
        oor("spec.isolation.level", json!("total")),
        oor("spec.limits.networks", json!(-1)),
        oor("spec.limits.bandwidth", json!("fast")),
        oor("spec.qos.class", json!("gold")),
        oor("status.networkCount", json!(-5)),
    ]
}

fn machine_provider_table() -> Vec<OutOfRange> {
    vec![
        oor("spec.type", json!("xen")),
        oor("spec.endpoint.url", json!("ftp://example.com")),
        oor("spec.endpoint.timeout", json!("soon")),
        oor("spec.capacity.maxMachines", json!(-1)),
        oor("spec.capacity.reservedResources.memory", json!("-1Gi")),
        oor("status.machines", json!(-2)),
    ]
}

fn vitistack_table() -> Vec<OutOfRange> {
    vec![
        oor("spec.quotas.machines.perProvider", json!(-1)),
        oor("spec.quotas.network.maxNetworks", json!(-1)),
        oor("spec.quotas.storage.perMachine", json!("-1Gi")),
        oor("spec.settings.monitoring.namespace", json!("Not_A_Label")),
        oor("status.phase", json!("Ready")),
        oor("status.resources.machines", json!(-3)),
    ]
}

fn kubernetes_cluster_table() -> Vec<OutOfRange> {
    vec![
        oor("spec.providerRef.name", json!("Bad_Name")),
        oor("spec.kubernetesVersion", json!("1.32")),
        oor("spec.controlPlane.replicas", json!(2)),
        oor("spec.networking.podCIDR", json!("10.0.0.0/33")),
        oor("status.phase", json!("Running")),
        oor("status.endpoint", json!("http://insecure.example.com")),
    ]
}

fn kubevirt_config_table() -> Vec<OutOfRange> {
    vec![
        oor("spec.kubevirt.namespace", json!("Kube_Virt")),
        oor("spec.storage.defaultStorageClass", json!("Fast_SSD")),
        OutOfRange {
            set: "spec.storage.volumeModes",
            value: json!(["Tape"]),
            expect: "spec.storage.volumeModes[0]",
        },
        oor("status.appliedVersion", json!("v".repeat(33))),
    ]
}

fn proxmox_config_table() -> Vec<OutOfRange> {
    vec![
        oor("spec.cluster.nodes", json!([])),
        oor("spec.cluster.endpoint", json!("ftp://pve")),
        oor("spec.authentication.type", json!("kerberos")),
        oor("spec.limits.maxCPUCores", json!(129)),
        oor("spec.limits.maxVMsPerNode", json!(0)),
        oor("spec.limits.maxMemory", json!("lots")),
    ]
}

/// Runs a property on a thread with a large stack: the value trees of these nested strategies
/// outgrow the 2 MiB of a test thread in debug builds.
fn run_property<S, F>(make: F, property: fn(S::Value) -> Result<(), TestCaseError>)
where
    S: Strategy,
    S::Value: 'static,
    F: FnOnce() -> S + Send + 'static,
{
    let thread = std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(move || {
            let mut runner = proptest::test_runner::TestRunner::new(config());
            if let Err(e) = runner.run(&make(), property) {
                panic!("{e}");
            }
        })
        .expect("spawn the property thread");
    if let Err(panic) = thread.join() {
        std::panic::resume_unwind(panic);
    }
}

macro_rules! kind_properties {
    ($module:ident, $kind:ty, $strategy:expr, $table:expr) => {
        mod $module {
            use super::*;

            #[test]
            fn valid_objects_round_trip_and_validate_clean() {
                run_property(|| $strategy, |object| check_valid_object::<$kind>(&object));
            }

            #[test]
            fn one_field_out_of_range_names_exactly_that_path() {
                run_property(
                    || ($strategy, any::<Index>()),
                    |(object, pick)| check_out_of_range::<$kind>(&object, &$table, pick),
                );
            }
        }
    };
}

kind_properties!(machine_props, Machine, machine(), machine_table());
kind_properties!(
    network_configuration_props,
    NetworkConfiguration,
    network_configuration(),
    network_configuration_table()
);
kind_properties!(
    load_balancer_props,
    LoadBalancer,
    load_balancer(),
    load_balancer_table()
);
kind_properties!(
    kubernetes_provider_props,
    KubernetesProvider,
    kubernetes_provider(),
    kubernetes_provider_table()
);
kind_properties!(
    network_namespace_props,
    NetworkNamespace,
    network_namespace(),
    network_namespace_table()
);
kind_properties!(
    machine_provider_props,
    MachineProvider,
    machine_provider(),
    machine_provider_table()
);
kind_properties!(vitistack_props, Vitistack, vitistack(), vitistack_table());
kind_properties!(
    kubernetes_cluster_props,
    KubernetesCluster,
    kubernetes_cluster(),
    kubernetes_cluster_table()
);
kind_properties!(
    kubevirt_config_props,
    KubevirtConfig,
    kubevirt_config(),
    kubevirt_config_table()
);
kind_properties!(
    proxmox_config_props,
    ProxmoxConfig,
    proxmox_config(),
    proxmox_config_table()
);
