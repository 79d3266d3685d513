//! Three versions of a cluster-scoped kind: one not served, one deprecated, one storage, each
//! with its own printer columns; the merged CRD has all three in order, one storage version.

use serde::{Deserialize, Serialize};
use serde_json::json;
use vitistack_types::crd::{CrdVersion, Versions};
use vitistack_types::Schema;

/// What a gadget is doing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Schema)]
pub struct GadgetStatus {
    /// The phase.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phase: Option<String>,
}

mod v1alpha1 {
    use serde::{Deserialize, Serialize};
    use vitistack_types::{CustomResource, Schema};

    /// A gadget (oldest).
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Schema, CustomResource)]
    #[crd(group = "example.dev", version = "v1alpha1", kind = "Gadget", status = "super::GadgetStatus", served = false)]
    pub struct GadgetSpec {
        /// The size.
        pub size: u32,
    }
}

mod v1beta1 {
    use serde::{Deserialize, Serialize};
    use vitistack_types::{CustomResource, Schema};

    /// A gadget (old).
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Schema, CustomResource)]
    #[crd(group = "example.dev", version = "v1beta1", kind = "Gadget", status = "super::GadgetStatus", deprecated = "use example.dev/v1",
          printcolumn(name = "Size", type = "integer", json_path = ".spec.size"))]
    pub struct GadgetSpec {
        /// The size.
        pub size: u32,
    }
}

mod v1 {
    use serde::{Deserialize, Serialize};
    use vitistack_types::{CustomResource, Schema};

    /// A gadget.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Schema, CustomResource)]
    #[crd(group = "example.dev", version = "v1", kind = "Gadget", status = "super::GadgetStatus", storage,
          printcolumn(name = "Width", type = "integer", json_path = ".spec.width"))]
    pub struct GadgetSpec {
        /// The width (was size).
        pub width: u32,
    }
}

vitistack_types::versions! {
    /// Every version of Gadget.
    #[crd(crate = "vitistack_types")]
    pub GadgetVersions: v1alpha1::Gadget, v1beta1::Gadget, v1::Gadget,
}

fn main() {
    assert_eq!(GadgetVersions::NAMES, ["v1alpha1", "v1beta1", "v1"]);
    assert_eq!(GadgetVersions::STORAGE_VERSION, "v1");
    assert_eq!(<v1beta1::Gadget as CrdVersion>::DEPRECATION_WARNING, Some("use example.dev/v1"));
    let crd = GadgetVersions::crd();
    assert_eq!(crd["spec"]["scope"], "Cluster");
    let flags: Vec<_> = crd["spec"]["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| json!([v["name"], v["served"], v["storage"], v.get("deprecationWarning"), v.get("additionalPrinterColumns").map(|c| &c[0]["name"])]))
        .collect();
    assert_eq!(
        flags,
        [
            json!(["v1alpha1", false, false, null, null]),
            json!(["v1beta1", true, false, "use example.dev/v1", "Size"]),
            json!(["v1", true, true, null, "Width"]),
        ]
    );
    assert!(crd.pointer("/spec/versions/2/schema/openAPIV3Schema/properties/spec/properties/width").is_some());
}
