//! Chapter 5's workloads: a gather of many futures and a gather of as many
//! tasks, on every runtime, and the appendix section that reports them.
//!
//! | workload | what it measures |
//! |---|---|
//! | futures | chapter 5's `join_all` of [`GatherScale::count`] futures, each yielding once: no task but the caller's |
//! | tasks | as many tasks spawned, each yielding once, their handles awaited in order: asyncio's `gather` |
//!
//! The futures are joined with chapter 5's `join_all`, which needs only a
//! waker, so every runtime runs the same joining code and only the runtime
//! differs. The yield is futures-lite's (through smol): it wakes its task
//! and returns `Pending` once, on any runtime.

use std::fmt::Write as _;
use std::path::Path;
use std::time::Duration;

use gather_wait::hand::join_all;
use smol::future::yield_now;

use crate::markdown::{self, Table};
use crate::{Runner, Runtime};
use crate::{estimates, python};

/// The criterion group of the futures workload.
pub const FUTURES: &str = "gather-futures";
/// The criterion group of the tasks workload.
pub const TASKS: &str = "gather-tasks";

/// The size of both workloads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GatherScale {
    /// How many futures (or tasks) one gather waits for.
    pub count: usize,
}

impl GatherScale {
    /// What the benchmarks run.
    pub const FULL: GatherScale = GatherScale { count: 10_000 };

    /// Small enough for a test.
    pub const SMOKE: GatherScale = GatherScale { count: 200 };
}

// ANCHOR: job
/// One of the gathered: yields once, then gives back its number.
async fn job(number: usize) -> usize {
    yield_now().await;
    number
}

/// How many outputs are right: output `i` is `i`.
fn right(outputs: impl IntoIterator<Item = usize>) -> usize {
    let outputs = outputs.into_iter().enumerate();
    outputs.filter(|(index, output)| index == output).count()
}
// ANCHOR_END: job

/// Futures workload: `count` futures joined in the caller's task. Returns
/// how many outputs came back right, in order.
pub fn futures(runner: &Runner, count: usize) -> usize {
    let joined = || join_all((0..count).map(job));
    let outputs = match runner {
        Runner::Hand => event_loop::hand::block_on(joined()),
        Runner::TokioCurrentThread(rt) | Runner::TokioMultiThread(rt) => {
            rt.block_on(joined())
        }
        Runner::AsyncStd => async_std::task::block_on(joined()),
        Runner::Smol(ex) => smol::block_on(ex.run(joined())),
    };
    right(outputs)
}

/// Tasks workload: `count` tasks spawned, then their handles awaited in
/// the order asked. Returns how many outputs came back right, in order.
///
/// One handle at a time, not `join_all` of the handles: a join polls every
/// input still pending at each wake, and as the tasks finish one by one
/// that is quadratic, which would measure the join, not the runtime.
/// asyncio's `gather` hears from each task once, through a done callback.
pub fn tasks(runner: &Runner, count: usize) -> usize {
    match runner {
        Runner::Hand => event_loop::hand::block_on(async {
            let handles: Vec<_> = (0..count)
                .map(|n| event_loop::hand::spawn(job(n)))
                .collect();
            let mut outputs = Vec::with_capacity(count);
            for handle in handles {
                outputs.push(handle.await.unwrap_or(usize::MAX));
            }
            right(outputs)
        }),
        Runner::TokioCurrentThread(rt) | Runner::TokioMultiThread(rt) => {
            rt.block_on(async {
                let handles: Vec<_> =
                    (0..count).map(|n| tokio::spawn(job(n))).collect();
                let mut outputs = Vec::with_capacity(count);
                for handle in handles {
                    outputs.push(handle.await.unwrap_or(usize::MAX));
                }
                right(outputs)
            })
        }
        Runner::AsyncStd => async_std::task::block_on(async {
            let handles: Vec<_> =
                (0..count).map(|n| async_std::task::spawn(job(n))).collect();
            let mut outputs = Vec::with_capacity(count);
            for handle in handles {
                outputs.push(handle.await);
            }
            right(outputs)
        }),
        Runner::Smol(ex) => smol::block_on(ex.run(async {
            let handles: Vec<_> = (0..count).map(|n| ex.spawn(job(n))).collect();
            let mut outputs = Vec::with_capacity(count);
            for handle in handles {
                outputs.push(handle.await);
            }
            right(outputs)
        })),
    }
}

/// The asyncio script that measures `gather` the same two ways.
pub fn python_script() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../05-gather-wait/python/gather_bench.py")
}

/// What the asyncio script measured, per whole gather.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Asyncio {
    /// `gather` of coroutines (each wrapped in a task by gather).
    pub futures: Duration,
    /// `gather` of tasks made first with `create_task`.
    pub tasks: Duration,
}

/// Runs the asyncio script at `scale`. `Ok(None)` when `python3` is not
/// installed.
pub fn asyncio(scale: GatherScale) -> Result<Option<Asyncio>, String> {
    let args = [scale.count.to_string()];
    let names = ["futures_ns", "tasks_ns"];
    let Some(figures) = python::figures(&python_script(), &args, &names)? else {
        return Ok(None);
    };
    Ok(Some(Asyncio {
        futures: figures[0],
        tasks: figures[1],
    }))
}

/// The appendix section: the median time of one gather of each kind on
/// every runtime, each with its ratio to tokio's current-thread runtime,
/// and asyncio's figures.
pub fn section(criterion_dir: &Path) -> Result<String, String> {
    let count = markdown::grouped(GatherScale::FULL.count as u64);
    let mut text = String::from("### Gather (chapter 5)\n\n");
    let _ = writeln!(
        text,
        "One gather of {count} futures, each yielding once, joined in the \
         caller's task by chapter 5's `join_all` (the same code on every \
         runtime); and one gather of {count} tasks, each yielding once, \
         spawned and then their handles awaited in order. The median time per \
         gather, and its ratio to tokio current-thread's.\n"
    );
    let medians = |group| estimates::per_runtime(criterion_dir, group);
    let (futures, tasks) = (medians(FUTURES)?, medians(TASKS)?);
    text.push_str(&table(&futures, &tasks).render());
    text.push('\n');
    match asyncio(GatherScale::FULL)? {
        Some(figures) => {
            let _ = writeln!(
                text,
                "asyncio on Python 3 (`python/gather_bench.py` in chapter 5): {} \
                 for a `gather` of {count} coroutines (which makes a task of \
                 each), {} for one of {count} tasks made first.",
                markdown::duration(figures.futures),
                markdown::duration(figures.tasks),
            );
        }
        None => text.push_str("python3 is not installed: no asyncio figure.\n"),
    }
    Ok(text)
}

fn table(futures: &[Duration], tasks: &[Duration]) -> Table {
    let yardstick = Runtime::ALL
        .iter()
        .position(|&runtime| runtime == Runtime::TokioCurrentThread)
        .expect("tokio current-thread is one of the runtimes");
    let ratio = |times: &[Duration], at: usize| {
        markdown::ratio(times[at].as_secs_f64() / times[yardstick].as_secs_f64())
    };
    let mut table =
        Table::new(&["runtime", "futures", "÷ tokio-ct", "tasks", "÷ tokio-ct"]);
    for (at, runtime) in Runtime::ALL.iter().enumerate() {
        table.row(vec![
            runtime.describe().to_string(),
            markdown::duration(futures[at]),
            ratio(futures, at),
            markdown::duration(tasks[at]),
            ratio(tasks, at),
        ]);
    }
    table
}
