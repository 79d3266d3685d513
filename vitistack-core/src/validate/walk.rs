//! The schema walk behind `validate()`, `validate_update()` and `vitistack-codegen validate`.
//!
//! It follows the apiserver's order: first the structural and OpenAPI checks (types, required,
//! enums, bounds, list uniqueness), then the CEL-backed rules, which the apiserver skips
//! entirely when the first phase found a type, required, enum or size error.
//!
//! On an update ([`check_update`]) each node also carries the old value the apiserver correlates
//! with it ([`Corr`]): transition rules run where there is one, and errors on a node whose value
//! the update did not change are dropped (CRD validation ratcheting).

use super::int_format;
use super::openapi_format::Verdict;
use crate::cel::{program::compiled, Budget, Outcome};
use crate::report::{ErrorKind, FieldError, Path, Reject, Report};
use crate::rules::{as_integer, Enforce, Phase, RawCel, Rule};
use crate::schema::{metadata_map_rules, FormatKeyword, ListType, Node, Type, OBJECT_META_FIELDS};
use serde_json::{Map, Value};

/// How strictly to walk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Report fields the schema does not declare (kubectl's `fieldValidation=Strict`).
    pub strict: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options { strict: true }
    }
}

/// The message the apiserver adds when it skips CEL rules.
pub const CEL_SKIPPED: &str = "some validation rules were not checked because the object was invalid; correct the existing errors to complete validation";

/// Checks `value` against `node`, returning every violation in the apiserver's order.
pub fn check_value(node: &Node, value: &Value, options: Options) -> Report {
    run(node, value, None, options)
}

/// Checks `new` as an update of `old` against `node`, as the apiserver does: every rule of a
/// create, plus the transition rules where an old value correlates, with ratcheting (a field
/// whose value is unchanged is not rejected again for a rule it already broke), and list
/// uniqueness checked only when the old object had no duplicates.
pub fn check_update(node: &Node, new: &Value, old: &Value, options: Options) -> Report {
    run(node, new, Some(old), options)
}

fn run(node: &Node, value: &Value, old: Option<&Value>, options: Options) -> Report {
    let mut walk = Walk {
        options,
        list_duplicates: old.is_none_or(|old| !super::correlate::has_list_duplicates(node, old)),
        schema: Vec::new(),
        cel: Vec::new(),
        path: Path::root(),
        root: 0,
        budget: Budget::default(),
        cel_halted: false,
    };
    let corr = Corr::default().child(node, value, old);
    walk.node(node, value, corr);
    let mut report = walk.schema;
    // A strict apiserver refuses unknown fields while decoding, before any validation.
    if report.iter().any(|e| e.kind == ErrorKind::UnknownField) {
        report.retain(|e| e.kind == ErrorKind::UnknownField);
        return report;
    }
    if report.iter().any(|e| e.kind.blocks_cel()) {
        if !walk.cel.is_empty() || has_cel_rules(node) {
            report.push(FieldError::new("", ErrorKind::Invalid, None, CEL_SKIPPED));
        }
    } else {
        report.extend(walk.cel);
    }
    report
}

fn has_cel_rules(node: &Node) -> bool {
    node.rules.iter().any(|r| r.phase() == Phase::Cel)
        || match &node.ty {
            Type::Object { properties } => properties.iter().any(|p| has_cel_rules(&p.node)),
            Type::Array { items, .. } => has_cel_rules(items),
            Type::Map { values } => has_cel_rules(values),
            _ => false,
        }
}

/// What an update knows at one node.
#[derive(Debug, Clone, Copy, Default)]
struct Corr<'a> {
    /// The old value the apiserver correlates with this node (none on a create, for a new
    /// field, or inside a list that is not a list-map).
    old: Option<&'a Value>,
    /// Errors here are ratcheted: the node is unchanged, or it has no old value and its nearest
    /// correlated ancestor is unchanged.
    ratchet: bool,
}

impl<'a> Corr<'a> {
    /// The correlation of a child whose old value is `old`.
    fn child(self, node: &Node, new: &Value, old: Option<&'a Value>) -> Corr<'a> {
        match old.filter(|v| !v.is_null()) {
            Some(old) => Corr {
                old: Some(old),
                ratchet: super::correlate::unchanged(node, new, old),
            },
            None => Corr {
                old: None,
                ratchet: self.ratchet,
            },
        }
    }

    fn old_object(self) -> Option<&'a Map<String, Value>> {
        self.old.and_then(Value::as_object)
    }
}

