//! The schema model: one tree of [`Node`]s per type, built by `#[derive(Schema)]`.
//!
//! A node is the type's structural shape (what OpenAPI calls `type`, `items`, `properties`) plus
//! the [`Rule`]s attached to it. The same tree is rendered three ways: as the CRD's
//! `openAPIV3Schema` ([`openapi`]), as a JSON Schema ([`json_schema`]), and walked by the Rust
//! validator ([`crate::validate`]). A rule added once therefore reaches all three enforcers.
//!
//! Types with a schemars `JsonSchema` join the same tree through [`bridge`]: the Kubernetes
//! types operators embed as plain fields ([`kubernetes`]) and user types opted in with
//! `#[viti(schemars)]`.

pub mod bridge;
mod guards;
pub mod json_schema;
pub mod kubernetes;
mod kubernetes_lists;
pub mod load;
mod metadata;
pub mod openapi;
mod primitives;
pub use guards::removal_guards;
pub use metadata::{metadata_map_rules, metadata_name_rules, OBJECT_META_FIELDS};
pub use primitives::{integer_width, Elements, IntegerLike, ListLike, NumberLike, StringLike};

use crate::rules::Rule;
use serde_json::{Map, Value};

/// The OpenAPI integer formats the apiserver knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntFormat {
    /// `format: int32`.
    Int32,
    /// `format: int64`.
    Int64,
}

/// How a list merges under server-side apply, and what uniqueness it promises.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListType {
    /// Replaced as a whole (the default).
    Atomic,
    /// Unique scalars (`x-kubernetes-list-type: set`).
    Set,
    /// Objects keyed by these fields (`x-kubernetes-list-type: map`).
    Map(Vec<String>),
}

/// The structural shape of a node.
#[derive(Debug, Clone, PartialEq)]
pub enum Type {
    /// A string.
    String,
    /// An integer with its wire format.
    Integer(IntFormat),
    /// A floating point number.
    Number,
    /// A boolean.
    Boolean,
    /// An integer or a string (`x-kubernetes-int-or-string: true`): `IntOrString`, `Quantity`.
    IntOrString,
    /// A list.
    Array {
        /// Schema of every item.
        items: Box<Node>,
        /// Merge semantics and uniqueness.
        list: ListType,
    },
    /// An object with known properties; unknown ones are pruned by the apiserver.
    Object {
        /// The properties, in declaration order.
        properties: Vec<Property>,
    },
    /// A map from string keys to values of one schema (`additionalProperties`).
    Map {
        /// Schema of every value.
        values: Box<Node>,
    },
    /// A free-form object kept as is (`x-kubernetes-preserve-unknown-fields: true`).
    FreeForm,
    /// Kubernetes `ObjectMeta` at the root of a resource (or of an embedded resource): the
    /// apiserver checks it as `ObjectMeta`, and a schema may constrain only `name` and
    /// `generateName` ([`Node::metadata`] is the derive's).
    Metadata {
        /// The schema declared for `name`.
        name: Option<Box<Node>>,
        /// The schema declared for `generateName`.
        generate_name: Option<Box<Node>>,
    },
    /// No `type` keyword: any JSON value (with `x-kubernetes-preserve-unknown-fields`, what a
    /// CRD writes for a field of any shape).
    Any,
}

/// The OpenAPI `format` keyword of a node, where it is not the one its [`Type`] implies
/// (`int32`/`int64` for integers, `double` for numbers, none for the rest).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum FormatKeyword {
    /// The format the type implies (what every derived schema has).
    #[default]
    Implied,
    /// No `format`, though the type implies one (an `integer` or `number` written without).
    Absent,
    /// This format, as written: any string, known to the apiserver or not.
    Named(String),
}

/// One property of an object node.
#[derive(Debug, Clone, PartialEq)]
pub struct Property {
    /// The wire (JSON) name.
    pub name: String,
    /// Whether the property must be present.
    pub required: bool,
    /// Its schema.
    pub node: Node,
}

