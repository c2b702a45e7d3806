//! Chapter 4 built by hand: an event loop on `std` and `polling`.
//!
//! - [`executor`]: the loop's core and its turn: one ready queue of tasks
//!   and callbacks, timers moved into it when due, the wait for I/O.
//! - [`task`]: a task in one allocation, its [`JoinHandle`], [`AbortHandle`]
//!   and [`JoinError`].
//! - [`time`]: the loop's clock (real or virtual), the timer heap, [`sleep`].
//! - [`reactor`]: sockets registered with the system's poller.
//! - [`net`]: [`TcpListener`] and [`TcpStream`].
//! - [`event_loop`]: asyncio's API ([`EventLoop`], [`Handle`]) and Rust's
//!   ([`block_on`], [`spawn`]).
//! - [`remote`]: the way in from other threads ([`RemoteHandle`]).
//! - [`introspect`]: asyncio's `all_tasks()` ([`TaskInfo`]).
//!
//! Smaller parts: `current` (which loop runs on this thread), `callback`
//! (the callback table, [`Callback`]), `contain` (catching the user's
//! panics), `slab` (the tables' storage).

mod callback;
mod contain;
mod current;
pub mod event_loop;
pub mod executor;
pub mod introspect;
pub mod net;
pub mod reactor;
pub mod remote;
mod slab;
pub mod task;
pub mod time;

pub use callback::Callback;
pub use event_loop::{
    Builder, Closed, DEBUG_ENV, EventLoop, Handle, SHUTDOWN_GRACE, SLOW_POLL, block_on,
    handle, spawn, spawn_named,
};
pub use introspect::{TaskInfo, TaskState, task_table};
pub use net::{OwnedReadHalf, OwnedWriteHalf, TcpListener, TcpStream};
pub use reactor::ReactorStats;
pub use remote::{ClockHold, RemoteHandle, RemoteJoinHandle};
pub use task::{AbortHandle, JoinError, JoinHandle, TaskId};
pub use tasks::hand::{YieldNow, yield_now};
pub use time::{FAR_FUTURE, Sleep, blocking_sleep, now, sleep, sleep_until};

use std::mem::size_of;
use std::time::Duration;

use tracing::info;

use crate::COUNTDOWNS;

/// The sizes of the loop's own parts, as `std::mem::size_of` gives them in
/// this build: what the benchmark report's tables say each part of a task
/// costs. For the report, not to build on.
#[doc(hidden)]
pub fn part_sizes() -> Vec<(&'static str, usize)> {
    let (task_entry, ready_entry) = executor::entry_sizes();
    vec![
        (
            "task header (its `Arc` adds 16 B of counts)",
            size_of::<task::Header>(),
        ),
        (
            "task cell around a `()` future (its `Rc` adds 16 B)",
            size_of::<task::TaskCell<std::future::Ready<()>>>(),
        ),
        ("task table entry", task_entry),
        ("ready queue entry", ready_entry),
        (
            "timer key and action",
            size_of::<(time::TimerKey, time::Action)>(),
        ),
    ]
}

// ANCHOR: countdown
/// Counts down from `from`, one step every `step`.
pub async fn countdown(name: &'static str, from: u32, step: Duration) {
    for n in (1..=from).rev() {
        info!("{name}: {n}");
        sleep(step).await;
    }
    info!("{name}: done");
}
// ANCHOR_END: countdown

// ANCHOR: by_hand
/// The scene: both countdowns as tasks on a loop driven by hand, as an
/// asyncio tutorial drives `new_event_loop()`.
pub fn run_countdowns(step: Duration) {
    run_countdowns_on(&EventLoop::new(), step);
}

/// The scene on a loop of the caller's (a virtual-time one, in tests).
/// Returns how long it took on the loop's clock.
pub fn run_countdowns_on(event_loop: &EventLoop, step: Duration) -> Duration {
    let started = event_loop.time();
    let tasks = COUNTDOWNS
        .map(|(name, from)| event_loop.create_task(countdown(name, from, step)));
    event_loop.run_until_complete(async {
        for task in tasks {
            task.await.expect("a countdown does not panic");
        }
    });
    event_loop.time() - started
}
// ANCHOR_END: by_hand

// ANCHOR: blocking
/// Debug mode catching a blocking call: a countdown shares the loop with a
/// task that calls `std::thread::sleep`, which blocks the whole thread. The
/// countdown's next step comes late, and debug mode names the culprit.
pub fn run_with_a_blocking_task(step: Duration) {
    let event_loop = EventLoop::builder()
        .debug(true)
        .build()
        .expect("the system's poller");
    run_with_a_blocking_call(&event_loop, step, std::thread::sleep);
}

/// The scene on a loop of the caller's, with `block` for the blocking call:
/// `std::thread::sleep` in the demo, [`blocking_sleep`] on virtual time.
pub fn run_with_a_blocking_call(
    event_loop: &EventLoop,
    step: Duration,
    block: fn(Duration),
) {
    let countdown = event_loop.create_task_named("countdown", countdown("A", 3, step));
    let blocker = event_loop.create_task_named("blocker", async move {
        sleep(step / 2).await;
        info!("blocker: calling std::thread::sleep, which blocks the thread");
        block(step * 3 / 2); // the bug: a blocking call, not `sleep(..).await`
        info!("blocker: done blocking");
    });
    event_loop.run_until_complete(async {
        blocker.await.expect("the blocker does not panic");
        countdown.await.expect("a countdown does not panic");
    });
}
// ANCHOR_END: blocking
