//! Chapter 7's workloads: `spawn_blocking` throughput and latency on every
//! runtime, and the appendix section that reports them.
//!
//! | workload | what it measures |
//! |---|---|
//! | throughput | [`BlockingScale::jobs`] tiny jobs handed to the blocking pool at once, every result awaited in order |
//! | latency | one tiny job's round trip (hand over, run, wake, take the result), [`BlockingScale::round_trips`] times in a row |
//!
//! The pools: chapter 7's `spawn_blocking` on our loop, tokio's
//! `spawn_blocking` (both flavours; each runtime has its own pool), async-std's
//! `spawn_blocking` and smol's `unblock` (both the `blocking` crate's one pool
//! per process). asyncio's `to_thread` is measured beside them by
//! `python/to_thread_bench.py` in chapter 7.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::markdown::{self, Table};
use crate::{Runner, Runtime};
use crate::{estimates, python};

/// The criterion group of the throughput workload.
pub const THROUGHPUT: &str = "blocking-throughput";
/// The criterion group of the latency workload.
pub const LATENCY: &str = "blocking-latency";

/// The size of both workloads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BlockingScale {
    /// Throughput: how many jobs are handed over at once.
    pub jobs: usize,
    /// Latency: how many round trips, one after the other.
    pub round_trips: usize,
}

impl BlockingScale {
    /// What the benchmarks run.
    pub const FULL: BlockingScale = BlockingScale {
        jobs: 10_000,
        round_trips: 100,
    };

    /// Small enough for a test.
    pub const SMOKE: BlockingScale = BlockingScale {
        jobs: 200,
        round_trips: 10,
    };
}

// ANCHOR: job
/// The tiny job: gives back its number, so a lost or mixed-up result shows.
fn job(number: usize) -> usize {
    number
}
// ANCHOR_END: job

/// How many results are right: result `i` is `i`.
fn right(results: impl IntoIterator<Item = usize>) -> usize {
    let results = results.into_iter().enumerate();
    results.filter(|(index, result)| index == result).count()
}

/// Throughput workload: `jobs` jobs handed to the runtime's blocking pool at
/// once, then their results awaited in order. Returns how many came back
/// right.
pub fn throughput(runner: &Runner, jobs: usize) -> usize {
    use blocking_offload::hand::spawn_blocking;
    match runner {
        Runner::Hand => event_loop::hand::block_on(async {
            let handles: Vec<_> =
                (0..jobs).map(|n| spawn_blocking(move || job(n))).collect();
            let mut results = Vec::with_capacity(jobs);
            for handle in handles {
                results.push(handle.await.unwrap_or(usize::MAX));
            }
            right(results)
        }),
        Runner::TokioCurrentThread(rt) | Runner::TokioMultiThread(rt) => {
            rt.block_on(async {
                let handles: Vec<_> = (0..jobs)
                    .map(|n| tokio::task::spawn_blocking(move || job(n)))
                    .collect();
                let mut results = Vec::with_capacity(jobs);
                for handle in handles {
                    results.push(handle.await.unwrap_or(usize::MAX));
                }
                right(results)
            })
        }
        Runner::AsyncStd => async_std::task::block_on(async {
            let handles: Vec<_> = (0..jobs)
                .map(|n| async_std::task::spawn_blocking(move || job(n)))
                .collect();
            let mut results = Vec::with_capacity(jobs);
            for handle in handles {
                results.push(handle.await);
            }
            right(results)
        }),
        Runner::Smol(ex) => smol::block_on(ex.run(async {
            let handles: Vec<_> =
                (0..jobs).map(|n| smol::unblock(move || job(n))).collect();
            let mut results = Vec::with_capacity(jobs);
            for handle in handles {
                results.push(handle.await);
            }
            right(results)
        })),
    }
}