struct Walk {
    options: Options,
    /// Check list-set and list-map uniqueness (an update skips it when the old object broke it).
    list_duplicates: bool,
    schema: Report,
    cel: Report,
    path: Path,
    /// Length of the path of the apiserver's validation root: 0 for the object, `status`'s
    /// inside the status subresource, which the apiserver validates on its own.
    root: usize,
    /// The cost left for the object's CEL-engine rules (the apiserver's per-object budget).
    budget: Budget,
    /// A CEL-engine rule exceeded the per-call limit or the budget: no further rule runs.
    cel_halted: bool,
}

impl Walk {
    fn node(&mut self, node: &Node, value: &Value, corr: Corr) {
        // `null` is a value of a nullable node: no type or child to check, and no CEL rule (the
        // apiserver runs none on a null value). An enum still has to list it.
        if node.nullable && value.is_null() {
            for rule in node.rules.iter().filter(|r| matches!(r, Rule::Enum(_))) {
                rule.check(value, &mut self.path, &mut self.schema);
            }
            return;
        }
        let start = self.schema.len();
        let typed = self.type_matches(node, value);
        if let Type::Integer(width) = node.ty {
            let format = int_format::Format {
                width,
                written: &node.format,
            };
            int_format::bounds(format, &node.rules, &self.path, self.root, &mut self.schema);
            int_format::check(format, value, &self.path, self.root, &mut self.schema);
        }
        if let (FormatKeyword::Named(format), Some(text), true) =
            (&node.format, value.as_str(), typed)
        {
            self.string_format(format, value, text);
        }
        if typed {
            // The apiserver runs a node's CEL rules before its children's; the OpenAPI
            // keywords of a node are reported after its children's, as the schema phase does.
            self.rules(node, value, corr, Phase::Cel);
            match &node.ty {
                Type::Object { properties } => {
                    self.object(node, properties, as_object(value), corr)
                }
                Type::Map { values } => self.map(values, as_object(value), corr),
                Type::Array { items, list } => self.array(items, list, value, corr),
                Type::Metadata { .. } => self.metadata(node, as_object(value)),
                _ => {}
            }
            self.rules(node, value, corr, Phase::Schema);
            if let Some(object) = value.as_object() {
                self.required_undeclared(node, object);
            }
            if node.embedded_resource {
                if let Some(object) = value.as_object() {
                    let strict = self.options.strict;
                    super::embedded::check(object, strict, &mut self.path, &mut self.schema);
                }
            }
        }
        if corr.ratchet {
            // Ratcheting drops the schema errors of an unchanged value; unknown fields (a
            // decoding error) and list uniqueness (checked apart) are not part of it.
            let subtree = self.schema.split_off(start);
            self.schema.extend(
                subtree
                    .into_iter()
                    .filter(|e| matches!(e.kind, ErrorKind::UnknownField | ErrorKind::Duplicate)),
            );
        }
    }

    /// The rules of one phase of a node.
    fn rules(&mut self, node: &Node, value: &Value, corr: Corr, phase: Phase) {
        for rule in node.rules.iter().filter(|r| r.phase() == phase) {
            if let Rule::Cel(raw @ RawCel { check: None, .. }) = rule {
                self.engine_rule(raw, node, value, corr);
                continue;
            }
            if let Some(transition) = rule.transition() {
                // Run only against a correlated old value; never ratcheted.
                if let Some(old) = corr.old {
                    transition.check_update(value, old, &mut self.path, &mut self.cel);
                }
                continue;
            }
            let sink = match rule.phase() {
                Phase::Schema => &mut self.schema,
                Phase::Cel if corr.ratchet => continue,
                Phase::Cel => &mut self.cel,
            };
            rule.check(value, &mut self.path, sink);
        }
    }

