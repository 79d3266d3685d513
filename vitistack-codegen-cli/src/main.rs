//! `vitistack-codegen`: generate, print, verify and sanitize Viti Stack CRDs and JSON Schemas,
//! and validate manifests. The command lives in the library: this is the same registration API
//! a downstream `crdgen` uses (`Codegen::new().kind::<MyKind>().run()`), for the ten kinds.

fn main() -> std::process::ExitCode {
    vitistack_codegen_lib::Codegen::vitistack().run()
}
