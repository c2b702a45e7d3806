//! Chapter 8's workloads: four mutexes (ours, tokio's, async-lock's and
//! `std`'s) on every runtime, and the appendix section that reports them.
//!
//! | workload | what it measures |
//! |---|---|
//! | contended | [`CONTENDED_TASKS`] tasks each add one [`LockScale::increments`] times; an async lock is held across a yield, so the others queue behind it |
//! | uncontended | one task locks, adds one and unlocks, [`LockScale::lone_increments`] times |
//!
//! A `std::sync::MutexGuard` must not cross an `.await` (chapter 8 shows the
//! deadlock), so in the contended workload `std`'s lock is taken, changed
//! and released before the yield: its figure is the right way to use it, not
//! the same critical section.

use std::fmt::Write as _;
use std::future::Future;
use std::path::Path;
use std::sync::{Arc, PoisonError};
use std::time::Duration;

use smol::future::yield_now;

use crate::markdown::{self, Table};
use crate::{Runner, Runtime};
use crate::{estimates, python};

/// The criterion group of the contended workload.
pub const CONTENDED: &str = "lock-contended";
/// The criterion group of the uncontended workload.
pub const UNCONTENDED: &str = "lock-uncontended";
/// How many tasks share the lock in the contended workload.
pub const CONTENDED_TASKS: usize = 8;

/// The size of both workloads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LockScale {
    /// Contended: how many times each task adds one.
    pub increments: usize,
    /// Uncontended: how many times the lone task adds one.
    pub lone_increments: usize,
}

impl LockScale {
    /// What the benchmarks run.
    pub const FULL: LockScale = LockScale {
        increments: 2_000,
        lone_increments: 100_000,
    };

    /// Small enough for a test.
    pub const SMOKE: LockScale = LockScale {
        increments: 50,
        lone_increments: 1_000,
    };
}

/// The mutexes compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lock {
    /// Chapter 8's `locks::hand::Mutex`: FIFO, the lock handed over.
    Hand,
    /// `tokio::sync::Mutex`: FIFO, the lock handed over.
    Tokio,
    /// `async_lock::Mutex` (smol's and async-std's): no line, eventually fair.
    AsyncLock,
    /// `std::sync::Mutex`, never held across an `.await`.
    Std,
}

impl Lock {
    /// Every lock, in the order the tables show them.
    pub const ALL: [Lock; 4] = [Lock::Hand, Lock::Tokio, Lock::AsyncLock, Lock::Std];

    /// Its short name, part of the benchmark's id.
    pub fn name(self) -> &'static str {
        match self {
            Lock::Hand => "hand",
            Lock::Tokio => "tokio",
            Lock::AsyncLock => "async-lock",
            Lock::Std => "std",
        }
    }

    /// The column heading.
    pub fn describe(self) -> &'static str {
        match self {
            Lock::Hand => "ours",
            Lock::Tokio => "tokio",
            Lock::AsyncLock => "async-lock",
            Lock::Std => "std",
        }
    }
}

/// The id of `lock` on `runtime` within a group: `hand/tokio-ct`.
pub fn id(lock: Lock, runtime: Runtime) -> String {
    format!("{}/{}", lock.name(), runtime.name())
}

// ANCHOR: counter
/// A counter behind one of the locks, shared by the tasks.
trait Counter: Send + Sync + 'static {
    /// The contended step: lock, yield with the lock held (so the other
    /// tasks run, and queue), add one, unlock.
    fn add_contended(&self) -> impl Future<Output = ()> + Send + '_;
    /// The uncontended step: lock, add one, unlock.
    fn add(&self) -> impl Future<Output = ()> + Send + '_;
    /// The value in the end.
    fn value(&self) -> u64;
}

impl Counter for locks::hand::Mutex<u64> {
    async fn add_contended(&self) {
        let mut value = self.lock().await;
        yield_now().await;
        *value += 1;
    }

    async fn add(&self) {
        *self.lock().await += 1;
    }

    fn value(&self) -> u64 {
        *self.try_lock().expect("the tasks are done")
    }
}
// ANCHOR_END: counter

impl Counter for tokio::sync::Mutex<u64> {
    async fn add_contended(&self) {
        let mut value = self.lock().await;
        yield_now().await;
        *value += 1;
    }

    async fn add(&self) {
        *self.lock().await += 1;
    }

    fn value(&self) -> u64 {
        *self.try_lock().expect("the tasks are done")
    }
}

