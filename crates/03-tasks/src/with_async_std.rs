//! Chapter 3 on async-std. Its maintainers have discontinued it and point to
//! smol; it stays here because much existing code and many tutorials use it.

use std::panic::AssertUnwindSafe;
use std::time::Duration;

use async_std::task;
use futures::FutureExt;
use tracing::info;

use crate::{BROKEN, Connection, Ended, SLOW, SLOW_DELAY, URLS};

// ANCHOR: fetch_all
/// The fetch with async-std's sleep.
pub async fn fetch(url: &'static str, delay: Duration) -> String {
    info!("fetching {url}");
    task::sleep(delay).await;
    info!("fetched {url}");
    crate::response(url)
}

/// One task per address, on async-std's thread pool. A handle resolves to
/// the output itself: there is no error to unwrap.
pub async fn fetch_all(delay: Duration) -> Vec<String> {
    info!("starting {} fetches as tasks", URLS.len());
    let handles = URLS.map(|url| task::spawn(fetch(url, delay)));
    let mut results = Vec::new();
    for handle in handles {
        results.push(handle.await);
    }
    crate::report(&results);
    results
}

/// On `task::block_on`.
pub fn run_fetch_all(delay: Duration) -> Vec<String> {
    task::block_on(fetch_all(delay))
}
// ANCHOR_END: fetch_all

// ANCHOR: failures
/// A fetch that panics after `delay`.
pub async fn fetch_broken(url: &'static str, delay: Duration) -> String {
    info!("fetching {url}");
    task::sleep(delay).await;
    panic!("{}", crate::reset_message(url));
}

/// A fetch that holds a connection open while it waits.
pub async fn fetch_slow(url: &'static str, delay: Duration) -> String {
    let _connection = Connection::open(url);
    fetch(url, delay).await
}

/// The panic resumes in whoever awaits the handle: caught here, to look at
/// it. `cancel().await` gives `None` for a task that had not finished.
pub async fn fail_and_cancel(fail_after: Duration) -> Ended {
    let broken = task::spawn(fetch_broken(BROKEN, fail_after));
    let slow = task::spawn(fetch_slow(SLOW, SLOW_DELAY));
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

/// On `task::block_on`.
pub fn run_fail_and_cancel(fail_after: Duration) -> Ended {
    task::block_on(fail_and_cancel(fail_after))
}
// ANCHOR_END: failures
