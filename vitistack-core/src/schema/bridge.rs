//! The bridge from schemars to the schema model: a type's `schemars::JsonSchema` becomes a
//! structural [`Node`] tree, so the rules it declares reach all three enforcers.
//!
//! This is what gives Kubernetes types (k8s-openapi's `schemars` feature) and user types
//! (`#[viti(schemars)]`) their CRD schema. Like kube-core's `StructuralSchemaRewriter`, it turns
//! what JSON Schema allows into what a structural schema allows:
//!
//! * every `$ref` is inlined (a CRD schema has no definitions); a type that contains itself
//!   cannot be inlined and is an error;
//! * `Option<T>` (`anyOf` with a `null` branch, `type: [T, "null"]`) is `T` (the apiserver
//!   prunes nulls);
//! * a unit enum (`oneOf`/`anyOf` of string constants, or `enum`) is a string with an enum rule;
//! * `x-kubernetes-int-or-string` becomes [`Type::IntOrString`];
//! * lists get the list type the [`Refinements`] it is given declare for them (Kubernetes' own,
//!   for the Kubernetes types), or the `x-kubernetes-list-type` the schema itself carries, or
//!   `set` for `uniqueItems`;
//! * a named definition gets what the [`Refinements`] add to it (the quantity pattern);
//! * descriptions are kept, the referring field's own text winning over its type's.
//!
//! Inlining is bounded ([`MAX_NODES`] schemas, [`MAX_DEPTH`] levels): a few definitions that each
//! name the next one twice would otherwise inline into exponentially many nodes, and a long
//! chain of definitions into a recursion deeper than the stack.
//!
//! What a structural schema cannot say (an untagged enum of differing shapes, tuples, a type
//! containing itself, properties beside `additionalProperties`) is a [`BridgeError`] naming the
//! schema path, never a silently weaker schema.

use super::{integer_width, IntFormat, ListType, Node, Property, Type};
use crate::rules::{Format, RawCel, Reason, Rule};
use serde_json::{Map, Value};

/// Most schemas the bridge builds for one root, `$ref`s inlined. etcd stores an object of at most
/// 1.5 MiB, and a CRD spends more than 15 bytes on each schema, so no storable CRD has more; the
/// largest Kubernetes type bridged (`PodTemplateSpec`) has about a tenth of it.
pub const MAX_NODES: usize = 100_000;

/// Deepest nesting of schemas, `$ref`s inlined; Kubernetes types nest a few dozen levels.
pub const MAX_DEPTH: usize = 128;

/// Why a JSON Schema has no structural equivalent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {reason}")]
pub struct BridgeError {
    /// Where in the schema, as a field path (`spec.template.containers[]`); empty at the root.
    pub path: String,
    /// What is not expressible, and why.
    pub reason: String,
}

/// What the bridge adds to the schemas of named definitions beyond what their JSON Schema says.
///
/// The bridge is given these rather than knowing them, so it stays a JSON Schema translator: the
/// Kubernetes ones (the list types Kubernetes declares, the quantity pattern) are the schema
/// model's Kubernetes module's, which calls the bridge, never the other way round.
pub trait Refinements {
    /// The list type declared for `property` of the definition named `definition`, if any.
    fn list_type(&self, definition: &str, property: &str) -> Option<ListType>;
    /// `node`, the bridged body of the definition named `definition`, with what its JSON Schema
    /// leaves out.
    fn refine(&self, definition: &str, node: Node) -> Node;
}

/// No refinements: the JSON Schema as it is.
impl Refinements for () {
    fn list_type(&self, _: &str, _: &str) -> Option<ListType> {
        None
    }
    fn refine(&self, _: &str, node: Node) -> Node {
        node
    }
}

/// The schema tree of a type implementing schemars' `JsonSchema`.
pub fn node_for<T: schemars::JsonSchema + ?Sized>(
    refinements: &dyn Refinements,
) -> Result<Node, BridgeError> {
    let generator = schemars::generate::SchemaSettings::draft2020_12()
        .with(|settings| settings.meta_schema = None)
        .into_generator();
    let root = generator.into_root_schema_for::<T>();
    let name = T::schema_name();
    bridge_root(root.as_value(), Some(&name), refinements)
}

