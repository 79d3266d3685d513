//! Behaviour of derived schemas, observed through the runtime: the CRD (OpenAPI v3 + CEL) form,
//! `validate()`, and `#[derive(CustomResource)]`.
//!
//! Every expectation here is written by hand from the rules (integer formats and Rust ranges,
//! bound intersection, serde wire names, CEL text of the cross-field rules), not copied from the
//! output, so a change in what the derive emits shows up as a failure to read.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use vitistack_types::crd::{CustomResourceKind, Scope};
use vitistack_types::report::ErrorKind;
use vitistack_types::schema::openapi::render;
use vitistack_types::{CustomResource, Schema, Validate};

/// The CRD form of a type's schema.
fn openapi<T: Schema>() -> Value {
    render(&T::schema())
}

/// One property of a rendered object schema.
fn property(schema: &Value, name: &str) -> Value {
    schema["properties"]
        .get(name)
        .unwrap_or_else(|| panic!("no property {name} in {schema:#}"))
        .clone()
}

// --- integers: Rust range intersected with the rule -------------------------------------------

/// Integer fields.
#[derive(Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct Integers {
    /// VLAN id.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(range(min = 1, max = 4094))]
    pub vlan: Option<u16>,
    /// A byte.
    pub byte: u8,
    /// A word.
    pub word: u32,
    /// Signed byte.
    pub signed_byte: i8,
    /// A count.
    pub count: u64,
    /// An offset.
    pub offset: i64,
    /// A rule wider than the type: the type wins on that side.
    #[viti(range(min = -5, max = 1000))]
    pub clamped: u8,
    /// Two range attributes intersect.
    #[viti(range(min = 2))]
    #[viti(range(max = 8), odd)]
    pub odd: i32,
}

#[test]
fn integer_formats_and_bounds() {
    let schema = openapi::<Integers>();
    assert_eq!(
        property(&schema, "vlan"),
        json!({"type": "integer", "format": "int32", "minimum": 1, "maximum": 4094, "description": "VLAN id."})
    );
    assert_eq!(
        property(&schema, "byte"),
        json!({"type": "integer", "format": "int32", "minimum": 0, "maximum": 255, "description": "A byte."})
    );
    assert_eq!(
        property(&schema, "word"),
        json!({"type": "integer", "format": "int64", "minimum": 0, "maximum": 4_294_967_295_u64, "description": "A word."})
    );
    assert_eq!(
        property(&schema, "signedByte"),
        json!({"type": "integer", "format": "int32", "minimum": -128, "maximum": 127, "description": "Signed byte."})
    );
    // u64 has a lower bound only; i64 none at all.
    assert_eq!(
        property(&schema, "count"),
        json!({"type": "integer", "format": "int64", "minimum": 0, "description": "A count."})
    );
    assert_eq!(
        property(&schema, "offset"),
        json!({"type": "integer", "format": "int64", "description": "An offset."})
    );
    assert_eq!(
        property(&schema, "clamped"),
        json!({"type": "integer", "format": "int32", "minimum": 0, "maximum": 255,
               "description": "A rule wider than the type: the type wins on that side."})
    );
    assert_eq!(
        property(&schema, "odd"),
        json!({"type": "integer", "format": "int32", "minimum": 2, "maximum": 8,
               "x-kubernetes-validations": [{"rule": "self % 2 == 1", "message": "must be an odd number"}],
               "description": "Two range attributes intersect."})
    );
    // Only the Option is optional.
    assert_eq!(
        schema["required"],
        json!([
            "byte",
            "word",
            "signedByte",
            "count",
            "offset",
            "clamped",
            "odd"
        ])
    );
}

// --- strings ---------------------------------------------------------------------------------

/// String fields.
#[derive(Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct Strings {
    /// An address.
    #[viti(ip)]
    pub address: String,
    /// A name.
    #[viti(length(min = 1, max = 63), pattern = "^[a-z]+$")]
    pub name: String,
    /// A label: the format's maxLength 63 and the rule's 20 intersect.
    #[viti(rfc1123_label, length(max = 20))]
    pub label: String,
    /// Memory.
    #[viti(quantity(min = "128Mi", max = "1Gi"))]
    pub memory: String,
    /// A mode.
    #[viti(one_of("fast", "slow"))]
    pub mode: String,
    /// Addresses, unique.
    #[viti(list(set), items(min = 1, max = 4), each(ip))]
    pub addresses: Vec<String>,
}

