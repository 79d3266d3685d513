//! The module chain of the crate docs, `formats` ← `report` ← `rules` ← `schema` ← `cel` ← `validate` ←
//! `crd`, enforced: no file of a module names a module to its right (`crate::schema` in
//! `rules/`), and the bridge is given the Kubernetes refinements rather than naming them. Test
//! code (`*_tests.rs`, `#[cfg(test)] mod`) may reach anywhere.

use regex::Regex;
use std::path::{Path, PathBuf};

/// The chain, left to right: each module uses only the ones before it.
const CHAIN: &[&str] = &[
    "formats", "report", "rules", "schema", "cel", "validate", "crd",
];

/// Files that must not name a sibling module: (file under `src/`, sibling).
const SIBLINGS_APART: &[(&str, &str)] = &[("schema/bridge.rs", "kubernetes")];

/// The production code of a source file: comment lines dropped, test modules cut off.
fn production_code(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut code = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        let test_module = trimmed == "#[cfg(test)]"
            && lines.get(i + 1).is_some_and(|next| {
                let next = next.trim_start();
                next.starts_with("mod ") && next.ends_with('{')
            });
        if test_module {
            break;
        }
        // Kept as empty lines, so line numbers stay those of the file.
        code.push(if trimmed.starts_with("//") { "" } else { line });
    }
    code.join("\n")
}

/// Every engine module `code` names, with its line: `crate::schema`, `vitistack_core::schema`,
/// and each top-level name of `crate::{report::Path, schema::Node}`.
fn named_modules(code: &str) -> Vec<(usize, String)> {
    let path =
        Regex::new(r"\b(?:crate|vitistack_core)::(\w+|\{)").unwrap_or_else(|e| panic!("{e}"));
    let line_of = |at: usize| code[..at].matches('\n').count() + 1;
    let mut named = Vec::new();
    for found in path.captures_iter(code) {
        let (Some(whole), Some(name)) = (found.get(0), found.get(1)) else {
            continue;
        };
        if name.as_str() != "{" {
            named.push((line_of(whole.start()), name.as_str().to_string()));
            continue;
        }
        // A group: the names at its top level (depth 1).
        let mut depth = 0;
        let mut word = String::new();
        let mut expect_name = true;
        for c in code[name.start()..].chars() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                _ => {}
            }
            if depth == 0 {
                break;
            }
            if depth == 1 && (c.is_alphanumeric() || c == '_') {
                word.push(c);
                continue;
            }
            if !word.is_empty() && expect_name {
                named.push((line_of(whole.start()), word.clone()));
            }
            if depth == 1 && !c.is_whitespace() {
                expect_name = c == ',' || c == '{';
            }
            word.clear();
        }
    }
    named
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs")
            && !path.to_string_lossy().ends_with("_tests.rs")
        {
            out.push(path);
        }
    }
}

/// The production files of a module: `src/<module>.rs` and everything under `src/<module>/`.
fn module_files(src: &Path, module: &str) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let file = src.join(format!("{module}.rs"));
    if file.exists() {
        files.push(file);
    }
    rust_files(&src.join(module), &mut files);
    files
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn no_module_names_one_to_its_right() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut against = Vec::new();
    for (rank, module) in CHAIN.iter().enumerate() {
        let files = module_files(&src, module);
        assert!(!files.is_empty(), "no files for module {module}");
        for file in files {
            for (line, named) in named_modules(&production_code(&read(&file))) {
                let right = CHAIN
                    .iter()
                    .position(|m| *m == named)
                    .is_some_and(|r| r > rank);
                if right {
                    let file = file
                        .strip_prefix(&src)
                        .unwrap_or(&file)
                        .display()
                        .to_string();
                    against.push(format!("{file}:{line}: {module} uses {named}"));
                }
            }
        }
    }
    assert!(
        against.is_empty(),
        "arrows against the chain {}:\n{}",
        CHAIN.join(" <- "),
        against.join("\n")
    );
}

#[test]
fn siblings_kept_apart_do_not_name_each_other() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for (file, sibling) in SIBLINGS_APART {
        // The sibling as a path segment, not inside `x-kubernetes-list-type`.
        let named = Regex::new(&format!(r"(^|[^\w-]){sibling}($|[^\w-])"))
            .unwrap_or_else(|e| panic!("{e}"));
        let code = production_code(&read(&src.join(file)));
        let lines: Vec<String> = code
            .lines()
            .enumerate()
            .filter(|(_, line)| named.is_match(line))
            .map(|(i, line)| format!("{file}:{}: {}", i + 1, line.trim()))
            .collect();
        assert!(
            lines.is_empty(),
            "{file} names {sibling}:\n{}",
            lines.join("\n")
        );
    }
}

/// The scanner itself finds single paths, groups and nested groups, and skips comments and
/// test modules.
#[test]
fn the_scanner_finds_every_form_of_path() {
    let code = production_code(
        "use crate::report::Path;\n// use crate::validate::x;\nuse crate::{rules::{Rule, Enforce}, schema::Node};\nfn f() { vitistack_core::crd::x(); }\n#[cfg(test)]\nmod tests {\n    use crate::validate::y;\n}\n",
    );
    let names: Vec<(usize, String)> = named_modules(&code);
    let expected: Vec<(usize, String)> = [(1, "report"), (3, "rules"), (3, "schema"), (4, "crd")]
        .iter()
        .map(|(l, n)| (*l, n.to_string()))
        .collect();
    assert_eq!(names, expected);
}