/// The schema of a field whose type implements schemars' `JsonSchema` (what
/// `#[viti(schemars)]` expands to), and whether the field may be absent: its schema admits
/// `null`, as an `Option`'s does.
///
/// A type the bridge cannot express (see the module docs) gets a free-form object whose
/// description names the reason, and a rule every value fails with that reason, so the CRD,
/// `validate()` and `crdgen validate` all say so instead of quietly accepting anything.
pub fn field<T: schemars::JsonSchema + ?Sized>(refinements: &dyn Refinements) -> (Node, bool) {
    let generator = schemars::generate::SchemaSettings::draft2020_12()
        .with(|settings| settings.meta_schema = None)
        .into_generator();
    let root = generator.into_root_schema_for::<T>();
    let optional = admits_null(root.as_value());
    let name = T::schema_name();
    match bridge_root(root.as_value(), Some(&name), refinements) {
        Ok(node) => (node, optional),
        Err(e) => (
            inexpressible(&format!("{name} has no structural schema: {e}")),
            optional,
        ),
    }
}

/// A free-form node that refuses every value with `reason` (CEL `false` on the apiserver, the
/// same check in Rust).
fn inexpressible(reason: &str) -> Node {
    let rule = Rule::Cel(RawCel {
        rule: "false".to_string(),
        message: reason.to_string(),
        field_path: None,
        reason: Reason::Invalid,
        check: Some(|_| false),
        ..Default::default()
    });
    Node::new(Type::FreeForm).describe(reason).with_rule(rule)
}

/// Whether a schema admits `null` at its top (`type: [.., "null"]`, or a null branch).
fn admits_null(schema: &Value) -> bool {
    let null_type = match schema.get("type") {
        Some(Value::String(t)) => t == "null",
        Some(Value::Array(types)) => types.iter().any(|t| t == "null"),
        _ => false,
    };
    null_type
        || ["anyOf", "oneOf"].iter().any(|key| {
            schema
                .get(*key)
                .and_then(Value::as_array)
                .is_some_and(|branches| branches.iter().any(is_null_schema))
        })
}

/// The schema tree of a JSON Schema document whose definitions sit under `$defs` or
/// `definitions` (what schemars generates).
pub fn node_from_json_schema(
    root: &Value,
    refinements: &dyn Refinements,
) -> Result<Node, BridgeError> {
    bridge_root(root, None, refinements)
}

/// The root schema is the body of the definition `name` (not a `$ref` to it).
fn bridge_root(
    root: &Value,
    name: Option<&str>,
    refinements: &dyn Refinements,
) -> Result<Node, BridgeError> {
    let empty = Map::new();
    let definitions = ["$defs", "definitions"]
        .iter()
        .find_map(|key| root.get(*key).and_then(Value::as_object))
        .unwrap_or(&empty);
    let mut bridge = Bridge {
        definitions,
        refinements,
        inlining: Vec::new(),
        nodes: 0,
        depth: 0,
    };
    let node = bridge.node(root, "", name)?;
    Ok(match name {
        Some(name) => refinements.refine(name, node),
        None => node,
    })
}

struct Bridge<'a> {
    definitions: &'a Map<String, Value>,
    refinements: &'a dyn Refinements,
    /// The definitions being inlined, outermost first: a `$ref` to one of them is recursion.
    inlining: Vec<String>,
    /// Schemas built so far (bounded by [`MAX_NODES`]).
    nodes: usize,
    /// Schemas being built, outermost first (bounded by [`MAX_DEPTH`]).
    depth: usize,
}

fn error(path: &str, reason: impl Into<String>) -> BridgeError {
    BridgeError {
        path: path.to_string(),
        reason: reason.into(),
    }
}

