//! Chapter 5 on async-std: `Future::join`, `try_join`, `race` and
//! `future::timeout`. async-std is discontinued; its maintainers point to
//! smol.

use async_std::prelude::FutureExt as _; // join, try_join, race (unstable)
use async_std::task::sleep;
use tracing::info;

use crate::{FETCHES, FetchError, STEP, Shown, fetch, report, with_broken};

/// The fetch with async-std's sleep.
pub async fn fetch_in(url: &'static str, steps: u32) -> Result<String, FetchError> {
    fetch(url, sleep(STEP * steps)).await
}

// ANCHOR: fetch_all
/// `join` pairs two futures; three nest.
pub async fn fetch_all() -> Vec<String> {
    let [(a, x), (b, y), (c, z)] = FETCHES;
    let ((a, b), c) = fetch_in(a, x)
        .join(fetch_in(b, y))
        .join(fetch_in(c, z))
        .await;
    let results: Result<Vec<String>, FetchError> = [a, b, c].into_iter().collect();
    let results = results.expect("these fetches do not fail");
    report(&results);
    results
}

/// `race`: the first to finish; the loser is dropped with the race.
pub async fn first_back() -> String {
    let [(a, x), (b, y), (c, z)] = FETCHES;
    let first = async { fetch_in(a, x).await.map(|_| a) }
        .race(async { fetch_in(b, y).await.map(|_| b) })
        .race(async { fetch_in(c, z).await.map(|_| c) })
        .await
        .expect("these fetches do not fail");
    info!("first back: {first}");
    first.to_string()
}
// ANCHOR_END: fetch_all

/// `try_join` (the first error) and `join` of results (every outcome).
pub async fn failures() -> String {
    let [(a, x), (b, y), (c, z)] = with_broken();
    info!("-- try_join: the first error, the rest dropped --");
    let first_error = fetch_in(a, x)
        .try_join(fetch_in(b, y))
        .try_join(fetch_in(c, z))
        .await
        .expect_err("one fails");
    info!("-- join of results: every outcome --");
    let ((a, b), c) = fetch_in(a, x)
        .join(fetch_in(b, y))
        .join(fetch_in(c, z))
        .await;
    let failed = [a.is_err(), b.is_err(), c.is_err()];
    let failed = failed.into_iter().filter(|failed| *failed).count();
    format!("try_join: {first_error}; join: {failed} of 3 failed; no task group")
}

/// The scene on async-std's global executor.
pub fn run_scene() -> Shown {
    async_std::task::block_on(async {
        Shown {
            in_order: fetch_all().await,
            first: first_back().await,
            failure: failures().await,
        }
    })
}