    /// A rule the CEL engine evaluates, with the apiserver's outcomes: a false rule is ratcheted
    /// on an unchanged node unless it uses `oldSelf`; evaluation errors never are; a rule over
    /// the cost limit or the budget stops every further rule.
    fn engine_rule(&mut self, raw: &RawCel, node: &Node, value: &Value, corr: Corr) {
        if self.cel_halted {
            return;
        }
        let resource_root =
            self.path.as_str().is_empty() && node.properties().iter().any(|p| p.node.is_metadata());
        let program = compiled(raw, node, resource_root);
        let program = match program.as_ref() {
            Ok(program) => program,
            Err(e) => {
                let detail = format!("rule compile error: {e}");
                self.cel.push(FieldError::new(
                    self.path.as_str(),
                    ErrorKind::Invalid,
                    None,
                    detail,
                ));
                return;
            }
        };
        match program.evaluate(value, corr.old, &mut self.path, &mut self.budget) {
            Outcome::Pass | Outcome::NotRun => {}
            Outcome::Violation(_) if corr.ratchet && !program.uses_old_self() => {}
            Outcome::Violation(e) | Outcome::Error(e) => self.cel.push(e),
            Outcome::Halt(e) => {
                self.cel.push(e);
                self.cel_halted = true;
            }
        }
    }

    fn type_matches(&mut self, node: &Node, value: &Value) -> bool {
        let (ok, expected) = match node.ty {
            Type::String => (value.is_string(), "string"),
            Type::Integer(_) => (as_integer(value).is_some(), "integer"),
            Type::Number => (value.is_number(), "number"),
            Type::Boolean => (value.is_boolean(), "boolean"),
            Type::IntOrString => (
                value.is_string() || as_integer(value).is_some(),
                "integer,string",
            ),
            Type::Array { .. } => (value.is_array(), "array"),
            Type::Any => (true, ""),
            Type::Object { .. } | Type::Map { .. } | Type::FreeForm | Type::Metadata { .. } => {
                (value.is_object(), "object")
            }
        };
        if !ok {
            let detail = format!("must be of type {expected}");
            self.schema
                .reject(&self.path, ErrorKind::TypeInvalid, Some(value), detail);
        }
        ok
    }

    fn object(
        &mut self,
        node: &Node,
        properties: &[crate::schema::Property],
        value: &Map<String, Value>,
        corr: Corr,
    ) {
        let old = corr.old_object();
        let resource =
            self.path.as_str().is_empty() && properties.iter().any(|p| p.node.is_metadata());
        for property in properties {
            let mark = self.path.push_field(&property.name);
            // Every CRD of this engine has the status subresource (crd.rs).
            let outer_root = self.root;
            if resource && property.name == "status" {
                self.root = self.path.as_str().len();
            }
            // The apiserver prunes nulls of non-nullable fields before validating; a nullable
            // field's null is a value (`node` checks what it must).
            let present = value
                .get(&property.name)
                .filter(|v| !v.is_null() || property.node.nullable);
            match present {
                None => {
                    if property.node.is_metadata() {
                        self.metadata(&property.node, &Map::new());
                    } else if property.required && property.node.default.is_none() {
                        self.schema
                            .reject(&self.path, ErrorKind::Required, None, "");
                    }
                }
                Some(child) => {
                    let old_child = old.and_then(|o| o.get(&property.name));
                    let child_corr = corr.child(&property.node, child, old_child);
                    self.node(&property.node, child, child_corr)
                }
            }
            self.root = outer_root;
            self.path.truncate(mark);
        }
        let declared = |key: &str| {
            properties.iter().any(|p| p.name == key)
                || (node.embedded_resource && super::embedded::IMPLICIT_FIELDS.contains(&key))
        };
        let undeclared = value.keys().filter(|key| !declared(key));
        match node.additional_properties {
            // Kept by the schema: not unknown.
            _ if node.preserve_unknown_fields => {}
            Some(true) => {}
            Some(false) => {
                for key in undeclared {
                    self.forbidden(key);
                }
            }
            None if self.options.strict => {
                for key in undeclared {
                    self.unknown(key);
                }
            }
            None => {}
        }
    }

    /// The fields `required` names that the schema does not declare: present, not null.
    fn required_undeclared(&mut self, node: &Node, object: &Map<String, Value>) {
        for name in &node.required_undeclared {
            if object.get(name).is_none_or(Value::is_null) {
                let mark = self.path.push_field(name);
                self.schema
                    .reject(&self.path, ErrorKind::Required, None, "");
                self.path.truncate(mark);
            }
        }
    }

    /// A string against the `format` a loaded CRD names (kube-openapi's wording).
    fn string_format(&mut self, format: &str, value: &Value, text: &str) {
        let detail = match super::openapi_format::check(format, text) {
            Verdict::Valid => return,
            Verdict::Invalid => format!(
                "{} in body must be of type {format}: {text:?}",
                self.path.as_str()
            ),
            Verdict::Unsupported => {
                format!("unsupported: format {format} is not checked by this tool")
            }
        };
        self.schema
            .reject(&self.path, ErrorKind::Invalid, Some(value), detail);
    }

