//! Lints for CRDs: structural-schema rules and formats the apiserver does not know.
//!
//! The rules mirror `k8s.io/apiextensions-apiserver` (`pkg/apis/apiextensions/validation` and
//! `pkg/apiserver/schema/validation.go`). They check each
//! `spec.versions[*].schema.openAPIV3Schema` (and a v1beta1 `spec.validation.openAPIV3Schema`).
//! CEL rules are checked only for where they may read `oldSelf`
//! ([`lint_transition_rules`]). Not checked: defaults against their schema, CEL rules' syntax
//! and their cost, and completeness of
//! value validations under junctors (properties mentioned in `anyOf` must also be declared).

use std::fmt;

use serde_json::{Map, Value};

use crate::formats::is_known_format;
use crate::path::JsonPath;

/// The kind of a [`Finding`]; one variant per rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum FindingKind {
    /// The document is not an `apiextensions.k8s.io` CustomResourceDefinition.
    NotACrd,
    /// A version has no `schema.openAPIV3Schema`.
    MissingSchema,
    /// A schema node is not a JSON object.
    NotASchema,
    /// A node lacks `type` (and is neither int-or-string nor preserve-unknown-fields).
    MissingType,
    /// `type` is not one of string, number, integer, boolean, array, object (e.g. `null`, a list).
    InvalidType,
    /// The root schema is not `type: object`.
    RootNotObject,
    /// A keyword the apiserver rejects: `$ref`, `definitions`, `$defs`, `patternProperties`,
    /// `dependencies`, `additionalItems`, `id`.
    ForbiddenKeyword,
    /// `uniqueItems: true`.
    UniqueItems,
    /// `x-kubernetes-preserve-unknown-fields: false` (must be `true` or absent).
    PreserveUnknownFieldsFalse,
    /// `type: array` without `items`.
    MissingItems,
    /// `items` is a list of schemas (a tuple) or not a schema.
    TupleItems,
    /// Both `properties` and a non-`true` `additionalProperties`.
    PropertiesAndAdditionalProperties,
    /// `additionalProperties` at the root or on an embedded resource.
    AdditionalPropertiesForbidden,
    /// A keyword that is not allowed inside `allOf`/`anyOf`/`oneOf`/`not` (type, default,
    /// description, title, nullable, additionalProperties, x-kubernetes-* ...), or
    /// `properties.metadata` there.
    JunctorKeyword,
    /// `allOf`/`anyOf`/`oneOf` is not a list of schemas, or `not` is not a schema.
    InvalidJunctor,
    /// `x-kubernetes-int-or-string` combined with `type`, preserve-unknown-fields or
    /// embedded-resource.
    IntOrString,
    /// `x-kubernetes-embedded-resource` without `type: object`, or without properties and
    /// preserve-unknown-fields.
    EmbeddedResource,
    /// The root `metadata` schema restricts more than `name`/`generateName`, or root
    /// `kind`/`apiVersion` is not a string.
    Metadata,
    /// `nullable` at the root.
    NullableRoot,
    /// Invalid `x-kubernetes-list-type`, `x-kubernetes-list-map-keys` or `x-kubernetes-map-type`.
    ListOrMapType,
    /// A `format` the apiserver does not know for the node's type (it is stripped silently).
    UnknownFormat,
    /// A CEL rule that reads `oldSelf` (a transition rule) below an item of a list that is not
    /// a list-map, or a value of an atomic map: the apiserver cannot pair such a value with its
    /// old one and rejects the CRD.
    UncorrelatableTransitionRule,
    /// An `x-kubernetes-validations` rule (or its `messageExpression`) that does not compile
    /// against the schema of its node: a syntax error, an unknown field, a type error, a
    /// function the apiserver does not offer. The apiserver rejects the CRD.
    CelRule,
    /// An `x-kubernetes-validations` rule (or `messageExpression`) whose estimated cost, times
    /// how often its node can occur, is over the apiserver's per-expression limit, or all rules
    /// of a schema together over the per-CRD limit (`estimated rule cost exceeds budget by
    /// factor of 18.1x`). The apiserver rejects the CRD.
    CelCost,
}

/// One lint result: where (a dotted JSON path into the CRD) and what.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Finding {
    /// Dotted JSON path of the offending node, e.g.
    /// `spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.vlan`.
    pub path: String,
    /// Which rule.
    pub kind: FindingKind,
    /// Human-readable description, naming the keyword.
    pub message: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

