use serde::{Deserialize, Serialize};
use vitistack_types::{CustomResource, Schema};

/// A widget: selectable fields the apiserver refuses, scale paths outside spec and status.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Schema, CustomResource)]
#[crd(group = "example.com", version = "v1", kind = "Widget", status = "WidgetStatus")]
#[crd(selectable = "spec.size", selectable = ".metadata.labels", selectable = ".spec.size", selectable = ".spec.size")]
#[crd(scale(spec_replicas_path = ".status.replicas", status_replicas_path = "replicas", label_selector_path = ".selector"))]
pub struct WidgetSpec {
    /// The size.
    pub size: u32,
}

/// A gadget: a scale without its status path.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Schema, CustomResource)]
#[crd(group = "example.com", version = "v1", kind = "Gadget", status = "WidgetStatus")]
#[crd(scale(spec_replicas_path = ".spec.replicas", replicas = ".status.replicas"))]
pub struct GadgetSpec {
    /// The size.
    pub replicas: u32,
}

/// What a widget is doing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Schema)]
pub struct WidgetStatus {
    /// The phase.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phase: Option<String>,
}

fn main() {}
