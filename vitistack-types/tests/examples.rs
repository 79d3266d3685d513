//! The YAML examples in the top-level `examples/` directory: one per kind, each a valid object
//! that survives a typed round trip unchanged, passes `validate()` and the strict schema walk,
//! and fills every printer column.

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::PathBuf;
use vitistack_types::crd::CustomResourceKind;
use vitistack_types::kinds::{
    KubernetesCluster, KubernetesProvider, KubevirtConfig, LoadBalancer, Machine, MachineProvider,
    NetworkConfiguration, NetworkNamespace, ProxmoxConfig, Vitistack,
};
use vitistack_types::validate::{check_value, Options};
use vitistack_types::Validate;

/// The ten kinds, lower-case, as the example files are named.
const KINDS: [&str; 10] = [
    "vitistack",
    "machine",
    "machineprovider",
    "kubernetescluster",
    "kubernetesprovider",
    "networkconfiguration",
    "networknamespace",
    "loadbalancer",
    "kubevirtconfig",
    "proxmoxconfig",
];

fn examples_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("examples")
}

fn read_example(name: &str) -> String {
    let path = examples_dir().join(format!("{name}.yaml"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// The example `name` parsed to a JSON value (the leading comment line is ignored by YAML).
fn example_value(name: &str) -> Value {
    let text = read_example(name);
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{name}.yaml is not valid YAML: {e}"))
}

/// Paths where `a` and `b` differ, e.g. `.spec.vlan: 100 != 200` or `.spec.x: missing`.
fn diff(path: &str, a: &Value, b: &Value, out: &mut Vec<String>) {
    match (a, b) {
        (Value::Object(a), Value::Object(b)) => {
            let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            for key in keys {
                let child = format!("{path}.{key}");
                match (a.get(key), b.get(key)) {
                    (Some(x), Some(y)) => diff(&child, x, y, out),
                    (Some(x), None) => out.push(format!("{child}: lost (input had {x})")),
                    (None, Some(y)) => out.push(format!("{child}: added ({y})")),
                    (None, None) => unreachable!(),
                }
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            if a.len() != b.len() {
                out.push(format!("{path}: {} items != {} items", a.len(), b.len()));
            }
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                diff(&format!("{path}[{i}]"), x, y, out);
            }
        }
        _ if a != b => out.push(format!("{path}: {a} != {b}")),
        _ => {}
    }
}

/// The value at a simple JSON path such as `.status.addresses.internal[0]`.
fn lookup<'v>(value: &'v Value, path: &str) -> Option<&'v Value> {
    let mut current = value;
    for segment in path.trim_start_matches('.').split('.') {
        let (field, mut rest) = match segment.find('[') {
            Some(i) => segment.split_at(i),
            None => (segment, ""),
        };
        if !field.is_empty() {
            current = current.get(field)?;
        }
        while let Some(inner) = rest.strip_prefix('[') {
            let end = inner.find(']')?;
            let index: usize = inner[..end].parse().ok()?;
            current = current.get(index)?;
            rest = &inner[end + 1..];
        }
        if !rest.is_empty() {
            return None;
        }
    }
    Some(current)
}

/// What `kubectl get` would leave blank: absent, null, "", [] or {}.
fn is_empty(value: Option<&Value>) -> bool {
    match value {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.is_empty(),
        Some(Value::Array(a)) => a.is_empty(),
        Some(Value::Object(o)) => o.is_empty(),
        Some(_) => false,
    }
}

fn check_example<K>(name: &str)
where
    K: CustomResourceKind + Serialize + DeserializeOwned + Validate,
{
    assert_eq!(name, K::KIND.to_lowercase());
    let text = read_example(name);
    let first = text.lines().next().unwrap_or_default();
    assert_eq!(
        first,
        format!("# yaml-language-server: $schema=../schemas/vitistack.io/{name}_v1alpha1.json"),
        "{name}.yaml: first line"
    );
    let schema_file = examples_dir().join(format!("../schemas/vitistack.io/{name}_v1alpha1.json"));
    assert!(
        schema_file.is_file(),
        "{} does not exist",
        schema_file.display()
    );

    let input = example_value(name);
    assert_eq!(
        input["apiVersion"],
        K::API_VERSION,
        "{name}.yaml: apiVersion"
    );
    assert_eq!(input["kind"], K::KIND, "{name}.yaml: kind");
    assert_eq!(
        input["metadata"]["namespace"], "default",
        "{name}.yaml: namespace"
    );
    assert!(input.get("status").is_some(), "{name}.yaml has no status");

    // Typed round trip: nothing lost, nothing added.
    let typed: K = serde_json::from_value(input.clone())
        .unwrap_or_else(|e| panic!("{name}.yaml does not deserialize into {}: {e}", K::KIND));
    let output = serde_json::to_value(&typed).expect("serialize");
    let mut differences = Vec::new();
    diff("", &input, &output, &mut differences);
    assert!(
        differences.is_empty(),
        "{name}.yaml changes in a typed round trip:\n{}",
        differences.join("\n")
    );

    // The Rust validator and the strict schema walk over the raw value.
    if let Err(errors) = typed.validate() {
        panic!("{name}.yaml: validate() failed:\n{errors}");
    }
    let report = check_value(K::root_schema(), &input, Options { strict: true });
    assert!(
        report.is_empty(),
        "{name}.yaml: strict check_value failed:\n{}",
        report
            .iter()
            .map(|e| e.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    );

    // Every printer column but Age has a value, written in the example or defaulted by the
    // apiserver from the schema (LoadBalancer spec.method).
    for column in K::PRINTER_COLUMNS.iter().filter(|c| c.name != "Age") {
        let defaulted = K::root_schema()
            .lookup(column.json_path)
            .is_some_and(|n| n.default.is_some());
        assert!(
            !is_empty(lookup(&input, column.json_path)) || defaulted,
            "{name}.yaml: printer column {} ({}) is empty",
            column.name,
            column.json_path
        );
    }
}

#[test]
fn vitistack_example() {
    check_example::<Vitistack>("vitistack");
}

#[test]
fn machine_example() {
    check_example::<Machine>("machine");
    // Leaves the server defaults of threads and sockets to the apiserver.
    let cpu = &example_value("machine")["spec"]["resources"]["cpu"];
    assert!(cpu.get("threads").is_none() && cpu.get("sockets").is_none());
}

#[test]
fn machineprovider_example() {
    check_example::<MachineProvider>("machineprovider");
}

#[test]
fn kubernetescluster_example() {
    check_example::<KubernetesCluster>("kubernetescluster");
}

#[test]
fn kubernetesprovider_example() {
    check_example::<KubernetesProvider>("kubernetesprovider");
}

#[test]
fn networkconfiguration_example() {
    check_example::<NetworkConfiguration>("networkconfiguration");
}

#[test]
fn networknamespace_example() {
    check_example::<NetworkNamespace>("networknamespace");
}

#[test]
fn loadbalancer_example() {
    check_example::<LoadBalancer>("loadbalancer");
    // Leaves the server default of method (first-alive) to the apiserver.
    assert!(example_value("loadbalancer")["spec"]
        .get("method")
        .is_none());
}

#[test]
fn kubevirtconfig_example() {
    check_example::<KubevirtConfig>("kubevirtconfig");
}

#[test]
fn proxmoxconfig_example() {
    check_example::<ProxmoxConfig>("proxmoxconfig");
}

#[test]
fn examples_directory_holds_exactly_one_file_per_kind() {
    let mut files = BTreeSet::new();
    for entry in std::fs::read_dir(examples_dir()).expect("read examples/") {
        let name = entry
            .expect("dir entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        if name.ends_with(".yaml") || name.ends_with(".yml") {
            files.insert(name);
        }
    }
    let expected: BTreeSet<String> = KINDS.iter().map(|k| format!("{k}.yaml")).collect();
    assert_eq!(files, expected);
    // Every kind of the catalog is among them, so a new kind without an example fails here.
    let catalog: BTreeSet<String> = vitistack_types::catalog::json_schemas()
        .iter()
        .map(|s| format!("{}.yaml", s.kind.to_lowercase()))
        .collect();
    assert_eq!(catalog, expected);
}

// ---- The checks can fail: broken variants of the examples. ----

/// Validates `value` as `K` (typed and raw) and returns the distinct paths reported.
fn failing_paths<K>(value: Value) -> Vec<String>
where
    K: CustomResourceKind + DeserializeOwned + Validate,
{
    let raw: Vec<String> = check_value(K::root_schema(), &value, Options { strict: true })
        .into_iter()
        .map(|e| e.path)
        .collect();
    let typed: K = serde_json::from_value(value).expect("still deserializes");
    let errors = typed.validate().expect_err("validate() must fail");
    let paths: Vec<String> = errors.paths().into_iter().map(str::to_string).collect();
    let mut raw = raw;
    raw.sort();
    raw.dedup();
    assert_eq!(raw, paths, "check_value and validate() disagree");
    paths
}

#[test]
fn machine_cores_out_of_range_is_reported() {
    let mut value = example_value("machine");
    value["spec"]["resources"]["cpu"]["cores"] = 500.into();
    // 500 does not fit the typed field (u8): the schema walk over the raw value names the path,
    // and deserializing into Machine is refused.
    let raw: Vec<String> = check_value(Machine::root_schema(), &value, Options { strict: true })
        .into_iter()
        .map(|e| e.path)
        .collect();
    assert_eq!(raw, ["spec.resources.cpu.cores"]);
    assert!(serde_json::from_value::<Machine>(value.clone()).is_err());
    // A value the type holds but the range rejects reaches validate().
    value["spec"]["resources"]["cpu"]["cores"] = 200.into();
    assert_eq!(
        failing_paths::<Machine>(value),
        ["spec.resources.cpu.cores"]
    );
}

#[test]
fn machine_bad_mac_is_reported() {
    let mut value = example_value("machine");
    value["spec"]["networking"]["interfaces"][0]["macAddress"] = "zz".into();
    assert_eq!(
        failing_paths::<Machine>(value),
        ["spec.networking.interfaces[0].macAddress"]
    );
}

#[test]
fn machine_secure_boot_with_bios_is_reported() {
    let mut value = example_value("machine");
    value["spec"]["boot"]["firmware"]["type"] = "bios".into();
    value["spec"]["boot"]["firmware"]["secureBoot"] = true.into();
    assert_eq!(
        failing_paths::<Machine>(value),
        ["spec.boot.firmware.secureBoot"]
    );
}

#[test]
fn network_gateway_outside_subnet_is_reported() {
    let mut value = example_value("networkconfiguration");
    value["spec"]["ipam"]["gateway"] = "10.1.0.1".into();
    assert_eq!(
        failing_paths::<NetworkConfiguration>(value),
        ["spec.ipam.gateway"]
    );
}

#[test]
fn path_walker() {
    let value = serde_json::json!({"a": {"b": [{"c": 1}, {"c": ""}], "d": []}});
    assert_eq!(lookup(&value, ".a.b[0].c"), Some(&Value::from(1)));
    assert!(is_empty(lookup(&value, ".a.b[1].c")));
    assert!(is_empty(lookup(&value, ".a.b[2].c")));
    assert!(is_empty(lookup(&value, ".a.d[0]")));
    assert!(is_empty(lookup(&value, ".a.d")));
    assert!(is_empty(lookup(&value, ".x.y")));
}
