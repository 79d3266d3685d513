// Every malformed item of #[crd(...)] is reported; a key whose item failed is not also "missing".
use serde::{Deserialize, Serialize};
use vitistack_types::{CustomResource, Schema};

/// What a widget looks like.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Schema, CustomResource)]
#[crd(group = example, version = "v1", colour = "red", status = "WidgetStatus",
      printcolumn(name = "Phase", type = "text", json_path = "status.phase"))]
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
