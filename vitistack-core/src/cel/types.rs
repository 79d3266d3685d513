//! Types: the CEL types the checker works with, and how a structural schema becomes one
//! (`k8s.io/apiserver/pkg/cel/common/schemas.go: SchemaDeclType`).
//!
//! A [`Decl`] is a schema node as CEL sees it: its CEL [`Type`] plus what evaluation needs that
//! the type does not say (the list type, nullability, the wire names of escaped properties).

use super::cost::sizes;
use super::escape::escape;
use serde_json::Value as Json;
use std::fmt;
use std::sync::Arc;

/// A CEL type.
#[derive(Debug, Clone)]
pub enum Type {
    /// `dyn`: anything (int-or-string, and what the checker cannot narrow).
    Dyn,
    /// `null_type`.
    Null,
    /// `bool`.
    Bool,
    /// `int`.
    Int,
    /// `uint`.
    Uint,
    /// `double`.
    Double,
    /// `string`.
    String,
    /// `bytes`.
    Bytes,
    /// `google.protobuf.Duration`.
    Duration,
    /// `google.protobuf.Timestamp`.
    Timestamp,
    /// `list(E)`.
    List(Box<Type>),
    /// `map(K, V)`.
    Map(Box<Type>, Box<Type>),
    /// An object of a schema (properties, no `additionalProperties`).
    Object(Arc<ObjectType>),
    /// `optional_type(T)`.
    Optional(Box<Type>),
    /// `type(T)`: the value of a type name (`int`, `string`, ...).
    TypeOf(Box<Type>),
    /// A library's opaque type (`kubernetes.Quantity`, `net.IP`, ...).
    Opaque(&'static str),
}

/// Opaque type names, as cel-go prints them.
pub mod opaque {
    /// `quantity(s)`.
    pub const QUANTITY: &str = "kubernetes.Quantity";
    /// `ip(s)`.
    pub const IP: &str = "net.IP";
    /// `cidr(s)`.
    pub const CIDR: &str = "net.CIDR";
    /// `url(s)`.
    pub const URL: &str = "kubernetes.URL";
    /// `semver(s)`.
    pub const SEMVER: &str = "kubernetes.Semver";
    /// `format.named(s)`.
    pub const FORMAT: &str = "kubernetes.NamedFormat";
}

impl Type {
    /// Whether a value of type `self` may be passed where `want` is expected (`dyn` on either
    /// side matches).
    pub fn fits(&self, want: &Type) -> bool {
        match (self, want) {
            (Type::Dyn, _) | (_, Type::Dyn) => true,
            (Type::List(a), Type::List(b)) => a.fits(b),
            (Type::Map(ka, va), Type::Map(kb, vb)) => ka.fits(kb) && va.fits(vb),
            (Type::Optional(a), Type::Optional(b)) => a.fits(b),
            (Type::TypeOf(_), Type::TypeOf(_)) => true,
            (Type::Object(a), Type::Object(b)) => Arc::ptr_eq(a, b) || a.name == b.name,
            (Type::Opaque(a), Type::Opaque(b)) => a == b,
            (a, b) => std::mem::discriminant(a) == std::mem::discriminant(b),
        }
    }

    /// Whether this is `dyn`.
    pub fn is_dyn(&self) -> bool {
        matches!(self, Type::Dyn)
    }

    /// The element type of a list (`dyn` for `dyn`).
    pub fn elem(&self) -> Option<Type> {
        match self {
            Type::List(e) => Some((**e).clone()),
            Type::Dyn => Some(Type::Dyn),
            _ => None,
        }
    }
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Type::Dyn => f.write_str("dyn"),
            Type::Null => f.write_str("null_type"),
            Type::Bool => f.write_str("bool"),
            Type::Int => f.write_str("int"),
            Type::Uint => f.write_str("uint"),
            Type::Double => f.write_str("double"),
            Type::String => f.write_str("string"),
            Type::Bytes => f.write_str("bytes"),
            Type::Duration => f.write_str("google.protobuf.Duration"),
            Type::Timestamp => f.write_str("google.protobuf.Timestamp"),
            Type::List(e) => write!(f, "list({e})"),
            Type::Map(k, v) => write!(f, "map({k}, {v})"),
            Type::Object(o) => f.write_str(&o.name),
            Type::Optional(t) => write!(f, "optional_type({t})"),
            Type::TypeOf(t) => write!(f, "type({t})"),
            Type::Opaque(name) => f.write_str(name),
        }
    }
}

/// The type of an object schema: its CEL-visible properties.
#[derive(Debug)]
pub struct ObjectType {
    /// The type name (`self`, `self.spec`, ...: stable, unlike the apiserver's
    /// `selfType<nanoseconds>`, which no rule can rely on).
    pub name: String,
    /// The properties CEL can name, in schema order.
    pub fields: Vec<Field>,
}

impl ObjectType {
    /// The property with this CEL (escaped) name.
    pub fn field(&self, escaped: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.escaped == escaped)
    }
}