#[test]
fn string_rules() {
    let schema = openapi::<Strings>();
    assert_eq!(
        property(&schema, "address"),
        json!({"type": "string", "maxLength": 45, "description": "An address.",
               "x-kubernetes-validations": [{"rule": "isIP(self)", "message": "must be a valid IPv4 or IPv6 address"}]})
    );
    assert_eq!(
        property(&schema, "name"),
        json!({"type": "string", "minLength": 1, "maxLength": 63, "pattern": "^[a-z]+$", "description": "A name."})
    );
    assert_eq!(
        property(&schema, "label"),
        json!({"type": "string", "maxLength": 20, "pattern": "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$",
               "description": "A label: the format's maxLength 63 and the rule's 20 intersect."})
    );
    assert_eq!(
        property(&schema, "memory"),
        // QUANTITY_MAX_LEN bounds the string so the CEL cost estimator accepts the rule.
        json!({"type": "string", "maxLength": 64, "description": "Memory.", "x-kubernetes-validations": [{
            "rule": "isQuantity(self) && quantity(self).compareTo(quantity('128Mi')) >= 0 && quantity(self).compareTo(quantity('1Gi')) <= 0",
            "message": "must be a Kubernetes quantity between 128Mi and 1Gi"}]})
    );
    assert_eq!(
        property(&schema, "mode"),
        json!({"type": "string", "enum": ["fast", "slow"], "description": "A mode."})
    );
    assert_eq!(
        property(&schema, "addresses"),
        json!({"type": "array", "x-kubernetes-list-type": "set", "minItems": 1, "maxItems": 4,
               "description": "Addresses, unique.",
               "items": {"type": "string", "maxLength": 45,
                         "x-kubernetes-validations": [{"rule": "isIP(self)", "message": "must be a valid IPv4 or IPv6 address"}]}})
    );
}

// --- wire names, required, defaults, docs, maps, list maps --------------------------------------

/// Cluster networking.
/// Continued on a second line.
///
/// A second paragraph.
#[derive(Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct Networking {
    /// Pod network.
    #[serde(rename = "podCIDR")]
    pub pod_cidr: String,
    /// The networking type.
    pub r#type: String,
    /// Cluster domain.
    pub service_domain: String,
    /// Maximum pods per node.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_pods: Option<u32>,
    /// Replicas,
    ///   indented on a second line.
    #[viti(default = 1)]
    pub replicas: u8,
    /// Labels.
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    /// Method.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(default = "first")]
    pub method: Option<Method>,
    /// Enabled.
    #[viti(default = false)]
    pub enabled: bool,
    /// Interfaces by name.
    #[viti(list(map("name")), items(max = 64))]
    pub interfaces: Vec<Interface>,
    /// Not on the wire at all.
    #[serde(skip)]
    pub cache: u128,
}

/// A network interface.
#[derive(Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct Interface {
    /// Interface name.
    pub name: String,
    /// MAC address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mac_address: Option<String>,
}

/// Balancing method.
#[derive(Serialize, Deserialize, Schema)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    /// Each in turn.
    RoundRobin,
    /// Fewest sessions.
    LeastSession,
    /// Renamed explicitly.
    #[serde(rename = "first")]
    FirstAlive,
}

