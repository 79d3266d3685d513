//! The CEL engine as the oracle of the derive's built-in rules (issue #23).
//!
//! Each built-in rule has a Rust enforcement (`validate()`: `check_value` / `check_update`) and a
//! CRD form the apiserver runs. For every rule the derive emits, on generated values, this test
//! evaluates the CRD form through the CEL engine (`vitistack_core::cel`) and compares with the
//! Rust enforcement: the same field paths, and every violation the engine finds in a CEL rule
//! worded as Rust words it.
//!
//! The CRD form is the rendered schema (`schema::openapi::render`), walked here the way the
//! apiserver walks it: `x-kubernetes-validations` entries are compiled and evaluated by the engine
//! (ranges of quantities, formats, `odd`, `unique_by`, the cross-field rules, the update rules);
//! the OpenAPI keywords the apiserver checks without CEL (`minimum`, `maxLength`, `maxItems`,
//! `enum`, `pattern`) are evaluated through the engine as their CEL twins (`self >= 1`,
//! `size(self) <= 5`, `self in [...]`, `self.matches(...)`), and, as on the apiserver, an enum,
//! `maxLength` or `maxItems` failure means the CEL rules are not run.

use proptest::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use std::collections::BTreeSet;
use vitistack_core::cel::types::Decl;
use vitistack_core::cel::{Budget, Outcome, Program, ValidationRule};
use vitistack_core::report::{ErrorKind, FieldError, Path};
use vitistack_types::schema::openapi;
use vitistack_types::validate::{check_update, check_value, Options, CEL_SKIPPED};
use vitistack_types::Schema;

/// Every value rule of the derive on one struct (the update rules are on [`Updates`]).
#[derive(Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
#[viti(rule(
    when = "secureBoot == true",
    then = "mode == 'uefi'",
    message = "secureBoot needs uefi"
))]
#[viti(ip_in_cidr(ip = "gateway", cidr = "subnet"))]
#[viti(ordered(lesser = "min", greater = "max"))]
#[viti(ordered(lesser = "request", greater = "limit", by = "quantity"))]
#[viti(ordered(lesser = "poolStart", greater = "poolEnd", by = "ipv4"))]
#[viti(disjoint_cidrs(a = "podCidr", b = "serviceCidr"))]
struct Rules {
    /// A bounded integer.
    #[viti(range(min = -5, max = 20))]
    #[serde(skip_serializing_if = "Option::is_none")]
    count: Option<i64>,
    /// An odd integer.
    #[viti(odd)]
    #[serde(skip_serializing_if = "Option::is_none")]
    odd: Option<i64>,
    /// A bounded string.
    #[viti(length(min = 2, max = 5))]
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<String>,
    /// A bounded list.
    #[viti(items(min = 1, max = 3))]
    #[serde(skip_serializing_if = "Option::is_none")]
    list: Option<Vec<i64>>,
    /// An enum.
    #[viti(one_of("a", "b"))]
    #[serde(skip_serializing_if = "Option::is_none")]
    choice: Option<String>,
    /// A pattern.
    #[viti(pattern = "^[a-z]+[0-9]?$")]
    #[serde(skip_serializing_if = "Option::is_none")]
    word: Option<String>,
    /// A bounded quantity.
    #[viti(quantity(min = "1Mi", max = "2Gi"))]
    #[serde(skip_serializing_if = "Option::is_none")]
    size: Option<String>,
    /// An IP.
    #[viti(ip)]
    #[serde(skip_serializing_if = "Option::is_none")]
    ip: Option<String>,
    /// A CIDR.
    #[viti(cidr)]
    #[serde(skip_serializing_if = "Option::is_none")]
    cidr: Option<String>,
    /// An IP or a CIDR.
    #[viti(ip_or_cidr)]
    #[serde(skip_serializing_if = "Option::is_none")]
    ip_or_cidr: Option<String>,
    /// A MAC address.
    #[viti(mac)]
    #[serde(skip_serializing_if = "Option::is_none")]
    mac: Option<String>,
    /// An http(s) URL.
    #[viti(url)]
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    /// A duration.
    #[viti(duration)]
    #[serde(skip_serializing_if = "Option::is_none")]
    duration: Option<String>,
    /// An RFC 1123 label.
    #[viti(rfc1123_label)]
    #[serde(skip_serializing_if = "Option::is_none")]
    label: Option<String>,
    /// An RFC 1123 subdomain.
    #[viti(rfc1123_subdomain)]
    #[serde(skip_serializing_if = "Option::is_none")]
    subdomain: Option<String>,
    /// A DNS name.
    #[viti(dns_name)]
    #[serde(skip_serializing_if = "Option::is_none")]
    dns_name: Option<String>,
    /// A port range.
    #[viti(port_range)]
    #[serde(skip_serializing_if = "Option::is_none")]
    ports: Option<String>,
    /// Secure boot.
    #[serde(skip_serializing_if = "Option::is_none")]
    secure_boot: Option<bool>,
    /// Firmware mode.
    #[serde(skip_serializing_if = "Option::is_none")]
    mode: Option<String>,
    /// Gateway.
    #[serde(skip_serializing_if = "Option::is_none")]
    gateway: Option<String>,
    /// Subnet.
    #[serde(skip_serializing_if = "Option::is_none")]
    subnet: Option<String>,
    /// Lower bound.
    #[serde(skip_serializing_if = "Option::is_none")]
    min: Option<i64>,
    /// Upper bound.
    #[serde(skip_serializing_if = "Option::is_none")]
    max: Option<i64>,
    /// Request (a quantity).
    #[serde(skip_serializing_if = "Option::is_none")]
    request: Option<String>,
    /// Limit (a quantity).
    #[serde(skip_serializing_if = "Option::is_none")]
    limit: Option<String>,
    /// First pool address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pool_start: Option<String>,
    /// Last pool address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pool_end: Option<String>,
    /// Pod network.
    #[serde(skip_serializing_if = "Option::is_none")]
    pod_cidr: Option<String>,
    /// Service network.
    #[serde(skip_serializing_if = "Option::is_none")]
    service_cidr: Option<String>,
    /// Items unique by a field.
    #[viti(unique_by = "mac")]
    #[serde(skip_serializing_if = "Option::is_none")]
    nics: Option<Vec<Nic>>,
}

