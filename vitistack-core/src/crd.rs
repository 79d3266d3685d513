//! Custom resources: what `#[derive(CustomResource)]` records about a kind, and the library code
//! that turns it into a CustomResourceDefinition and a JSON Schema.

use crate::schema::{json_schema, openapi, Node, Property, Schema, Type};
use serde_json::{json, Value};

pub mod loaded;
#[doc(hidden)]
pub mod version_check;
pub mod versions;
pub use loaded::{read_crd, LoadedCrd, LoadedVersion, Names, Subresources};
pub use versions::{CrdVersion, Versions};

/// Whether objects of a kind live in a namespace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// In a namespace.
    Namespaced,
    /// Cluster-wide.
    Cluster,
}

impl Scope {
    /// The CRD's `spec.scope` value.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Namespaced => "Namespaced",
            Scope::Cluster => "Cluster",
        }
    }
}

/// One `additionalPrinterColumns` entry (a column of `kubectl get`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PrinterColumn {
    /// Column header.
    pub name: &'static str,
    /// `string`, `integer`, `number`, `boolean` or `date`.
    pub type_: &'static str,
    /// A simple JSON path such as `.status.phase`.
    pub json_path: &'static str,
    /// What the column shows.
    pub description: &'static str,
    /// 0 shows by default; higher only with `-o wide`.
    pub priority: i32,
    /// Optional OpenAPI format.
    pub format: Option<&'static str>,
}

/// The scale subresource (`subresources.scale`): where `kubectl scale`, the
/// HorizontalPodAutoscaler and PodDisruptionBudgets read and write the replica count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scale {
    /// `specReplicasPath`, under `.spec` (e.g. `.spec.replicas`).
    pub spec_replicas_path: &'static str,
    /// `statusReplicasPath`, under `.status`.
    pub status_replicas_path: &'static str,
    /// `labelSelectorPath`, under `.spec` or `.status`: a label selector in its string form.
    pub label_selector_path: Option<&'static str>,
}

/// A Kubernetes custom resource kind, implemented by `#[derive(CustomResource)]`.
pub trait CustomResourceKind: Sized {
    /// API group, e.g. `vitistack.io`.
    const GROUP: &'static str;
    /// API version, e.g. `v1alpha1`.
    const VERSION: &'static str;
    /// `group/version`.
    const API_VERSION: &'static str;
    /// Kind, e.g. `Machine`.
    const KIND: &'static str;
    /// Plural resource name, e.g. `machines`.
    const PLURAL: &'static str;
    /// Singular name (lower-case kind).
    const SINGULAR: &'static str;
    /// Short names for `kubectl get`.
    const SHORT_NAMES: &'static [&'static str];
    /// Categories (`kubectl get <category>` lists every kind in it).
    const CATEGORIES: &'static [&'static str];
    /// Namespaced or cluster-wide.
    const SCOPE: Scope;
    /// `kubectl get` columns.
    const PRINTER_COLUMNS: &'static [PrinterColumn];
    /// What the kind is (the root description).
    const DESCRIPTION: &'static str;
    /// Field selectors beyond `metadata.name` and `metadata.namespace` (`selectableFields`,
    /// JSON paths such as `.spec.color`).
    const SELECTABLE_FIELDS: &'static [&'static str] = &[];
    /// The scale subresource, when the kind has one.
    const SCALE: Option<Scale> = None;

    /// The spec type.
    type Spec: Schema;
    /// The status type.
    type Status: Schema;

    /// The schema of a whole object, built once.
    fn root_schema() -> &'static Node;

    /// The CustomResourceDefinition.
    fn crd() -> Value {
        crd::<Self>()
    }

    /// The JSON Schema of a whole object.
    fn json_schema() -> Value {
        json_schema_document::<Self>()
    }
}

const API_VERSION_DOC: &str = "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources";
const KIND_DOC: &str = "Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds";

/// The schema of a whole object of kind `K`: apiVersion, kind, metadata, spec (required), status.
pub fn root_node<K: CustomResourceKind>() -> Node {
    let properties = vec![
        Property::new("apiVersion", false, Node::new(Type::String).describe(API_VERSION_DOC)),
        Property::new("kind", false, Node::new(Type::String).describe(KIND_DOC)),
        // The apiserver allows nothing on the root metadata schema but name/generateName rules.
        Property::new("metadata", false, Node::metadata()),
        Property::new("spec", true, K::Spec::schema().describe(format!("Desired state of the {}.", K::KIND))),
        Property::new(
            "status",
            false,
            K::Status::schema().describe(format!(
                "Observed state of the {}, written by its controller through the status subresource.",
                K::KIND
            )),
        ),
    ];
    Node::object(properties).describe(K::DESCRIPTION)
}

