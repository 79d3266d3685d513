//! Schemas of the Rust types the derive meets inside structs.
//!
//! Integers become `int32`/`int64` with explicit bounds for their Rust range (the apiserver knows
//! no other integer formats and never enforces the width), so a `u8` field can never be set to
//! 256 through the API.

use super::{Fields, IntFormat, Node, Schema, Type};
use crate::rules::Rule;
use std::collections::{BTreeMap, HashMap};

/// The OpenAPI form of a `bits`-wide integer (`bits` ≥ 1): `int32` when the range fits, else
/// `int64`, with the bounds the apiserver must enforce because it never checks a width (open
/// where `int64` already is the limit). The one width table: Rust integers here, unknown
/// formats such as `uint16` in `vitistack-codegen sanitize`.
pub fn integer_width(bits: u32, signed: bool) -> (IntFormat, Option<i64>, Option<i64>) {
    match (bits, signed) {
        (1..=32, true) => {
            let half = 1i64 << (bits - 1);
            (IntFormat::Int32, Some(-half), Some(half - 1))
        }
        (1..=31, false) => (IntFormat::Int32, Some(0), Some((1i64 << bits) - 1)),
        (32, false) => (IntFormat::Int64, Some(0), Some(i64::from(u32::MAX))),
        (_, false) if bits > 32 => (IntFormat::Int64, Some(0), None),
        _ => (IntFormat::Int64, None, None),
    }
}

macro_rules! integer_schema {
    ($($ty:ty => $signed:expr;)*) => {$(
        impl Schema for $ty {
            fn schema() -> Node {
                let (format, min, max) = integer_width(<$ty>::BITS, $signed);
                let node = Node::new(Type::Integer(format));
                match (min, max) {
                    (None, None) => node,
                    (min, max) => node.with_rule(Rule::range(min, max)),
                }
            }
        }
        impl IntegerLike for $ty {}
    )*};
}

integer_schema! {
    i8 => true;
    i16 => true;
    i32 => true;
    i64 => true;
    u8 => false;
    u16 => false;
    u32 => false;
    u64 => false;
}

impl Schema for String {
    fn schema() -> Node {
        Node::new(Type::String)
    }
}

impl Schema for bool {
    fn schema() -> Node {
        Node::new(Type::Boolean)
    }
}

impl Schema for f64 {
    fn schema() -> Node {
        Node::new(Type::Number)
    }
}

impl<T: Schema> Schema for Option<T> {
    const OPTIONAL: bool = true;
    const FIELDS: Fields = T::FIELDS;
    fn schema() -> Node {
        T::schema()
    }
}

impl<T: Schema> Schema for Vec<T> {
    const FIELDS: Fields = T::FIELDS;
    fn schema() -> Node {
        Node::array(T::schema()).with_list_type(T::item_list_type())
    }
}

impl<T: Schema> Schema for BTreeMap<String, T> {
    const FIELDS: Fields = Fields::Any;
    fn schema() -> Node {
        Node::new(Type::Map {
            values: Box::new(T::schema()),
        })
    }
}

impl<T: Schema, S> Schema for HashMap<String, T, S> {
    const FIELDS: Fields = Fields::Any;
    fn schema() -> Node {
        Node::new(Type::Map {
            values: Box::new(T::schema()),
        })
    }
}

impl Schema for serde_json::Value {
    const FIELDS: Fields = Fields::Any;
    fn schema() -> Node {
        Node::new(Type::FreeForm)
    }
}

impl Schema for serde_json::Map<String, serde_json::Value> {
    const FIELDS: Fields = Fields::Any;
    fn schema() -> Node {
        Node::new(Type::FreeForm)
    }
}

/// Types a `range` rule applies to. Used by the derive to reject `range` on a non-integer field
/// at compile time.
#[diagnostic::on_unimplemented(
    message = "`range` and `odd` apply to integer fields, not to `{Self}`",
    label = "not an integer type"
)]
pub trait IntegerLike {}
impl<T: IntegerLike> IntegerLike for Option<T> {}

/// Types string rules (`length`, `pattern`, formats, quantities) apply to.
#[diagnostic::on_unimplemented(
    message = "string rules (`length`, `pattern`, `one_of`, `ip`, `cidr`, `quantity`, ...) apply to `String` fields, not to `{Self}`",
    label = "not a string type"
)]
pub trait StringLike {}
impl StringLike for String {}
impl<T: StringLike> StringLike for Option<T> {}

/// Types list rules (`items`, `each`, `list`, `unique_by`) apply to; `each(...)` rules apply to
/// the `Item` type.
#[diagnostic::on_unimplemented(
    message = "list rules (`items`, `each`, `list`, `unique_by`) apply to `Vec` fields, not to `{Self}`",
    label = "not a list type"
)]
pub trait ListLike {
    /// The item type.
    type Item;
}
impl<T> ListLike for Vec<T> {
    type Item = T;
}
impl<T: ListLike> ListLike for Option<T> {
    type Item = T::Item;
}

/// Types number rules (`number`, `multiple_of`) apply to: integers and `f64`.
#[diagnostic::on_unimplemented(
    message = "`number` and `multiple_of` apply to integer and `f64` fields, not to `{Self}`",
    label = "not a number type"
)]
pub trait NumberLike {}
impl<T: IntegerLike> NumberLike for T {}
impl NumberLike for f64 {}
impl NumberLike for Option<f64> {}

/// Types `each(...)` applies to: lists (their items) and string-keyed maps (their values), as
/// controller-gen's `+kubebuilder:validation:items:...` markers and rules on a map's value type.
#[diagnostic::on_unimplemented(
    message = "`each(...)` applies to the items of a `Vec` or the values of a map, not to `{Self}`",
    label = "not a list or a map"
)]
pub trait Elements {
    /// The item or value type.
    type Item;
}
impl<T> Elements for Vec<T> {
    type Item = T;
}
impl<T> Elements for BTreeMap<String, T> {
    type Item = T;
}
impl<T, S> Elements for HashMap<String, T, S> {
    type Item = T;
}
impl<T: Elements> Elements for Option<T> {
    type Item = T::Item;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_widths() {
        assert_eq!(
            integer_width(8, true),
            (IntFormat::Int32, Some(-128), Some(127))
        );
        assert_eq!(
            integer_width(16, false),
            (IntFormat::Int32, Some(0), Some(65535))
        );
        assert_eq!(
            integer_width(32, true),
            (
                IntFormat::Int32,
                Some(i64::from(i32::MIN)),
                Some(i64::from(i32::MAX))
            )
        );
        assert_eq!(
            integer_width(32, false),
            (IntFormat::Int64, Some(0), Some(4_294_967_295))
        );
        assert_eq!(integer_width(64, true), (IntFormat::Int64, None, None));
        assert_eq!(integer_width(128, false), (IntFormat::Int64, Some(0), None));
    }
}
