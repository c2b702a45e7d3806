//! Chapter 4: the event loop. asyncio's loop schedules tasks, runs callbacks,
//! and waits on timers and sockets, all on one thread. This chapter builds
//! one: chapter 3's executor plus a reactor (a timer heap and I/O readiness
//! from the operating system), with asyncio's API on top, a debug mode that
//! names slow tasks, and virtual time for tests. Chapters 5 to 9 run on it.
//!
//! The scene: two countdowns, one from 5 and one from 3, stepping once a
//! second and interleaved, under a loop driven by hand.
//!
//! | module | what it shows |
//! |---|---|
//! | [`hand`] | the event loop: executor, timers, reactor, TCP, debug mode; `std` and `polling` |
//! | [`with_tokio`] | tokio's current-thread and multi-thread runtimes, built by hand |
//! | [`with_async_std`] | async-std's global executor (discontinued: smol succeeds it) |
//! | [`with_smol`] | smol's local executor under `block_on`, and async-io's reactor |
//!
//! Run it with `cargo run -p event-loop` (every runtime in turn), or
//! `cargo run -p event-loop -- --runtime tokio` for one.

use std::time::Duration;

pub mod hand;
pub mod with_async_std;
pub mod with_smol;
pub mod with_tokio;

// ANCHOR: scene
/// The two countdowns: a name and the number each counts down from.
pub const COUNTDOWNS: [(&str, u32); 2] = [("A", 5), ("B", 3)];

/// How long each countdown waits between steps in the demo.
pub const STEP: Duration = Duration::from_secs(1);
// ANCHOR_END: scene
