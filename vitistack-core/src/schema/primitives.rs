//! Schemas of the Rust types the derive meets inside structs.
//!
//! Integers become `int32`/`int64` with explicit bounds for their Rust range (the apiserver knows
//! no other integer formats and never enforces the width), so a `u8` field can never be set to
//! 256 through the API.

use super::{IntFormat, Node, Schema, Type};
use crate::rules::Rule;
use std::collections::{BTreeMap, HashMap};

macro_rules! integer_schema {
    ($($ty:ty => $format:ident, $min:expr, $max:expr;)*) => {$(
        impl Schema for $ty {
            fn schema() -> Node {
                let node = Node::new(Type::Integer(IntFormat::$format));
                match ($min, $max) {
                    (None, None) => node,
                    (min, max) => node.with_rule(Rule::range(min, max)),
                }
            }
        }
        impl IntegerLike for $ty {}
    )*};
}

integer_schema! {
    i8 => Int32, Some(i8::MIN as i64), Some(i8::MAX as i64);
    i16 => Int32, Some(i16::MIN as i64), Some(i16::MAX as i64);
    i32 => Int32, Some(i32::MIN as i64), Some(i32::MAX as i64);
    i64 => Int64, None::<i64>, None::<i64>;
    u8 => Int32, Some(0), Some(u8::MAX as i64);
    u16 => Int32, Some(0), Some(u16::MAX as i64);
    u32 => Int64, Some(0), Some(u32::MAX as i64);
    u64 => Int64, Some(0), None::<i64>;
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
    fn schema() -> Node {
        T::schema()
    }
}

impl<T: Schema> Schema for Vec<T> {
    fn schema() -> Node {
        Node::array(T::schema())
    }
}

impl<T: Schema> Schema for BTreeMap<String, T> {
    fn schema() -> Node {
        Node::new(Type::Map {
            values: Box::new(T::schema()),
        })
    }
}

impl<T: Schema, S> Schema for HashMap<String, T, S> {
    fn schema() -> Node {
        Node::new(Type::Map {
            values: Box::new(T::schema()),
        })
    }
}

impl Schema for serde_json::Value {
    fn schema() -> Node {
        Node::new(Type::FreeForm)
    }
}

impl Schema for serde_json::Map<String, serde_json::Value> {
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