/// Latency workload: `round_trips` jobs, each handed over and awaited before
/// the next. Returns how many came back right.
pub fn latency(runner: &Runner, round_trips: usize) -> usize {
    use blocking_offload::hand::spawn_blocking;
    match runner {
        Runner::Hand => event_loop::hand::block_on(async {
            let mut results = Vec::with_capacity(round_trips);
            for n in 0..round_trips {
                results
                    .push(spawn_blocking(move || job(n)).await.unwrap_or(usize::MAX));
            }
            right(results)
        }),
        Runner::TokioCurrentThread(rt) | Runner::TokioMultiThread(rt) => {
            rt.block_on(async {
                let mut results = Vec::with_capacity(round_trips);
                for n in 0..round_trips {
                    let handle = tokio::task::spawn_blocking(move || job(n));
                    results.push(handle.await.unwrap_or(usize::MAX));
                }
                right(results)
            })
        }
        Runner::AsyncStd => async_std::task::block_on(async {
            let mut results = Vec::with_capacity(round_trips);
            for n in 0..round_trips {
                results.push(async_std::task::spawn_blocking(move || job(n)).await);
            }
            right(results)
        }),
        Runner::Smol(ex) => smol::block_on(ex.run(async {
            let mut results = Vec::with_capacity(round_trips);
            for n in 0..round_trips {
                results.push(smol::unblock(move || job(n)).await);
            }
            right(results)
        })),
    }
}

/// The asyncio script that measures `to_thread` the same two ways.
pub fn python_script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../07-blocking-offload/python/to_thread_bench.py")
}

/// What the asyncio script measured.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Asyncio {
    /// One batch of `jobs` jobs through `to_thread`, all awaited.
    pub throughput: Duration,
    /// One job's round trip through `to_thread`.
    pub latency: Duration,
}

/// Runs the asyncio script at `scale`. `Ok(None)` when `python3` is not
/// installed.
pub fn asyncio(scale: BlockingScale) -> Result<Option<Asyncio>, String> {
    let args = [scale.jobs.to_string(), scale.round_trips.to_string()];
    let names = ["throughput_ns", "latency_ns"];
    let Some(figures) = python::figures(&python_script(), &args, &names)? else {
        return Ok(None);
    };
    Ok(Some(Asyncio {
        throughput: figures[0],
        latency: figures[1],
    }))
}

/// The appendix section: the median time of one batch of jobs and of one
/// round trip on every runtime, each with its ratio to tokio current-thread's,
/// and asyncio's figures.
pub fn section(criterion_dir: &Path) -> Result<String, String> {
    let scale = BlockingScale::FULL;
    let jobs = markdown::grouped(scale.jobs as u64);
    let mut text = String::from("### spawn_blocking (chapter 7)\n\n");
    let _ = writeln!(
        text,
        "{jobs} tiny jobs handed to the blocking pool at once and their results \
         awaited in order (throughput: the time per batch); and one job's round \
         trip, handed over and awaited before the next (latency: the time per \
         round trip). The median, and its ratio to tokio current-thread's.\n"
    );
    let medians = |group| estimates::per_runtime(criterion_dir, group);
    let (batches, trips) = (medians(THROUGHPUT)?, medians(LATENCY)?);
    // Criterion times one latency iteration: `round_trips` trips.
    let trips: Vec<Duration> = trips
        .iter()
        .map(|total| *total / scale.round_trips as u32)
        .collect();
    text.push_str(&table(&batches, &trips).render());
    text.push('\n');
    match asyncio(scale)? {
        Some(figures) => {
            let _ = writeln!(
                text,
                "asyncio on Python 3 (`python/to_thread_bench.py` in chapter 7): {} \
                 for {jobs} jobs through `asyncio.to_thread`, {} per round trip.",
                markdown::duration(figures.throughput),
                markdown::duration(figures.latency),
            );
        }
        None => text.push_str("python3 is not installed: no asyncio figure.\n"),
    }
    Ok(text)
}

fn table(batches: &[Duration], trips: &[Duration]) -> Table {
    let yardstick = Runtime::ALL
        .iter()
        .position(|&runtime| runtime == Runtime::TokioCurrentThread)
        .expect("tokio current-thread is one of the runtimes");
    let ratio = |times: &[Duration], at: usize| {
        markdown::ratio(times[at].as_secs_f64() / times[yardstick].as_secs_f64())
    };
    let batch = format!(
        "{} jobs",
        markdown::grouped(BlockingScale::FULL.jobs as u64)
    );
    let mut table =
        Table::new(&["runtime", &batch, "÷ tokio-ct", "round trip", "÷ tokio-ct"]);
    for (at, runtime) in Runtime::ALL.iter().enumerate() {
        table.row(vec![
            runtime.describe().to_string(),
            markdown::duration(batches[at]),
            ratio(batches, at),
            markdown::duration(trips[at]),
            ratio(trips, at),
        ]);
    }
    table
}
