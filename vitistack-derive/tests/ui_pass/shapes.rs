//! The shapes a structural schema can hold, and the serde attributes the derive reads.

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use vitistack_types::{Schema, Validate};

/// Every primitive and container.
#[derive(Default, Serialize, Deserialize, Schema)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct Shapes {
    /// i8.
    pub a: i8,
    /// i16.
    pub b: i16,
    /// i32.
    pub c: i32,
    /// i64.
    pub d: i64,
    /// u8.
    pub e: u8,
    /// u16.
    pub f: u16,
    /// u32.
    pub g: u32,
    /// u64.
    pub h: u64,
    /// f64.
    pub number: f64,
    /// bool.
    pub flag: bool,
    /// Nested lists.
    pub matrix: Vec<Vec<String>>,
    /// A string-keyed map.
    pub labels: BTreeMap<String, String>,
    /// A hash map of lists.
    pub groups: HashMap<String, Vec<u32>>,
    /// Free-form JSON.
    pub extra: serde_json::Value,
    /// A free-form object.
    pub object: serde_json::Map<String, serde_json::Value>,
    /// A unit enum.
    pub phase: Phase,
    /// A raw identifier.
    pub r#type: String,
    /// Renamed.
    #[serde(rename = "podCIDR")]
    pub pod_cidr: String,
    /// Skipped entirely: not in the schema, needs no rules.
    #[serde(skip)]
    pub cache: Vec<std::time::Duration>,
    /// Doc comments
    /// over several lines,
    ///
    /// and paragraphs.
    #[doc = "And a #[doc] attribute."]
    pub documented: String,
    /// Through a path.
    pub nested: self::inner::Inner,
    /// Optional nested struct, boxed types are not needed.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub maybe: Option<inner::Inner>,
}

mod inner {
    /// A nested struct.
    #[derive(Default, serde::Serialize, serde::Deserialize, vitistack_types::Schema)]
    pub struct Inner {
        /// A value.
        pub value: String,
    }
}

/// A phase.
#[derive(Default, Serialize, Deserialize, Schema)]
#[serde(rename_all = "kebab-case")]
pub enum Phase {
    /// Pending.
    #[default]
    Pending,
    /// Running.
    InProgress,
    /// Renamed explicitly.
    #[serde(rename = "done")]
    Finished,
    /// Not readable, so not a value.
    #[serde(skip_deserializing)]
    Internal,
}

/// A unit enum without serde derives: the schema needs only the names.
#[derive(Schema)]
pub enum Bare {
    /// One.
    One,
}

fn main() {
    let _ = <Shapes as Schema>::schema();
    let _ = <Phase as Schema>::schema();
    let _ = <Bare as Schema>::schema();
    let _ = Shapes::default().validate();
}
