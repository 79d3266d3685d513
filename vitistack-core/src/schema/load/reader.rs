//! The walk over one `openAPIV3Schema`: shape first (`type`, `properties`, `items`,
//! `additionalProperties`, the `x-kubernetes-*` that change it), then the node's fields and
//! constraints ([`super::constraints`]).

use super::errors::{join, LoadError};
use super::keywords::{treatment, Treatment};
use crate::schema::bridge::{MAX_DEPTH, MAX_NODES};
use crate::schema::{FormatKeyword, IntFormat, ListType, Node, Property, Type};
use serde_json::{Map, Value};

/// The state of one load: the errors so far and the bounds on hostile input.
pub(super) struct Reader {
    pub(super) errors: Vec<LoadError>,
    nodes: usize,
    /// Set once the node bound is hit: every further node is skipped, reported once.
    exhausted: bool,
}

impl Reader {
    pub(super) fn new() -> Self {
        Reader {
            errors: Vec::new(),
            nodes: 0,
            exhausted: false,
        }
    }

    pub(super) fn error(&mut self, path: &str, message: impl Into<String>) {
        self.errors.push(LoadError {
            path: path.to_string(),
            message: message.into(),
        });
    }

    /// The node of `schema` at `path`, `depth` levels down; `resource_root`: `schema` is a
    /// resource's root, whose `metadata` may be the model's [`Type::Metadata`].
    pub(super) fn node(
        &mut self,
        schema: &Value,
        path: &str,
        depth: usize,
        resource_root: bool,
    ) -> Node {
        self.nodes += 1;
        if self.nodes > MAX_NODES || depth >= MAX_DEPTH {
            if !self.exhausted {
                self.exhausted = true;
                let what = if depth >= MAX_DEPTH {
                    format!("nested deeper than {MAX_DEPTH} schemas")
                } else {
                    format!("more than {MAX_NODES} schemas")
                };
                self.error(
                    path,
                    format!("{what}: not loaded (a bound on hostile input)"),
                );
            }
            return Node::new(Type::Any);
        }
        let Value::Object(object) = schema else {
            self.error(path, "must be a schema object");
            return Node::new(Type::Any);
        };
        let mut verbatim = Map::new();
        for (key, value) in object {
            match treatment(key) {
                Some(Treatment::Read) => {}
                Some(Treatment::Verbatim) => {
                    verbatim.insert(key.clone(), value.clone());
                }
                Some(Treatment::Forbidden(why)) => self.error(&join(path, key), why),
                None => self.error(&join(path, key), "not a keyword of a CRD schema"),
            }
        }
        let mut node = self.shape(object, path, depth, resource_root, &mut verbatim);
        self.fields(object, path, &mut node, &mut verbatim);
        super::constraints::read(self, object, path, &mut node, &mut verbatim);
        node.verbatim = verbatim;
        node
    }

