//! Chapter 8's benchmarks: four mutexes on every runtime, contended and
//! uncontended.
//!
//! ```text
//! cargo bench -p bench --bench locks              # both groups
//! cargo bench -p bench --bench locks -- --quick   # a rough figure, quickly
//! ```
//!
//! Criterion writes under `target/criterion/lock-contended/<lock>/<runtime>/`
//! (and `lock-uncontended`), where `bench::locks::section` reads it. A run
//! that loses an update stops with a message.

use std::process;
use std::time::Duration;

use bench::locks::{self, CONTENDED, CONTENDED_TASKS, Lock, LockScale, UNCONTENDED};
use bench::{Runner, Runtime};
use criterion::measurement::WallTime;
use criterion::{
    BenchmarkGroup, BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group,
    criterion_main,
};

const SCALE: LockScale = LockScale::FULL;

/// Ten flat samples, as the other groups take: each run lasts milliseconds.
fn configure(group: &mut BenchmarkGroup<'_, WallTime>) {
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1));
}

fn check(lock: Lock, runtime: Runtime, counted: u64, expected: usize) {
    if counted != expected as u64 {
        eprintln!(
            "error: {}: counted {counted}, expected {expected}; no figure is worth \
             a lost update",
            locks::id(lock, runtime)
        );
        process::exit(1);
    }
}

fn id(lock: Lock, runtime: Runtime) -> BenchmarkId {
    BenchmarkId::new(lock.name(), runtime.name())
}

fn contended(c: &mut Criterion) {
    let total = CONTENDED_TASKS * SCALE.increments;
    let mut group = c.benchmark_group(CONTENDED);
    configure(&mut group);
    group.throughput(Throughput::Elements(total as u64));
    for runner in Runner::all() {
        for lock in Lock::ALL {
            let runtime = runner.runtime();
            group.bench_function(id(lock, runtime), |b| {
                b.iter(|| {
                    let counted = locks::contended(&runner, lock, SCALE.increments);
                    check(lock, runtime, counted, total);
                });
            });
        }
    }
    group.finish();
}

fn uncontended(c: &mut Criterion) {
    let total = SCALE.lone_increments;
    let mut group = c.benchmark_group(UNCONTENDED);
    configure(&mut group);
    group.throughput(Throughput::Elements(total as u64));
    for runner in Runner::all() {
        for lock in Lock::ALL {
            let runtime = runner.runtime();
            group.bench_function(id(lock, runtime), |b| {
                b.iter(|| {
                    let counted = locks::uncontended(&runner, lock, total);
                    check(lock, runtime, counted, total);
                });
            });
        }
    }
    group.finish();
}

criterion_group!(benches, contended, uncontended);
criterion_main!(benches);
