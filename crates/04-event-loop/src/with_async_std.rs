//! Chapter 4 on async-std. Its maintainers have discontinued it and point to
//! smol, on which it is built; it stays here because much existing code and
//! many tutorials use it.
//!
//! async-std has no runtime to build: there is one global executor per
//! process, started the first time anything needs it (the first
//! `task::spawn` or `task::block_on`). It has two parts:
//!
//! - `block_on` runs the future it is given on the calling thread, and only
//!   that future;
//! - every `spawn`ed task goes to a pool of threads, all named
//!   `async-std/runtime`, which the calling thread never helps: the tasks run
//!   there, and may move from one of them to another at any `.await`.
//!
//! Timers and sockets are waited on by async-io's reactor, the same one smol
//! uses (see [`crate::with_smol`]).
//!
//! ## `ASYNC_STD_THREAD_COUNT`
//!
//! How many threads the pool starts. It is read once per process, when the
//! global executor starts, so setting it later changes nothing; set it in the
//! environment before the program runs:
//!
//! ```text
//! ASYNC_STD_THREAD_COUNT=1 cargo run -p event-loop -- --runtime async-std
//! ```
//!
//! Unset, the pool has one thread per logical CPU (what
//! `std::thread::available_parallelism` reports). In the versions this
//! workspace locks (async-std 1.13, async-global-executor 2.4), a value that
//! is not a whole number is ignored and the default applies, and `0` counts
//! as `1`; async-std's own documentation says it panics instead, so do not
//! rely on either. `ASYNC_STD_THREAD_NAME` renames the threads.

use std::time::Duration;

use async_std::task;
use tracing::info;

use crate::{COUNTDOWNS, RanOn, thread_name};

/// What async-std names its pool's threads, unless `ASYNC_STD_THREAD_NAME`
/// says otherwise.
pub const THREAD_NAME: &str = "async-std/runtime";

// ANCHOR: countdown
/// One countdown, with async-std's sleep. Returns the name of the thread
/// that ran each step.
pub async fn countdown(name: &'static str, from: u32, step: Duration) -> Vec<String> {
    let mut threads = Vec::new();
    for n in (1..=from).rev() {
        threads.push(thread_name());
        info!("{name}: {n}");
        task::sleep(step).await;
    }
    threads.push(thread_name());
    info!("{name}: done");
    threads
}

/// Both countdowns started as tasks on the pool, then awaited. A handle
/// resolves to the task's output itself: there is no error to unwrap.
pub async fn countdowns(step: Duration) -> Vec<Vec<String>> {
    let handles =
        COUNTDOWNS.map(|(name, from)| task::spawn(countdown(name, from, step)));
    let mut threads = Vec::new();
    for handle in handles {
        threads.push(handle.await);
    }
    threads
}

/// The scene under `task::block_on`: the calling thread waits while the
/// pool's threads run the countdowns.
pub fn run_countdowns(step: Duration) -> RanOn {
    let threads = task::block_on(countdowns(step));
    RanOn::here(threads)
}
// ANCHOR_END: countdown