#[test]
fn wire_names_required_defaults_and_docs() {
    let schema = openapi::<Networking>();
    assert_eq!(schema["type"], "object");
    assert_eq!(
        schema["description"],
        "Cluster networking. Continued on a second line.\n\nA second paragraph."
    );
    let names: Vec<&str> = schema["properties"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    assert_eq!(
        sorted,
        [
            "enabled",
            "interfaces",
            "labels",
            "maxPods",
            "method",
            "podCIDR",
            "replicas",
            "serviceDomain",
            "type"
        ]
    );
    // Option, `default = ...` and `#[serde(default)]` fields are not required.
    assert_eq!(
        schema["required"],
        json!(["podCIDR", "type", "serviceDomain", "interfaces"])
    );
    assert_eq!(
        property(&schema, "replicas"),
        json!({"type": "integer", "format": "int32", "minimum": 0, "maximum": 255, "default": 1,
               "description": "Replicas, indented on a second line."})
    );
    assert_eq!(
        property(&schema, "labels"),
        json!({"type": "object", "additionalProperties": {"type": "string"}, "description": "Labels."})
    );
    assert_eq!(
        property(&schema, "method"),
        json!({"type": "string", "enum": ["round-robin", "least-session", "first"], "default": "first", "description": "Method."})
    );
    assert_eq!(
        property(&schema, "enabled"),
        json!({"type": "boolean", "default": false, "description": "Enabled."})
    );
    assert_eq!(
        property(&schema, "interfaces"),
        json!({
            "type": "array",
            "x-kubernetes-list-type": "map",
            "x-kubernetes-list-map-keys": ["name"],
            "maxItems": 64,
            "description": "Interfaces by name.",
            "items": {
                "type": "object",
                "description": "A network interface.",
                "properties": {
                    "name": {"type": "string", "description": "Interface name."},
                    "macAddress": {"type": "string", "description": "MAC address."}
                },
                "required": ["name"]
            }
        })
    );
}

#[test]
fn unit_enum_is_a_string_enum_of_serde_names() {
    assert_eq!(
        openapi::<Method>(),
        json!({"type": "string", "enum": ["round-robin", "least-session", "first"], "description": "Balancing method."})
    );
}

// --- cross-field rules -------------------------------------------------------------------------

fn limits_ordered(value: &Value) -> bool {
    match (value["min"].as_i64(), value["max"].as_i64()) {
        (Some(min), Some(max)) => min <= max,
        _ => true,
    }
}

/// Boot firmware.
#[derive(Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
#[viti(
    rule(
        when = "secureBoot == true",
        then = "type == 'uefi'",
        message = "secureBoot requires firmware type uefi"
    ),
    rule(
        when = "type in ['static', 'kea']",
        then = "has(ipam.subnet)",
        message = "subnet is required"
    ),
    rule(
        when = "type == 'dhcp'",
        then = "!has(gateway)",
        message = "gateway is set by DHCP",
        field_path = ".ipam"
    ),
    ip_in_cidr(ip = "gateway", cidr = "ipam.subnet")
)]
#[viti(cel(rule = "self.min <= self.max", message = "min must not exceed max", check = limits_ordered, reason = "invalid"))]
pub struct Firmware {
    /// Firmware type.
    pub r#type: String,
    /// Secure boot.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secure_boot: Option<bool>,
    /// Gateway.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(ip)]
    pub gateway: Option<String>,
    /// Address management.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ipam: Option<Ipam>,
    /// Lower limit.
    pub min: i32,
    /// Upper limit.
    pub max: i32,
}

/// Address management.
#[derive(Serialize, Deserialize, Schema)]
pub struct Ipam {
    /// The subnet.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(cidr)]
    pub subnet: Option<String>,
}

#[test]
fn cross_field_rules_render_to_cel() {
    let schema = openapi::<Firmware>();
    let rules = schema["x-kubernetes-validations"]
        .as_array()
        .expect("CEL rules on the struct");
    assert_eq!(
        rules[0],
        json!({
            "rule": "!(has(self.secureBoot) && self.secureBoot == true) || (has(self.type) && self.type == 'uefi')",
            "message": "secureBoot requires firmware type uefi",
            // The default fieldPath is the first path of `then`; Eq gives no reason (Invalid).
            "fieldPath": ".type"
        })
    );
    assert_eq!(
        rules[1],
        json!({
            "rule": "!(has(self.type) && self.type in ['static', 'kea']) || (has(self.ipam) && has(self.ipam.subnet))",
            "message": "subnet is required",
            "fieldPath": ".ipam.subnet",
            "reason": "FieldValueRequired"
        })
    );
    assert_eq!(
        rules[2],
        json!({
            "rule": "!(has(self.type) && self.type == 'dhcp') || !(has(self.gateway))",
            "message": "gateway is set by DHCP",
            "fieldPath": ".ipam",
            "reason": "FieldValueForbidden"
        })
    );
    assert_eq!(
        rules[3],
        json!({
            "rule": "!(has(self.gateway)) || !(has(self.ipam) && has(self.ipam.subnet)) || !isCIDR(self.ipam.subnet) || !isIP(self.gateway) || cidr(self.ipam.subnet).containsIP(self.gateway)",
            "message": "must be inside ipam.subnet",
            "fieldPath": ".gateway"
        })
    );
    assert_eq!(
        rules[4],
        json!({"rule": "self.min <= self.max", "message": "min must not exceed max"})
    );
    assert_eq!(rules.len(), 5);
}