/// A schema node: shape, documentation, default and rules.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The structural shape.
    pub ty: Type,
    /// What `kubectl explain` shows.
    pub description: Option<String>,
    /// The value the apiserver fills in when the field is absent.
    pub default: Option<Value>,
    /// Validation rules on this node, each rendered to all three enforcers.
    pub rules: Vec<Rule>,
    /// `nullable: true`: `null` is a value of this node (not pruned, not a type error).
    pub nullable: bool,
    /// The `format` keyword, where it differs from the type's.
    pub format: FormatKeyword,
    /// `x-kubernetes-preserve-unknown-fields: true` beside a shape that does not imply it (an
    /// object with properties, a map, an untyped node): fields the schema does not declare
    /// are kept, never an unknown-field error.
    pub preserve_unknown_fields: bool,
    /// `x-kubernetes-embedded-resource: true`: the object is a Kubernetes object of its own
    /// (`apiVersion`, `kind`, `metadata`).
    pub embedded_resource: bool,
    /// `additionalProperties` written as a boolean (its schema form is [`Type::Map`]).
    pub additional_properties: Option<bool>,
    /// Names in `required` that are not among the properties (a CRD may require a field it
    /// does not declare, under `x-kubernetes-preserve-unknown-fields` or a map).
    pub required_undeclared: Vec<String>,
    /// Not written in the schema but there all the same: the `metadata` the apiserver gives
    /// every resource root whose schema leaves it out. Walked, never rendered to a CRD.
    pub implicit: bool,
    /// Keywords kept exactly as written that no enforcer reads: documentation (`title`,
    /// `example`, `externalDocs`), server-side-apply hints (`x-kubernetes-map-type`), and
    /// defaults written out (`x-kubernetes-list-type: atomic`, `nullable: false`, ...).
    pub verbatim: Map<String, Value>,
}

impl IntFormat {
    /// The OpenAPI `format` value.
    pub fn as_str(self) -> &'static str {
        match self {
            IntFormat::Int32 => "int32",
            IntFormat::Int64 => "int64",
        }
    }
}

impl Node {
    /// A node of the given shape with no description or default. Its only rules are, on an
    /// object, the [`removal_guards`] its properties need (rules added later go before them).
    pub fn new(ty: Type) -> Self {
        let rules = match &ty {
            Type::Object { properties } => removal_guards(properties)
                .into_iter()
                .map(Rule::RemovalGuard)
                .collect(),
            _ => Vec::new(),
        };
        Node {
            ty,
            description: None,
            default: None,
            rules,
            nullable: false,
            format: FormatKeyword::Implied,
            preserve_unknown_fields: false,
            embedded_resource: false,
            additional_properties: None,
            required_undeclared: Vec::new(),
            implicit: false,
            verbatim: Map::new(),
        }
    }

    /// The root `metadata` of a derived resource: `name` an RFC 1123 label
    /// ([`metadata_name_rules`]).
    pub fn metadata() -> Self {
        let name = Node::new(Type::String).with_rules(metadata_name_rules().iter().cloned());
        Node::new(Type::Metadata {
            name: Some(Box::new(name)),
            generate_name: None,
        })
    }

    /// Whether this is a resource's `metadata` ([`Type::Metadata`]).
    pub fn is_metadata(&self) -> bool {
        matches!(self.ty, Type::Metadata { .. })
    }

    /// An object node with these properties.
    pub fn object(properties: Vec<Property>) -> Self {
        Node::new(Type::Object { properties })
    }

    /// A list node.
    pub fn array(items: Node) -> Self {
        Node::new(Type::Array {
            items: Box::new(items),
            list: ListType::Atomic,
        })
    }

    /// Sets the description (builder style).
    pub fn describe(mut self, text: impl Into<String>) -> Self {
        let text = text.into();
        if !text.is_empty() {
            self.description = Some(text);
        }
        self
    }

    /// Sets the default value (builder style).
    pub fn with_default(mut self, value: Value) -> Self {
        self.default = Some(value);
        self
    }

    /// Adds a rule. Rules of a kind that narrow bounds (range, length, items) merge with an
    /// existing rule of the same kind, so the result is one intersected bound, as the apiserver
    /// would enforce both.
    pub fn with_rule(mut self, rule: Rule) -> Self {
        self.push_rule(rule);
        self
    }

    /// Adds several rules (builder style).
    pub fn with_rules(mut self, rules: impl IntoIterator<Item = Rule>) -> Self {
        for rule in rules {
            self.push_rule(rule);
        }
        self
    }

