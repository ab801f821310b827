//! Whole-pipeline cost (read, parse, resolve, emit Rust) at 100, 1,000 and
//! 10,000 events. Run: `cargo bench -p evcat-bench --bench generate`.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

fn generate(criterion: &mut Criterion) {
    let mut group = criterion.benchmark_group("generate");
    group.sample_size(10);
    for events in [100usize, 1_000, 10_000] {
        let dir = tempfile::tempdir().expect("temporary folder");
        let synthetic = evcat_bench::synthetic_catalog(events);
        std::fs::write(dir.path().join("catalog.md"), &synthetic.catalog_md).expect("write");
        std::fs::write(dir.path().join("data-model.md"), &synthetic.data_model_md).expect("write");
        std::fs::write(
            dir.path().join("envelope.schema.json"),
            &synthetic.envelope_schema,
        )
        .expect("write");
        let builder = evcat::Builder::new(dir.path().join("catalog.md"));
        group.throughput(Throughput::Elements(events as u64));
        group.bench_with_input(
            BenchmarkId::from_parameter(events),
            &builder,
            |bench, builder| {
                bench.iter(|| builder.generate().expect("synthetic catalogs are valid"));
            },
        );
    }
    group.finish();
}

criterion_group!(benches, generate);
criterion_main!(benches);