    /// The node's [`Type`] and the children it holds.
    fn shape(
        &mut self,
        object: &Map<String, Value>,
        path: &str,
        depth: usize,
        resource_root: bool,
        verbatim: &mut Map<String, Value>,
    ) -> Node {
        let ty = object.get("type");
        let int_or_string = object.get("x-kubernetes-int-or-string");
        let preserve = flag(object, "x-kubernetes-preserve-unknown-fields");
        match int_or_string {
            Some(Value::Bool(true)) => {
                if ty.is_some() {
                    let message = "must be empty if x-kubernetes-int-or-string is true";
                    self.error(&join(path, "type"), message);
                }
                let mut node = Node::new(Type::IntOrString);
                if let Some(format) = object.get("format").and_then(Value::as_str) {
                    node.format = FormatKeyword::Named(format.to_string());
                }
                return node;
            }
            Some(Value::Bool(false)) => {
                verbatim.insert("x-kubernetes-int-or-string".into(), Value::Bool(false));
            }
            Some(_) => self.error(
                &join(path, "x-kubernetes-int-or-string"),
                "must be a boolean",
            ),
            None => {}
        }
        let format = object.get("format");
        let format_text = format.and_then(Value::as_str).map(str::to_string);
        if format.is_some() && format_text.is_none() {
            self.error(&join(path, "format"), "must be a string");
        }
        let named = |text: &Option<String>| match text {
            Some(f) => FormatKeyword::Named(f.clone()),
            None => FormatKeyword::Implied,
        };
        let (ty, format) = match ty {
            None => {
                if preserve != Some(true) {
                    let message = "Required value: must not be empty for specified fields (only x-kubernetes-int-or-string or x-kubernetes-preserve-unknown-fields: true allow no type)";
                    self.error(&join(path, "type"), message);
                }
                (Type::Any, named(&format_text))
            }
            Some(Value::String(ty)) => match ty.as_str() {
                "string" => (Type::String, named(&format_text)),
                "boolean" => (Type::Boolean, named(&format_text)),
                "integer" => match format_text.as_deref() {
                    Some("int32") => (Type::Integer(IntFormat::Int32), FormatKeyword::Implied),
                    Some("int64") => (Type::Integer(IntFormat::Int64), FormatKeyword::Implied),
                    None => (Type::Integer(IntFormat::Int64), FormatKeyword::Absent),
                    Some(other) => (
                        Type::Integer(IntFormat::Int64),
                        FormatKeyword::Named(other.to_string()),
                    ),
                },
                "number" => match format_text.as_deref() {
                    Some("double") => (Type::Number, FormatKeyword::Implied),
                    None => (Type::Number, FormatKeyword::Absent),
                    Some(other) => (Type::Number, FormatKeyword::Named(other.to_string())),
                },
                "array" => (
                    self.array(object, path, depth, verbatim),
                    named(&format_text),
                ),
                "object" => (
                    self.object(object, path, depth, resource_root, preserve, verbatim),
                    named(&format_text),
                ),
                other => {
                    let message = format!("Unsupported value: {other:?}: supported values: \"array\", \"boolean\", \"integer\", \"number\", \"object\", \"string\"");
                    self.error(&join(path, "type"), message);
                    (Type::Any, FormatKeyword::Implied)
                }
            },
            Some(_) => {
                self.error(&join(path, "type"), "must be a string");
                (Type::Any, FormatKeyword::Implied)
            }
        };
        if !matches!(ty, Type::Array { .. }) {
            for key in [
                "items",
                "x-kubernetes-list-type",
                "x-kubernetes-list-map-keys",
            ] {
                if object.contains_key(key) {
                    self.error(&join(path, key), "only allowed with type: array");
                }
            }
        }
        let object_like = matches!(
            ty,
            Type::Object { .. } | Type::Map { .. } | Type::FreeForm | Type::Metadata { .. }
        );
        if let Some(map_type) = object.get("x-kubernetes-map-type") {
            super::list_types::check_map_type(self, map_type, ty_text(object), object_like, path);
        }
        if !object_like {
            for key in ["properties", "additionalProperties", "required"] {
                if object.contains_key(key) {
                    self.error(&join(path, key), "only allowed with type: object");
                }
            }
        }
        let mut node = Node::new(ty);
        node.format = format;
        match preserve {
            Some(true) if node.ty != Type::FreeForm => node.preserve_unknown_fields = true,
            Some(false) => {
                let key = join(path, "x-kubernetes-preserve-unknown-fields");
                self.error(&key, "Invalid value: false: must be true or undefined");
            }
            _ => {}
        }
        if object.contains_key("x-kubernetes-preserve-unknown-fields") && preserve.is_none() {
            let key = join(path, "x-kubernetes-preserve-unknown-fields");
            self.error(&key, "must be a boolean");
        }
        node
    }

