//! Chapter 5 on smol: futures-lite's `zip`, `try_zip`, `or` and `race`,
//! with async-io's `Timer` as the sleep.

use futures_lite::future::{or, try_zip, zip};
use smol::Timer;
use tracing::info;

use crate::{FETCHES, FetchError, STEP, Shown, fetch, report, with_broken};

/// The fetch with a smol timer.
pub async fn fetch_in(url: &'static str, steps: u32) -> Result<String, FetchError> {
    fetch(url, async {
        Timer::after(STEP * steps).await;
    })
    .await
}

// ANCHOR: fetch_all
/// `zip` pairs two futures; three nest.
pub async fn fetch_all() -> Vec<String> {
    let [(a, x), (b, y), (c, z)] = FETCHES;
    let (a, (b, c)) = zip(fetch_in(a, x), zip(fetch_in(b, y), fetch_in(c, z))).await;
    let results: Result<Vec<String>, FetchError> = [a, b, c].into_iter().collect();
    let results = results.expect("these fetches do not fail");
    report(&results);
    results
}

/// `or` prefers its first future when both are ready (`race` picks at
/// random); the loser is dropped with it.
pub async fn first_back() -> String {
    let [(a, x), (b, y), (c, z)] = FETCHES;
    let first = or(
        async { fetch_in(a, x).await.map(|_| a) },
        or(async { fetch_in(b, y).await.map(|_| b) }, async {
            fetch_in(c, z).await.map(|_| c)
        }),
    )
    .await
    .expect("these fetches do not fail");
    info!("first back: {first}");
    first.to_string()
}
// ANCHOR_END: fetch_all

/// `try_zip` (the first error) and `zip` of results (every outcome).
pub async fn failures() -> String {
    let [(a, x), (b, y), (c, z)] = with_broken();
    info!("-- try_zip: the first error, the rest dropped --");
    let first_error = try_zip(fetch_in(a, x), try_zip(fetch_in(b, y), fetch_in(c, z)))
        .await
        .expect_err("one fails");
    info!("-- zip of results: every outcome --");
    let (a, (b, c)) = zip(fetch_in(a, x), zip(fetch_in(b, y), fetch_in(c, z))).await;
    let failed = [a.is_err(), b.is_err(), c.is_err()];
    let failed = failed.into_iter().filter(|failed| *failed).count();
    format!("try_zip: {first_error}; zip: {failed} of 3 failed; no task group")
}

/// The scene under `smol::block_on`.
pub fn run_scene() -> Shown {
    smol::block_on(async {
        Shown {
            in_order: fetch_all().await,
            first: first_back().await,
            failure: failures().await,
        }
    })
}
