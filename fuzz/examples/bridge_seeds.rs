//! Writes the schemars JSON Schemas of a few Kubernetes types (k8s-openapi's `schemars`
//! feature, generated as `vitistack_core::schema::bridge::node_for` generates them) into
//! `fuzz/seeds/bridge/`, the seeds of the `bridge` target:
//! `cargo run --example bridge_seeds` in `fuzz/`.
use k8s_openapi::api::core::v1 as core;
use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1 as apiext;
use k8s_openapi::apimachinery::pkg::{api::resource::Quantity, apis::meta::v1 as meta};
use std::path::Path;

fn write<T: schemars::JsonSchema>(dir: &Path, name: &str) {
    let generator = schemars::generate::SchemaSettings::draft2020_12()
        .with(|settings| settings.meta_schema = None)
        .into_generator();
    let schema = generator.into_root_schema_for::<T>();
    let text = serde_json::to_string_pretty(schema.as_value()).expect("a schema serialises");
    let path = dir.join(format!("k8s-{name}.json"));
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds/bridge");
    std::fs::create_dir_all(&dir).expect("seed directory");
    write::<meta::ObjectMeta>(&dir, "objectmeta");
    write::<meta::LabelSelector>(&dir, "labelselector");
    write::<meta::Time>(&dir, "time");
    write::<Quantity>(&dir, "quantity");
    write::<core::Container>(&dir, "container");
    write::<core::ResourceRequirements>(&dir, "resourcerequirements");
    write::<core::Toleration>(&dir, "toleration");
    write::<core::Affinity>(&dir, "affinity");
    write::<core::Probe>(&dir, "probe");
    write::<core::Taint>(&dir, "taint");
    // Contains itself: the bridge must refuse it.
    write::<apiext::JSONSchemaProps>(&dir, "jsonschemaprops");
}