const VALID_TYPES: &[&str] = &["string", "number", "integer", "boolean", "array", "object"];
const FORBIDDEN_KEYWORDS: &[&str] = &[
    "$ref",
    "definitions",
    "$defs",
    "patternProperties",
    "dependencies",
    "additionalItems",
    "id",
];
const JUNCTOR_FORBIDDEN: &[&str] = &[
    "type",
    "default",
    "title",
    "description",
    "nullable",
    "additionalProperties",
    "x-kubernetes-preserve-unknown-fields",
    "x-kubernetes-embedded-resource",
    "x-kubernetes-int-or-string",
    "x-kubernetes-list-type",
    "x-kubernetes-list-map-keys",
    "x-kubernetes-map-type",
    "x-kubernetes-validations",
];
const JUNCTORS: &[&str] = &["allOf", "anyOf", "oneOf"];

/// All lints: [`lint_structural`], then [`lint_formats`] and [`lint_transition_rules`].
pub fn lint_crd(crd: &Value) -> Vec<Finding> {
    let mut out = lint_structural(crd);
    if !out.iter().any(|f| f.kind == FindingKind::NotACrd) {
        out.extend(lint_formats(crd));
        out.extend(lint_transition_rules(crd));
        out.extend(lint_cel_rules(crd));
    }
    out
}

/// CEL lint of one CRD: every `x-kubernetes-validations` rule (and `messageExpression`) compiled
/// by the CEL engine (`vitistack_core::cel`) against the schema of its node, as the apiserver
/// compiles a new rule when the CRD is written. A finding names the kind, the node and the rule.
/// Then the estimated cost of every rule that compiles, as the apiserver estimates it
/// ([`lint_cel_cost`]).
pub fn lint_cel_rules(crd: &Value) -> Vec<Finding> {
    use vitistack_core::cel::types::Decl;
    use vitistack_core::cel::{Program, ValidationRule};
    let mut out = Vec::new();
    let Some(roots) = schema_roots(crd, &mut out) else {
        return out;
    };
    let kind = crd_kind(crd);
    for (root, schema) in roots {
        walk_all_nodes(schema, &root, &mut |node, path| {
            let Some(rules) = node
                .get("x-kubernetes-validations")
                .and_then(Value::as_array)
            else {
                return;
            };
            // The root and embedded resources: CEL sees `metadata` as name and generateName only.
            let resource_root = *path == root
                || node.get("x-kubernetes-embedded-resource") == Some(&Value::Bool(true));
            let Some(decl) = Decl::from_schema(&Value::Object(node.clone()), "self", resource_root)
            else {
                let message =
                    format!("{kind}: x-kubernetes-validations on a node CEL has no type for");
                out_push(&mut out, path, FindingKind::CelRule, message);
                return;
            };
            for (i, entry) in rules.iter().enumerate() {
                let rule = ValidationRule::from_json(entry);
                if let Err(e) = Program::compile(&rule, &decl) {
                    let at = path.key("x-kubernetes-validations").index(i);
                    let message = format!("{kind}: rule {:?} does not compile: {e}", rule.rule);
                    out_push(&mut out, &at, FindingKind::CelRule, message);
                }
            }
        });
    }
    out.extend(lint_cel_cost(crd));
    out
}

/// The CRD's `spec.names.kind`, which findings name.
fn crd_kind(crd: &Value) -> &str {
    crd.pointer("/spec/names/kind")
        .and_then(Value::as_str)
        .unwrap_or("(no kind)")
}

