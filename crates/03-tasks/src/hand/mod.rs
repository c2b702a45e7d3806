//! Chapter 3 built by hand, on `std` only.
//!
//! - [`executor`]: the [`Executor`], its run queue, the wakers that put tasks
//!   back on it, and the free functions [`spawn`] and [`block_on`].
//! - [`task`]: a task's two ends: the job that catches its panics, and the
//!   [`JoinHandle`] that resolves to its output or a [`JoinError`].
//! - [`yield_now`]: a future that lets the other tasks run.
//!
//! The fetches sleep with chapter 1's [`sleep`], which wakes the task from a
//! timer thread: the executor's run queue takes wakes from any thread.

pub mod executor;
pub mod task;
pub mod yield_now;

pub use executor::{Executor, block_on, spawn};
pub use task::{JoinError, JoinHandle};
pub use yield_now::{YieldNow, yield_now};

use std::time::Duration;

use coroutines::hand::sleep;
use tracing::info;

use crate::{BROKEN, Connection, Ended, SLOW, SLOW_DELAY, URLS};

// ANCHOR: fetch
/// A simulated fetch: the sleep stands in for the network.
pub async fn fetch(url: &'static str, delay: Duration) -> String {
    info!("fetching {url}");
    sleep(delay).await;
    info!("fetched {url}");
    crate::response(url)
}
// ANCHOR_END: fetch

// ANCHOR: fetch_all
/// Starts one task per address, then collects the results in the order
/// asked: every fetch waits at the same time, so this takes one delay.
pub fn fetch_all(delay: Duration) -> Vec<String> {
    block_on(async move {
        info!("starting {} fetches as tasks", URLS.len());
        let handles = URLS.map(|url| spawn(fetch(url, delay)));
        let mut results = Vec::new();
        for handle in handles {
            results.push(handle.await.expect("these fetches do not panic"));
        }
        crate::report(&results);
        results
    })
}
// ANCHOR_END: fetch_all

// ANCHOR: next_turn
/// A spawned future starts at the executor's next turn, awaited or not; a
/// future that is only created does nothing at all.
pub fn spawned_versus_created(delay: Duration) {
    block_on(async move {
        let spawned = spawn(fetch("api/users", delay));
        let created = fetch("api/posts", delay);
        info!("spawned the fetch of api/users, created the fetch of api/posts");
        yield_now().await;
        info!("one turn later");
        spawned.await.expect("this fetch does not panic");
        drop(created);
        info!("done: the fetch of api/posts never started");
    });
}
// ANCHOR_END: next_turn

// ANCHOR: failures
/// A fetch that panics after `delay`: the server resets the connection.
pub async fn fetch_broken(url: &'static str, delay: Duration) -> String {
    info!("fetching {url}");
    sleep(delay).await;
    panic!("{}", crate::reset_message(url));
}

/// A fetch that holds a connection open while it waits.
pub async fn fetch_slow(url: &'static str, delay: Duration) -> String {
    let _connection = Connection::open(url);
    fetch(url, delay).await
}

/// One fetch panics after `fail_after`; then the slow one, still waiting,
/// is aborted. Both handles report how their task ended. (The slow fetch's
/// timer thread, chapter 1's shortcut, sleeps on after the abort; its late
/// wake finds no task and does nothing.)
pub fn fail_and_cancel(fail_after: Duration) -> Ended {
    block_on(async move {
        let broken = spawn(fetch_broken(BROKEN, fail_after));
        let slow = spawn(fetch_slow(SLOW, SLOW_DELAY));
        let broken = broken.await;
        info!("{BROKEN} ended: {broken:?}");
        info!("aborting {SLOW}");
        slow.abort();
        let slow = slow.await;
        info!("{SLOW} ended: {slow:?}");
        Ended {
            broken: describe(&broken),
            slow: describe(&slow),
        }
    })
}
// ANCHOR_END: failures

/// `Err(Panicked(..))` and the like: the outcome without the details.
fn describe(outcome: &Result<String, JoinError>) -> String {
    match outcome {
        Ok(_) => "Ok(..)".to_string(),
        Err(JoinError::Panicked(_)) => "Err(Panicked(..))".to_string(),
        Err(JoinError::Cancelled) => "Err(Cancelled)".to_string(),
    }
}
