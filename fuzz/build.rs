//! For the seed test (`src/seeds.rs`): one module per file of `fuzz_targets/`, each target's
//! body compiled as a plain function (the test defines `fuzz_target!` so), and the list of them.
//! A new target is picked up without a line here. The modules are copies of the files without
//! the libFuzzer lines (`#![no_main]`, `use libfuzzer_sys::...`), whose `fuzz_target!` would
//! clash with the test's.

use std::fmt::Write;
use std::path::Path;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz_targets");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            (path.extension()? == "rs").then(|| path.file_stem()?.to_str().map(str::to_owned))?
        })
        .collect();
    names.sort();
    let out_dir = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR"));
    let mut code = String::new();
    for name in &names {
        let path = dir.join(format!("{name}.rs"));
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let body: String = text
            .lines()
            .filter(|line| {
                let line = line.trim();
                line != "#![no_main]" && !line.starts_with("use libfuzzer_sys::")
            })
            .map(|line| line.replace("libfuzzer_sys::fuzz_target!", "fuzz_target!") + "\n")
            .collect();
        let copy = out_dir.join(format!("{name}.rs"));
        std::fs::write(&copy, body).unwrap_or_else(|e| panic!("{}: {e}", copy.display()));
        writeln!(
            code,
            "#[path = {:?}]\nmod {name};",
            copy.display().to_string()
        )
        .unwrap();
    }
    code.push_str(
        "/// Every target: its name and its body.\npub(crate) const TARGETS: &[Target] = &[\n",
    );
    for name in &names {
        writeln!(code, "    ({name:?}, {name}::run),").unwrap();
    }
    code.push_str("];\n");
    let out = out_dir.join("targets.rs");
    std::fs::write(&out, code).unwrap_or_else(|e| panic!("{}: {e}", out.display()));
}
