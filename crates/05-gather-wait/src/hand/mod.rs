//! Chapter 5 built by hand: plain futures on chapter 4's public API.
//!
//! | module | asyncio | needs our loop? |
//! |---|---|---|
//! | [`join`] | `gather` | `join_all`, `try_join_all`: no; `gather` spawns: yes |
//! | [`select`](mod@select) | `wait(FIRST_COMPLETED)` on coroutines | no |
//! | [`wait`](mod@wait) | `wait` with `return_when` | yes: it waits on our join handles |
//! | [`timeout`](mod@timeout) | `wait_for`, `timeout` | `timeout_with`: no; `timeout` uses our `sleep` |
//! | [`as_completed`](mod@as_completed) | `as_completed` | no |
//! | [`task_group`] | `TaskGroup` | yes: its members are our tasks |
//!
//! The scene on our loop is [`fetch_all`], [`first_back`] and [`failures`].

pub mod as_completed;
pub mod join;
pub mod select;
pub mod task_group;
pub mod timeout;
pub mod wait;

pub use as_completed::{AsCompleted, as_completed};
pub use join::{JoinAll, TryJoinAll, gather, join_all, try_join_all};
pub use select::{Either, Select, SelectAll, select, select_all};
pub use task_group::{Failure, GroupError, TaskGroup};
pub use timeout::{Elapsed, Timeout, timeout, timeout_with};
pub use wait::{ReturnWhen, Wait, Waited, wait};

use event_loop::hand::{EventLoop, sleep};
use tracing::info;

use std::time::Duration;

use crate::{FETCHES, FetchError, Shown, fetch, report, with_broken};

// ANCHOR: fetch_all
/// Every fetch at once with our `join_all`, results in the order asked.
pub async fn fetch_all(step: Duration) -> Vec<String> {
    let fetches = FETCHES.map(|(url, steps)| fetch(url, sleep(step * steps)));
    let results: Result<Vec<String>, FetchError> =
        join_all(fetches).await.into_iter().collect();
    let results = results.expect("these fetches do not fail");
    report(&results);
    results
}
// ANCHOR_END: fetch_all

// ANCHOR: first_back
/// The first fetch back wins; `select_all` drops the others.
pub async fn first_back(step: Duration) -> String {
    let fetches = FETCHES.map(|(url, steps)| fetch(url, sleep(step * steps)));
    let (first, index) = select_all(fetches).await;
    let first = first.expect("these fetches do not fail");
    info!("first back: {first}");
    FETCHES[index].0.to_string()
}
// ANCHOR_END: first_back

// ANCHOR: failures
/// One fetch fails: as `gather` does, as `gather(return_exceptions=True)`
/// does, and in a task group.
pub async fn failures(step: Duration) -> String {
    let fetches = || with_broken().map(|(url, steps)| fetch(url, sleep(step * steps)));
    info!("-- try_join_all: the first error, the rest dropped --");
    let first_error = try_join_all(fetches()).await.expect_err("one fails");
    info!("-- join_all of results: every outcome --");
    let outcomes = join_all(fetches()).await;
    let failed = outcomes.iter().filter(|outcome| outcome.is_err()).count();
    info!("-- a task group: the first failure cancels the rest --");
    let mut group = TaskGroup::new();
    for (url, steps) in with_broken() {
        group.spawn(fetch(url, sleep(step * steps)));
    }
    let group = group.join().await.expect_err("one fails");
    info!("task group: {group}");
    format!(
        "try_join_all: {first_error}; join_all: {failed} of {} failed; \
         task group: {} failure, {} cancelled",
        outcomes.len(),
        group.failures.len(),
        group.cancelled
    )
}
// ANCHOR_END: failures

/// The whole scene, on the loop that runs it (a virtual-time one in tests).
pub async fn scene(step: Duration) -> Shown {
    Shown {
        in_order: fetch_all(step).await,
        first: first_back(step).await,
        failure: failures(step).await,
    }
}

/// The whole scene on a new loop, driven as asyncio's `run` drives one.
pub fn run_scene(step: Duration) -> Shown {
    EventLoop::new().run_until_complete(scene(step))
}
