//! No version marked `#[crd(storage)]`.

include!("widget.in");

version!(v1alpha1, group = "example.dev", version = "v1alpha1", kind = "Widget", namespaced);
version!(v1beta1, group = "example.dev", version = "v1beta1", kind = "Widget", namespaced);

vitistack_types::versions!(WidgetVersions: v1alpha1::Widget, v1beta1::Widget);

fn main() {}