/// A list item.
#[derive(Serialize, Deserialize, Schema)]
struct Nic {
    /// Its name.
    name: String,
    /// Its MAC address.
    #[serde(skip_serializing_if = "Option::is_none")]
    mac: Option<String>,
}

/// The update rules.
#[derive(Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
struct Updates {
    /// Fixed once set.
    #[viti(immutable)]
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    /// A quantity that may only grow.
    #[viti(quantity, may_only_grow)]
    #[serde(skip_serializing_if = "Option::is_none")]
    disk: Option<String>,
    /// A Kubernetes version.
    #[viti(kubernetes_version_step)]
    #[serde(skip_serializing_if = "Option::is_none")]
    version: Option<String>,
}

// --- the engine's walk of a rendered schema -------------------------------------------------------

/// A violation the engine found, and whether it came from a CEL rule (its words must be Rust's)
/// or from a keyword's CEL twin (only its path counts).
struct Found {
    error: FieldError,
    cel: bool,
}

/// The CEL twins of the OpenAPI keywords of `schema`, and whether each blocks the CEL rules when
/// it fails (`NotSupported`, `TooLong`, `TooMany` on the apiserver).
fn keyword_twins(schema: &Map<String, Value>) -> Vec<(String, bool)> {
    let mut twins = Vec::new();
    let number = |k: &str| schema.get(k).map(Value::to_string);
    if let Some(n) = number("minimum") {
        twins.push((format!("self >= {n}"), false));
    }
    if let Some(n) = number("maximum") {
        twins.push((format!("self <= {n}"), false));
    }
    if let Some(n) = number("minLength") {
        twins.push((format!("size(self) >= {n}"), false));
    }
    if let Some(n) = number("maxLength") {
        twins.push((format!("size(self) <= {n}"), true));
    }
    if let Some(n) = number("minItems") {
        twins.push((format!("size(self) >= {n}"), false));
    }
    if let Some(n) = number("maxItems") {
        twins.push((format!("size(self) <= {n}"), true));
    }
    if let Some(values) = schema.get("enum") {
        twins.push((format!("self in {values}"), true));
    }
    if let Some(Value::String(p)) = schema.get("pattern") {
        twins.push((format!("self.matches({})", json!(p)), false));
    }
    twins
}

