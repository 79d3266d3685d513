//! Three mistakes at once: each is its own error, at the version it concerns (or at the marker).

include!("widget.in");

version!(v1alpha1, group = "example.dev", version = "v1alpha1", kind = "Widget", namespaced);
version!(v1beta1, group = "other.dev", version = "v1beta1", kind = "Widget", namespaced);
version!(v1, group = "example.dev", version = "v1", kind = "Widget");

vitistack_types::versions!(WidgetVersions: v1alpha1::Widget, v1beta1::Widget, v1::Widget);

fn main() {}
