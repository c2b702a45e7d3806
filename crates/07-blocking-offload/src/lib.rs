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