    /// Adds a rule in place (see [`Node::with_rule`]), before the removal guards: they follow
    /// from the properties, and the CRD lists them after the rules written on the object.
    pub fn push_rule(&mut self, rule: Rule) {
        for existing in &mut self.rules {
            if existing.merge(&rule) {
                return;
            }
        }
        let guards = self
            .rules
            .iter()
            .position(|r| matches!(r, Rule::RemovalGuard(_)))
            .unwrap_or(self.rules.len());
        self.rules.insert(guards, rule);
    }

    /// Edits the node in place (builder style): what the derive's node facts (`nullable`,
    /// `preserve_unknown_fields`, `format = "..."`, ...) expand to.
    pub fn edit(mut self, f: impl FnOnce(&mut Node)) -> Self {
        f(&mut self);
        self
    }

    /// Sets the list type of an array node; no effect on other shapes.
    pub fn with_list_type(mut self, list_type: ListType) -> Self {
        if let Type::Array { list, .. } = &mut self.ty {
            *list = list_type;
        }
        self
    }

    /// Applies `f` to the item schema of an array node (or the value schema of a map node).
    pub fn map_items(mut self, f: impl FnOnce(Node) -> Node) -> Self {
        match &mut self.ty {
            Type::Array { items, .. } => {
                let inner = std::mem::replace(items.as_mut(), Node::new(Type::FreeForm));
                **items = f(inner);
            }
            Type::Map { values } => {
                let inner = std::mem::replace(values.as_mut(), Node::new(Type::FreeForm));
                **values = f(inner);
            }
            _ => {}
        }
        self
    }

    /// The properties and rules of the struct node `inner` merged into this object node, as
    /// `#[serde(flatten)]` puts its fields beside this one's on the wire. The rules of `inner`
    /// read the same fields from here (its paths are relative to the object, the same on both),
    /// and the removal guards are the merged object's. When `optional` (an `Option` flattened),
    /// none of its properties is required.
    pub fn flatten(mut self, inner: Node, optional: bool) -> Self {
        let Type::Object { properties: extra } = inner.ty else {
            return self;
        };
        let Type::Object { properties } = &mut self.ty else {
            return self;
        };
        properties.extend(extra.into_iter().map(|mut p| {
            p.required &= !optional;
            p
        }));
        let guards = removal_guards(properties);
        self.rules.retain(|r| !matches!(r, Rule::RemovalGuard(_)));
        for rule in inner.rules {
            if !matches!(rule, Rule::RemovalGuard(_)) {
                self.push_rule(rule);
            }
        }
        self.rules
            .extend(guards.into_iter().map(Rule::RemovalGuard));
        self
    }

    /// The properties of an object node (empty for other shapes).
    pub fn properties(&self) -> &[Property] {
        match &self.ty {
            Type::Object { properties } => properties,
            _ => &[],
        }
    }

    /// Follows a dotted wire path (`spec.resources.cpu`) through object properties, array items
    /// (`interfaces[0]` or `interfaces[]`) and map values.
    pub fn lookup(&self, path: &str) -> Option<&Node> {
        let mut node = self;
        for segment in path.split('.').filter(|s| !s.is_empty()) {
            let (name, indexed) = match segment.find('[') {
                Some(i) => (&segment[..i], true),
                None => (segment, false),
            };
            node = node.child(name)?;
            if indexed {
                node = node.items()?;
            }
        }
        Some(node)
    }

    /// The schema of a direct child property or map value.
    pub fn child(&self, name: &str) -> Option<&Node> {
        match &self.ty {
            Type::Object { properties } => {
                properties.iter().find(|p| p.name == name).map(|p| &p.node)
            }
            Type::Map { values } => Some(values),
            _ => None,
        }
    }

