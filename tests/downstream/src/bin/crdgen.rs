//! `crdgen`: the commands of `vitistack-codegen` for this crate's own kinds. `crdgen generate`
//! writes `crds/` and `schemas/`, `crdgen verify` checks them for drift, `crdgen validate`
//! checks manifests with every rule of the kinds (the CEL-backed ones included).

// README:begin crdgen
fn main() -> std::process::ExitCode {
    vitistack_codegen_lib::Codegen::new()
        .kind::<vitistack_downstream::crd::VlanAttachment>()
        .run()
}
// README:end crdgen
