//! Chapter 3 on tokio: `tokio::spawn`, `JoinHandle`, `JoinError` and `abort`.

use std::time::Duration;

use tokio::task::{JoinError, JoinHandle};
use tracing::info;

use crate::{BROKEN, Connection, Ended, SLOW, SLOW_DELAY, URLS};

// ANCHOR: fetch_all
/// The fetch: only the sleep differs from the hand-rolled one.
pub async fn fetch(url: &'static str, delay: Duration) -> String {
    info!("fetching {url}");
    tokio::time::sleep(delay).await;
    info!("fetched {url}");
    crate::response(url)
}

/// One task per address, collected in the order asked. On a multi-threaded
/// runtime a spawned task may start at once on another worker thread, before
/// `spawn` has even returned.
pub async fn fetch_all(delay: Duration) -> Vec<String> {
    info!("starting {} fetches as tasks", URLS.len());
    let handles: Vec<JoinHandle<String>> = URLS
        .iter()
        .map(|&url| tokio::spawn(fetch(url, delay)))
        .collect();
    let mut results = Vec::new();
    for handle in handles {
        // `Err(JoinError)` if the task panicked or was aborted.
        results.push(handle.await.expect("these fetches do not panic"));
    }
    crate::report(&results);
    results
}

/// On `#[tokio::main]`'s multi-threaded runtime.
#[tokio::main]
pub async fn run_fetch_all(delay: Duration) -> Vec<String> {
    fetch_all(delay).await
}
// ANCHOR_END: fetch_all

// ANCHOR: failures
/// A fetch that panics after `delay`.
pub async fn fetch_broken(url: &'static str, delay: Duration) -> String {
    info!("fetching {url}");
    tokio::time::sleep(delay).await;
    panic!("{}", crate::reset_message(url));
}

/// A fetch that holds a connection open while it waits.
pub async fn fetch_slow(url: &'static str, delay: Duration) -> String {
    let _connection = Connection::open(url);
    fetch(url, delay).await
}

/// The panic comes back as a `JoinError` that `is_panic`; `abort` makes the
/// handle resolve to one that `is_cancelled`.
pub async fn fail_and_cancel(fail_after: Duration) -> Ended {
    let broken = tokio::spawn(fetch_broken(BROKEN, fail_after));
    let slow = tokio::spawn(fetch_slow(SLOW, SLOW_DELAY));
    let broken = match broken.await {
        Err(error) if error.is_panic() => {
            // The panic's value itself: the joiner could resume it.
            let message = crate::panic_message(&*error.into_panic());
            info!("{BROKEN} ended: Err(JoinError), is_panic(): {message}");
            "Err(JoinError), is_panic()"
        }
        other => unexpected(BROKEN, other),
    };
    info!("aborting {SLOW}");
    slow.abort();
    let slow = match slow.await {
        Err(error) if error.is_cancelled() => {
            info!("{SLOW} ended: Err(JoinError), is_cancelled()");
            "Err(JoinError), is_cancelled()"
        }
        other => unexpected(SLOW, other),
    };
    Ended {
        broken: broken.to_string(),
        slow: slow.to_string(),
    }
}

/// On `#[tokio::main]`'s multi-threaded runtime.
#[tokio::main]
pub async fn run_fail_and_cancel(fail_after: Duration) -> Ended {
    fail_and_cancel(fail_after).await
}
// ANCHOR_END: failures

/// Not what this scene expects; said plainly rather than hidden.
fn unexpected(url: &str, outcome: Result<String, JoinError>) -> &'static str {
    info!("{url} ended unexpectedly: {outcome:?}");
    "unexpected"
}