impl Counter for smol::lock::Mutex<u64> {
    async fn add_contended(&self) {
        let mut value = self.lock().await;
        yield_now().await;
        *value += 1;
    }

    async fn add(&self) {
        *self.lock().await += 1;
    }

    fn value(&self) -> u64 {
        *self.try_lock().expect("the tasks are done")
    }
}

impl Counter for std::sync::Mutex<u64> {
    /// Not held across the yield: that would deadlock a single thread.
    async fn add_contended(&self) {
        *self.lock().unwrap_or_else(PoisonError::into_inner) += 1;
        yield_now().await;
    }

    async fn add(&self) {
        *self.lock().unwrap_or_else(PoisonError::into_inner) += 1;
    }

    fn value(&self) -> u64 {
        *self.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Spawns `tasks` copies of `work` on `runner` and waits for them all.
fn spawn_all<F>(runner: &Runner, tasks: usize, work: impl Fn() -> F)
where
    F: Future<Output = ()> + Send + 'static,
{
    match runner {
        Runner::Hand => event_loop::hand::block_on(async {
            let handles: Vec<_> = (0..tasks)
                .map(|_| event_loop::hand::spawn(work()))
                .collect();
            for handle in handles {
                handle.await.expect("a lock task does not panic");
            }
        }),
        Runner::TokioCurrentThread(rt) | Runner::TokioMultiThread(rt) => {
            rt.block_on(async {
                let handles: Vec<_> =
                    (0..tasks).map(|_| tokio::spawn(work())).collect();
                for handle in handles {
                    handle.await.expect("a lock task does not panic");
                }
            })
        }
        Runner::AsyncStd => async_std::task::block_on(async {
            let handles: Vec<_> =
                (0..tasks).map(|_| async_std::task::spawn(work())).collect();
            for handle in handles {
                handle.await;
            }
        }),
        Runner::Smol(ex) => smol::block_on(ex.run(async {
            let handles: Vec<_> = (0..tasks).map(|_| ex.spawn(work())).collect();
            for handle in handles {
                handle.await;
            }
        })),
    }
}

fn contended_with<C: Counter>(runner: &Runner, counter: C, increments: usize) -> u64 {
    let counter = Arc::new(counter);
    spawn_all(runner, CONTENDED_TASKS, || {
        let counter = Arc::clone(&counter);
        async move {
            for _ in 0..increments {
                counter.add_contended().await;
            }
        }
    });
    counter.value()
}

fn uncontended_with<C: Counter>(runner: &Runner, counter: C, increments: usize) -> u64 {
    let counter = Arc::new(counter);
    spawn_all(runner, 1, || {
        let counter = Arc::clone(&counter);
        async move {
            for _ in 0..increments {
                counter.add().await;
            }
        }
    });
    counter.value()
}

/// Contended workload: [`CONTENDED_TASKS`] tasks each add one `increments`
/// times through `lock`. Returns the counter: `CONTENDED_TASKS * increments`
/// if no update was lost.
pub fn contended(runner: &Runner, lock: Lock, increments: usize) -> u64 {
    match lock {
        Lock::Hand => contended_with(runner, locks::hand::Mutex::new(0), increments),
        Lock::Tokio => contended_with(runner, tokio::sync::Mutex::new(0), increments),
        Lock::AsyncLock => {
            contended_with(runner, smol::lock::Mutex::new(0), increments)
        }
        Lock::Std => contended_with(runner, std::sync::Mutex::new(0), increments),
    }
}

/// Uncontended workload: one task adds one `increments` times through
/// `lock`. Returns the counter.
pub fn uncontended(runner: &Runner, lock: Lock, increments: usize) -> u64 {
    match lock {
        Lock::Hand => uncontended_with(runner, locks::hand::Mutex::new(0), increments),
        Lock::Tokio => uncontended_with(runner, tokio::sync::Mutex::new(0), increments),
        Lock::AsyncLock => {
            uncontended_with(runner, smol::lock::Mutex::new(0), increments)
        }
        Lock::Std => uncontended_with(runner, std::sync::Mutex::new(0), increments),
    }
}

/// The asyncio script that measures `asyncio.Lock` the same two ways.
pub fn python_script() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../08-locks/python/lock_bench.py")
}

/// What the asyncio script measured: time per increment, contended and not.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Asyncio {
    /// Per increment, [`CONTENDED_TASKS`] tasks holding the lock across a yield.
    pub contended: Duration,
    /// Per increment, one task.
    pub uncontended: Duration,
}