    /// The item schema of an array node.
    pub fn items(&self) -> Option<&Node> {
        match &self.ty {
            Type::Array { items, .. } => Some(items),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Fields;

    const ITEM: Fields = Fields::Named(&[("ipAddress", Fields::None)]);
    const ROOT: Fields = Fields::Named(&[
        ("subnet", Fields::None),
        ("reservations", ITEM),
        ("labels", Fields::Any),
    ]);

    #[test]
    fn paths_are_checked_segment_by_segment() {
        assert!(ROOT.has_path("subnet"));
        assert!(ROOT.has_path("reservations.ipAddress"));
        assert!(ROOT.has_path("reservations[].ipAddress"));
        assert!(ROOT.has_path("labels.anything.at.all"));
        assert!(!ROOT.has_path("reservations.ipAdress"));
        assert!(!ROOT.has_path("subnet.x"));
        assert!(!ROOT.has_path("subne"));
        assert!(!ROOT.has_path(""));
    }

    /// A struct that flattens another has the paths of both.
    #[test]
    fn flattened_fields_are_searched_too() {
        const INNER: Fields = Fields::Named(&[("port", Fields::None)]);
        const BOTH: Fields = Fields::All(&[ROOT, INNER]);
        assert!(BOTH.has_path("port"));
        assert!(BOTH.has_path("reservations.ipAddress"));
        assert!(!BOTH.has_path("host"));
        assert!(!BOTH.has_path("port.x"));
    }
}

impl Property {
    /// A property with the given wire name.
    pub fn new(name: impl Into<String>, required: bool, node: Node) -> Self {
        Property {
            name: name.into(),
            required,
            node,
        }
    }
}

/// The wire names a value can be navigated by: what a cross-field rule's path is checked
/// against at compile time (`#[derive(Schema)]` emits a constant [`Fields::has_path`]).
#[derive(Debug, Clone, Copy)]
pub enum Fields {
    /// A scalar or an enum: a path cannot go on.
    None,
    /// A map or a free-form object: any path goes on.
    Any,
    /// A struct's properties by wire name, each with its type's fields (a list's are its
    /// items').
    Named(&'static [(&'static str, Fields)]),
    /// The fields of several: a struct's own and those of the structs it `#[serde(flatten)]`s.
    All(&'static [Fields]),
}

impl Fields {
    /// Whether every segment of the dotted `path` names a property (`[...]` after a segment is
    /// ignored: lists continue into their items).
    pub const fn has_path(self, path: &str) -> bool {
        self.has_path_from(path.as_bytes(), 0)
    }

    /// [`Fields::has_path`] of the path's bytes from `start` on.
    const fn has_path_from(self, bytes: &[u8], mut start: usize) -> bool {
        let mut fields = self;
        while start <= bytes.len() {
            let mut end = start;
            while end < bytes.len() && bytes[end] != b'.' {
                end += 1;
            }
            let mut name_end = start;
            while name_end < end && bytes[name_end] != b'[' {
                name_end += 1;
            }
            fields = match fields {
                Fields::Any => return true,
                Fields::None => return false,
                Fields::All(members) => {
                    let mut i = 0;
                    while i < members.len() {
                        if members[i].has_path_from(bytes, start) {
                            return true;
                        }
                        i += 1;
                    }
                    return false;
                }
                Fields::Named(list) => match find(list, bytes, start, name_end) {
                    Some(next) => next,
                    None => return false,
                },
            };
            start = end + 1;
        }
        true
    }
}

/// The fields of the property named `bytes[start..end]`.
const fn find(list: &[(&str, Fields)], bytes: &[u8], start: usize, end: usize) -> Option<Fields> {
    let mut i = 0;
    while i < list.len() {
        let name = list[i].0.as_bytes();
        if name.len() == end - start {
            let mut j = 0;
            while j < name.len() && name[j] == bytes[start + j] {
                j += 1;
            }
            if j == name.len() {
                return Some(list[i].1);
            }
        }
        i += 1;
    }
    None
}

/// A Rust type with a schema.
///
/// Implemented for the primitives, `Option`, `Vec`, string-keyed maps and `serde_json` values,
/// and by `#[derive(Schema)]` for structs and unit enums.
pub trait Schema {
    /// Whether an absent value is allowed (true for `Option<T>`).
    const OPTIONAL: bool = false;

    /// The wire names a path may continue with into a value of this type.
    const FIELDS: Fields = Fields::None;

    /// Builds the schema tree of this type.
    fn schema() -> Node;

    /// How a `Vec` of this type merges, when the type itself says so: Kubernetes declares a
    /// list of `Condition`s a map keyed by `type`, whatever field holds it. Atomic by default.
    fn item_list_type() -> ListType {
        ListType::Atomic
    }
}
