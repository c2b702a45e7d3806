//! Chapter 8: shared state, locks, semaphores, events and queues. When
//! tasks share state across an `.await`, asyncio says to take a `Lock`;
//! this chapter shows why, builds the lock by hand (with its neighbours
//! `Semaphore`, `Event` and a bounded `Queue`), and holds it against tokio's,
//! async-std's and smol's.
//!
//! The scene: 100 tasks share a counter. Each reads it, awaits a simulated
//! I/O, and writes back what it read plus one. Every task reads before any
//! writes, so 99 updates are lost, on every runtime and in Python. With a
//! lock held from the read to the write, none is.
//!
//! | module | what it shows |
//! |---|---|
//! | [`hand`] | `Mutex` (FIFO, cancel-safe), `Semaphore`, `Event`, bounded `Queue`, on wakers alone |
//! | [`with_tokio`] | `tokio::sync::Mutex`, fair and FIFO |
//! | [`with_async_std`] | `async_std::sync::Mutex`, which is async-lock's (discontinued: smol succeeds it) |
//! | [`with_smol`] | `async_lock::Mutex`: no line, but fair once a waiter starves |
//! | [`std_lock`] | when `std::sync::Mutex` is right, and why its guard must not cross an `.await` |
//!
//! Run it with `cargo run -p locks` (every runtime in turn), or
//! `cargo run -p locks -- --runtime tokio` for one. `RUST_LOG=debug` shows
//! every task's read and write.
#![forbid(unsafe_code)]

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tracing::debug;

pub mod hand;
pub mod std_lock;
pub mod with_async_std;
pub mod with_smol;
pub mod with_tokio;

// ANCHOR: counter
/// How many tasks update the counter in the scene.
pub const TASKS: usize = 100;

/// How long each task's simulated I/O takes in the demo.
pub const IO: Duration = Duration::from_millis(10);

/// How long the simulated I/O takes in each half of the scene: the tasks
/// without a lock, then the tasks under one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Io {
    /// Each task's I/O in the half without a lock.
    pub unlocked: Duration,
    /// Each task's I/O in the half under the lock.
    pub locked: Duration,
}

impl Io {
    /// The same I/O in both halves, as in the demo.
    pub const fn same(io: Duration) -> Io {
        Io {
            unlocked: io,
            locked: io,
        }
    }
}

/// The shared counter, read and written in two steps, as Python's
/// `value = counter.value` … `counter.value = value + 1`. Each step is whole
/// (an atomic, so tasks on other threads may share it too), but nothing
/// stops another task from writing between this task's two.
#[derive(Debug, Default)]
pub struct Counter {
    value: AtomicU64,
}

impl Counter {
    /// The value now; `task` says who reads, for the timeline.
    pub fn read(&self, task: usize) -> u64 {
        let value = self.value.load(Ordering::SeqCst);
        debug!(task, "task {task} reads {value}");
        value
    }

    /// Stores `value`, whatever happened since this task read.
    pub fn write(&self, task: usize, value: u64) {
        debug!(task, "task {task} writes {value}");
        self.value.store(value, Ordering::SeqCst);
    }

    /// The value in the end.
    pub fn value(&self) -> u64 {
        self.value.load(Ordering::SeqCst)
    }
}
// ANCHOR_END: counter

/// What one run of the scene left: the counter's final value without the
/// lock and with it, out of `tasks` increments each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    /// How many tasks incremented, in each half.
    pub tasks: usize,
    /// The counter after the tasks without a lock.
    pub unlocked: u64,
    /// The counter after the tasks under a lock.
    pub locked: u64,
}

impl Tally {
    /// The tally of a run.
    pub fn new(tasks: usize, unlocked: u64, locked: u64) -> Tally {
        Tally {
            tasks,
            unlocked,
            locked,
        }
    }

    /// Updates lost without the lock.
    pub fn lost_unlocked(&self) -> u64 {
        (self.tasks as u64).saturating_sub(self.unlocked)
    }

    /// Updates lost under the lock.
    pub fn lost_locked(&self) -> u64 {
        (self.tasks as u64).saturating_sub(self.locked)
    }

    /// A few words for the comparison table.
    pub fn summary(&self) -> String {
        format!(
            "{} of {} updates lost without a lock, {} with one",
            self.lost_unlocked(),
            self.tasks,
            self.lost_locked()
        )
    }
}
