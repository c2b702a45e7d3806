//! Chapter 5 on async-std: `Future::join`, `try_join`, `race` and
//! `future::timeout`. async-std is discontinued; its maintainers point to
//! smol.

use std::time::Duration;

use async_std::prelude::FutureExt as _; // join, try_join, race (unstable)
use async_std::task::sleep;
use tracing::info;

use crate::{FETCHES, FetchError, Shown, fetch, report, with_broken};

/// The fetch with async-std's sleep.
pub async fn fetch_in(
    url: &'static str,
    steps: u32,
    step: Duration,
) -> Result<String, FetchError> {
    fetch(url, sleep(step * steps)).await
}

// ANCHOR: fetch_all
/// `join` pairs two futures; three nest.
pub async fn fetch_all(step: Duration) -> Vec<String> {
    let [(a, x), (b, y), (c, z)] = FETCHES;
    let ((a, b), c) = fetch_in(a, x, step)
        .join(fetch_in(b, y, step))
        .join(fetch_in(c, z, step))
        .await;
    let results: Result<Vec<String>, FetchError> = [a, b, c].into_iter().collect();
    let results = results.expect("these fetches do not fail");
    report(&results);
    results
}

/// `race`: the first to finish; the loser is dropped with the race.
pub async fn first_back(step: Duration) -> String {
    let [(a, x), (b, y), (c, z)] = FETCHES;
    let (first, response) = async { (a, fetch_in(a, x, step).await) }
        .race(async { (b, fetch_in(b, y, step).await) })
        .race(async { (c, fetch_in(c, z, step).await) })
        .await;
    info!(
        "first back: {}",
        response.expect("these fetches do not fail")
    );
    first.to_string()
}
// ANCHOR_END: fetch_all

/// `try_join` (the first error) and `join` of results (every outcome).
pub async fn failures(step: Duration) -> String {
    let [(a, x), (b, y), (c, z)] = with_broken();
    info!("-- try_join: the first error, the rest dropped --");
    let first_error = fetch_in(a, x, step)
        .try_join(fetch_in(b, y, step))
        .try_join(fetch_in(c, z, step))
        .await
        .expect_err("one fails");
    info!("-- join of results: every outcome --");
    let ((a, b), c) = fetch_in(a, x, step)
        .join(fetch_in(b, y, step))
        .join(fetch_in(c, z, step))
        .await;
    let failed = [a.is_err(), b.is_err(), c.is_err()];
    let failed = failed.into_iter().filter(|failed| *failed).count();
    format!("try_join: {first_error}; join: {failed} of 3 failed; no task group")
}

// ANCHOR: timeout
/// `future::timeout`: the work, or `TimeoutError` once `limit` has passed;
/// then the work is dropped where it was.
pub async fn fetch_within(
    limit: Duration,
    step: Duration,
) -> Result<String, &'static str> {
    let (url, steps) = FETCHES[0];
    match async_std::future::timeout(limit, fetch_in(url, steps, step)).await {
        Ok(result) => Ok(result.expect("this fetch does not fail")),
        Err(_timed_out) => Err("timed out"),
    }
}
// ANCHOR_END: timeout

/// The scene on async-std's global executor.
pub fn run_scene(step: Duration) -> Shown {
    async_std::task::block_on(async {
        Shown {
            in_order: fetch_all(step).await,
            first: first_back(step).await,
            failure: failures(step).await,
        }
    })
}