impl Bridge<'_> {
    /// The node of `schema` at `path`; `definition` names the definition `schema` is the body of.
    fn node(
        &mut self,
        schema: &Value,
        path: &str,
        definition: Option<&str>,
    ) -> Result<Node, BridgeError> {
        self.nodes += 1;
        if self.nodes > MAX_NODES {
            return Err(error(
                path,
                format!("more than {MAX_NODES} schemas once every `$ref` is inlined"),
            ));
        }
        if self.depth >= MAX_DEPTH {
            return Err(error(
                path,
                format!("nested deeper than {MAX_DEPTH} schemas once every `$ref` is inlined"),
            ));
        }
        self.depth += 1;
        let node = self.node_within_bounds(schema, path, definition);
        self.depth -= 1;
        node
    }

    fn node_within_bounds(
        &mut self,
        schema: &Value,
        path: &str,
        definition: Option<&str>,
    ) -> Result<Node, BridgeError> {
        let object = match schema {
            Value::Bool(true) => return Ok(Node::new(Type::FreeForm)),
            Value::Object(object) => object,
            _ => return Err(error(path, "a schema that accepts nothing (`false`)")),
        };
        let mut node = if let Some(reference) = object.get("$ref") {
            self.reference(reference, path)?
        } else if let Some(branches) = object.get("allOf").and_then(Value::as_array) {
            match branches.as_slice() {
                [single] => self.node(single, path, None)?,
                _ => return Err(error(path, "`allOf` of several schemas is not structural")),
            }
        } else if let Some(branches) = ["anyOf", "oneOf"]
            .iter()
            .find_map(|key| object.get(*key).and_then(Value::as_array))
        {
            self.branches(branches, path)?
        } else {
            self.shape(object, path, definition)?
        };
        if let Some(text) = object.get("description").and_then(Value::as_str) {
            node.description = Some(text.to_string()).filter(|t| !t.is_empty());
        }
        if let Some(default) = object.get("default").filter(|d| !d.is_null()) {
            node.default = Some(default.clone());
        }
        Ok(node)
    }

    /// Inlines the definition `reference` points to.
    fn reference(&mut self, reference: &Value, path: &str) -> Result<Node, BridgeError> {
        let text = reference.as_str().unwrap_or_default();
        let name = ["#/$defs/", "#/definitions/"]
            .iter()
            .find_map(|prefix| text.strip_prefix(prefix))
            .map(|n| n.replace("~1", "/").replace("~0", "~"))
            .ok_or_else(|| error(path, format!("`$ref` {text:?} is not a local definition")))?;
        if self.inlining.contains(&name) {
            return Err(error(
                path,
                format!("{name} contains itself; a CRD schema cannot express recursion"),
            ));
        }
        let body = self
            .definitions
            .get(&name)
            .ok_or_else(|| error(path, format!("`$ref` to a missing definition {name}")))?;
        self.inlining.push(name.clone());
        let node = self.node(body, path, Some(&name));
        self.inlining.pop();
        Ok(self.refinements.refine(&name, node?))
    }

    /// `anyOf`/`oneOf`: an optional value or a unit enum.
    fn branches(&mut self, branches: &[Value], path: &str) -> Result<Node, BridgeError> {
        let present: Vec<&Value> = branches.iter().filter(|b| !is_null_schema(b)).collect();
        if let [single] = present.as_slice() {
            return self.node(single, path, None);
        }
        let literals: Option<Vec<&str>> =
            present
                .iter()
                .map(|b| string_literals(b))
                .try_fold(Vec::new(), |mut all, literals| {
                    all.extend(literals?);
                    Some(all)
                });
        match literals {
            Some(values) if !values.is_empty() => {
                Ok(Node::new(Type::String).with_rule(Rule::one_of(&values)))
            }
            _ => Err(error(
                path,
                format!(
                    "{} branches of different shapes (an untagged or data-carrying enum) have \
                     no structural schema",
                    present.len()
                ),
            )),
        }
    }

    /// A schema with no `$ref` or junctor: its `type` decides.
    fn shape(
        &mut self,
        object: &Map<String, Value>,
        path: &str,
        definition: Option<&str>,
    ) -> Result<Node, BridgeError> {
        if flag(object, "x-kubernetes-int-or-string") {
            let pattern = object.get("pattern").and_then(Value::as_str);
            return Ok(Node::new(Type::IntOrString).with_rules(pattern.map(Rule::pattern)));
        }
        if flag(object, "x-kubernetes-preserve-unknown-fields") {
            return Ok(Node::new(Type::FreeForm));
        }
        match single_type(object, path)? {
            Some("string") => string(object, path),
            Some("integer") => Ok(integer(object)),
            Some("number") => Ok(Node::new(Type::Number)),
            Some("boolean") => Ok(Node::new(Type::Boolean)),
            Some("array") => self.array(object, path),
            Some("object") => self.object(object, path, definition),
            Some(other) => Err(error(path, format!("type {other:?} has no CRD equivalent"))),
            None => Ok(Node::new(Type::FreeForm)),
        }
    }

    fn array(&mut self, object: &Map<String, Value>, path: &str) -> Result<Node, BridgeError> {
        if object.contains_key("prefixItems") {
            return Err(error(
                path,
                "a tuple (`prefixItems`) has no structural schema",
            ));
        }
        let items = match object.get("items") {
            Some(items) => self.node(items, &format!("{path}[]"), None)?,
            None => Node::new(Type::FreeForm),
        };
        let bounds = (
            object.get("minItems").and_then(Value::as_u64),
            object.get("maxItems").and_then(Value::as_u64),
        );
        let list =
            match declared_list_type(object) {
                Some(list) if fits_items(&items, &list) => list,
                // The apiserver refuses the CRD; keeping the list atomic would be a weaker schema.
                Some(_) => return Err(error(
                    path,
                    "`x-kubernetes-list-type` the items cannot carry (a map needs keys that are \
                     required or defaulted properties of object items; a set, scalar items)",
                )),
                None => {
                    let scalar = !matches!(items.ty, Type::Object { .. } | Type::Map { .. });
                    if flag(object, "uniqueItems") && scalar {
                        ListType::Set
                    } else {
                        ListType::Atomic
                    }
                }
            };
        let mut node = Node::array(items).with_list_type(list);
        if bounds != (None, None) {
            node.push_rule(Rule::items(bounds.0, bounds.1));
        }
        Ok(node)
    }

    fn object(
        &mut self,
        object: &Map<String, Value>,
        path: &str,
        definition: Option<&str>,
    ) -> Result<Node, BridgeError> {
        let empty = Map::new();
        let declared = object
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        match object.get("additionalProperties") {
            Some(Value::Bool(true)) if declared.is_empty() => return Ok(Node::new(Type::FreeForm)),
            Some(values @ Value::Object(_)) if declared.is_empty() => {
                let values = self.node(values, &format!("{path}[]"), None)?;
                return Ok(Node::new(Type::Map {
                    values: Box::new(values),
                }));
            }
            Some(Value::Bool(false)) | None => {}
            Some(_) => {
                return Err(error(
                    path,
                    "properties beside `additionalProperties` (a `#[serde(flatten)]` map) are \
                     not structural",
                ))
            }
        }
        let required: Vec<&str> = object
            .get("required")
            .and_then(Value::as_array)
            .map(|names| names.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let mut properties = Vec::with_capacity(declared.len());
        for (name, schema) in declared {
            let child_path = join(path, name);
            let mut node = self.node(schema, &child_path, None)?;
            if let Some(list) = definition.and_then(|d| self.refinements.list_type(d, name)) {
                node = with_known_list_type(node, list);
            }
            properties.push(Property::new(
                name.as_str(),
                required.contains(&name.as_str()),
                node,
            ));
        }
        Ok(Node::object(properties))
    }
}