    fn array(
        &mut self,
        object: &Map<String, Value>,
        path: &str,
        depth: usize,
        verbatim: &mut Map<String, Value>,
    ) -> Type {
        let items_path = join(path, "items");
        let items = match object.get("items") {
            Some(items @ Value::Object(_)) => self.node(items, &items_path, depth + 1, false),
            Some(_) => {
                self.error(
                    &items_path,
                    "must be one schema (a list of schemas is not structural)",
                );
                Node::new(Type::Any)
            }
            None => {
                self.error(
                    &items_path,
                    "Required value: must be specified for type: array",
                );
                Node::new(Type::Any)
            }
        };
        let keys = object.get("x-kubernetes-list-map-keys");
        let list = match object.get("x-kubernetes-list-type") {
            None => ListType::Atomic,
            Some(Value::String(t)) if t == "atomic" => {
                verbatim.insert("x-kubernetes-list-type".into(), Value::from("atomic"));
                ListType::Atomic
            }
            Some(Value::String(t)) if t == "set" => ListType::Set,
            Some(Value::String(t)) if t == "map" => match keys.and_then(Value::as_array) {
                Some(keys) if !keys.is_empty() && keys.iter().all(Value::is_string) => {
                    ListType::Map(
                        keys.iter()
                            .filter_map(Value::as_str)
                            .map(String::from)
                            .collect(),
                    )
                }
                _ => {
                    let key = join(path, "x-kubernetes-list-map-keys");
                    self.error(&key, "Required value: must be a non-empty list of property names with x-kubernetes-list-type: map");
                    ListType::Atomic
                }
            },
            Some(other) => {
                let message = format!(
                    "Unsupported value: {other}: supported values: \"atomic\", \"map\", \"set\""
                );
                self.error(&join(path, "x-kubernetes-list-type"), message);
                ListType::Atomic
            }
        };
        let non_empty_keys = keys
            .and_then(Value::as_array)
            .is_some_and(|k| !k.is_empty());
        if non_empty_keys && !matches!(list, ListType::Map(_)) {
            let key = join(path, "x-kubernetes-list-type");
            self.error(
                &key,
                "Required value: must be map if x-kubernetes-list-map-keys is non-empty",
            );
        }
        super::list_types::check(self, object, &list, path);
        Type::Array {
            items: Box::new(items),
            list,
        }
    }

    fn object(
        &mut self,
        object: &Map<String, Value>,
        path: &str,
        depth: usize,
        resource_root: bool,
        preserve: Option<bool>,
        verbatim: &mut Map<String, Value>,
    ) -> Type {
        let properties = match object.get("properties") {
            Some(Value::Object(properties)) => Some(properties),
            Some(_) => {
                self.error(&join(path, "properties"), "must be a map of schemas");
                None
            }
            None => None,
        };
        let required = self.required(object, path);
        let additional = object.get("additionalProperties");
        // The apiserver allows `additionalProperties: true` beside properties, nothing else.
        if let (Some(properties), Some(Value::Object(_) | Value::Bool(false))) =
            (properties, additional)
        {
            if !properties.is_empty() {
                let key = join(path, "additionalProperties");
                self.error(
                    &key,
                    "Forbidden: additionalProperties and properties are mutual exclusive",
                );
            }
        }
        if let Some(values_schema @ Value::Object(_)) = additional {
            let values_path = join(path, "additionalProperties");
            let values = self.node(values_schema, &values_path, depth + 1, false);
            return Type::Map {
                values: Box::new(values),
            };
        }
        let properties = properties.cloned().unwrap_or_default();
        if properties.is_empty() && object.contains_key("properties") {
            verbatim.insert("properties".into(), Value::Object(Map::new()));
        }
        if properties.is_empty()
            && required.is_empty()
            && additional.is_none()
            && preserve == Some(true)
        {
            return Type::FreeForm;
        }
        let mut built = Vec::with_capacity(properties.len());
        for (name, child) in &properties {
            let child_path = join(path, &format!("properties[{name}]"));
            let node = if resource_root && name == "metadata" {
                self.metadata(child, &child_path, depth + 1)
            } else {
                self.node(child, &child_path, depth + 1, false)
            };
            built.push(Property::new(name.clone(), required.contains(name), node));
        }
        if object
            .get("required")
            .is_some_and(|r| r.as_array().is_some_and(Vec::is_empty))
        {
            verbatim.insert("required".into(), Value::Array(Vec::new()));
        }
        Type::Object { properties: built }
    }