/// Runs the asyncio script at `scale`. `Ok(None)` when `python3` is not
/// installed.
pub fn asyncio(scale: LockScale) -> Result<Option<Asyncio>, String> {
    let args = [
        CONTENDED_TASKS.to_string(),
        scale.increments.to_string(),
        scale.lone_increments.to_string(),
    ];
    let names = ["contended_ns", "uncontended_ns"];
    let Some(figures) = python::figures(&python_script(), &args, &names)? else {
        return Ok(None);
    };
    Ok(Some(Asyncio {
        contended: figures[0],
        uncontended: figures[1],
    }))
}

/// The appendix section: one table per workload of the median time per
/// increment, then each lock's ratio to itself on tokio's current-thread
/// runtime, and asyncio's figure for comparison.
pub fn section(criterion_dir: &Path) -> Result<String, String> {
    let scale = LockScale::FULL;
    let mut text = String::from("### Locks (chapter 8)\n\n");
    let _ = writeln!(
        text,
        "Four mutexes on every runtime: chapter 8's FIFO `Mutex`, tokio's, \
         async-lock's (smol's and async-std's) and `std`'s. The time per \
         increment is the median run's time divided by its increments. \
         **Contended**: {CONTENDED_TASKS} tasks each add one {} times, an async \
         lock held across a yield so the others queue (`std`'s is released \
         before the yield: held across it, it would deadlock). **Uncontended**: \
         one task locks, adds one and unlocks {} times.\n",
        markdown::grouped(scale.increments as u64),
        markdown::grouped(scale.lone_increments as u64),
    );
    let asyncio = asyncio(scale)?;
    for (group, title, total) in [
        (CONTENDED, "Contended", CONTENDED_TASKS * scale.increments),
        (UNCONTENDED, "Uncontended", scale.lone_increments),
    ] {
        let medians = medians(criterion_dir, group, total)?;
        let _ = writeln!(text, "**{title}**, time per increment:\n");
        text.push_str(&times_table(&medians).render());
        let _ = writeln!(
            text,
            "\n**{title}**, each lock's time ÷ its own on tokio current-thread:\n"
        );
        text.push_str(&ratio_table(&medians).render());
        text.push('\n');
    }
    match asyncio {
        Some(figures) => {
            let _ = writeln!(
                text,
                "asyncio's `Lock` on Python 3 (`python/lock_bench.py` in chapter 8, \
                 the same two workloads): {} per increment contended, {} uncontended.",
                markdown::duration(figures.contended),
                markdown::duration(figures.uncontended),
            );
        }
        None => text.push_str("python3 is not installed: no asyncio figure.\n"),
    }
    Ok(text)
}

/// The median per increment of each lock on each runtime, in the order of
/// [`Runtime::ALL`] then [`Lock::ALL`].
fn medians(
    dir: &Path,
    group: &str,
    total: usize,
) -> Result<Vec<Vec<Duration>>, String> {
    Runtime::ALL
        .iter()
        .map(|&runtime| {
            Lock::ALL
                .iter()
                .map(|&lock| {
                    let median = estimates::median(dir, group, &id(lock, runtime))
                        .map_err(|missing| missing.to_string())?;
                    Ok(median / total as u32)
                })
                .collect()
        })
        .collect()
}

fn header() -> Vec<&'static str> {
    let mut header = vec!["runtime"];
    header.extend(Lock::ALL.iter().map(|lock| lock.describe()));
    header
}

fn times_table(medians: &[Vec<Duration>]) -> Table {
    let mut table = Table::new(&header());
    for (runtime, row) in Runtime::ALL.iter().zip(medians) {
        let mut cells = vec![runtime.describe().to_string()];
        cells.extend(row.iter().map(|&time| markdown::duration(time)));
        table.row(cells);
    }
    table
}

fn ratio_table(medians: &[Vec<Duration>]) -> Table {
    let yardstick = Runtime::ALL
        .iter()
        .position(|&runtime| runtime == Runtime::TokioCurrentThread)
        .expect("tokio current-thread is one of the runtimes");
    let mut table = Table::new(&header());
    for (runtime, row) in Runtime::ALL.iter().zip(medians) {
        let mut cells = vec![runtime.describe().to_string()];
        cells.extend(row.iter().zip(&medians[yardstick]).map(|(time, base)| {
            markdown::ratio(time.as_secs_f64() / base.as_secs_f64())
        }));
        table.row(cells);
    }
    table
}
