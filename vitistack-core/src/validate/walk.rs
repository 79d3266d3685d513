//! The schema walk behind `validate()` and `vitistack-codegen validate`.
//!
//! It follows the apiserver's order: first the structural and OpenAPI checks (types, required,
//! enums, bounds, list uniqueness), then the CEL-backed rules, which the apiserver skips
//! entirely when the first phase found a type, required, enum or size error.

use crate::report::{ErrorKind, FieldError, Path, Report};
use crate::rules::{as_integer, Enforce, Phase, Rule};
use crate::schema::{
    metadata_map_rules, metadata_name_rules, ListType, Node, Type, OBJECT_META_FIELDS,
};
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
    let mut walk = Walk {
        options,
        schema: Vec::new(),
        cel: Vec::new(),
        path: Path::root(),
    };
    walk.node(node, value);
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

struct Walk {
    options: Options,
    schema: Report,
    cel: Report,
    path: Path,
}

impl Walk {
    fn node(&mut self, node: &Node, value: &Value) {
        if !self.type_matches(node, value) {
            return;
        }
        match &node.ty {
            Type::Object { properties } => self.object(properties, as_object(value)),
            Type::Map { values } => self.map(values, as_object(value)),
            Type::Array { items, list } => self.array(items, list, value),
            Type::Metadata => self.metadata(as_object(value)),
            _ => {}
        }
        self.rules(&node.rules, value);
    }

    fn rules(&mut self, rules: &[Rule], value: &Value) {
        for rule in rules {
            let sink = match rule.phase() {
                Phase::Schema => &mut self.schema,
                Phase::Cel => &mut self.cel,
            };
            rule.check(value, &mut self.path, sink);
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
            _ => (value.is_object(), "object"),
        };
        if !ok {
            let detail = format!("must be of type {expected}");
            self.schema.push(FieldError::new(
                self.path.as_str(),
                ErrorKind::TypeInvalid,
                Some(value),
                detail,
            ));
        }
        ok
    }

    fn object(&mut self, properties: &[crate::schema::Property], value: &Map<String, Value>) {
        for property in properties {
            let mark = self.path.push_field(&property.name);
            match value.get(&property.name) {
                // The apiserver prunes nulls of non-nullable fields before validating.
                None | Some(Value::Null) => {
                    if property.node.ty == Type::Metadata {
                        self.metadata(&Map::new());
                    } else if property.required && property.node.default.is_none() {
                        self.schema.push(FieldError::new(
                            self.path.as_str(),
                            ErrorKind::Required,
                            None,
                            "",
                        ));
                    }
                }
                Some(child) => self.node(&property.node, child),
            }
            self.path.truncate(mark);
        }
        if self.options.strict {
            for key in value.keys() {
                if !properties.iter().any(|p| &p.name == key) {
                    self.unknown(key);
                }
            }
        }
    }

    fn unknown(&mut self, key: &str) {
        let mark = self.path.push_field(key);
        self.schema.push(FieldError::new(
            self.path.as_str(),
            ErrorKind::UnknownField,
            None,
            "field not declared in schema",
        ));
        self.path.truncate(mark);
    }

    fn map(&mut self, values: &Node, value: &Map<String, Value>) {
        for (key, child) in value {
            if child.is_null() {
                continue;
            }
            let mark = self.path.push_key(key);
            self.node(values, child);
            self.path.truncate(mark);
        }
    }

    fn array(&mut self, items: &Node, list: &ListType, value: &Value) {
        let Some(elements) = value.as_array() else {
            return;
        };
        for (index, element) in elements.iter().enumerate() {
            let mark = self.path.push_index(index);
            self.node(items, element);
            self.path.truncate(mark);
        }
        match list {
            ListType::Atomic => {}
            ListType::Set => self.duplicates(elements, |v| Some(v.clone())),
            ListType::Map(keys) => self.duplicates(elements, |v| map_key(v, keys)),
        }
    }

    /// Reports each element whose key equals an earlier element's key, as the apiserver does.
    /// Keys are compared by their compact JSON text in a hash set, so a long list stays linear.
    fn duplicates(&mut self, elements: &[Value], key: impl Fn(&Value) -> Option<Value>) {
        let mut seen = std::collections::HashSet::with_capacity(elements.len());
        for (index, element) in elements.iter().enumerate() {
            let Some(k) = key(element) else { continue };
            if !seen.insert(k.to_string()) {
                let mark = self.path.push_index(index);
                self.schema.push(FieldError::new(
                    self.path.as_str(),
                    ErrorKind::Duplicate,
                    Some(&k),
                    "",
                ));
                self.path.truncate(mark);
            }
        }
    }

    fn metadata(&mut self, value: &Map<String, Value>) {
        let mark = self.path.push_field("name");
        match value.get("name").filter(|v| !v.is_null()) {
            Some(name) => {
                for rule in metadata_name_rules() {
                    rule.check(name, &mut self.path, &mut self.schema);
                }
            }
            None if value.get("generateName").is_none_or(Value::is_null) => {
                let detail = "name or generateName is required";
                self.schema.push(FieldError::new(
                    self.path.as_str(),
                    ErrorKind::Required,
                    None,
                    detail,
                ));
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

fn map_key(element: &Value, keys: &[String]) -> Option<Value> {
    let object = element.as_object()?;
    let mut key = Vec::with_capacity(keys.len());
    for name in keys {
        key.push(object.get(name)?.clone());
    }
    Some(Value::Array(key))
}

fn as_object(value: &Value) -> &Map<String, Value> {
    static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
    value
        .as_object()
        .unwrap_or_else(|| EMPTY.get_or_init(Map::new))
}
