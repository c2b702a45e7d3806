//! Chapter 3 on smol, async-std's successor. Here it differs: a `Task` that is
//! dropped cancels its task, where async-std and tokio detach it.

use std::panic::AssertUnwindSafe;
use std::time::Duration;

use futures::FutureExt;
use tracing::info;

use crate::{BROKEN, Connection, Ended, SLOW, SLOW_DELAY, URLS};

// ANCHOR: fetch_all
/// The fetch with smol's timer.
pub async fn fetch(url: &'static str, delay: Duration) -> String {
    info!("fetching {url}");
    smol::Timer::after(delay).await;
    info!("fetched {url}");
    crate::response(url)
}

/// One task per address, on smol's global executor (one thread unless
/// `SMOL_THREADS` says more). Keep every `Task`: dropping one cancels it.
pub async fn fetch_all(delay: Duration) -> Vec<String> {
    info!("starting {} fetches as tasks", URLS.len());
    let tasks = URLS.map(|url| smol::spawn(fetch(url, delay)));
    let mut results = Vec::new();
    for task in tasks {
        results.push(task.await);
    }
    crate::report(&results);
    results
}

/// On `smol::block_on`.
pub fn run_fetch_all(delay: Duration) -> Vec<String> {
    smol::block_on(fetch_all(delay))
}
// ANCHOR_END: fetch_all

// ANCHOR: failures
/// A fetch that panics after `delay`.
pub async fn fetch_broken(url: &'static str, delay: Duration) -> String {
    info!("fetching {url}");
    smol::Timer::after(delay).await;
    panic!("{}", crate::reset_message(url));
}

/// A fetch that holds a connection open while it waits.
pub async fn fetch_slow(url: &'static str, delay: Duration) -> String {
    let _connection = Connection::open(url);
    fetch(url, delay).await
}

/// As on async-std: the panic resumes in the awaiting task, and
/// `cancel().await` gives `None` for a task that had not finished. Dropping
/// the `Task` would cancel it too, without waiting.
pub async fn fail_and_cancel(fail_after: Duration) -> Ended {
    let broken = smol::spawn(fetch_broken(BROKEN, fail_after));
    let slow = smol::spawn(fetch_slow(SLOW, SLOW_DELAY));
    let broken = AssertUnwindSafe(broken).catch_unwind().await;
    let broken = match broken {
        Ok(_) => "Ok(..)".to_string(),
        Err(panic) => {
            let message = crate::panic_message(&*panic);
            info!("{BROKEN} ended: its panic resumed in the awaiting task: {message}");
            "resumed in the awaiting task".to_string()
        }
    };
    info!("cancelling {SLOW}");
    let slow = slow.cancel().await;
    info!("{SLOW} ended: cancel() gave {slow:?}");
    Ended {
        broken,
        slow: format!(
            "cancel() gave {}",
            if slow.is_some() { "Some" } else { "None" }
        ),
    }
}

/// On `smol::block_on`.
pub fn run_fail_and_cancel(fail_after: Duration) -> Ended {
    smol::block_on(fail_and_cancel(fail_after))
}
// ANCHOR_END: failures