/// One CEL-visible property.
#[derive(Debug)]
pub struct Field {
    /// The CEL name (`a__dash__b`).
    pub escaped: String,
    /// The wire name (`a-b`).
    pub raw: String,
    /// Its declaration.
    pub decl: Arc<Decl>,
    /// Listed in `required` (and without a default): what the cost estimator's minimum size counts.
    pub required: bool,
}

/// A schema node as CEL sees it.
#[derive(Debug)]
pub struct Decl {
    /// The CEL type.
    pub ty: Type,
    /// The runtime shape.
    pub shape: Shape,
    /// `nullable: true`: a `null` item or map value is CEL `null`, not an error.
    pub nullable: bool,
    /// `MaxElements`: the largest size the cost estimator assumes (code points of a string,
    /// items of a list, entries of a map; 0 for other types), from maxLength / maxItems /
    /// maxProperties, else the request-size limit ([`sizes`]).
    pub max_elements: u64,
    /// `MinSerializedSize`: the fewest bytes a value of this node takes in JSON (what bounds
    /// how many can fit in a request).
    pub min_size: u64,
}

/// How a value of a schema node is read from JSON.
#[derive(Debug)]
pub enum Shape {
    /// A scalar of this kind.
    Scalar(Scalar),
    /// `x-kubernetes-int-or-string`.
    IntOrString,
    /// A list.
    List {
        /// The items.
        items: Arc<Decl>,
        /// `x-kubernetes-list-type` and keys.
        list: ListKind,
    },
    /// A map (`additionalProperties`).
    Map {
        /// The values.
        values: Arc<Decl>,
    },
    /// An object.
    Object(Arc<ObjectType>),
}

/// A scalar schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scalar {
    /// `boolean`.
    Bool,
    /// `integer`.
    Int,
    /// `number`.
    Double,
    /// `string`.
    String,
    /// `string` with `format: byte`.
    Bytes,
    /// `string` with `format: duration`.
    Duration,
    /// `string` with `format: date-time`.
    DateTime,
    /// `string` with `format: date`.
    Date,
}

/// `x-kubernetes-list-type`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListKind {
    /// `atomic` or unset.
    Atomic,
    /// `set`: equality ignores order, `+` is a union.
    Set,
    /// `map` with its keys: equality ignores order, `+` merges by key.
    Map(Vec<String>),
}

impl Decl {
    /// The declaration of a structural (OpenAPI v3) schema, or `None` when CEL cannot see the
    /// node (no `type`, and not int-or-string). `resource_root`: the schema is a resource's
    /// root (or `x-kubernetes-embedded-resource`), whose `metadata` CEL sees as `name` and
    /// `generateName` only, next to `apiVersion` and `kind`.
    pub fn from_schema(schema: &Json, name: &str, resource_root: bool) -> Option<Arc<Decl>> {
        let nullable = schema.get("nullable").and_then(Json::as_bool) == Some(true);
        if schema
            .get("x-kubernetes-int-or-string")
            .and_then(Json::as_bool)
            == Some(true)
        {
            return Some(Arc::new(Decl {
                ty: Type::Dyn,
                shape: Shape::IntOrString,
                nullable,
                max_elements: sizes::int_or_string_max(schema),
                min_size: 1,
            }));
        }
        let ty = schema.get("type").and_then(Json::as_str)?;
        let scalar = |s: Scalar, ty: Type, (max_elements, min_size): (u64, u64)| {
            Some(Arc::new(Decl {
                ty,
                shape: Shape::Scalar(s),
                nullable,
                max_elements,
                min_size,
            }))
        };
        match ty {
            "boolean" => scalar(Scalar::Bool, Type::Bool, (0, sizes::MIN_BOOL_SIZE)),
            "integer" => scalar(Scalar::Int, Type::Int, (0, sizes::MIN_NUMBER_SIZE)),
            "number" => scalar(Scalar::Double, Type::Double, (0, sizes::MIN_NUMBER_SIZE)),
            "string" => {
                let format = schema.get("format").and_then(Json::as_str);
                let size = sizes::string_sizes(schema, format);
                match format {
                    Some("byte") => scalar(Scalar::Bytes, Type::Bytes, size),
                    Some("duration") => scalar(Scalar::Duration, Type::Duration, size),
                    Some("date-time") => scalar(Scalar::DateTime, Type::Timestamp, size),
                    Some("date") => scalar(Scalar::Date, Type::Timestamp, size),
                    _ => scalar(Scalar::String, Type::String, size),
                }
            }
            "array" => {
                let items =
                    Decl::from_schema(schema.get("items")?, &format!("{name}.@items"), false)?;
                let list = match schema.get("x-kubernetes-list-type").and_then(Json::as_str) {
                    Some("set") => ListKind::Set,
                    Some("map") => ListKind::Map(
                        schema
                            .get("x-kubernetes-list-map-keys")
                            .and_then(Json::as_array)
                            .map(|keys| {
                                keys.iter()
                                    .filter_map(|k| k.as_str().map(String::from))
                                    .collect()
                            })
                            .unwrap_or_default(),
                    ),
                    _ => ListKind::Atomic,
                };
                let max_elements = sizes::max_items(schema)
                    .unwrap_or_else(|| sizes::list_max_from_min_item_size(items.min_size));
                Some(Arc::new(Decl {
                    ty: Type::List(Box::new(items.ty.clone())),
                    shape: Shape::List { items, list },
                    nullable,
                    max_elements,
                    min_size: sizes::MIN_STRING_SIZE,
                }))
            }
            "object" => {
                if let Some(values) = schema.get("additionalProperties").filter(|v| v.is_object()) {
                    let values = Decl::from_schema(values, &format!("{name}.@values"), false)?;
                    let max_elements = sizes::max_properties(schema)
                        .unwrap_or_else(|| sizes::map_max_from_min_value_size(values.min_size));
                    return Some(Arc::new(Decl {
                        ty: Type::Map(Box::new(Type::String), Box::new(values.ty.clone())),
                        shape: Shape::Map { values },
                        nullable,
                        max_elements,
                        min_size: sizes::MIN_STRING_SIZE,
                    }));
                }
                let embedded = resource_root
                    || schema
                        .get("x-kubernetes-embedded-resource")
                        .and_then(Json::as_bool)
                        == Some(true);
                let (object, min_size) = object_type(schema, name, embedded);
                let object = Arc::new(object);
                Some(Arc::new(Decl {
                    ty: Type::Object(object.clone()),
                    shape: Shape::Object(object),
                    nullable,
                    max_elements: 0,
                    min_size,
                }))
            }
            _ => None,
        }
    }
}

