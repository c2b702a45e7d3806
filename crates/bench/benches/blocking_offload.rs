//! Chapter 7's benchmarks: `spawn_blocking` throughput (10,000 tiny jobs at
//! once) and latency (one job's round trip, 100 in a row) on every runtime.
//!
//! ```text
//! cargo bench -p bench --bench blocking_offload              # both groups
//! cargo bench -p bench --bench blocking_offload -- --quick   # a rough figure
//! ```
//!
//! Criterion writes under `target/criterion/blocking-throughput/<runtime>/`
//! (and `blocking-latency`), where `bench::blocking_offload::section` reads
//! it. A run that loses or mixes up a result stops with a message.

use std::process;
use std::time::Duration;

use bench::blocking_offload::{self, BlockingScale, LATENCY, THROUGHPUT};
use bench::{Runner, Runtime};
use criterion::measurement::WallTime;
use criterion::{
    BenchmarkGroup, BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group,
    criterion_main,
};

const SCALE: BlockingScale = BlockingScale::FULL;

/// Ten flat samples, as the other groups take.
fn configure(group: &mut BenchmarkGroup<'_, WallTime>) {
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1));
}

fn check(group: &str, runtime: Runtime, right: usize, expected: usize) {
    if right != expected {
        eprintln!(
            "error: {group}/{runtime}: {right} of {expected} results right; no \
             figure is worth a wrong answer"
        );
        process::exit(1);
    }
}

fn bench(
    c: &mut Criterion,
    group_name: &str,
    size: usize,
    workload: fn(&Runner, usize) -> usize,
) {
    let mut group = c.benchmark_group(group_name);
    configure(&mut group);
    group.throughput(Throughput::Elements(size as u64));
    for runner in Runner::all() {
        let runtime = runner.runtime();
        group.bench_function(BenchmarkId::from_parameter(runtime.name()), |b| {
            b.iter(|| check(group_name, runtime, workload(&runner, size), size));
        });
    }
    group.finish();
}

fn throughput(c: &mut Criterion) {
    bench(c, THROUGHPUT, SCALE.jobs, blocking_offload::throughput);
}

fn latency(c: &mut Criterion) {
    bench(c, LATENCY, SCALE.round_trips, blocking_offload::latency);
}

criterion_group!(benches, throughput, latency);
criterion_main!(benches);