#[test]
fn cross_field_rules_validate() {
    let ok = Firmware {
        r#type: "static".into(),
        secure_boot: Some(false),
        gateway: Some("10.0.0.1".into()),
        ipam: Some(Ipam {
            subnet: Some("10.0.0.0/24".into()),
        }),
        min: 1,
        max: 2,
    };
    assert_eq!(ok.validate(), Ok(()));

    let bad = Firmware {
        r#type: "static".into(),
        secure_boot: Some(true),
        gateway: Some("10.0.1.1".into()),
        ipam: Some(Ipam { subnet: None }),
        min: 3,
        max: 2,
    };
    let errors = bad.validate().expect_err("four rules are broken");
    let found: Vec<(&str, ErrorKind, &str)> = errors
        .errors()
        .iter()
        .map(|e| (e.path.as_str(), e.kind, e.detail.as_str()))
        .collect();
    // ip_in_cidr holds vacuously: there is no subnet to be outside of.
    assert_eq!(
        found,
        [
            (
                "type",
                ErrorKind::Invalid,
                "secureBoot requires firmware type uefi"
            ),
            ("ipam.subnet", ErrorKind::Required, "subnet is required"),
            ("", ErrorKind::Invalid, "min must not exceed max"),
        ]
    );

    let outside = Firmware {
        secure_boot: None,
        ipam: Some(Ipam {
            subnet: Some("10.0.0.0/24".into()),
        }),
        min: 0,
        ..bad
    };
    let errors = outside
        .validate()
        .expect_err("the gateway is outside the subnet");
    assert_eq!(errors.paths(), ["gateway"]);
    assert_eq!(errors.errors()[0].detail, "must be inside ipam.subnet");
}

// --- validate() ----------------------------------------------------------------------------------

/// A virtual machine.
#[derive(Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct Vm {
    /// VLAN id.
    #[viti(range(min = 1, max = 4094))]
    pub vlan_id: u16,
    /// Host name.
    #[viti(rfc1123_label)]
    pub host_name: String,
    /// Interfaces.
    #[viti(list(map("name")))]
    pub interfaces: Vec<Nic>,
}

/// A network interface card.
#[derive(Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct Nic {
    /// Name.
    pub name: String,
    /// MAC address.
    #[viti(mac)]
    pub mac_address: String,
}

fn nic(name: &str, mac: &str) -> Nic {
    Nic {
        name: name.into(),
        mac_address: mac.into(),
    }
}

