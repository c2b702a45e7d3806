//! Chapter 5: gather and wait, task groups, timeouts, and what cancellation
//! costs.
//!
//! asyncio waits on many things at once in several ways: `gather`, `wait`
//! with its three return modes, `wait_for` and `timeout`, `as_completed`
//! and `TaskGroup`. This chapter builds each by hand as a plain future on
//! chapter 4's loop, holds it against tokio, async-std and smol, and then
//! measures what cancellation costs with a lab that drops a future after
//! every possible number of polls.
//!
//! The scene: three simulated fetches at once, collected in the order
//! asked; then the first one back wins and the others are cancelled; then
//! one fetch fails, met by a gather, a gather that returns its errors, and a
//! task group.
//!
//! | module | what it shows |
//! |---|---|
//! | [`hand`] | `join_all`, `try_join_all`, `gather`, `select`, `wait`, `timeout`, `as_completed`, `TaskGroup` |
//! | [`with_tokio`] | `join!`, `try_join!`, `select!`, `JoinSet`, `time::timeout`, `FuturesUnordered` |
//! | [`with_async_std`] | `Future::join`, `try_join`, `race`, `future::timeout` (discontinued: smol succeeds it) |
//! | [`with_smol`] | futures-lite's `zip`, `try_zip`, `or`, `race` |
//! | [`lab`] | the cancellation-safety lab: drop after every poll, check an invariant |
//! | [`cases`] | the lab's cases: the operations of the book's table, each with its invariant |
//! | [`lines`] | line readers that lose data when cancelled, and one that does not |
//! | [`channel`] | a small hand-rolled channel whose `recv` is cancel-safe |
//!
//! Run it with `cargo run -p gather-wait` (every runtime in turn), or
//! `cargo run -p gather-wait -- --runtime tokio` for one.
#![forbid(unsafe_code)]

use std::fmt;
use std::future::Future;
use std::time::Duration;

use tracing::info;

pub mod cases;
pub mod channel;
pub mod hand;
pub mod lab;
pub mod lines;
pub mod with_async_std;
pub mod with_smol;
pub mod with_tokio;

// ANCHOR: scene
/// The fetches of the scene, in the order asked, each with how many
/// [`STEP`]s it takes: the second is the first back.
pub const FETCHES: [(&str, u32); 3] =
    [("api/users", 3), ("api/posts", 1), ("api/comments", 2)];

/// The fetch that fails, and after how many [`STEP`]s.
pub const BROKEN: (&str, u32) = ("api/broken", 1);

/// The scene's unit of delay in the demo.
pub const STEP: Duration = Duration::from_millis(100);

/// How a fetch fails.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchError {
    /// The address that failed.
    pub url: &'static str,
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "connection to {} reset", self.url)
    }
}

impl std::error::Error for FetchError {}

/// A simulated fetch: opens a [`Connection`], waits on `delay` (a
/// runtime's sleep), answers `"URL 200 OK"`, or fails if `url` is the
/// broken one. The same on every runtime: only the sleep differs.
pub async fn fetch(
    url: &'static str,
    delay: impl Future<Output = ()>,
) -> Result<String, FetchError> {
    let mut connection = Connection::open(url);
    info!("fetching {url}");
    delay.await;
    connection.done = true;
    if url == BROKEN.0 {
        info!("{url} failed");
        return Err(FetchError { url });
    }
    info!("fetched {url}");
    Ok(format!("{url} 200 OK"))
}

/// What a fetch holds while it waits. Dropped before the fetch is done, it
/// says so: that is what cancelling a future looks like from inside.
#[derive(Debug)]
pub struct Connection {
    url: &'static str,
    done: bool,
}

impl Connection {
    /// Opens (pretends to open) a connection to `url`.
    pub fn open(url: &'static str) -> Connection {
        Connection { url, done: false }
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        if !self.done {
            // Dropped is how a Rust future is cancelled.
            info!("{}: cancelled while waiting", self.url);
        }
    }
}
// ANCHOR_END: scene

/// The addresses to fetch for the failure part: the first two of
/// [`FETCHES`] and the broken one between them.
pub fn with_broken() -> [(&'static str, u32); 3] {
    [FETCHES[0], BROKEN, FETCHES[2]]
}

/// What one runtime's run of the scene showed, for the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    /// The gathered results, in the order asked.
    pub in_order: Vec<String>,
    /// The address of the first fetch back.
    pub first: String,
    /// What the failure part gave, in a few words.
    pub failure: String,
}

impl Shown {
    /// One line for the comparison table.
    pub fn summary(&self) -> String {
        let short: Vec<&str> = self
            .in_order
            .iter()
            .map(|result| result.trim_end_matches(" 200 OK"))
            .collect();
        format!(
            "in order: {}; first back: {}; {}",
            short.join(", "),
            self.first,
            self.failure
        )
    }
}

/// Logs the gathered results, on every runtime.
pub fn report(results: &[String]) {
    info!("results in the order asked: {}", results.join(", "));
}
