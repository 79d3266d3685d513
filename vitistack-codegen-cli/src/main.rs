//! `vitistack-codegen`: generate, print, verify and sanitize Viti Stack CRDs and JSON Schemas,
//! and validate manifests. The command lives in the library (`vitistack_codegen::cli`).

fn main() -> std::process::ExitCode {
    vitistack_codegen::cli::main()
}