#[test]
fn validate_reports_every_violation_with_wire_paths() {
    let good = Vm {
        vlan_id: 10,
        host_name: "web-1".into(),
        interfaces: vec![nic("eth0", "52:54:00:12:34:56")],
    };
    assert_eq!(good.validate(), Ok(()));

    let two_bad = Vm {
        vlan_id: 5000,
        host_name: "Web_1".into(),
        interfaces: vec![],
    };
    let errors = two_bad.validate().expect_err("two fields are bad");
    assert_eq!(errors.errors().len(), 2, "{errors}");
    assert_eq!(errors.paths(), ["hostName", "vlanId"]);
    let vlan = &errors.errors()[0];
    assert_eq!(
        (vlan.path.as_str(), vlan.kind, vlan.value.as_deref()),
        ("vlanId", ErrorKind::Invalid, Some("5000"))
    );
    assert_eq!(vlan.detail, "must be less than or equal to 4094");
    assert_eq!(errors.errors()[1].kind, ErrorKind::Invalid);
    assert_eq!(errors.errors()[1].value.as_deref(), Some("\"Web_1\""));

    let nested = Vm {
        vlan_id: 1,
        host_name: "web".into(),
        interfaces: vec![
            nic("eth0", "52:54:00:12:34:56"),
            nic("eth1", "not-a-mac"),
            nic("eth0", "52:54:00:12:34:57"),
        ],
    };
    let errors = nested
        .validate()
        .expect_err("a bad MAC and a duplicate key");
    let found: Vec<(&str, ErrorKind)> = errors
        .errors()
        .iter()
        .map(|e| (e.path.as_str(), e.kind))
        .collect();
    assert_eq!(
        found,
        [
            ("interfaces[1].macAddress", ErrorKind::Invalid),
            ("interfaces[2]", ErrorKind::Duplicate)
        ]
    );
}

// --- #[derive(CustomResource)] ---------------------------------------------------------------------

/// A widget: a small kind for testing the derive.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Schema, CustomResource)]
#[serde(rename_all = "camelCase")]
#[crd(
    group = "example.com",
    version = "v1alpha1",
    kind = "Widget",
    namespaced,
    status = "WidgetStatus",
    shortname = "wd",
    category = "toys",
    printcolumn(
        name = "Size",
        type = "integer",
        json_path = ".spec.size",
        description = "Widget size"
    ),
    printcolumn(
        name = "Phase",
        type = "string",
        json_path = ".status.phase",
        priority = 1
    ),
    printcolumn(name = "Age", type = "date", json_path = ".metadata.creationTimestamp")
)]
pub struct WidgetSpec {
    /// Size, 1 to 10.
    #[viti(range(min = 1, max = 10))]
    pub size: u8,
    /// Colour.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub colour: Option<String>,
}

/// What a widget is doing.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
pub struct WidgetStatus {
    /// The phase.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phase: Option<String>,
}

/// A cluster-scoped kind with an explicit plural.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Schema, CustomResource)]
#[crd(
    group = "example.com",
    version = "v1",
    kind = "Gizmo",
    plural = "gizmoes",
    status = "WidgetStatus"
)]
pub struct GizmoSpec {
    /// A name.
    pub name: String,
}

#[test]
fn custom_resource_crd() {
    assert_eq!(Widget::SINGULAR, "widget");
    assert_eq!(Widget::SCOPE, Scope::Namespaced);
    let crd = Widget::crd();
    assert_eq!(crd["apiVersion"], "apiextensions.k8s.io/v1");
    assert_eq!(crd["kind"], "CustomResourceDefinition");
    assert_eq!(crd["metadata"], json!({"name": "widgets.example.com"}));
    assert_eq!(crd["spec"]["group"], "example.com");
    assert_eq!(crd["spec"]["scope"], "Namespaced");
    assert_eq!(
        crd["spec"]["names"],
        json!({"kind": "Widget", "listKind": "WidgetList", "plural": "widgets", "singular": "widget",
               "shortNames": ["wd"], "categories": ["toys"]})
    );
    let versions = crd["spec"]["versions"].as_array().unwrap();
    assert_eq!(versions.len(), 1);
    let version = &versions[0];
    assert_eq!(
        (&version["name"], &version["served"], &version["storage"]),
        (&json!("v1alpha1"), &json!(true), &json!(true))
    );
    assert_eq!(version["subresources"], json!({"status": {}}));
    assert_eq!(
        version["additionalPrinterColumns"],
        json!([
            {"name": "Size", "type": "integer", "jsonPath": ".spec.size", "description": "Widget size"},
            {"name": "Phase", "type": "string", "jsonPath": ".status.phase", "priority": 1},
            {"name": "Age", "type": "date", "jsonPath": ".metadata.creationTimestamp"}
        ])
    );
    let root = &version["schema"]["openAPIV3Schema"];
    assert_eq!(
        root["description"],
        "A widget: a small kind for testing the derive."
    );
    assert_eq!(root["required"], json!(["spec"]));
    let spec = &root["properties"]["spec"];
    assert_eq!(spec["description"], "Desired state of the Widget.");
    assert_eq!(spec["required"], json!(["size"]));
    assert_eq!(
        spec["properties"]["size"],
        json!({"type": "integer", "format": "int32", "minimum": 1, "maximum": 10, "description": "Size, 1 to 10."})
    );
    assert_eq!(
        root["properties"]["status"]["properties"]["phase"],
        json!({"type": "string", "description": "The phase."})
    );

    let gizmo = Gizmo::crd();
    assert_eq!(gizmo["metadata"]["name"], "gizmoes.example.com");
    assert_eq!(gizmo["spec"]["scope"], "Cluster");
    assert!(gizmo["spec"]["names"].get("shortNames").is_none());
    assert!(gizmo["spec"]["versions"][0]
        .get("additionalPrinterColumns")
        .is_none());
}

