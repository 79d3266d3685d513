//! Issue #28: a full list page through the conversion webhook: 500 Widgets of 10 KB each, stored
//! in v1beta1, listed in v1alpha1 (one page of 500, and unpaged), every object converted.
//!
//! What this apiserver (1.37) sends: one object per ConversionReview for the items of a LIST
//! (observed with and without the watch cache, for JSON, Table, YAML and metadata-only lists;
//! its list encoding converts item by item). An apiserver that converts a list page as a whole
//! sends all 500 in one review of about 5.6 MB, above the former 3 MiB body limit: that review,
//! through the real server code, is `a_full_list_page_of_ten_kilobyte_objects_fits_the_default_limit`
//! in vitistack-conversion/tests/webhook.rs.

use futures::{stream, StreamExt, TryStreamExt};
use kube::api::{ListParams, PostParams};
use vitistack_codegen_lib::conversion::example::v1beta1;

mod conversion_support;
use conversion_support::*;

const OBJECTS: usize = 500;

fn colors() -> Vec<String> {
    (0..800).map(|i| format!("color-{i:04}")).collect()
}

#[tokio::test]
async fn a_page_of_500_objects_of_10_kb_lists_in_the_non_storage_version() {
    let setup = install_example("conversion-page").await;
    let (old, new) = (setup.old.clone(), setup.new.clone());
    let colors = colors();
    let one = serde_json::to_vec(&v1beta1::Widget::new(
        "w-000",
        v1beta1::WidgetSpec {
            size: 1,
            colors: Some(colors.clone()),
            replicas: Some(1),
        },
    ))
    .unwrap();
    assert!(one.len() >= 10_000, "each object is 10 KB: {}", one.len());
    stream::iter(0..OBJECTS)
        .map(|i| {
            let (new, colors) = (new.clone(), colors.clone());
            async move {
                let spec = v1beta1::WidgetSpec {
                    size: 1,
                    colors: Some(colors),
                    replicas: Some(1),
                };
                new.create(
                    &PostParams::default(),
                    &v1beta1::Widget::new(&format!("w-{i:03}"), spec),
                )
                .await
                .map(|_| ())
            }
        })
        .buffer_unordered(16)
        .try_collect::<Vec<()>>()
        .await
        .expect("create 500 in v1beta1");

    // One page of 500 (client-go's reflector page) and an unpaged LIST: each is one review.
    for params in [ListParams::default().limit(500), ListParams::default()] {
        let page = old
            .list(&params)
            .await
            .expect("a LIST of 500 × 10 KB in v1alpha1");
        assert_eq!(page.items.len(), OBJECTS);
        for (i, widget) in page.items.iter().enumerate() {
            assert_eq!(
                widget.metadata.name.as_deref(),
                Some(format!("w-{i:03}").as_str())
            );
            assert_eq!(widget.spec.color.as_deref(), Some("color-0000"));
        }
    }

    setup.finish().await;
}
