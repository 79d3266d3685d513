//! The kinds a codegen command serves. `vitistack-codegen` is [`Codegen::vitistack`]; a crate
//! with kinds of its own (written with `vitistack-derive`) gets the same commands for them from
//! a `crdgen` binary of a few lines:
//!
//! ```no_run
//! # use vitistack_types::kinds::Machine as MyKind;
//! fn main() -> std::process::ExitCode {
//!     vitistack_codegen::Codegen::new().kind::<MyKind>().run()
//! }
//! ```
//!
//! `generate` and `verify` then write and check `crds/` and `schemas/` for those kinds, `crds`
//! prints their CRDs and `validate` checks manifests of those kinds with every rule of their
//! schemas (the CEL-backed ones included) and refuses other kinds as unknown.

use std::collections::BTreeSet;
use std::process::ExitCode;

use serde_json::Value;
use vitistack_types::crd::{CustomResourceKind, KindSchema};
use vitistack_types::registry::KindInfo;

/// A set of kinds, and the codegen command for them ([`Codegen::run`]).
#[derive(Debug, Clone, Default)]
pub struct Codegen {
    kinds: Vec<KindInfo>,
    distribution: bool,
}

impl Codegen {
    /// A command that knows no kind yet; add them with [`Codegen::kind`].
    pub fn new() -> Self {
        Codegen::default()
    }

    /// The ten `vitistack.io` kinds, plus the distribution generated from their CRDs (the Helm
    /// chart, `crds.yaml`, `crds/kustomization.yaml`, `docs/api-reference.md`): what
    /// `vitistack-codegen` serves.
    pub fn vitistack() -> Self {
        Codegen {
            kinds: vitistack_types::registry::kinds().to_vec(),
            distribution: true,
        }
    }

    /// Adds kind `K` (builder style). Adding a kind twice keeps one.
    pub fn kind<K: CustomResourceKind>(mut self) -> Self {
        if self.by_api_version_kind(K::API_VERSION, K::KIND).is_none() {
            self.kinds.push(KindInfo::of::<K>());
        }
        self
    }

    /// Runs the command on the process arguments (`generate`, `crds`, `verify`, `validate`,
    /// and the kind-independent `sanitize`, `compat`, `conversion`) and returns its exit code.
    pub fn run(self) -> ExitCode {
        crate::cli::main_with(self)
    }

    /// The registered kinds, in registration order.
    pub fn kinds(&self) -> &[KindInfo] {
        &self.kinds
    }

    /// The kind of an object with this `apiVersion` and `kind`.
    pub fn by_api_version_kind(&self, api_version: &str, kind: &str) -> Option<&KindInfo> {
        self.kinds
            .iter()
            .find(|k| k.api_version == api_version && k.kind == kind)
    }

    /// The API groups of the registered kinds.
    pub fn groups(&self) -> BTreeSet<&'static str> {
        self.kinds.iter().map(|k| k.group).collect()
    }

    /// Every kind's CRD, sorted by plural (the order of `crds`).
    pub fn crds(&self) -> Vec<Value> {
        let mut kinds: Vec<&KindInfo> = self.kinds.iter().collect();
        kinds.sort_by_key(|k| (k.plural, k.group));
        kinds.iter().map(|k| k.crd()).collect()
    }

    /// Every kind's JSON Schema, sorted by kind.
    pub fn json_schemas(&self) -> Vec<KindSchema> {
        let mut kinds: Vec<&KindInfo> = self.kinds.iter().collect();
        kinds.sort_by_key(|k| (k.kind, k.group, k.version));
        kinds.iter().map(|k| k.json_schema()).collect()
    }

    /// Whether `generate`/`verify` also cover the chart, `crds.yaml`, the kustomization and
    /// the API reference (only [`Codegen::vitistack`] does: they are this project's artifacts).
    pub(crate) fn distribution(&self) -> bool {
        self.distribution
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vitistack_types::kinds::{Machine, NetworkConfiguration};

    #[test]
    fn vitistack_is_the_catalog_in_its_order() {
        let ours = Codegen::vitistack();
        assert!(ours.distribution());
        assert_eq!(ours.crds(), vitistack_types::catalog::crds());
        let kinds = |schemas: Vec<KindSchema>| -> Vec<String> {
            schemas.into_iter().map(|s| s.kind).collect()
        };
        assert_eq!(
            kinds(ours.json_schemas()),
            kinds(vitistack_types::catalog::json_schemas())
        );
    }

    #[test]
    fn registered_kinds_are_all_a_command_knows() {
        let codegen = Codegen::new()
            .kind::<NetworkConfiguration>()
            .kind::<Machine>()
            .kind::<Machine>();
        assert!(!codegen.distribution());
        assert_eq!(codegen.kinds().len(), 2);
        let plurals: Vec<Value> = codegen
            .crds()
            .iter()
            .map(|crd| crd["spec"]["names"]["plural"].clone())
            .collect();
        assert_eq!(plurals, ["machines", "networkconfigurations"]);
        assert!(codegen
            .by_api_version_kind("vitistack.io/v1alpha1", "Machine")
            .is_some());
        assert!(codegen
            .by_api_version_kind("vitistack.io/v1alpha1", "Vitistack")
            .is_none());
        assert_eq!(
            codegen.groups().into_iter().collect::<Vec<_>>(),
            ["vitistack.io"]
        );
    }
}
