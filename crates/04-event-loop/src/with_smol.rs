//! Chapter 4 on smol, async-std's successor: the closest of the three to
//! asyncio's loop driven by hand. A `LocalExecutor` is a run queue of tasks
//! that stay on one thread; `smol::block_on` drives it on the calling thread,
//! so both countdowns run there, as they would under `run_until_complete`.
//!
//! ## async-io's reactor
//!
//! smol's timers and sockets belong to a separate crate, async-io, which keeps
//! one reactor per process: a table of timers plus the operating system's
//! readiness queue (epoll, kqueue…). Two kinds of thread drive it:
//!
//! - `block_on` itself. When the future it runs cannot go on, it takes the
//!   reactor if no other thread holds it, and waits there until the next
//!   timer is due or a socket is ready, which is what an event loop does
//!   between turns. If another thread holds the reactor, it sleeps until its
//!   waker is called instead.
//! - a helper thread named `async-io`, started the first time anything uses
//!   the reactor or calls `block_on`. It drives the reactor when no `block_on` is
//!   doing so, so that timers still fire for code that never calls
//!   `block_on`. While some `block_on` is running it mostly stays out of the
//!   way, checking back less and less often.
//!
//! In this scene the calling thread does it all: it polls the countdowns,
//! waits on the reactor for the next timer, and wakes them.

use std::time::Duration;

use smol::{LocalExecutor, Timer};
use tracing::info;

use crate::{COUNTDOWNS, RanOn, thread_name};

// ANCHOR: countdown
/// One countdown, with smol's timer. Returns the name of the thread that ran
/// each step.
pub async fn countdown(name: &'static str, from: u32, step: Duration) -> Vec<String> {
    let mut threads = Vec::new();
    for n in (1..=from).rev() {
        threads.push(thread_name());
        info!("{name}: {n}");
        Timer::after(step).await;
    }
    threads.push(thread_name());
    info!("{name}: done");
    threads
}

/// Both countdowns started as tasks on `executor`, then awaited. Keep every
/// `Task`: dropping one cancels its task.
pub async fn countdowns(
    executor: &LocalExecutor<'_>,
    step: Duration,
) -> Vec<Vec<String>> {
    let tasks =
        COUNTDOWNS.map(|(name, from)| executor.spawn(countdown(name, from, step)));
    let mut threads = Vec::new();
    for task in tasks {
        threads.push(task.await);
    }
    threads
}

/// The scene on a local executor that `block_on` drives on the calling
/// thread. `executor.run(…)` runs the executor's tasks until the future
/// given to it finishes.
pub fn run_countdowns(step: Duration) -> RanOn {
    let executor = LocalExecutor::new();
    let threads = smol::block_on(executor.run(countdowns(&executor, step)));
    RanOn::here(threads)
}
// ANCHOR_END: countdown