/// The CustomResourceDefinition (`apiextensions.k8s.io/v1`) of kind `K`.
pub fn crd<K: CustomResourceKind>() -> Value {
    let columns: Vec<Value> = K::PRINTER_COLUMNS.iter().map(printer_column).collect();
    let mut version = json!({
        "name": K::VERSION,
        "served": true,
        "storage": true,
        "schema": { "openAPIV3Schema": openapi::render(K::root_schema()) },
        "subresources": { "status": {} },
    });
    if !columns.is_empty() {
        version["additionalPrinterColumns"] = Value::Array(columns);
    }
    if !K::SELECTABLE_FIELDS.is_empty() {
        let fields = K::SELECTABLE_FIELDS.iter();
        version["selectableFields"] = fields.map(|p| json!({ "jsonPath": p })).collect();
    }
    if let Some(scale) = &K::SCALE {
        version["subresources"]["scale"] = scale_subresource(scale);
    }
    let mut names = json!({
        "kind": K::KIND,
        "listKind": format!("{}List", K::KIND),
        "plural": K::PLURAL,
        "singular": K::SINGULAR,
    });
    if !K::SHORT_NAMES.is_empty() {
        names["shortNames"] = json!(K::SHORT_NAMES);
    }
    if !K::CATEGORIES.is_empty() {
        names["categories"] = json!(K::CATEGORIES);
    }
    json!({
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": { "name": format!("{}.{}", K::PLURAL, K::GROUP) },
        "spec": {
            "group": K::GROUP,
            "names": names,
            "scope": K::SCOPE.as_str(),
            "versions": [version],
        },
    })
}

fn scale_subresource(scale: &Scale) -> Value {
    let mut value = json!({
        "specReplicasPath": scale.spec_replicas_path,
        "statusReplicasPath": scale.status_replicas_path,
    });
    if let Some(selector) = scale.label_selector_path {
        value["labelSelectorPath"] = json!(selector);
    }
    value
}

fn printer_column(column: &PrinterColumn) -> Value {
    let mut value = json!({
        "name": column.name,
        "type": column.type_,
        "jsonPath": column.json_path,
    });
    if !column.description.is_empty() {
        value["description"] = json!(column.description);
    }
    if column.priority != 0 {
        value["priority"] = json!(column.priority);
    }
    if let Some(format) = column.format {
        value["format"] = json!(format);
    }
    value
}

/// One generated JSON Schema for a kind: what `vitistack-codegen` writes to
/// `schemas/<group>/<kind>_<version>.json`.
#[derive(Debug, Clone, PartialEq)]
pub struct KindSchema {
    /// The kind, e.g. `Machine`.
    pub kind: String,
    /// The API group, e.g. `vitistack.io`.
    pub group: String,
    /// The version, e.g. `v1alpha1`.
    pub version: String,
    /// The JSON Schema document (draft 7) for a whole object of this kind.
    pub schema: Value,
}

impl KindSchema {
    /// The JSON Schema of kind `K`.
    pub fn of<K: CustomResourceKind>() -> KindSchema {
        KindSchema {
            kind: K::KIND.to_string(),
            group: K::GROUP.to_string(),
            version: K::VERSION.to_string(),
            schema: K::json_schema(),
        }
    }
}

/// The JSON Schema document of kind `K`: the object schema plus the fixed apiVersion and kind.
pub fn json_schema_document<K: CustomResourceKind>() -> Value {
    let (mut schema, _) = json_schema::render(K::root_schema());
    schema["$schema"] = json!("http://json-schema.org/draft-07/schema#");
    schema["title"] = json!(K::KIND);
    schema["properties"]["apiVersion"]["enum"] = json!([K::API_VERSION]);
    schema["properties"]["kind"]["enum"] = json!([K::KIND]);
    schema["required"] = json!(["apiVersion", "kind", "metadata", "spec"]);
    schema
}

/// Printer column paths that do not exist in the kind's schema (`.metadata.*` always exists).
pub fn missing_printer_column_paths<K: CustomResourceKind>() -> Vec<&'static str> {
    K::PRINTER_COLUMNS
        .iter()
        .map(|c| c.json_path)
        .filter(|path| !path.starts_with(".metadata.") && K::root_schema().lookup(path).is_none())
        .collect()
}

/// Checks `apiVersion` and `kind` read from an object against the expected ones; absent values
/// are accepted (lists and some clients omit them).
pub fn check_type_meta(
    api_version: Option<&str>,
    kind: Option<&str>,
    expected_api_version: &str,
    expected_kind: &str,
) -> Result<(), String> {
    if let Some(found) = api_version.filter(|v| *v != expected_api_version) {
        return Err(format!(
            "apiVersion: expected {expected_api_version:?}, found {found:?}"
        ));
    }
    if let Some(found) = kind.filter(|k| *k != expected_kind) {
        return Err(format!("kind: expected {expected_kind:?}, found {found:?}"));
    }
    Ok(())
}

/// `validate_update` for every kind: the whole object against its root schema, as the
/// apiserver checks a PUT or patch.
impl<K: CustomResourceKind + serde::Serialize> crate::validate::ValidateUpdate for K {
    fn validate_update(&self, old: &Self) -> Result<(), crate::report::ValidationErrors> {
        crate::validate::validate_update_serialize(K::root_schema(), self, old)
    }
}
