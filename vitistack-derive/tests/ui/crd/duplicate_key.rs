use serde::{Deserialize, Serialize};
use vitistack_types::{CustomResource, Schema};

/// What a widget looks like. The second `plural` would silently replace the first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Schema, CustomResource)]
#[crd(group = "example.com", version = "v1", kind = "Widget", status = "WidgetStatus", plural = "widgets")]
#[crd(plural = "widgetz", shortname = "w", shortname = "wg")]
pub struct WidgetSpec {
    /// The size.
    pub size: u32,
}

/// What a widget is doing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Schema)]
pub struct WidgetStatus {
    /// The phase.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phase: Option<String>,
}

fn main() {}
