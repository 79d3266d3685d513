//! `#[derive(CustomResource)]` with every option, namespaced and cluster-scoped.

use serde::{Deserialize, Serialize};
use vitistack_types::crd::CustomResourceKind;
use vitistack_types::{CustomResource, Schema, Validate};

/// A widget.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Schema, CustomResource)]
#[serde(rename_all = "camelCase")]
#[crd(
    group = "example.com",
    version = "v1beta1",
    kind = "Widget",
    plural = "widgetz",
    namespaced,
    status = "WidgetStatus",
    shortname = "w",
    shortname = "wd",
    category = "all",
    category = "toys",
    doc = "An explicit description.",
    printcolumn(name = "Size", type = "integer", json_path = ".spec.size", description = "Size", priority = 1, format = "int32"),
    printcolumn(name = "Age", type = "date", json_path = ".metadata.creationTimestamp")
)]
#[crd(printcolumn(name = "Ready", type = "boolean", json_path = ".status.ready"))]
pub struct WidgetSpec {
    /// The size.
    #[viti(range(min = 1))]
    pub size: u32,
}

/// A widget's state.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
pub struct WidgetStatus {
    /// Ready.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ready: Option<bool>,
}

/// A cluster-wide gadget, status given as a path.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Schema, CustomResource)]
#[crd(group = "example.com", version = "v1", kind = "Gadget", status = "self::WidgetStatus")]
pub struct GadgetSpec {
    /// A name.
    pub name: String,
}

fn main() {
    let widget = Widget::new("a", WidgetSpec { size: 1 });
    let _ = widget.validate();
    let _ = Widget::crd();
    let _ = Gadget::json_schema();
    let _: &GadgetSpec = &Gadget::new("g", GadgetSpec { name: "g".into() }).spec;
}