fn run(
    rule: ValidationRule,
    schema: &Value,
    value: &Value,
    old: Option<&Value>,
    path: &mut Path,
) -> Option<FieldError> {
    let decl = Decl::from_schema(schema, "self", false).expect("a CEL type");
    let program = Program::compile(&rule, &decl)
        .unwrap_or_else(|e| panic!("{:?} does not compile: {e}", rule.rule));
    match program.evaluate(value, old, path, &mut Budget::default()) {
        Outcome::Pass | Outcome::NotRun => None,
        Outcome::Violation(e) | Outcome::Error(e) | Outcome::Halt(e) => Some(e),
    }
}

/// The keyword twins of every node (first pass) and whether one that blocks CEL failed.
fn keywords(schema: &Value, value: &Value, path: &mut Path, out: &mut Vec<Found>) -> bool {
    let Some(node) = schema.as_object() else {
        return false;
    };
    let mut blocked = false;
    for (twin, blocks) in keyword_twins(node) {
        let rule = ValidationRule {
            rule: twin,
            ..Default::default()
        };
        if let Some(error) = run(rule, schema, value, None, path) {
            blocked |= blocks;
            out.push(Found { error, cel: false });
        }
    }
    children(schema, value, None, path, &mut |s, v, _, p| {
        blocked |= keywords(s, v, p, out);
    });
    blocked
}

/// The `x-kubernetes-validations` of every node (second pass), with old values correlated by
/// property name.
fn rules(
    schema: &Value,
    value: &Value,
    old: Option<&Value>,
    path: &mut Path,
    out: &mut Vec<Found>,
) {
    for entry in schema["x-kubernetes-validations"]
        .as_array()
        .into_iter()
        .flatten()
    {
        if let Some(error) = run(ValidationRule::from_json(entry), schema, value, old, path) {
            out.push(Found { error, cel: true });
        }
    }
    children(schema, value, old, path, &mut |s, v, o, p| {
        rules(s, v, o, p, out)
    });
}

type Visit<'a> = dyn FnMut(&Value, &Value, Option<&Value>, &mut Path) + 'a;

/// Calls `visit` on each present property (with its old value) and each list item.
fn children(
    schema: &Value,
    value: &Value,
    old: Option<&Value>,
    path: &mut Path,
    visit: &mut Visit,
) {
    if let (Some(properties), Some(object)) = (schema["properties"].as_object(), value.as_object())
    {
        for (name, child) in properties {
            if let Some(v) = object.get(name) {
                let mark = path.push_field(name);
                visit(child, v, old.and_then(|o| o.get(name)), path);
                path.truncate(mark);
            }
        }
    }
    if let (Some(items), Some(list)) = (schema.get("items"), value.as_array()) {
        for (i, item) in list.iter().enumerate() {
            let mark = path.push_index(i);
            visit(items, item, None, path);
            path.truncate(mark);
        }
    }
}

/// What the engine finds on `value` (an update of `old` when given) under `schema`.
fn engine(schema: &Value, value: &Value, old: Option<&Value>) -> Vec<Found> {
    let mut out = Vec::new();
    let blocked = keywords(schema, value, &mut Path::root(), &mut out);
    if !blocked {
        rules(schema, value, old, &mut Path::root(), &mut out);
    }
    out
}

