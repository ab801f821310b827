//! The stream checker on 10,000 valid, distinct envelopes of the project's
//! catalog, beside the parse-only floor on the same lines. Run: `cargo bench -p evcat-bench --bench validate`.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};

fn stream(count: usize) -> Vec<String> {
    let catalog = concat!(env!("CARGO_MANIFEST_DIR"), "/../contracts/catalog.md");
    let compiled = evcat::Builder::new(catalog)
        .compile()
        .expect("the project's catalog");
    evcat_bench::distinct_stream(&compiled)
        .take(count)
        .map(|event| event.to_string())
        .collect()
}

fn validate(criterion: &mut Criterion) {
    let catalog = concat!(env!("CARGO_MANIFEST_DIR"), "/../contracts/catalog.md");
    let compiled = evcat::Builder::new(catalog)
        .compile()
        .expect("the project's catalog");
    let lines = stream(10_000);
    let mut group = criterion.benchmark_group("validate");
    group.throughput(Throughput::Elements(lines.len() as u64));
    group.bench_function("stream_10000", |bench| {
        bench.iter_batched(
            || evcat::stream::StreamChecker::new(&compiled.catalog),
            |mut checker| {
                let findings = lines
                    .iter()
                    .enumerate()
                    .filter_map(|(index, line)| checker.check_line(index + 1, line))
                    .count();
                assert_eq!(findings, 0);
            },
            BatchSize::PerIteration,
        );
    });
    // The floor on the same lines: parsing and nothing else.
    group.bench_function("parse_floor_10000", |bench| {
        bench.iter(|| {
            let parsed = lines
                .iter()
                .filter(|line| serde_json::from_str::<serde::de::IgnoredAny>(line).is_ok())
                .count();
            assert_eq!(parsed, lines.len());
        });
    });
    group.finish();
}

criterion_group!(benches, validate);
criterion_main!(benches);
