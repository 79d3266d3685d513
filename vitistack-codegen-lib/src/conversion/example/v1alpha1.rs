//! `example.vitistack.dev/v1alpha1` `Widget`: the old version, one color.

use serde::{Deserialize, Serialize};
use vitistack_types::{CustomResource, Schema};

/// A widget (old version).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema, CustomResource)]
#[serde(rename_all = "camelCase")]
#[crd(
    group = "example.vitistack.dev",
    version = "v1alpha1",
    kind = "Widget",
    plural = "widgets",
    namespaced,
    status = "WidgetStatus",
    deprecated = "example.vitistack.dev/v1alpha1 Widget is deprecated; use example.vitistack.dev/v1beta1",
    printcolumn(
        name = "Color",
        type = "string",
        json_path = ".spec.color",
        description = "The color"
    ),
    printcolumn(
        name = "Phase",
        type = "string",
        json_path = ".status.phase",
        description = "Phase"
    )
)]
pub struct WidgetSpec {
    /// Size in centimetres.
    #[viti(range(min = 0, max = 1000))]
    pub size: i32,
    /// The color.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
}

/// Observed state of a widget (old version).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct WidgetStatus {
    /// Lifecycle phase.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phase: Option<String>,
}