    /// The `metadata` of a resource root: `ObjectMeta` to the apiserver, whose schema may say
    /// `type: object`, a description, and the schemas of `name` and `generateName`, nothing
    /// else.
    fn metadata(&mut self, schema: &Value, path: &str, depth: usize) -> Node {
        let forbidden = "Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified";
        let Value::Object(object) = schema else {
            self.error(path, "must be a schema object");
            return Node::new(Type::Any);
        };
        let mut description = None;
        for (key, value) in object {
            match (key.as_str(), value) {
                ("type", Value::String(t)) if t == "object" => {}
                ("type", _) => {
                    self.error(&join(path, "type"), "must be object at the root (metadata)")
                }
                ("description", Value::String(text)) => description = Some(text.clone()),
                ("properties", Value::Object(_)) => {}
                _ => self.error(&join(path, key), forbidden),
            }
        }
        let empty = Map::new();
        let properties = object
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let mut declared = |field: &str| {
            let schema = properties.get(field)?;
            let at = join(path, &format!("properties[{field}]"));
            Some(Box::new(self.node(schema, &at, depth + 1, false)))
        };
        let name = declared("name");
        let generate_name = declared("generateName");
        for field in properties.keys() {
            if field != "name" && field != "generateName" {
                self.error(&join(path, &format!("properties[{field}]")), forbidden);
            }
        }
        let mut node = Node::new(Type::Metadata {
            name,
            generate_name,
        });
        node.description = description;
        node
    }

    fn required(&mut self, object: &Map<String, Value>, path: &str) -> Vec<String> {
        match object.get("required") {
            None => Vec::new(),
            Some(Value::Array(names)) if names.iter().all(Value::is_string) => names
                .iter()
                .filter_map(Value::as_str)
                .map(String::from)
                .collect(),
            Some(_) => {
                self.error(&join(path, "required"), "must be a list of property names");
                Vec::new()
            }
        }
    }

    /// `description`, `default`, `nullable` and `x-kubernetes-embedded-resource`.
    fn fields(
        &mut self,
        object: &Map<String, Value>,
        path: &str,
        node: &mut Node,
        verbatim: &mut Map<String, Value>,
    ) {
        match object.get("description") {
            Some(Value::String(text)) => node.description = Some(text.clone()),
            Some(_) => self.error(&join(path, "description"), "must be a string"),
            None => {}
        }
        if let Some(default) = object.get("default") {
            node.default = Some(default.clone());
        }
        for (key, slot) in [
            ("nullable", &mut node.nullable),
            (
                "x-kubernetes-embedded-resource",
                &mut node.embedded_resource,
            ),
        ] {
            match object.get(key) {
                Some(Value::Bool(true)) => *slot = true,
                Some(Value::Bool(false)) => {
                    verbatim.insert(key.into(), Value::Bool(false));
                }
                Some(_) => self.errors.push(LoadError {
                    path: join(path, key),
                    message: "must be a boolean".into(),
                }),
                None => {}
            }
        }
        if node.embedded_resource && !matches!(node.ty, Type::Object { .. } | Type::FreeForm) {
            let key = join(path, "x-kubernetes-embedded-resource");
            self.error(&key, "only allowed with type: object");
        }
        // `required` may name fields the schema does not declare (the apiserver allows it).
        let declared: Vec<&str> = node.properties().iter().map(|p| p.name.as_str()).collect();
        node.required_undeclared = object
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .filter(|name| !declared.contains(name))
            .map(String::from)
            .collect();
        match object.get("additionalProperties") {
            Some(Value::Bool(allows)) => node.additional_properties = Some(*allows),
            Some(Value::Object(_)) | None => {}
            Some(_) => self.error(
                &join(path, "additionalProperties"),
                "must be a schema or a boolean",
            ),
        }
    }
}

/// The `type` as written (`null` when there is none), for messages that quote it.
fn ty_text(object: &Map<String, Value>) -> Value {
    object.get("type").cloned().unwrap_or(Value::Null)
}

/// A boolean keyword's value (`None` when absent or not a boolean).
fn flag(object: &Map<String, Value>, key: &str) -> Option<bool> {
    object.get(key).and_then(Value::as_bool)
}
