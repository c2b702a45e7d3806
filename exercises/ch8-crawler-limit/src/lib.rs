//! Chapter 8 exercise: cap a crawler's concurrency with a semaphore.
//!
//! `crawl` fetches every page as a tokio task of its own, all at once. A
//! real server would not thank us for a thousand requests in the same
//! instant; asyncio code caps them with `async with semaphore:`. Do the same
//! with chapter 8's `Semaphore`: at most `limit` fetches in flight, the
//! others waiting for a permit, and the pages still returned in the order
//! asked.
//!
//! Check your work with `cargo test -p ch8-crawler-limit`.
#![forbid(unsafe_code)]

use std::num::NonZeroUsize;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

// The semaphore to use (chapter 8's):
#[allow(unused_imports)]
use locks::hand::Semaphore;

/// How long each simulated fetch takes.
pub const FETCH: Duration = Duration::from_millis(100);

/// Counts the fetches in flight, and the most there ever were at once.
#[derive(Debug, Default)]
pub struct InFlight {
    now: AtomicUsize,
    most: AtomicUsize,
}

impl InFlight {
    /// The most fetches that were in flight at once.
    pub fn most(&self) -> usize {
        self.most.load(Ordering::SeqCst)
    }

    /// One more fetch in flight, until the returned guard is dropped.
    fn enter(&self) -> Leave<'_> {
        let now = self.now.fetch_add(1, Ordering::SeqCst) + 1;
        self.most.fetch_max(now, Ordering::SeqCst);
        Leave(self)
    }
}

struct Leave<'a>(&'a InFlight);

impl Drop for Leave<'_> {
    fn drop(&mut self) {
        self.0.now.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A simulated fetch of `url`: counted in flight while it waits.
pub async fn fetch(url: String, in_flight: Arc<InFlight>) -> String {
    let _counted = in_flight.enter();
    tokio::time::sleep(FETCH).await;
    format!("{url}: 200 OK")
}

/// Fetches every page, at most `limit` at once, as tokio tasks; the pages
/// come back in the order asked.
pub async fn crawl(
    urls: Vec<String>,
    limit: NonZeroUsize,
    in_flight: Arc<InFlight>,
) -> Vec<String> {
    // TODO: make one `Semaphore` of `limit` permits for the whole crawl, in
    // an `Arc` so that every task can hold it.
    let _ = limit;
    let tasks: Vec<_> = urls
        .into_iter()
        .map(|url| {
            let in_flight = Arc::clone(&in_flight);
            tokio::spawn(async move {
                // TODO: wait for a permit, and hold it while the page is
                // fetched.
                fetch(url, in_flight).await
            })
        })
        .collect();
    let mut pages = Vec::new();
    for task in tasks {
        pages.push(task.await.expect("a fetch does not panic"));
    }
    pages
}
