//! Chapter 5 on smol: futures-lite's `zip`, `try_zip`, `or` and `race`,
//! with async-io's `Timer` as the sleep.

use std::time::Duration;

use futures_lite::future::{or, try_zip, zip};
use smol::Timer;
use tracing::info;

use crate::{FETCHES, FetchError, Shown, fetch, report, with_broken};

/// The fetch with a smol timer.
pub async fn fetch_in(
    url: &'static str,
    steps: u32,
    step: Duration,
) -> Result<String, FetchError> {
    fetch(url, async {
        Timer::after(step * steps).await;
    })
    .await
}

// ANCHOR: fetch_all
/// `zip` pairs two futures; three nest.
pub async fn fetch_all(step: Duration) -> Vec<String> {
    let [(a, x), (b, y), (c, z)] = FETCHES;
    let (a, (b, c)) = zip(
        fetch_in(a, x, step),
        zip(fetch_in(b, y, step), fetch_in(c, z, step)),
    )
    .await;
    let results: Result<Vec<String>, FetchError> = [a, b, c].into_iter().collect();
    let results = results.expect("these fetches do not fail");
    report(&results);
    results
}

/// `or` prefers its first future when both are ready (`race` picks at
/// random); the loser is dropped with it.
pub async fn first_back(step: Duration) -> String {
    let [(a, x), (b, y), (c, z)] = FETCHES;
    let (first, response) = or(
        async { (a, fetch_in(a, x, step).await) },
        or(async { (b, fetch_in(b, y, step).await) }, async {
            (c, fetch_in(c, z, step).await)
        }),
    )
    .await;
    info!(
        "first back: {}",
        response.expect("these fetches do not fail")
    );
    first.to_string()
}
// ANCHOR_END: fetch_all

/// `try_zip` (the first error) and `zip` of results (every outcome).
pub async fn failures(step: Duration) -> String {
    let [(a, x), (b, y), (c, z)] = with_broken();
    info!("-- try_zip: the first error, the rest dropped --");
    let first_error = try_zip(
        fetch_in(a, x, step),
        try_zip(fetch_in(b, y, step), fetch_in(c, z, step)),
    )
    .await
    .expect_err("one fails");
    info!("-- zip of results: every outcome --");
    let (a, (b, c)) = zip(
        fetch_in(a, x, step),
        zip(fetch_in(b, y, step), fetch_in(c, z, step)),
    )
    .await;
    let failed = [a.is_err(), b.is_err(), c.is_err()];
    let failed = failed.into_iter().filter(|failed| *failed).count();
    format!("try_zip: {first_error}; zip: {failed} of 3 failed; no task group")
}

// ANCHOR: timeout
/// smol has no timeout: race the work against a `Timer` with `or`. The
/// loser, work or timer, is dropped with the `Or`.
pub async fn fetch_within(
    limit: Duration,
    step: Duration,
) -> Result<String, &'static str> {
    let (url, steps) = FETCHES[0];
    let work = async {
        let result = fetch_in(url, steps, step).await;
        Ok(result.expect("this fetch does not fail"))
    };
    let timer = async {
        Timer::after(limit).await;
        Err("timed out")
    };
    or(work, timer).await
}
// ANCHOR_END: timeout

/// The scene under `smol::block_on`.
pub fn run_scene(step: Duration) -> Shown {
    smol::block_on(async {
        Shown {
            in_order: fetch_all(step).await,
            first: first_back(step).await,
            failure: failures(step).await,
        }
    })
}
