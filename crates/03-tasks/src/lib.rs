//! Chapter 3: tasks. asyncio's `create_task` schedules a coroutine to run in the
//! background and hands back a `Task`; Rust's `spawn` does the same and hands back
//! a join handle. This chapter builds the executor that makes that work.
//!
//! The scene: three simulated fetches of two seconds each, started as tasks and
//! collected in the order asked: about two seconds in all, not six. Then two
//! fetches that go wrong: one panics, and one is cancelled before it finishes.
//!
//! | module | what it shows |
//! |---|---|
//! | [`hand`] | the executor, `spawn`, `JoinHandle`, `JoinError`, `abort`; `std` only |
//! | [`with_tokio`] | `tokio::spawn`, `JoinHandle`, `JoinError` and `abort` |
//! | [`with_async_std`] | `task::spawn` and `cancel` (discontinued: smol succeeds it) |
//! | [`with_smol`] | `smol::spawn`, whose `Task` cancels its task when dropped |
//! | [`send`] | why `tokio::spawn` needs `Send` futures and a local spawn does not |
//!
//! Run it with `cargo run -p tasks` (every runtime in turn), or
//! `cargo run -p tasks -- --runtime tokio` for one. `RUST_LOG=debug` shows every
//! spawn, poll and wake of the hand-rolled executor.
#![forbid(unsafe_code)]

use std::any::Any;
use std::time::Duration;

use tracing::info;

pub mod hand;
pub mod send;
pub mod with_async_std;
pub mod with_smol;
pub mod with_tokio;

// ANCHOR: scene
/// The addresses the scene fetches, in the order it asks for them.
pub const URLS: [&str; 3] = ["api/users", "api/posts", "api/comments"];

/// How long each simulated fetch takes in the demo.
pub const DELAY: Duration = Duration::from_secs(2);

/// What a fetch of `url` answers.
pub fn response(url: &str) -> String {
    format!("{url} 200 OK")
}

/// Logs the results: the scene's last event, on every runtime.
pub fn report(results: &[String]) {
    info!("results in the order asked: {}", results.join(", "));
}
// ANCHOR_END: scene

// ANCHOR: failures
/// The fetch that panics in the demo's second part.
pub const BROKEN: &str = "api/broken";

/// The fetch that is cancelled before it finishes in the demo's second part.
pub const SLOW: &str = "api/slow";

/// How long the broken fetch runs before it panics in the demo; the slow one
/// is cancelled then too.
pub const FAIL_AFTER: Duration = Duration::from_millis(500);

/// How long the slow fetch would take: far longer than anyone waits for it,
/// so it is always still waiting when it is cancelled.
pub const SLOW_DELAY: Duration = Duration::from_secs(60);

/// What the broken fetch panics with, on every runtime.
pub fn reset_message(url: &str) -> String {
    format!("connection to {url} reset")
}

/// What a fetch holds open while it waits. Its destructor logs, so that a
/// cancelled fetch shows that its clean-up ran.
#[derive(Debug)]
pub struct Connection {
    url: &'static str,
}

impl Connection {
    /// Opens (pretends to open) a connection to `url`.
    pub fn open(url: &'static str) -> Connection {
        Connection { url }
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        info!("connection to {} closed", self.url);
    }
}
// ANCHOR_END: failures

/// How the demo's two failing fetches ended, in a few words for the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ended {
    /// What awaiting the fetch that panicked gave.
    pub broken: String,
    /// What cancelling the slow fetch gave.
    pub slow: String,
}

impl Ended {
    /// One line for the comparison table.
    pub fn summary(&self) -> String {
        format!("panic: {}; cancel: {}", self.broken, self.slow)
    }
}

/// The message of a panic, from the value `panic!` unwinds with: a `&str` for
/// a literal message, a `String` for a formatted one.
pub fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(message) = payload.downcast_ref::<&str>() {
        message.to_string()
    } else if let Some(message) = payload.downcast_ref::<String>() {
        message.clone()
    } else {
        "a panic whose value is not a message".to_string()
    }
}