/// CEL cost lint of one CRD (`vitistack_core::cel::cost`): each rule or messageExpression
/// whose estimated cost (times its node's cardinality) is over the apiserver's limit of
/// 10,000,000, with the apiserver's text, the path it names (from `openAPIV3Schema`) and the
/// bound that alone would bring the rule under; and each schema whose rules together are over
/// 100,000,000.
pub fn lint_cel_cost(crd: &Value) -> Vec<Finding> {
    use vitistack_core::cel::cost::{self, Expression, Step};
    let mut out = Vec::new();
    let Some(roots) = schema_roots(crd, &mut Vec::new()) else {
        return out;
    };
    let kind = crd_kind(crd);
    for (root, schema) in roots {
        let costs = cost::schema_cost(schema);
        for f in &costs.findings {
            let Some(over) = &f.over_limit else { continue };
            let mut at = root.clone();
            for step in &f.node {
                at = match step {
                    Step::Property(name) => at.key("properties").key(name),
                    Step::Items => at.key("items"),
                    Step::AdditionalProperties => at.key("additionalProperties"),
                };
            }
            at = at.key("x-kubernetes-validations").index(f.index);
            at = at.key(match f.expression {
                Expression::Rule => "rule",
                Expression::MessageExpression => "messageExpression",
            });
            let advice = match &f.suggestion {
                Some(s) => format!("; {s}"),
                None => String::new(),
            };
            let message = format!(
                "{kind}: {over} (at {}: {} per evaluation, {} occurrences){advice}",
                f.path,
                f.max_cost,
                f.cardinality.multiplier()
            );
            out_push(&mut out, &at, FindingKind::CelCost, message);
        }
        if let Some(total) = &costs.total_over_limit {
            let message = format!(
                "{kind}: {total}; most expensive: {}",
                costs.most_expensive.join(", ")
            );
            out_push(&mut out, &root, FindingKind::CelCost, message);
        }
    }
    out
}

/// Transition-rule lint of one CRD: every `x-kubernetes-validations` rule that reads `oldSelf`
/// where the apiserver has no old value to pair with (below an item of a list that is not
/// `x-kubernetes-list-type: map`, or a value of an `x-kubernetes-map-type: atomic` map).
pub fn lint_transition_rules(crd: &Value) -> Vec<Finding> {
    let mut out = Vec::new();
    let Some(roots) = schema_roots(crd, &mut out) else {
        return out;
    };
    for (path, schema) in roots {
        transition_rules(schema, &path, false, &mut out);
    }
    out
}

fn transition_rules(node: &Value, path: &JsonPath, uncorrelatable: bool, out: &mut Vec<Finding>) {
    let Some(obj) = node.as_object() else {
        return;
    };
    let reads_old = obj
        .get("x-kubernetes-validations")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|v| v.get("rule").and_then(Value::as_str))
        .any(|rule| rule.contains("oldSelf"));
    if uncorrelatable && reads_old {
        let message = "a rule reads oldSelf where no old value correlates (inside a list that is not a list-map, or an atomic map): the apiserver rejects it; use x-kubernetes-list-type: map".to_string();
        out_push(
            out,
            path,
            FindingKind::UncorrelatableTransitionRule,
            message,
        );
    }
    if let Some(props) = obj.get("properties").and_then(Value::as_object) {
        let ppath = path.key("properties");
        for (k, v) in props {
            transition_rules(v, &ppath.key(k), uncorrelatable, out);
        }
    }
    if let Some(items) = obj.get("items") {
        let map_list = obj.get("x-kubernetes-list-type").and_then(Value::as_str) == Some("map");
        transition_rules(items, &path.key("items"), uncorrelatable || !map_list, out);
    }
    if let Some(values) = obj.get("additionalProperties") {
        let atomic = obj.get("x-kubernetes-map-type").and_then(Value::as_str) == Some("atomic");
        let path = path.key("additionalProperties");
        transition_rules(values, &path, uncorrelatable || atomic, out);
    }
}

/// Structural-schema lint of one CRD object (as JSON). Returns no findings for a CRD the
/// apiserver accepts as structural; a single [`FindingKind::NotACrd`] finding for a document
/// that is not a CRD. Findings are in walk order (version by version, depth first).
pub fn lint_structural(crd: &Value) -> Vec<Finding> {
    let mut out = Vec::new();
    let Some(roots) = schema_roots(crd, &mut out) else {
        return out;
    };
    for (path, schema) in roots {
        let mut l = Linter { out: &mut out };
        l.node(schema, &path, Level::Root);
    }
    out
}

/// Format lint of one CRD: every `format` the apiserver does not know for the node's type
/// (see [`crate::formats`]), anywhere in the schemas (also inside junctors).
pub fn lint_formats(crd: &Value) -> Vec<Finding> {
    let mut out = Vec::new();
    let Some(roots) = schema_roots(crd, &mut out) else {
        return out;
    };
    for (path, schema) in roots {
        walk_all_nodes(schema, &path, &mut |node, path| {
            if let Some(format) = node.get("format") {
                let ty = node.get("type").and_then(Value::as_str);
                let known = format.as_str().is_some_and(|f| is_known_format(ty, f));
                if !known {
                    let shown = format.to_string();
                    let message = match ty {
                        Some(t) => format!(
                            "format {shown} is not known to the apiserver (on type {t}); it is stripped without validation"
                        ),
                        None => format!(
                            "format {shown} is not known to the apiserver; it is stripped without validation"
                        ),
                    };
                    out_push(&mut out, path, FindingKind::UnknownFormat, message);
                }
            }
        });
    }
    out
}

