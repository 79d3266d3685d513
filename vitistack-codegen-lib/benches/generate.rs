//! Criterion benchmark of `generate`: every CRD and JSON Schema built from the Rust types and
//! rendered to the `crds/` and `schemas/` file layout (byte-stable YAML and JSON), as
//! `vitistack-codegen generate` does before writing.

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use vitistack_codegen_lib::{render, SchemaDocument};

fn generate() -> usize {
    let crds = vitistack_types::catalog::crds();
    let schemas: Vec<SchemaDocument> = vitistack_types::catalog::json_schemas();
    render(&crds, &schemas).expect("render").len()
}

fn bench(c: &mut Criterion) {
    assert_eq!(generate(), 20, "ten CRDs and ten schemas");
    let mut group = c.benchmark_group("generate");
    group.bench_function("all", |b| b.iter(|| black_box(generate())));
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
