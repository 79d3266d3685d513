//! Two types declare the same version name.

include!("widget.in");

version!(v1alpha1, group = "example.dev", version = "v1alpha1", kind = "Widget", namespaced);
version!(v1beta1, group = "example.dev", version = "v1alpha1", kind = "Widget", namespaced, storage);

vitistack_types::versions!(WidgetVersions: v1alpha1::Widget, v1beta1::Widget);

fn main() {}
