//! `versions!` with a marker and no types.

include!("widget.in");

version!(v1alpha1, group = "example.dev", version = "v1alpha1", kind = "Widget", namespaced);
version!(v1beta1, group = "example.dev", version = "v1beta1", kind = "Widget", namespaced, storage);

vitistack_types::versions!(WidgetVersions:);

fn main() {}
