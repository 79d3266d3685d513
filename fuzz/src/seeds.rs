//! The seed corpus of every fuzz target as an ordinary test (no libFuzzer, no nightly): each
//! file of the target's seed directories (`targets.txt`) goes through the target's body once,
//! and a panic on any of them fails the test, naming target and file.

use std::path::{Path, PathBuf};

/// A target's body as a function `run(data)`, in place of libFuzzer's entry point.
macro_rules! fuzz_target {
    (|$data:ident: &[u8]| $body:block) => {
        pub(crate) fn run($data: &[u8]) $body
    };
}

/// A target: its name and its body.
type Target = (&'static str, fn(&[u8]));

include!(concat!(env!("OUT_DIR"), "/targets.rs"));

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// `targets.txt`: each target with its seed directories.
fn seed_table() -> Vec<(String, Vec<String>)> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("targets.txt");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .map(|line| {
            let mut words = line.split_whitespace().map(str::to_owned);
            let name = words.next().expect("a target name");
            (name, words.collect())
        })
        .collect()
}

/// Every file under `dir`, sorted.
fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            files(&path, out);
        } else {
            out.push(path);
        }
    }
}

#[test]
fn every_target_runs_its_seeds_without_a_panic() {
    let table = seed_table();
    let listed: Vec<&str> = table.iter().map(|(name, _)| name.as_str()).collect();
    let mut built: Vec<&str> = TARGETS.iter().map(|(name, _)| *name).collect();
    let mut sorted = listed.clone();
    sorted.sort();
    built.sort();
    assert_eq!(
        sorted, built,
        "targets.txt must list every file of fuzz_targets/, once"
    );
    let mut failures = Vec::new();
    for (name, dirs) in &table {
        let run = TARGETS.iter().find(|(n, _)| n == name).expect("listed").1;
        let mut seeds = Vec::new();
        for dir in dirs {
            files(&repo_root().join(dir), &mut seeds);
        }
        assert!(!seeds.is_empty(), "{name}: no seeds in {dirs:?}");
        for seed in &seeds {
            let data = std::fs::read(seed).unwrap_or_else(|e| panic!("{}: {e}", seed.display()));
            if let Err(panic) = std::panic::catch_unwind(|| run(&data)) {
                let message = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                failures.push(format!("{name} on {}: {message}", seed.display()));
            }
        }
        println!("{name}: {} seeds", seeds.len());
    }
    assert!(
        failures.is_empty(),
        "{} seed(s) fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