fn out_push(out: &mut Vec<Finding>, path: &JsonPath, kind: FindingKind, message: String) {
    out.push(Finding {
        path: path.render(),
        kind,
        message,
    });
}

/// Whether `doc` is a CustomResourceDefinition of any `apiextensions.k8s.io` version (`v1`, or
/// the old `v1beta1`, which the lints still report on).
pub(crate) fn is_crd_any_version(doc: &Value) -> bool {
    doc.get("kind").and_then(Value::as_str) == Some("CustomResourceDefinition")
        && doc
            .get("apiVersion")
            .and_then(Value::as_str)
            .is_some_and(|v| v.starts_with("apiextensions.k8s.io/"))
}

/// The schema roots of a CRD with their paths; `None` (and a finding) if it is not a CRD.
fn schema_roots<'a>(crd: &'a Value, out: &mut Vec<Finding>) -> Option<Vec<(JsonPath, &'a Value)>> {
    let root = JsonPath::root();
    if !is_crd_any_version(crd) {
        out_push(
            out,
            &root,
            FindingKind::NotACrd,
            "not an apiextensions.k8s.io CustomResourceDefinition".to_owned(),
        );
        return None;
    }
    let mut roots = Vec::new();
    let spec = crd.get("spec");
    let spec_path = root.key("spec");
    if let Some(s) = spec
        .and_then(|s| s.get("validation"))
        .and_then(|v| v.get("openAPIV3Schema"))
    {
        roots.push((spec_path.key("validation").key("openAPIV3Schema"), s));
    }
    let has_top_level = !roots.is_empty();
    match spec
        .and_then(|s| s.get("versions"))
        .and_then(Value::as_array)
    {
        Some(versions) => {
            for (i, version) in versions.iter().enumerate() {
                let vpath = spec_path.key("versions").index(i);
                match version.get("schema").and_then(|s| s.get("openAPIV3Schema")) {
                    Some(s) => roots.push((vpath.key("schema").key("openAPIV3Schema"), s)),
                    None if has_top_level => {}
                    None => out_push(
                        out,
                        &vpath,
                        FindingKind::MissingSchema,
                        "version has no schema.openAPIV3Schema".to_owned(),
                    ),
                }
            }
        }
        None if has_top_level => {}
        None => out_push(
            out,
            &spec_path,
            FindingKind::MissingSchema,
            "spec.versions is missing or not a list".to_owned(),
        ),
    }
    Some(roots)
}