/// Rust and the engine agree: the same paths, and the engine's CEL violations in Rust's words.
fn agree(rust: Vec<FieldError>, engine: Vec<Found>, value: &Value) -> Result<(), TestCaseError> {
    let rust: Vec<FieldError> = rust
        .into_iter()
        .filter(|e| e.detail != CEL_SKIPPED)
        .collect();
    let paths = |errors: &mut dyn Iterator<Item = &FieldError>| -> BTreeSet<String> {
        errors.map(|e| e.path.clone()).collect()
    };
    let ours = paths(&mut rust.iter());
    let theirs = paths(&mut engine.iter().map(|f| &f.error));
    let said: BTreeSet<String> = rust.iter().map(ToString::to_string).collect();
    prop_assert_eq!(&ours, &theirs, "value {}: Rust {:?}", value, said);
    for found in engine.iter().filter(|f| f.cel) {
        // Known difference, kept visible: for `unique_by` Rust says `Duplicate value: no two items
        // may have the same <field>`; the apiserver (and the engine) drop a Duplicate's message
        // (`field.Duplicate(path, value)`), so only the start is compared.
        let text = found.error.to_string();
        if found.error.kind == ErrorKind::Duplicate
            && said
                .iter()
                .any(|s| s.starts_with(&format!("{text}: no two items may have the same ")))
        {
            continue;
        }
        prop_assert!(
            said.contains(&text),
            "value {}: the engine's {:?} is not among Rust's {:?}",
            value,
            found.error.to_string(),
            said
        );
    }
    Ok(())
}

// --- generated values -------------------------------------------------------------------------------

/// A field left out, or one of `pool` (valid and invalid values, edges included).
fn field(pool: &'static [Value]) -> impl Strategy<Value = Option<Value>> {
    prop_oneof![Just(None), proptest::sample::select(pool).prop_map(Some)]
}

fn strings(values: &'static [&'static str]) -> Vec<Value> {
    values.iter().map(|s| json!(s)).collect()
}

fn pool(values: &'static [&'static str]) -> &'static [Value] {
    Box::leak(strings(values).into_boxed_slice())
}