#[test]
fn custom_resource_wire_form() {
    let mut widget = Widget::new(
        "w1",
        WidgetSpec {
            size: 3,
            colour: None,
        },
    );
    let text = serde_json::to_string(&widget).unwrap();
    assert!(
        text.starts_with(r#"{"apiVersion":"example.com/v1alpha1","kind":"Widget","#),
        "{text}"
    );
    assert_eq!(
        serde_json::to_value(&widget).unwrap(),
        json!({"apiVersion": "example.com/v1alpha1", "kind": "Widget", "metadata": {"name": "w1"}, "spec": {"size": 3}})
    );

    widget.status = Some(WidgetStatus {
        phase: Some("Ready".into()),
    });
    let value = serde_json::to_value(&widget).unwrap();
    assert_eq!(value["status"], json!({"phase": "Ready"}));
    let back: Widget = serde_json::from_value(value).unwrap();
    assert_eq!(back, widget);

    // apiVersion and kind may be absent (lists omit them), but not wrong.
    let bare: Widget =
        serde_json::from_value(json!({"metadata": {"name": "w2"}, "spec": {"size": 1}})).unwrap();
    assert_eq!(bare.spec.size, 1);
    let wrong_kind =
        json!({"apiVersion": "example.com/v1alpha1", "kind": "Gizmo", "spec": {"size": 1}});
    let error = serde_json::from_value::<Widget>(wrong_kind)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("kind") && error.contains("Widget") && error.contains("Gizmo"),
        "{error}"
    );
    let wrong_version =
        json!({"apiVersion": "example.com/v1", "kind": "Widget", "spec": {"size": 1}});
    let error = serde_json::from_value::<Widget>(wrong_version)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("apiVersion") && error.contains("example.com/v1alpha1"),
        "{error}"
    );
}

#[test]
fn custom_resource_kube_traits_and_validate() {
    use vitistack_types::__private::kube_core::object::{HasSpec, HasStatus};
    use vitistack_types::__private::kube_core::Resource;

    assert_eq!(Widget::plural(&()), "widgets");
    assert_eq!(Widget::kind(&()), "Widget");
    assert_eq!(Widget::group(&()), "example.com");
    assert_eq!(Widget::version(&()), "v1alpha1");
    assert_eq!(Widget::api_version(&()), "example.com/v1alpha1");
    assert_eq!(
        Widget::url_path(&(), Some("ns")),
        "/apis/example.com/v1alpha1/namespaces/ns/widgets"
    );
    assert_eq!(Gizmo::plural(&()), "gizmoes");
    assert_eq!(Gizmo::url_path(&(), None), "/apis/example.com/v1/gizmoes");

    let mut widget = Widget::new(
        "w1",
        WidgetSpec {
            size: 3,
            colour: None,
        },
    );
    assert_eq!(widget.meta().name.as_deref(), Some("w1"));
    assert_eq!(widget.spec().size, 3);
    assert!(widget.status().is_none());
    assert_eq!(widget.validate(), Ok(()));

    widget.spec_mut().size = 11;
    widget.meta_mut().name = Some("Bad_Name".into());
    let errors = widget.validate().expect_err("size and name are bad");
    assert_eq!(errors.paths(), ["metadata.name", "spec.size"]);
}