/// The object type of a schema, and its `MinSerializedSize`: `{}` plus, for each required
/// property without a default, its name, its smallest value and `"":,`.
fn object_type(schema: &Json, name: &str, embedded: bool) -> (ObjectType, u64) {
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Json::as_array)
        .map(|r| r.iter().filter_map(Json::as_str).collect())
        .unwrap_or_default();
    let mut fields = Vec::new();
    let mut min_size = sizes::MIN_STRING_SIZE;
    if let Some(properties) = schema.get("properties").and_then(Json::as_object) {
        for (raw, child) in properties {
            if embedded && matches!(raw.as_str(), "apiVersion" | "kind" | "metadata") {
                continue;
            }
            let cel_name = escape(raw).unwrap_or_default();
            let Some(decl) = Decl::from_schema(child, &format!("{name}.{cel_name}"), false) else {
                continue;
            };
            let required = required.contains(&raw.as_str()) && child.get("default").is_none();
            if required {
                min_size = min_size.saturating_add(raw.len() as u64 + decl.min_size + 4);
            }
            // Unescapable names are not fields, but count towards the size.
            let Some(escaped) = escape(raw) else { continue };
            fields.push(Field {
                escaped,
                raw: raw.clone(),
                decl,
                required,
            });
        }
    }
    if embedded {
        // `cappedLengthStringType`: the declared maxLength, at most the cap.
        let name_field = |n: &str, cap: u64| {
            let declared = schema
                .pointer(&format!("/properties/metadata/properties/{n}"))
                .and_then(sizes::max_length)
                .map_or(cap, |m| m.min(cap));
            Arc::new(Decl {
                ty: Type::String,
                shape: Shape::Scalar(Scalar::String),
                nullable: false,
                max_elements: sizes::string_max_from_max_length(declared),
                min_size: sizes::MIN_STRING_SIZE,
            })
        };
        let field = |n: &str, decl: Arc<Decl>| Field {
            escaped: n.to_string(),
            raw: n.to_string(),
            decl,
            required: false,
        };
        let meta = Arc::new(ObjectType {
            name: format!("{name}.metadata"),
            fields: vec![
                field("name", name_field("name", 253)),
                field("generateName", name_field("generateName", 252)),
            ],
        });
        let unbounded = |n: &str| {
            let max_elements = schema
                .get("properties")
                .and_then(|p| p.get(n))
                .and_then(sizes::max_length)
                .map_or(sizes::UNBOUNDED_STRING, sizes::string_max_from_max_length);
            Arc::new(Decl {
                ty: Type::String,
                shape: Shape::Scalar(Scalar::String),
                nullable: false,
                max_elements,
                min_size: sizes::MIN_STRING_SIZE,
            })
        };
        fields.insert(0, field("apiVersion", unbounded("apiVersion")));
        fields.insert(1, field("kind", unbounded("kind")));
        fields.insert(
            2,
            field(
                "metadata",
                Arc::new(Decl {
                    ty: Type::Object(meta.clone()),
                    shape: Shape::Object(meta),
                    nullable: false,
                    max_elements: 0,
                    min_size: sizes::MIN_STRING_SIZE,
                }),
            ),
        );
    }
    (
        ObjectType {
            name: name.to_string(),
            fields,
        },
        min_size,
    )
}