    /// A field `additionalProperties: false` forbids (kube-openapi's `PropertyNotAllowed`,
    /// reported at the object with the field's name as the value).
    fn forbidden(&mut self, key: &str) {
        let mark = self.path.push_field(key);
        let detail = format!("{} in body is a forbidden property", self.path.as_str());
        self.path.truncate(mark);
        let shown = Value::from(key);
        self.schema
            .reject(&self.path, ErrorKind::Invalid, Some(&shown), detail);
    }

    fn unknown(&mut self, key: &str) {
        let mark = self.path.push_field(key);
        self.schema.reject(
            &self.path,
            ErrorKind::UnknownField,
            None,
            "field not declared in schema",
        );
        self.path.truncate(mark);
    }

    fn map(&mut self, values: &Node, value: &Map<String, Value>, corr: Corr) {
        let old = corr.old_object();
        for (key, child) in value {
            if child.is_null() {
                continue;
            }
            let mark = self.path.push_key(key);
            let child_corr = corr.child(values, child, old.and_then(|o| o.get(key)));
            self.node(values, child, child_corr);
            self.path.truncate(mark);
        }
    }

    fn array(&mut self, items: &Node, list: &ListType, value: &Value, corr: Corr) {
        let Some(elements) = value.as_array() else {
            return;
        };
        let old = corr.old.and_then(Value::as_array);
        for (index, element) in elements.iter().enumerate() {
            let mark = self.path.push_index(index);
            // Only a list-map's items correlate (by their keys), as on the apiserver.
            let old_item = match (list, old) {
                (ListType::Map(keys), Some(old)) => super::correlate::item(old, element, keys),
                _ => None,
            };
            let item_corr = corr.child(items, element, old_item);
            self.node(items, element, item_corr);
            self.path.truncate(mark);
        }
        if !self.list_duplicates {
            return;
        }
        match list {
            ListType::Atomic => {}
            ListType::Set => self.duplicates(elements, |v| Some(v.clone())),
            ListType::Map(keys) => {
                self.duplicates(elements, |v| super::correlate::map_key(v, keys))
            }
        }
    }

    /// Reports each element whose key equals an earlier element's key, as the apiserver does.
    fn duplicates(&mut self, elements: &[Value], key: impl Fn(&Value) -> Option<Value>) {
        for (index, k) in super::correlate::duplicates(elements, key) {
            let mark = self.path.push_index(index);
            self.schema
                .reject(&self.path, ErrorKind::Duplicate, Some(&k), "");
            self.path.truncate(mark);
        }
    }

    /// `ObjectMeta` at a resource root, `node` its [`Type::Metadata`]: the name (or a
    /// generateName) required, the declared `name`/`generateName` schemas, labels and
    /// annotations, and only `ObjectMeta`'s fields.
    fn metadata(&mut self, node: &Node, value: &Map<String, Value>) {
        let Type::Metadata {
            name: name_schema,
            generate_name,
        } = &node.ty
        else {
            return;
        };
        if let (Some(schema), Some(text)) = (generate_name, value.get("generateName")) {
            if !text.is_null() {
                let mark = self.path.push_field("generateName");
                self.node(schema, text, Corr::default());
                self.path.truncate(mark);
            }
        }
        let mark = self.path.push_field("name");
        match value.get("name").filter(|v| !v.is_null()) {
            Some(name) => {
                if let Some(schema) = name_schema {
                    self.node(schema, name, Corr::default());
                }
            }
            None if value.get("generateName").is_none_or(Value::is_null) => {
                let detail = "name or generateName is required";
                self.schema
                    .reject(&self.path, ErrorKind::Required, None, detail);
            }
            None => {}
        }
        self.path.truncate(mark);
        for (field, rule) in metadata_map_rules() {
            if let Some(map) = value.get(*field) {
                let mark = self.path.push_field(field);
                rule.check(map, &mut self.path, &mut self.schema);
                self.path.truncate(mark);
            }
        }
        if self.options.strict {
            for key in value.keys() {
                if !OBJECT_META_FIELDS.contains(&key.as_str()) {
                    self.unknown(key);
                }
            }
        }
    }
}

fn as_object(value: &Value) -> &Map<String, Value> {
    static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
    value
        .as_object()
        .unwrap_or_else(|| EMPTY.get_or_init(Map::new))
}
