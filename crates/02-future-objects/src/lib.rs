//! Chapter 2: future objects. asyncio's `Future` is an object that someone
//! completes later with `set_result`, `set_exception` or `cancel`; Rust's
//! `Future` is a trait that an executor polls. A promise pair bridges the two.
//!
//! The scene: a worker thread computes the answer, which takes a while; the task
//! that asked for it ticks meanwhile, and stops when the answer arrives. Then a
//! worker that gives up: it drops its end of the promise, and the waiting task
//! hears "cancelled" instead of waiting forever.
//!
//! | module | what it shows |
//! |---|---|
//! | [`hand`] | the promise pair, the waker contract and the bug that breaks it, two wakers (raw vtable and `Wake`), a future that waits while ticking; `std` only |
//! | [`with_tokio`] | the same with `tokio::sync::oneshot` and `tokio::select!` |
//! | [`with_async_std`] | the same with `futures::channel::oneshot`, and async-std's channel (async-std is discontinued: its maintainers point to smol) |
//! | [`with_smol`] | the same with `futures::channel::oneshot` and `smol::future::or` |
//! | [`worker`] | the worker thread every runtime's scene uses |
//! | [`testing`] | a [`Poller`](testing::Poller) that polls a future by hand and counts polls and wakes |
//!
//! Run it with `cargo run -p future-objects` (every runtime in turn), or
//! `cargo run -p future-objects -- --runtime tokio` for one. `RUST_LOG=debug`
//! shows every poll and wake.
// Only `hand::wakers` needs `unsafe`, for the raw waker; it says so itself.
#![deny(unsafe_code)]

use std::fmt::Display;
use std::time::Duration;

use tracing::info;

pub mod hand;
pub mod testing;
pub mod with_async_std;
pub mod with_smol;
pub mod with_tokio;
pub mod worker;

// ANCHOR: scene
/// What the worker computes.
pub const ANSWER: u64 = 42;

/// How long the worker computes in the demo.
pub const WORK: Duration = Duration::from_secs(1);

/// How often the waiting task ticks in the demo: three ticks, then the answer.
pub const TICK: Duration = Duration::from_millis(300);

/// How long the worker in the demo's second part works before it gives up.
pub const GIVE_UP: Duration = Duration::from_millis(500);
// ANCHOR_END: scene

/// What the waiting task ended with: the answer or the error that came
/// instead, and how often it ticked while it waited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waited<E> {
    /// The answer, or why there is none.
    pub answer: Result<u64, E>,
    /// How many ticks the task made while it waited.
    pub ticks: u32,
}

impl<E: Display> Waited<E> {
    /// Logs the outcome: the waiting task's last event in the scene.
    pub fn report(&self) {
        match &self.answer {
            Ok(answer) => info!("got the answer: {answer}"),
            Err(error) => info!("no answer: {error}"),
        }
    }

    /// The outcome in a few words, for the demo's comparison table.
    pub fn describe(&self) -> String {
        match &self.answer {
            Ok(answer) => format!("{answer} after {} ticks", self.ticks),
            Err(error) => format!("\"{error}\""),
        }
    }
}