/// Visit every schema node (structural and inside junctors), depth first.
pub(crate) fn walk_all_nodes<'a>(
    node: &'a Value,
    path: &JsonPath,
    f: &mut dyn FnMut(&'a Map<String, Value>, &JsonPath),
) {
    let Some(obj) = node.as_object() else {
        return;
    };
    f(obj, path);
    if let Some(props) = obj.get("properties").and_then(Value::as_object) {
        let ppath = path.key("properties");
        for (k, v) in props {
            walk_all_nodes(v, &ppath.key(k), f);
        }
    }
    match obj.get("items") {
        Some(Value::Array(items)) => {
            for (i, v) in items.iter().enumerate() {
                walk_all_nodes(v, &path.key("items").index(i), f);
            }
        }
        Some(v) => walk_all_nodes(v, &path.key("items"), f),
        None => {}
    }
    if let Some(v) = obj.get("additionalProperties") {
        walk_all_nodes(v, &path.key("additionalProperties"), f);
    }
    for j in JUNCTORS {
        if let Some(members) = obj.get(*j).and_then(Value::as_array) {
            for (i, v) in members.iter().enumerate() {
                walk_all_nodes(v, &path.key(j).index(i), f);
            }
        }
    }
    if let Some(v) = obj.get("not") {
        walk_all_nodes(v, &path.key("not"), f);
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Level {
    Root,
    Field,
    Item,
}

fn is_true(obj: &Map<String, Value>, key: &str) -> bool {
    obj.get(key) == Some(&Value::Bool(true))
}

fn int_or_string_any_of() -> Value {
    serde_json::json!([{"type": "integer"}, {"type": "string"}])
}

struct Linter<'o> {
    out: &'o mut Vec<Finding>,
}

impl Linter<'_> {
    fn push(&mut self, path: &JsonPath, kind: FindingKind, message: impl Into<String>) {
        out_push(self.out, path, kind, message.into());
    }

    fn common(&mut self, obj: &Map<String, Value>, path: &JsonPath) {
        for k in FORBIDDEN_KEYWORDS {
            if obj.contains_key(*k) {
                self.push(
                    path,
                    FindingKind::ForbiddenKeyword,
                    format!("{k} is not supported in a structural schema (inline the subschema)"),
                );
            }
        }
        if is_true(obj, "uniqueItems") {
            self.push(
                path,
                FindingKind::UniqueItems,
                "uniqueItems: true is rejected by the apiserver (use x-kubernetes-list-type: set)",
            );
        }
        if obj.get("x-kubernetes-preserve-unknown-fields") == Some(&Value::Bool(false)) {
            self.push(
                path,
                FindingKind::PreserveUnknownFieldsFalse,
                "x-kubernetes-preserve-unknown-fields must be true or absent, not false",
            );
        }
        match obj.get("items") {
            Some(Value::Object(_)) | None => {}
            Some(Value::Array(_)) => self.push(
                path,
                FindingKind::TupleItems,
                "items must be a single schema, not a list of schemas",
            ),
            Some(_) => self.push(
                path,
                FindingKind::TupleItems,
                "items must be a schema object",
            ),
        }
    }

    /// A node in the structural (non-junctor) part of the schema.
    fn node(&mut self, node: &Value, path: &JsonPath, level: Level) {
        let Some(obj) = node.as_object() else {
            self.push(path, FindingKind::NotASchema, "schema must be an object");
            return;
        };
        self.common(obj, path);
        let int_or_string = is_true(obj, "x-kubernetes-int-or-string");
        let preserve = is_true(obj, "x-kubernetes-preserve-unknown-fields");
        let embedded = is_true(obj, "x-kubernetes-embedded-resource");

        let ty = match obj.get("type") {
            None => None,
            Some(Value::String(t)) if t.is_empty() => None,
            Some(Value::String(t)) if VALID_TYPES.contains(&t.as_str()) => Some(t.as_str()),
            Some(Value::String(t)) if t == "null" => {
                self.push(
                    path,
                    FindingKind::InvalidType,
                    "type: null is not allowed (use nullable: true)",
                );
                Some("")
            }
            Some(other) => {
                self.push(
                    path,
                    FindingKind::InvalidType,
                    format!("type {other} is not one of {}", VALID_TYPES.join(", ")),
                );
                Some("")
            }
        };
        if ty.is_none() && embedded {
            self.push(
                path,
                FindingKind::EmbeddedResource,
                "x-kubernetes-embedded-resource requires type: object",
            );
        } else if ty.is_none() && !int_or_string && !preserve {
            let what = match level {
                Level::Root => "the root schema",
                Level::Item => "array items",
                Level::Field => "object fields",
            };
            self.push(
                path,
                FindingKind::MissingType,
                format!(
                    "type is missing (required for {what} unless x-kubernetes-int-or-string or x-kubernetes-preserve-unknown-fields is true)"
                ),
            );
        }
        if int_or_string {
            if ty.is_some() {
                self.push(
                    path,
                    FindingKind::IntOrString,
                    "x-kubernetes-int-or-string: true requires type to be empty",
                );
            }
            if preserve {
                self.push(
                    path,
                    FindingKind::IntOrString,
                    "x-kubernetes-int-or-string cannot be combined with x-kubernetes-preserve-unknown-fields",
                );
            }
            if embedded {
                self.push(
                    path,
                    FindingKind::IntOrString,
                    "x-kubernetes-int-or-string cannot be combined with x-kubernetes-embedded-resource",
                );
            }
        }
        if embedded {
            if let Some(t) = ty.filter(|t| *t != "object" && !t.is_empty()) {
                self.push(
                    path,
                    FindingKind::EmbeddedResource,
                    format!("x-kubernetes-embedded-resource requires type: object, not {t}"),
                );
            }
            let has_props = obj
                .get("properties")
                .and_then(Value::as_object)
                .is_some_and(|p| !p.is_empty());
            if !preserve && !has_props {
                self.push(
                    path,
                    FindingKind::EmbeddedResource,
                    "x-kubernetes-embedded-resource needs properties or x-kubernetes-preserve-unknown-fields: true",
                );
            }
        }
        if level == Level::Root {
            if let Some(t) = ty.filter(|t| *t != "object" && !t.is_empty()) {
                self.push(
                    path,
                    FindingKind::RootNotObject,
                    format!("the root schema must be type: object, not {t}"),
                );
            }
            if is_true(obj, "nullable") {
                self.push(
                    path,
                    FindingKind::NullableRoot,
                    "nullable is not allowed at the root",
                );
            }
        }

        // items
        if ty == Some("array") && !obj.contains_key("items") {
            self.push(
                path,
                FindingKind::MissingItems,
                "type: array requires items",
            );
        }
        if let Some(items @ Value::Object(_)) = obj.get("items") {
            self.node(items, &path.key("items"), Level::Item);
        }

        // properties / additionalProperties
        let props = obj.get("properties");
        let addl = obj.get("additionalProperties");
        if let Some(a) = addl {
            let has_props = props
                .and_then(Value::as_object)
                .is_some_and(|p| !p.is_empty());
            if has_props && a != &Value::Bool(true) {
                self.push(
                    path,
                    FindingKind::PropertiesAndAdditionalProperties,
                    "properties and additionalProperties are mutually exclusive",
                );
            }
            if level == Level::Root {
                self.push(
                    path,
                    FindingKind::AdditionalPropertiesForbidden,
                    "additionalProperties is not allowed at the root",
                );
            }
            if embedded {
                self.push(
                    path,
                    FindingKind::AdditionalPropertiesForbidden,
                    "additionalProperties is not allowed with x-kubernetes-embedded-resource",
                );
            }
            match a {
                Value::Object(_) => self.node(a, &path.key("additionalProperties"), Level::Field),
                Value::Bool(_) => {}
                _ => self.push(
                    &path.key("additionalProperties"),
                    FindingKind::NotASchema,
                    "additionalProperties must be a schema or a boolean",
                ),
            }
        }
        match props {
            Some(Value::Object(p)) => {
                let ppath = path.key("properties");
                for (k, v) in p {
                    self.node(v, &ppath.key(k), Level::Field);
                }
            }
            Some(_) => self.push(
                &path.key("properties"),
                FindingKind::NotASchema,
                "properties must be an object of schemas",
            ),
            None => {}
        }

        if level == Level::Root || embedded {
            self.resource_meta(obj, path, level == Level::Root);
        }
        self.list_map_types(obj, path, ty);

        // junctors
        let skip_any_of = int_or_string_pattern(obj.get("anyOf"));
        let skip_first_all_of_any_of = obj
            .get("allOf")
            .and_then(Value::as_array)
            .and_then(|a| a.first())
            .is_some_and(|first| int_or_string_pattern(first.get("anyOf")));
        self.junctors(obj, path, skip_any_of, skip_first_all_of_any_of);
    }

    fn resource_meta(&mut self, obj: &Map<String, Value>, path: &JsonPath, root: bool) {
        let Some(props) = obj.get("properties").and_then(Value::as_object) else {
            return;
        };
        let ppath = path.key("properties");
        for k in ["kind", "apiVersion"] {
            if let Some(p) = props.get(k) {
                if p.get("type").and_then(Value::as_str) != Some("string") {
                    self.push(
                        &ppath.key(k),
                        FindingKind::Metadata,
                        format!("{k} must be type: string"),
                    );
                }
            }
        }
        if let Some(meta) = props.get("metadata").and_then(Value::as_object) {
            let mpath = ppath.key("metadata");
            if meta.get("type").and_then(Value::as_str) != Some("object") {
                self.push(
                    &mpath,
                    FindingKind::Metadata,
                    "metadata must be type: object",
                );
            }
            if root {
                let extra: Vec<&String> = meta
                    .keys()
                    .filter(|k| !matches!(k.as_str(), "type" | "properties"))
                    .collect();
                let extra_props: Vec<&String> = meta
                    .get("properties")
                    .and_then(Value::as_object)
                    .map(|p| {
                        p.keys()
                            .filter(|k| !matches!(k.as_str(), "name" | "generateName"))
                            .collect()
                    })
                    .unwrap_or_default();
                if !extra.is_empty() || !extra_props.is_empty() {
                    let mut names: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
                    names.extend(extra_props.iter().map(|s| format!("properties.{s}")));
                    self.push(
                        &mpath,
                        FindingKind::Metadata,
                        format!(
                            "the root metadata schema may only restrict name and generateName (found {})",
                            names.join(", ")
                        ),
                    );
                }
            }
        }
    }

    fn list_map_types(&mut self, obj: &Map<String, Value>, path: &JsonPath, ty: Option<&str>) {
        if let Some(lt) = obj.get("x-kubernetes-list-type") {
            match lt.as_str() {
                Some("atomic" | "set" | "map") => {}
                _ => self.push(
                    path,
                    FindingKind::ListOrMapType,
                    format!("x-kubernetes-list-type {lt} is not one of atomic, set, map"),
                ),
            }
            if ty != Some("array") {
                self.push(
                    path,
                    FindingKind::ListOrMapType,
                    "x-kubernetes-list-type requires type: array",
                );
            }
            if lt.as_str() == Some("map") {
                let keys_ok = obj
                    .get("x-kubernetes-list-map-keys")
                    .and_then(Value::as_array)
                    .is_some_and(|k| !k.is_empty());
                if !keys_ok {
                    self.push(
                        path,
                        FindingKind::ListOrMapType,
                        "x-kubernetes-list-type: map requires non-empty x-kubernetes-list-map-keys",
                    );
                }
            }
        }
        if obj.contains_key("x-kubernetes-list-map-keys")
            && obj.get("x-kubernetes-list-type").and_then(Value::as_str) != Some("map")
        {
            self.push(
                path,
                FindingKind::ListOrMapType,
                "x-kubernetes-list-map-keys requires x-kubernetes-list-type: map",
            );
        }
        if let Some(mt) = obj.get("x-kubernetes-map-type") {
            if !matches!(mt.as_str(), Some("atomic" | "granular")) {
                self.push(
                    path,
                    FindingKind::ListOrMapType,
                    format!("x-kubernetes-map-type {mt} is not one of atomic, granular"),
                );
            }
            if ty != Some("object") {
                self.push(
                    path,
                    FindingKind::ListOrMapType,
                    "x-kubernetes-map-type requires type: object",
                );
            }
        }
    }

    fn junctors(
        &mut self,
        obj: &Map<String, Value>,
        path: &JsonPath,
        skip_any_of: bool,
        skip_first_all_of_any_of: bool,
    ) {
        for j in JUNCTORS {
            let Some(v) = obj.get(*j) else { continue };
            if *j == "anyOf" && skip_any_of {
                continue;
            }
            let Some(members) = v.as_array() else {
                self.push(
                    &path.key(j),
                    FindingKind::InvalidJunctor,
                    format!("{j} must be a list of schemas"),
                );
                continue;
            };
            for (i, m) in members.iter().enumerate() {
                let skip = *j == "allOf" && i == 0 && skip_first_all_of_any_of;
                self.nested(m, &path.key(j).index(i), skip);
            }
        }
        if let Some(n) = obj.get("not") {
            self.nested(n, &path.key("not"), false);
        }
    }

    /// A node inside `allOf`/`anyOf`/`oneOf`/`not`: value validations only.
    fn nested(&mut self, node: &Value, path: &JsonPath, skip_any_of: bool) {
        let Some(obj) = node.as_object() else {
            self.push(
                path,
                FindingKind::InvalidJunctor,
                "junctor member must be a schema object",
            );
            return;
        };
        self.common(obj, path);
        for k in JUNCTOR_FORBIDDEN {
            if obj.contains_key(*k) {
                self.push(
                    path,
                    FindingKind::JunctorKeyword,
                    format!("{k} is not allowed inside allOf/anyOf/oneOf/not (only value validations are)"),
                );
            }
        }
        if let Some(props) = obj.get("properties").and_then(Value::as_object) {
            let ppath = path.key("properties");
            if props.contains_key("metadata") {
                self.push(
                    &ppath.key("metadata"),
                    FindingKind::JunctorKeyword,
                    "metadata must not be specified inside allOf/anyOf/oneOf/not",
                );
            }
            for (k, v) in props {
                self.nested(v, &ppath.key(k), false);
            }
        }
        if let Some(items @ Value::Object(_)) = obj.get("items") {
            self.nested(items, &path.key("items"), false);
        }
        self.junctors(obj, path, skip_any_of, false);
    }
}

fn int_or_string_pattern(any_of: Option<&Value>) -> bool {
    any_of == Some(&int_or_string_any_of())
}
