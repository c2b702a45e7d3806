//! Chapter 5's benchmarks: a gather of 10,000 futures and of 10,000 tasks
//! on every runtime.
//!
//! ```text
//! cargo bench -p bench --bench gather_wait              # both groups
//! cargo bench -p bench --bench gather_wait -- --quick   # a rough figure
//! ```
//!
//! Criterion writes under `target/criterion/gather-futures/<runtime>/` (and
//! `gather-tasks`), where `bench::gather_wait::section` reads it. A gather
//! that loses or misorders an output stops the run with a message.

use std::process;
use std::time::Duration;

use bench::gather_wait::{self, FUTURES, GatherScale, TASKS};
use bench::{Runner, Runtime};
use criterion::measurement::WallTime;
use criterion::{
    BenchmarkGroup, BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group,
    criterion_main,
};

const SCALE: GatherScale = GatherScale::FULL;

/// Ten flat samples, as the other groups take: each gather lasts
/// milliseconds.
fn configure(group: &mut BenchmarkGroup<'_, WallTime>) {
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1));
}

fn check(group: &str, runtime: Runtime, right: usize) {
    if right != SCALE.count {
        eprintln!(
            "error: {group}/{runtime}: {right} of {} outputs right; no figure is \
             worth a wrong answer",
            SCALE.count
        );
        process::exit(1);
    }
}

fn bench(c: &mut Criterion, group_name: &str, workload: fn(&Runner, usize) -> usize) {
    let mut group = c.benchmark_group(group_name);
    configure(&mut group);
    group.throughput(Throughput::Elements(SCALE.count as u64));
    for runner in Runner::all() {
        let runtime = runner.runtime();
        group.bench_function(BenchmarkId::from_parameter(runtime.name()), |b| {
            b.iter(|| check(group_name, runtime, workload(&runner, SCALE.count)));
        });
    }
    group.finish();
}

fn futures(c: &mut Criterion) {
    bench(c, FUTURES, gather_wait::futures);
}

fn tasks(c: &mut Criterion) {
    bench(c, TASKS, gather_wait::tasks);
}

criterion_group!(benches, futures, tasks);
criterion_main!(benches);
