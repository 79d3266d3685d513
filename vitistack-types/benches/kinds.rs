//! Criterion benchmarks of the typed API on the full example objects (`examples/<kind>.yaml`):
//! `to_unstructured`, `from_unstructured` and `validate()` per kind, and parsing plus
//! validating a 10,000-document YAML stream (the ten examples cycled with unique names, as
//! `bench/gen-docs.sh` writes it for the CLI/kubeconform comparison).
//!
//! `cargo bench -p vitistack-types --bench kinds -- 'validate/Machine'` runs one of them;
//! `make bench-compare` runs the Machine and NetworkConfiguration ones next to Go's.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use serde::{de::DeserializeOwned, Serialize};
use serde_json::Value;
use std::hint::black_box;
use std::path::PathBuf;
use vitistack_types::crd::CustomResourceKind;
use vitistack_types::kinds::*;
use vitistack_types::unstructured::{from_unstructured, to_unstructured};
use vitistack_types::validate::{check_value, Options};
use vitistack_types::{registry, Validate};

/// Example files, sorted by name (the order `bench/gen-docs.sh` cycles through).
const EXAMPLES: &[&str] = &[
    "kubernetescluster",
    "kubernetesprovider",
    "kubevirtconfig",
    "loadbalancer",
    "machine",
    "machineprovider",
    "networkconfiguration",
    "networknamespace",
    "proxmoxconfig",
    "vitistack",
];

/// Documents in the big stream.
const DOCUMENTS: usize = 10_000;

fn examples_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples")
}

fn example_text(file: &str) -> String {
    let path = examples_dir().join(format!("{file}.yaml"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn example<K: DeserializeOwned>(file: &str) -> K {
    serde_saphyr::from_str(&example_text(file)).unwrap_or_else(|e| panic!("{file}.yaml: {e}"))
}

/// One kind's three benchmarks.
fn kind<K>(c: &mut Criterion, file: &str)
where
    K: CustomResourceKind + Serialize + DeserializeOwned + Validate,
{
    let object: K = example(file);
    object
        .validate()
        .unwrap_or_else(|e| panic!("{file}.yaml is invalid: {e}"));
    let dynamic = to_unstructured(&object).expect("to_unstructured");

    c.bench_with_input(
        BenchmarkId::new("to_unstructured", K::KIND),
        &object,
        |b, o| b.iter(|| to_unstructured(black_box(o)).unwrap()),
    );
    c.bench_with_input(
        BenchmarkId::new("from_unstructured", K::KIND),
        &dynamic,
        |b, d| b.iter(|| from_unstructured::<K>(black_box(d)).unwrap()),
    );
    c.bench_with_input(BenchmarkId::new("validate", K::KIND), &object, |b, o| {
        b.iter(|| black_box(o).validate().unwrap())
    });
}

fn per_kind(c: &mut Criterion) {
    kind::<KubernetesCluster>(c, "kubernetescluster");
    kind::<KubernetesProvider>(c, "kubernetesprovider");
    kind::<KubevirtConfig>(c, "kubevirtconfig");
    kind::<LoadBalancer>(c, "loadbalancer");
    kind::<Machine>(c, "machine");
    kind::<MachineProvider>(c, "machineprovider");
    kind::<NetworkConfiguration>(c, "networkconfiguration");
    kind::<NetworkNamespace>(c, "networknamespace");
    kind::<ProxmoxConfig>(c, "proxmoxconfig");
    kind::<Vitistack>(c, "vitistack");
}

/// The 10,000-document stream: document `i` is example `i % 10` without its
/// `# yaml-language-server` line, its `metadata.name` suffixed with `-<i, 5 digits>`.
pub fn stream() -> String {
    let templates: Vec<String> = EXAMPLES.iter().map(|f| example_text(f)).collect();
    let mut out = String::with_capacity(templates.iter().map(String::len).sum::<usize>() * 1001);
    for i in 0..DOCUMENTS {
        out.push_str("---\n");
        let mut in_metadata = false;
        let mut renamed = false;
        for line in templates[i % templates.len()].lines() {
            if line.starts_with("# yaml-language-server") {
                continue;
            }
            if line == "metadata:" {
                in_metadata = true;
            } else if in_metadata && !renamed && line.starts_with("  name: ") {
                out.push_str(&format!("{line}-{i:05}\n"));
                renamed = true;
                continue;
            }
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// Parses the stream as the CLI does (the budget of `vitistack-codegen`; the default allows
/// 1,024 documents).
fn parse(text: &str) -> Vec<Value> {
    let options = serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_depth: 256,
            max_nodes: 10_000_000,
            max_events: 40_000_000,
            max_documents: 100_000,
        },
        with_snippet: false,
    };
    serde_saphyr::from_str_multiple_with_options::<Value, Vec<Value>>(text, options).expect("parse")
}

/// Parse every document, look its kind up, validate it against the kind's schema (strict, as
/// the CLI does). Returns the number of valid documents.
fn parse_and_validate(text: &str) -> usize {
    let documents = parse(text);
    documents
        .iter()
        .filter(|doc| {
            let info = registry::by_api_version_kind(
                doc["apiVersion"].as_str().unwrap_or(""),
                doc["kind"].as_str().unwrap_or(""),
            )
            .expect("a vitistack kind");
            check_value(info.root_schema(), doc, Options::default()).is_empty()
        })
        .count()
}

fn ten_thousand(c: &mut Criterion) {
    let mut group = c.benchmark_group("parse_validate");
    group.sample_size(10);
    group.throughput(Throughput::Elements(DOCUMENTS as u64));
    group.bench_function("10000_documents", |b| {
        // Built here, so a filter that skips this benchmark skips the work too.
        let text = stream();
        assert_eq!(
            parse_and_validate(&text),
            DOCUMENTS,
            "every document is valid"
        );
        b.iter(|| parse_and_validate(black_box(&text)))
    });
    // The parse alone (not run by `make bench-compare`): how the time above splits.
    group.bench_function("10000_documents_parse_only", |b| {
        let text = stream();
        b.iter(|| parse(black_box(&text)).len())
    });
    group.finish();
}

criterion_group!(benches, per_kind, ten_thousand);
criterion_main!(benches);
