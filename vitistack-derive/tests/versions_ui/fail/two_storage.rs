//! Two versions marked `#[crd(storage)]`.

use serde::{Deserialize, Serialize};
use vitistack_types::Schema;

/// What a widget is doing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Schema)]
pub struct WidgetStatus {
    /// The phase.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phase: Option<String>,
}

mod v1alpha1 {
    use serde::{Deserialize, Serialize};
    use vitistack_types::{CustomResource, Schema};

    /// A widget.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Schema, CustomResource)]
    #[crd(group = "example.dev", version = "v1alpha1", kind = "Widget", namespaced, status = "super::WidgetStatus", storage)]
    pub struct WidgetSpec {
        /// The size.
        pub size: u32,
    }
}

mod v1beta1 {
    use serde::{Deserialize, Serialize};
    use vitistack_types::{CustomResource, Schema};

    /// A widget.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Schema, CustomResource)]
    #[crd(group = "example.dev", version = "v1beta1", kind = "Widget", namespaced, status = "super::WidgetStatus", storage)]
    pub struct WidgetSpec {
        /// The size.
        pub size: u32,
    }
}

vitistack_types::versions!(WidgetVersions: v1alpha1::Widget, v1beta1::Widget);

fn main() {}
