//! The benchmarks, every runtime side by side in each group:
//!
//! ```text
//! cargo bench -p bench                 # everything, about four minutes
//! cargo bench -p bench -- ping-pong    # one group
//! cargo bench -p bench -- --quick      # a rough figure, quickly
//! ```
//!
//! Criterion writes its analysis under `target/criterion/<group>/<runtime>/`,
//! where `cargo run --release -p bench --bin report` reads it. The groups
//! are `spawn`, `sleep`, `ping-pong` and `echo`; the lateness workload is
//! not a time per iteration, so the report measures it itself.
//!
//! Every runtime is built before its benchmark starts, so only the workload
//! is timed. A workload that gives a wrong answer (a lost task, a byte that
//! came back different) stops the run with a message: a fast wrong answer
//! is no figure.

use std::hint::black_box;
use std::process;
use std::sync::Arc;
use std::time::Duration;

use bench::{Census, Runner, Runtime, Scale, estimates, machine, threads};
use criterion::measurement::WallTime;
use criterion::{
    BenchmarkGroup, BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group,
    criterion_main,
};

const SCALE: Scale = Scale::FULL;

/// Every workload runs for 10 ms or more, so criterion's default hundred
/// samples would take all day: ten samples (flat sampling: each of as many
/// runs) give a median good to a few percent. `measurement` is the time
/// for ten runs of the group's slowest runtime on a small machine (two
/// cores); on a slower one criterion warns that it needs longer, and takes
/// it.
fn configure(group: &mut BenchmarkGroup<'_, WallTime>, measurement: Duration) {
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(measurement);
}

/// Stops the run: `what` went wrong on `who`.
fn wrong(who: impl std::fmt::Display, what: String) -> ! {
    eprintln!("error: {who}: {what}; no figure is worth a wrong answer");
    process::exit(1);
}

/// `id` for a runtime: its short name, the directory criterion writes to.
fn id(runtime: Runtime) -> BenchmarkId {
    BenchmarkId::from_parameter(runtime.name())
}

fn spawn(c: &mut Criterion) {
    let tasks = SCALE.spawned_tasks;
    let mut group = c.benchmark_group(estimates::SPAWN);
    configure(&mut group, Duration::from_secs(2));
    group.throughput(Throughput::Elements(tasks as u64));
    for runner in Runner::all() {
        group.bench_function(id(runner.runtime()), |b| {
            b.iter(|| {
                let right = runner.spawn_and_join(black_box(tasks));
                if right != tasks {
                    wrong(
                        runner.runtime(),
                        format!("{right} of {tasks} handles were right"),
                    );
                }
            })
        });
    }
    group.finish();
}

fn sleep(c: &mut Criterion) {
    let (sleepers, duration) = (SCALE.sleepers, SCALE.sleep);
    let mut group = c.benchmark_group(estimates::SLEEP);
    configure(&mut group, Duration::from_secs(2));
    for runner in Runner::all() {
        group.bench_function(id(runner.runtime()), |b| {
            b.iter(|| {
                let census = Arc::new(Census::new(sleepers));
                let woke = runner.sleep_all(&census, black_box(sleepers), duration);
                if woke != sleepers {
                    wrong(
                        runner.runtime(),
                        format!("{woke} of {sleepers} sleepers woke"),
                    );
                }
            })
        });
    }
    // Starting ten thousand threads takes a second or more.
    group.measurement_time(Duration::from_secs(15));
    group.bench_function(BenchmarkId::from_parameter(estimates::THREADS), |b| {
        b.iter(|| {
            let census = Arc::new(Census::new(sleepers));
            match threads::sleep_all(&census, black_box(sleepers), duration) {
                Ok(woke) if woke == sleepers => {}
                Ok(woke) => wrong(
                    estimates::THREADS,
                    format!("{woke} of {sleepers} threads ended"),
                ),
                Err(error) => wrong(estimates::THREADS, error.to_string()),
            }
        })
    });
    group.finish();
}

fn ping_pong(c: &mut Criterion) {
    let messages = SCALE.messages;
    let expected = 2 * bench::ping_pong_rounds(messages);
    let mut group = c.benchmark_group(estimates::PING_PONG);
    configure(&mut group, Duration::from_secs(4));
    group.throughput(Throughput::Elements(expected as u64));
    for runner in Runner::all() {
        group.bench_function(id(runner.runtime()), |b| {
            b.iter(|| {
                let arrived = runner.ping_pong(black_box(messages));
                if arrived != expected {
                    wrong(
                        runner.runtime(),
                        format!("{arrived} of {expected} messages"),
                    );
                }
            })
        });
    }
    group.finish();
}

fn echo(c: &mut Criterion) {
    let (clients, rounds) = (SCALE.echo_clients, SCALE.echo_rounds);
    // Two sockets per client (its end and the server's), and some to spare.
    let needed = 2 * clients as u64 + 64;
    if let Some(limit) = machine::open_files_limit().filter(|&limit| limit < needed) {
        eprintln!(
            "skipping echo: it opens about {needed} sockets, and this process may \
             open {limit} files; raise the limit (`ulimit -n 4096`) and run again"
        );
        return;
    }
    let expected = clients * rounds * bench::MESSAGE_BYTES;
    let mut group = c.benchmark_group(estimates::ECHO);
    configure(&mut group, Duration::from_secs(25));
    group.throughput(Throughput::Elements((clients * rounds) as u64));
    for runner in Runner::all() {
        group.bench_function(id(runner.runtime()), |b| {
            b.iter(|| match runner.echo(black_box(clients), rounds) {
                Ok(echoed) if echoed == expected => {}
                Ok(echoed) => {
                    wrong(runner.runtime(), format!("{echoed} of {expected} bytes"))
                }
                Err(error) => wrong(runner.runtime(), format!("echo failed: {error}")),
            })
        });
    }
    group.finish();
}

criterion_group!(benches, spawn, sleep, ping_pong, echo);
criterion_main!(benches);
