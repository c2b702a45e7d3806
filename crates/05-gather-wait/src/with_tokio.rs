//! Chapter 5 on tokio: `join!`, `try_join!`, `select!`, `JoinSet`,
//! `time::timeout`, and futures' `FuturesUnordered`.

use std::time::Duration;

use futures::StreamExt;
use futures::stream::FuturesUnordered;
use tokio::task::JoinSet;
use tokio::time::sleep;
use tracing::info;

use crate::{FETCHES, FetchError, Shown, fetch, report, with_broken};

/// The fetch with tokio's sleep.
pub async fn fetch_in(
    url: &'static str,
    steps: u32,
    step: Duration,
) -> Result<String, FetchError> {
    fetch(url, sleep(step * steps)).await
}

// ANCHOR: fetch_all
/// `join!` polls the three fetches inside this task, in place: no tasks.
pub async fn fetch_all(step: Duration) -> Vec<String> {
    let [(a, x), (b, y), (c, z)] = FETCHES;
    let (a, b, c) = tokio::join!(
        fetch_in(a, x, step),
        fetch_in(b, y, step),
        fetch_in(c, z, step)
    );
    let results: Result<Vec<String>, FetchError> = [a, b, c].into_iter().collect();
    let results = results.expect("these fetches do not fail");
    report(&results);
    results
}
// ANCHOR_END: fetch_all

// ANCHOR: first_back
/// `select!` runs the first branch to finish; the others are dropped.
/// `biased;` polls the branches in the order written, not at random.
pub async fn first_back(step: Duration) -> String {
    let [(a, x), (b, y), (c, z)] = FETCHES;
    let (first, response) = tokio::select! {
        biased;
        response = fetch_in(a, x, step) => (a, response),
        response = fetch_in(b, y, step) => (b, response),
        response = fetch_in(c, z, step) => (c, response),
    };
    info!(
        "first back: {}",
        response.expect("these fetches do not fail")
    );
    first.to_string()
}
// ANCHOR_END: first_back

// ANCHOR: completion_order
/// asyncio's `as_completed`: `FuturesUnordered` yields each output as it
/// finishes (here, as tasks would, but polled in this task).
pub async fn in_completion_order(step: Duration) -> Vec<String> {
    let mut fetches: FuturesUnordered<_> = FETCHES
        .iter()
        .map(|&(url, steps)| fetch_in(url, steps, step))
        .collect();
    let mut order = Vec::new();
    while let Some(result) = fetches.next().await {
        order.push(result.expect("these fetches do not fail"));
    }
    order
}
// ANCHOR_END: completion_order

// ANCHOR: join_set_all
/// A `JoinSet` of the fetches, collected with `join_all`: every output, but
/// in the order the tasks *finished*, not the order asked (a panic in a
/// task is resumed here).
pub async fn fetch_all_join_set(step: Duration) -> Vec<String> {
    let mut set = JoinSet::new();
    for (url, steps) in FETCHES {
        set.spawn(fetch_in(url, steps, step));
    }
    let results = set
        .join_all()
        .await
        .into_iter()
        .collect::<Result<Vec<_>, _>>();
    results.expect("these fetches do not fail")
}
// ANCHOR_END: join_set_all

// ANCHOR: select_all
/// futures' `select_all`: the first of many, its index, and the others
/// handed back still pending (dropping them cancels them).
pub async fn first_back_select_all(step: Duration) -> String {
    let fetches = FETCHES.map(|(url, steps)| Box::pin(fetch_in(url, steps, step)));
    let (first, index, _others) = futures::future::select_all(fetches).await;
    info!("first back: {}", first.expect("these fetches do not fail"));
    FETCHES[index].0.to_string()
}
// ANCHOR_END: select_all

// ANCHOR: failures
/// One fetch fails: `try_join!` (the first error, the others dropped),
/// `join!` of results (every outcome), and a `JoinSet`, which cancels
/// nothing by itself: the first failure calls `abort_all`, as a task group
/// would.
pub async fn failures(step: Duration) -> String {
    let [(a, x), (b, y), (c, z)] = with_broken();
    info!("-- try_join!: the first error, the rest dropped --");
    let first_error = tokio::try_join!(
        fetch_in(a, x, step),
        fetch_in(b, y, step),
        fetch_in(c, z, step)
    )
    .expect_err("one fails");
    info!("-- join! of results: every outcome --");
    let outcomes = tokio::join!(
        fetch_in(a, x, step),
        fetch_in(b, y, step),
        fetch_in(c, z, step)
    );
    let failed = [
        outcomes.0.is_err(),
        outcomes.1.is_err(),
        outcomes.2.is_err(),
    ];
    let failed = failed.into_iter().filter(|failed| *failed).count();
    info!("-- a JoinSet, aborted by hand at the first failure --");
    let mut set = JoinSet::new();
    for (url, steps) in with_broken() {
        set.spawn(fetch_in(url, steps, step));
    }
    let (mut errors, mut cancelled) = (0, 0);
    while let Some(ended) = set.join_next().await {
        match ended {
            Ok(Ok(_)) => {}
            Ok(Err(_)) => {
                errors += 1;
                set.abort_all(); // JoinSet would not: a task group would
            }
            Err(error) if error.is_cancelled() => cancelled += 1,
            Err(error) => std::panic::resume_unwind(error.into_panic()),
        }
    }
    info!("JoinSet: {errors} failure, {cancelled} cancelled");
    format!(
        "try_join!: {first_error}; join!: {failed} of 3 failed; \
         JoinSet + abort_all: {errors} failure, {cancelled} cancelled"
    )
}
// ANCHOR_END: failures

// ANCHOR: timeout
/// `time::timeout`: the work, or `Elapsed` once `limit` has passed; then the
/// work is dropped at the await it had reached.
pub async fn fetch_within(
    limit: Duration,
    step: Duration,
) -> Result<String, &'static str> {
    let (url, steps) = FETCHES[0];
    match tokio::time::timeout(limit, fetch_in(url, steps, step)).await {
        Ok(result) => Ok(result.expect("this fetch does not fail")),
        Err(_elapsed) => Err("timed out"),
    }
}
// ANCHOR_END: timeout

/// The scene on tokio's current-thread runtime.
pub async fn scene(step: Duration) -> Shown {
    Shown {
        in_order: fetch_all(step).await,
        first: first_back(step).await,
        failure: failures(step).await,
    }
}

/// The scene on a current-thread runtime built here.
pub fn run_scene(step: Duration) -> std::io::Result<Shown> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    Ok(runtime.block_on(scene(step)))
}