/// Gives an atomic list the list type Kubernetes declares, when its items can carry it: a map's
/// keys must be required (or defaulted) properties of the items, or the apiserver refuses the
/// CRD, so a key the item schema leaves optional keeps the list atomic.
fn with_known_list_type(node: Node, list: ListType) -> Node {
    let usable = match &node.ty {
        Type::Array {
            list: ListType::Atomic,
            items,
        } => fits_items(items, &list),
        _ => false,
    };
    if usable {
        node.with_list_type(list)
    } else {
        node
    }
}

/// Whether a list of `items` may have the list type `list` in a CRD: a map needs at least one
/// key, each a required or defaulted property of the (object) items; a set needs scalar items.
fn fits_items(items: &Node, list: &ListType) -> bool {
    match list {
        ListType::Atomic => true,
        ListType::Map(keys) => {
            matches!(items.ty, Type::Object { .. })
                && !keys.is_empty()
                && keys.iter().all(|key| {
                    items
                        .properties()
                        .iter()
                        .any(|p| &p.name == key && (p.required || p.node.default.is_some()))
                })
        }
        ListType::Set => !matches!(items.ty, Type::Object { .. } | Type::Map { .. }),
    }
}

fn string(object: &Map<String, Value>, path: &str) -> Result<Node, BridgeError> {
    let mut node = Node::new(Type::String);
    if let Some(values) = string_literals(&Value::Object(object.clone())) {
        node.push_rule(Rule::one_of(&values));
    } else if object.contains_key("enum") || object.contains_key("const") {
        return Err(error(
            path,
            "a string enum with values that are not strings",
        ));
    }
    if let Some(pattern) = object.get("pattern").and_then(Value::as_str) {
        node.push_rule(Rule::pattern(pattern));
    }
    let (min, max) = (
        object.get("minLength").and_then(Value::as_u64),
        object.get("maxLength").and_then(Value::as_u64),
    );
    if (min, max) != (None, None) {
        node.push_rule(Rule::length(min, max));
    }
    // The one string format the apiserver checks that k8s-openapi uses (`Time`); other formats
    // (`byte`, schemars' `uuid`, ...) stay documentation.
    if object.get("format").and_then(Value::as_str) == Some("date-time") {
        node = node.with_rules(Format::DateTime.rules());
    }
    Ok(node)
}

