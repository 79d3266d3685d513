//! Criterion benchmark of YAML parsing as `vitistack-codegen validate` does it, on one thread:
//! the 10,000-document stream of `bench/gen-docs.sh`, split into documents and each parsed
//! into a `serde_json::Value`, by the block-style fast path (falling back to the full parser)
//! and by the full parser (serde-saphyr) alone. Throughput is in bytes, so criterion and
//! `make bench-compare` can print MB/s.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use serde_saphyr::DuplicateKeyPolicy;
use std::hint::black_box;
use std::path::Path;
use vitistack_codegen_lib::validate::{parse, parse_full};
use vitistack_codegen_lib::yaml::split_documents;

/// The benchmark stream, written by `bench/gen-docs.sh` (the file `make bench-compare` uses).
fn stream() -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let out = root.join("target/bench/parse-bench-docs.yaml");
    let status = std::process::Command::new("bash")
        .arg(root.join("bench/gen-docs.sh"))
        .arg(&out)
        .arg("10000")
        .status()
        .expect("run bench/gen-docs.sh");
    assert!(status.success(), "bench/gen-docs.sh failed");
    std::fs::read_to_string(&out).expect("read the benchmark stream")
}

/// Parses every document of `text` with `parse_one`; returns how many there were.
fn parse_all(
    text: &str,
    parse_one: fn(
        &vitistack_codegen_lib::yaml::DocumentText<'_>,
        DuplicateKeyPolicy,
    ) -> Result<Option<serde_json::Value>, serde_saphyr::Error>,
) -> usize {
    split_documents(text)
        .iter()
        .filter(|doc| matches!(parse_one(doc, DuplicateKeyPolicy::Error), Ok(Some(_))))
        .count()
}

fn bench(c: &mut Criterion) {
    let text = stream();
    assert_eq!(parse_all(&text, parse), 10_000, "every document parses");
    assert_eq!(
        parse_all(&text, parse_full),
        10_000,
        "every document parses"
    );
    let mut group = c.benchmark_group("parse");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("10000_documents", |b| {
        b.iter(|| parse_all(black_box(&text), parse))
    });
    group.bench_function("10000_documents_full_parser", |b| {
        b.iter(|| parse_all(black_box(&text), parse_full))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
