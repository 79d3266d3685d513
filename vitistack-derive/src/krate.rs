//! Which crate the generated code names the engine by.
//!
//! The engine is `vitistack-core`; `vitistack-types` re-exports it under the same module paths.
//! Like serde's `#[serde(crate = "...")]`, `#[viti(crate = "...")]` (on a `Schema` type) and
//! `#[crd(crate = "...")]` (on a `CustomResource` spec) name it explicitly, for crates that
//! re-export it. Without the attribute the derive reads the calling crate's `Cargo.toml`
//! (as `proc-macro-crate` does): a dependency on `vitistack-core` wins, then one on
//! `vitistack-types`, so `use vitistack_types::Schema` keeps working with vitistack-types alone.

use proc_macro2::TokenStream;
use quote::{quote, ToTokens};

/// The engine crates, in order of preference, with their default paths.
const ENGINES: &[&str] = &["vitistack-core", "vitistack-types"];

/// The root path of the engine: the override when given, else the detected dependency.
pub fn root(override_path: Option<&syn::Path>) -> TokenStream {
    if let Some(path) = override_path {
        return path.to_token_stream();
    }
    let name = detect().unwrap_or_else(|| "vitistack_core".to_string());
    let ident = syn::Ident::new(&name, proc_macro2::Span::call_site());
    quote!(::#ident)
}

/// The crate name (as the caller's code spells it) of the preferred engine dependency.
fn detect() -> Option<String> {
    let dir = std::env::var_os("CARGO_MANIFEST_DIR")?;
    let text = std::fs::read_to_string(std::path::Path::new(&dir).join("Cargo.toml")).ok()?;
    let manifest: toml::Table = text.parse().ok()?;
    // Normal dependencies first: a dev-dependency is not visible to the library's own code.
    let normal = tables(&manifest, &["dependencies"]);
    let other = tables(&manifest, &["dev-dependencies", "build-dependencies"]);
    for deps in [normal, other] {
        for engine in ENGINES {
            if let Some(name) = deps.iter().find_map(|t| dependency_name(t, engine)) {
                return Some(name);
            }
        }
    }
    None
}

/// The dependency tables of these kinds, top-level and under `[target.'cfg(..)']`.
fn tables<'a>(manifest: &'a toml::Table, kinds: &[&str]) -> Vec<&'a toml::Table> {
    let targets = manifest
        .get("target")
        .and_then(toml::Value::as_table)
        .into_iter()
        .flat_map(|t| t.values().filter_map(toml::Value::as_table));
    std::iter::once(manifest)
        .chain(targets)
        .flat_map(|t| kinds.iter().filter_map(|k| t.get(*k)?.as_table()))
        .collect()
}

/// The name `package` is imported under in `deps` (a rename's key), as a Rust identifier.
fn dependency_name(deps: &toml::Table, package: &str) -> Option<String> {
    deps.iter().find_map(|(key, value)| {
        let real = value
            .get("package")
            .and_then(toml::Value::as_str)
            .unwrap_or(key);
        (real == package).then(|| key.replace('-', "_"))
    })
}
