//! `example.vitistack.dev/v1beta1` `Widget`: the new version (hub and storage), several colors
//! and replicas.

use serde::{Deserialize, Serialize};
use vitistack_types::{CustomResource, Schema};

/// A widget.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema, CustomResource)]
#[serde(rename_all = "camelCase")]
#[crd(
    group = "example.vitistack.dev",
    version = "v1beta1",
    kind = "Widget",
    plural = "widgets",
    namespaced,
    status = "WidgetStatus",
    storage,
    printcolumn(
        name = "Colors",
        type = "string",
        json_path = ".spec.colors",
        description = "The colors"
    ),
    printcolumn(
        name = "Replicas",
        type = "integer",
        json_path = ".spec.replicas",
        description = "Replicas"
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
    /// The colors, first is the main one (was `color` in v1alpha1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub colors: Option<Vec<String>>,
    /// How many (new in v1beta1).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(range(min = 0, max = 100))]
    pub replicas: Option<i32>,
}

/// Observed state of a widget.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
pub struct WidgetStatus {
    /// Lifecycle phase.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phase: Option<String>,
    /// Replicas ready (new in v1beta1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ready_replicas: Option<i32>,
}

impl vitistack_conversion::Hub for Widget {}
