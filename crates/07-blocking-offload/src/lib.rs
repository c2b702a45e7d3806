//! Chapter 7: blocking work, a thread pool by hand, and concurrency against
//! parallelism.
//!
//! asyncio's first rule: never call a blocking function inside a coroutine;
//! hand it to a thread with `asyncio.to_thread` or `run_in_executor`. Its
//! second: one loop gives concurrency, not parallelism. This chapter builds
//! the thread pool that `spawn_blocking` hands work to, shows a ticking timer
//! late behind a blocking call and on time once the call is offloaded, and
//! measures four CPU-bound jobs run as tasks on one loop against the same
//! jobs spread over the pool's threads.
//!
//! | module | what it shows |
//! |---|---|
//! | [`hand`] | the thread pool, `spawn_blocking` on chapter 2's promise, the scene on our loop |
//! | [`with_tokio`] | `spawn_blocking`, `block_in_place`, the blocking pool's settings |
//! | [`with_async_std`] | `task::spawn_blocking` (discontinued: smol succeeds it) |
//! | [`with_smol`] | `unblock`, from the `blocking` crate |
//! | [`parallelism`] | the CPU-bound jobs and the table `--bin measure` writes |
//!
//! Run the scene with `cargo run -p blocking-offload` (every runtime), or
//! `cargo run -p blocking-offload -- --runtime tokio`; measure with
//! `cargo run --release -p blocking-offload --bin measure`.
#![forbid(unsafe_code)]

use std::time::Duration;

pub mod hand;
pub mod parallelism;
pub mod with_async_std;
pub mod with_smol;
pub mod with_tokio;

// ANCHOR: scene
/// How often the ticker ticks.
pub const TICK: Duration = Duration::from_millis(100);

/// How many times it ticks.
pub const TICKS: u32 = 6;

/// How long the blocking call lasts: it starts half a tick in, so the
/// first three ticks fall due while it runs.
pub const BLOCK: Duration = Duration::from_millis(320);

/// Where the blocking call runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Blocking {
    /// Inside a task, on the loop's thread: the bug.
    Inline,
    /// Handed to a thread pool, awaited from the task: the fix.
    Offloaded,
}
// ANCHOR_END: scene

impl Blocking {
    /// Both, in the order the scene runs them.
    pub const BOTH: [Blocking; 2] = [Blocking::Inline, Blocking::Offloaded];

    /// A few words for the output.
    pub fn describe(self) -> &'static str {
        match self {
            Blocking::Inline => "blocking call inline",
            Blocking::Offloaded => "blocking call offloaded",
        }
    }
}

/// The blocking call itself: `std::thread::sleep`, standing for a file
/// read, a DNS lookup, a database driver without async support.
pub fn blocking_call(duration: Duration) {
    std::thread::sleep(duration);
}

/// How late each tick of one run fired, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ticks {
    /// Where the blocking call ran.
    pub blocking: Blocking,
    /// Each tick's lateness: the time it fired less the time it was due.
    pub late: Vec<Duration>,
}

impl Ticks {
    /// The latest tick's lateness.
    pub fn worst(&self) -> Duration {
        self.late.iter().copied().max().unwrap_or_default()
    }

    /// One line for the output and the table.
    pub fn summary(&self) -> String {
        format!(
            "{}: worst tick {} ms late",
            self.blocking.describe(),
            self.worst().as_millis()
        )
    }
}

/// Both runs of one runtime, in a few words.
pub fn summary(runs: &[Ticks]) -> String {
    runs.iter()
        .map(Ticks::summary)
        .collect::<Vec<_>>()
        .join("; ")
}

/// The name of the thread running this code.
pub fn thread_name() -> String {
    std::thread::current()
        .name()
        .unwrap_or("unnamed")
        .to_string()
}

/// Every runtime's scene, inline and offloaded: a name and both runs.
pub fn run_every_runtime() -> Vec<(&'static str, Vec<Ticks>)> {
    let tokio = |make: fn() -> std::io::Result<tokio::runtime::Runtime>| {
        Blocking::BOTH.map(|blocking| match make() {
            Ok(runtime) => with_tokio::run_on(&runtime, blocking),
            Err(error) => panic!("could not build a tokio runtime: {error}"),
        })
    };
    vec![
        ("our loop", Blocking::BOTH.map(hand::run).to_vec()),
        (
            "tokio current-thread",
            tokio(with_tokio::current_thread).to_vec(),
        ),
        (
            "tokio multi-thread (2 workers)",
            tokio(with_tokio::multi_thread).to_vec(),
        ),
        (
            "async-std",
            Blocking::BOTH.map(with_async_std::run).to_vec(),
        ),
        ("smol", Blocking::BOTH.map(with_smol::run).to_vec()),
    ]
}

/// The lateness table: each runtime's latest tick, inline and offloaded,
/// and asyncio's from `python/blocking.py` (`python` is its output, one
/// `how ms ms…` line per way).
pub fn lateness_table(
    runs: &[(&str, Vec<Ticks>)],
    python: Option<&[String]>,
) -> String {
    use std::fmt::Write as _;
    let ms = |late: Duration| format!("{} ms", late.as_millis());
    let mut out = String::from(
        "| runtime | worst tick, call inline | worst tick, call offloaded |\n|---|--:|--:|\n",
    );
    for (name, ticks) in runs {
        let worst = |blocking| {
            ticks
                .iter()
                .find(|run| run.blocking == blocking)
                .map_or("-".to_string(), |run| ms(run.worst()))
        };
        let (inline, offloaded) = (worst(Blocking::Inline), worst(Blocking::Offloaded));
        let _ = writeln!(out, "| {name} | {inline} | {offloaded} |");
    }
    if let Some(lines) = python {
        let worst = |how: &str| {
            lines
                .iter()
                .filter_map(|line| line.strip_prefix(how)?.strip_prefix(' '))
                .flat_map(|rest| {
                    rest.split(' ').filter_map(|ms| ms.parse::<u64>().ok())
                })
                .max()
                .map_or("-".to_string(), |late| format!("{late} ms"))
        };
        let (inline, offloaded) = (worst("inline"), worst("to_thread"));
        let _ = writeln!(out, "| asyncio (`to_thread`) | {inline} | {offloaded} |");
    }
    out
}