fn object(fields: Vec<(&'static str, Option<Value>)>) -> Value {
    Value::Object(
        fields
            .into_iter()
            .filter_map(|(k, v)| v.map(|v| (k.to_string(), v)))
            .collect(),
    )
}

const IPS: &[&str] = &[
    "10.0.0.1",
    "10.0.1.1",
    "192.168.0.255",
    "::1",
    "2001:db8::1",
    "::ffff:10.0.0.1",
    "10.0.0.01",
    "x",
    "",
];
const CIDRS: &[&str] = &[
    "10.0.0.0/24",
    "10.0.0.0/8",
    "10.0.0.1/24",
    "2001:db8::/64",
    "10.0.0.0/33",
    "x",
    "",
];
const QUANTITIES: &[&str] = &[
    "1Mi",
    "1048575",
    "1048576",
    "2Gi",
    "2147483649",
    "1.5Gi",
    "500m",
    "-1Mi",
    "1e3",
    "x",
    "",
];

fn rules_value() -> impl Strategy<Value = Value> {
    let ints: Vec<Value> = [-6i64, -5, 0, 1, 2, 7, 20, 21, i64::MAX, i64::MIN]
        .iter()
        .map(|n| json!(n))
        .collect();
    let ints: &'static [Value] = Box::leak(ints.into_boxed_slice());
    let lists: &'static [Value] = Box::leak(
        vec![json!([]), json!([1]), json!([1, 2, 3]), json!([1, 2, 3, 4])].into_boxed_slice(),
    );
    let bools: &'static [Value] = Box::leak(vec![json!(true), json!(false)].into_boxed_slice());
    let nics: &'static [Value] = Box::leak(
        vec![
            json!([]),
            json!([{"name": "a", "mac": "aa:bb:cc:dd:ee:ff"}, {"name": "b", "mac": "aa:bb:cc:dd:ee:ff"}]),
            json!([{"name": "a", "mac": "aa:bb:cc:dd:ee:ff"}, {"name": "b"}]),
            json!([{"name": "a"}, {"name": "b"}]),
        ]
        .into_boxed_slice(),
    );
    let first = (
        field(ints),
        field(ints),
        field(pool(&["a", "ab", "abcde", "abcdef", "æøå", "æøåæøå"])),
        field(lists),
        field(pool(&["a", "b", "c", ""])),
        field(pool(&["abc", "abc1", "abc12", "Abc", ""])),
        field(pool(QUANTITIES)),
        field(pool(IPS)),
        field(pool(CIDRS)),
        field(pool(&["10.0.0.1", "10.0.0.0/24", "x"])),
        field(pool(&[
            "aa:bb:cc:dd:ee:ff",
            "AA:BB:CC:DD:EE:FF",
            "aa-bb-cc-dd-ee-ff",
            "x",
        ])),
        field(pool(&[
            "https://example.com",
            "http://example.com/a",
            "ftp://example.com",
            "example.com",
            "",
        ])),
    );
    let second = (
        field(pool(&["1h", "90m", "1h30m", "1d", "-1s", "x", ""])),
        field(pool(&["abc", "a-b", "-ab", "A", "a.b", ""])),
        field(pool(&["a.b.c", "a..b", "A.b", "a-b.c", ""])),
        field(pool(&["example.com", "*.example.com", "a_b.com", "x", ""])),
        field(pool(&["80", "80-90", "90-80", "0", "65536", "x"])),
        field(bools),
        field(pool(&["uefi", "bios"])),
        (field(pool(IPS)), field(pool(CIDRS))),
        (field(ints), field(ints)),
        (field(pool(QUANTITIES)), field(pool(QUANTITIES))),
        (field(pool(IPS)), field(pool(IPS))),
        (field(pool(CIDRS)), field(pool(CIDRS)), field(nics)),
    );
    (first, second).prop_map(|(a, b)| {
        object(vec![
            ("count", a.0),
            ("odd", a.1),
            ("text", a.2),
            ("list", a.3),
            ("choice", a.4),
            ("word", a.5),
            ("size", a.6),
            ("ip", a.7),
            ("cidr", a.8),
            ("ipOrCidr", a.9),
            ("mac", a.10),
            ("url", a.11),
            ("duration", b.0),
            ("label", b.1),
            ("subdomain", b.2),
            ("dnsName", b.3),
            ("ports", b.4),
            ("secureBoot", b.5),
            ("mode", b.6),
            ("gateway", b.7 .0),
            ("subnet", b.7 .1),
            ("min", b.8 .0),
            ("max", b.8 .1),
            ("request", b.9 .0),
            ("limit", b.9 .1),
            ("poolStart", b.10 .0),
            ("poolEnd", b.10 .1),
            ("podCidr", b.11 .0),
            ("serviceCidr", b.11 .1),
            ("nics", b.11 .2),
        ])
    })
}

fn updates_value() -> impl Strategy<Value = Value> {
    (
        field(pool(&["a", "b"])),
        field(pool(&["10Gi", "10737418240", "9Gi", "11Gi", "10.5Gi"])),
        field(pool(&[
            "v1.30.0", "v1.30.5", "v1.31.0", "v1.32.0", "v1.29.9", "1.31.0", "v2.0.0",
        ])),
    )
        .prop_map(|(id, disk, version)| {
            object(vec![("id", id), ("disk", disk), ("version", version)])
        })
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(256),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn the_engine_and_validate_agree_on_every_built_in_rule(value in rules_value()) {
        let node = Rules::schema();
        let schema = openapi::render(&node);
        let rust = check_value(&node, &value, Options::default());
        agree(rust, engine(&schema, &value, None), &value)?;
    }

    #[test]
    fn the_engine_and_validate_update_agree_on_every_update_rule(
        old in updates_value(),
        new in updates_value(),
    ) {
        let node = Updates::schema();
        let schema = openapi::render(&node);
        let rust = check_update(&node, &new, &old, Options::default());
        agree(rust, engine(&schema, &new, Some(&old)), &new)?;
    }
}
