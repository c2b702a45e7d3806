//! Chapter 4 on tokio: the runtime built by hand with `tokio::runtime::Builder`,
//! in both of its flavours.
//!
//! A tokio runtime is an event loop: a scheduler that runs tasks, plus drivers
//! that wait on timers and sockets (the reactor). `enable_all` switches both
//! drivers on; without the timer driver, `tokio::time::sleep` panics, since
//! nothing would ever wake it. `#[tokio::main]` builds one for you
//! (multi-thread unless told `flavor = "current_thread"`); here each choice
//! is written out.
//!
//! - **current-thread**: the thread that calls `block_on` runs every task,
//!   and only while it is inside `block_on`. This is asyncio's model.
//! - **multi-thread**: a pool of worker threads runs the tasks, and a task
//!   may move to another worker at any `.await`.
//!
//! The countdowns note the thread behind each step, so the demo's table and
//! the tests show where they ran rather than claim it.

use std::io;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tracing::info;

use crate::{COUNTDOWNS, RanOn, thread_name};

// ANCHOR: countdown
/// One countdown: says each number, then sleeps a step; says done at the end.
/// Returns the name of the thread that ran each step, since that is what
/// differs between the two flavours.
pub async fn countdown(name: &'static str, from: u32, step: Duration) -> Vec<String> {
    let mut threads = Vec::new();
    for n in (1..=from).rev() {
        threads.push(thread_name());
        info!("{name}: {n}");
        // Here the task gives its thread back. On the multi-thread
        // runtime, it may resume on another worker.
        tokio::time::sleep(step).await;
    }
    threads.push(thread_name());
    info!("{name}: done");
    threads
}

/// Both countdowns started as tasks, then awaited. Like `create_task`,
/// `tokio::spawn` schedules each task at once: neither waits for its handle
/// to be awaited before it starts.
pub async fn countdowns(step: Duration) -> Vec<Vec<String>> {
    let handles =
        COUNTDOWNS.map(|(name, from)| tokio::spawn(countdown(name, from, step)));
    let mut threads = Vec::new();
    for handle in handles {
        threads.push(handle.await.expect("a countdown never panics"));
    }
    threads
}
// ANCHOR_END: countdown

// ANCHOR: current_thread
/// The scene on a current-thread runtime built by hand. The thread that calls
/// this runs everything: the countdowns, their timers, and the waiting
/// between them. Its `thread_name` names only the threads of the runtime's
/// blocking pool (`spawn_blocking`), which this scene never starts.
///
/// Building a runtime asks the operating system for a timer and an I/O
/// driver, so it can fail: the error is returned, not unwrapped.
pub fn run_countdowns_current_thread(step: Duration) -> io::Result<RanOn> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .thread_name("tokio-blocking")
        .build()?;
    let threads = runtime.block_on(countdowns(step));
    Ok(RanOn::here(threads))
}
// ANCHOR_END: current_thread

/// How many worker threads the multi-thread runtime starts here. tokio's
/// default is one per CPU core.
pub const WORKERS: usize = 2;

/// The multi-thread runtime's workers are named `tokio-worker-1`,
/// `tokio-worker-2`…: this prefix and a number. (tokio's default names every
/// worker `tokio-rt-worker`, which would hide moves between them.)
pub const WORKER_PREFIX: &str = "tokio-worker-";

// ANCHOR: multi_thread
/// The scene on a multi-thread runtime built by hand, with [`WORKERS`] worker
/// threads. `block_on` still runs its own future (here, [`countdowns`], which
/// spawns and awaits) on the calling thread; the spawned countdowns run on
/// the workers. A worker that runs out of tasks steals from another, so a
/// countdown may wake on a different worker after any `.await`.
pub fn run_countdowns_multi_thread(step: Duration) -> io::Result<RanOn> {
    let next = AtomicUsize::new(1);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(WORKERS)
        .thread_name_fn(move || {
            let number = next.fetch_add(1, Ordering::Relaxed);
            format!("{WORKER_PREFIX}{number}")
        })
        .enable_all()
        .build()?;
    let threads = runtime.block_on(countdowns(step));
    Ok(RanOn::here(threads))
}
// ANCHOR_END: multi_thread