/// An integer with its declared bounds. The OpenAPI formats `int32`/`int64` stay as they are
/// (the apiserver checks no width, so neither does `validate()`); schemars' Rust formats
/// (`uint16`, `int8`, `uint`, ...) become `int32`/`int64` with the bounds of their range, as
/// the derive gives Rust integers ([`integer_width`]).
fn integer(object: &Map<String, Value>) -> Node {
    let (format, min, max) = match object.get("format").and_then(Value::as_str) {
        Some("int32") => (IntFormat::Int32, None, None),
        Some(rust) => match rust_integer_bits(rust) {
            Some((bits, signed)) => integer_width(bits, signed),
            None => (IntFormat::Int64, None, None),
        },
        None => (IntFormat::Int64, None, None),
    };
    let mut node = Node::new(Type::Integer(format));
    if (min, max) != (None, None) {
        node.push_rule(Rule::range(min, max));
    }
    let bound = |key: &str| object.get(key).and_then(Value::as_f64).map(|f| f as i64);
    if let (None, None) = (bound("minimum"), bound("maximum")) {
        return node;
    }
    node.with_rule(Rule::range(bound("minimum"), bound("maximum")))
}

/// The width and signedness of schemars' integer formats (`int8`..`int64`, `uint8`..`uint64`,
/// `int`/`uint` for pointer-sized integers, taken as 64 bits).
fn rust_integer_bits(format: &str) -> Option<(u32, bool)> {
    let (signed, digits) = match format.strip_prefix('u') {
        Some(rest) => (false, rest.strip_prefix("int")?),
        None => (true, format.strip_prefix("int")?),
    };
    match digits {
        "" => Some((64, signed)),
        "8" | "16" | "32" | "64" => digits.parse().ok().map(|bits| (bits, signed)),
        _ => None,
    }
}

/// The one non-null `type` of a schema (`None` when it states none).
fn single_type<'a>(
    object: &'a Map<String, Value>,
    path: &str,
) -> Result<Option<&'a str>, BridgeError> {
    let types: Vec<&str> = match object.get("type") {
        Some(Value::String(ty)) => vec![ty.as_str()],
        Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).collect(),
        _ if object.contains_key("enum") || object.contains_key("const") => vec!["string"],
        _ if object.contains_key("properties") => vec!["object"],
        _ => Vec::new(),
    };
    let present: Vec<&str> = types.into_iter().filter(|t| *t != "null").collect();
    match present.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(one)),
        many => Err(error(
            path,
            format!("several types {many:?}: a structural schema has one"),
        )),
    }
}

/// The list type a schema declares with `x-kubernetes-list-type`.
fn declared_list_type(object: &Map<String, Value>) -> Option<ListType> {
    match object.get("x-kubernetes-list-type")?.as_str()? {
        "set" => Some(ListType::Set),
        "map" => {
            let keys = object.get("x-kubernetes-list-map-keys")?.as_array()?;
            let keys: Vec<String> = keys
                .iter()
                .filter_map(Value::as_str)
                .map(String::from)
                .collect();
            Some(ListType::Map(keys))
        }
        _ => Some(ListType::Atomic),
    }
}

/// The string values of a `const`/`enum` schema (`null`s dropped), if all of them are strings.
fn string_literals(schema: &Value) -> Option<Vec<&str>> {
    let values: Vec<&Value> = match (schema.get("const"), schema.get("enum")) {
        (Some(one), _) => vec![one],
        (None, Some(Value::Array(many))) => many.iter().collect(),
        _ => return None,
    };
    values
        .into_iter()
        .filter(|v| !v.is_null())
        .map(Value::as_str)
        .collect()
}

/// Whether a branch of `anyOf`/`oneOf` only admits `null` (schemars' `Option<T>`).
fn is_null_schema(schema: &Value) -> bool {
    schema.get("type").and_then(Value::as_str) == Some("null")
        || schema.get("const").is_some_and(Value::is_null)
        || schema
            .get("enum")
            .and_then(Value::as_array)
            .is_some_and(|values| values.iter().all(Value::is_null))
}

fn flag(object: &Map<String, Value>, key: &str) -> bool {
    object.get(key).and_then(Value::as_bool) == Some(true)
}

fn join(path: &str, segment: &str) -> String {
    if path.is_empty() {
        segment.to_string()
    } else {
        format!("{path}.{segment}")
    }
}

#[cfg(test)]
#[path = "bridge_tests.rs"]
mod tests;
