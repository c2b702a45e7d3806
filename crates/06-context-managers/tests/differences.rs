//! The differences the book claims between the runtimes, beyond the tables
//! of `tests/cleanup_paths.rs`: the ways to give a spawned cleanup its time
//! on tokio, smol's local executor, what a blocking `Drop` costs the other
//! tasks, tokio's `Mutex` guard on a timeout, and `defer!`.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use context_managers::db::{ClosedBy, Fate};
use context_managers::defer::body_with_defer;
use context_managers::hand::{self, Hand};
use context_managers::patterns::{BlockOnDrop, CloseOnDrop, Pattern};
use context_managers::with_tokio::{self, End, Tokio};
use context_managers::{CLOSE, db::Database, with_smol};
use event_loop::hand::{SHUTDOWN_GRACE, sleep, spawn};

fn closed_by(fate: Fate) -> Option<ClosedBy> {
    match fate {
        Fate::Closed { by, .. } => Some(by),
        _ => None,
    }
}

// ANCHOR: tokio_ways
#[test]
fn on_tokio_a_program_that_awaits_its_cleanups_gets_them_closed() {
    let outcome = with_tokio::shutdown_path_tracked(true);
    assert_eq!(closed_by(outcome.fate), Some(ClosedBy::SpawnedTask));
}

/// Dropping a runtime drops its tasks first, then waits for the blocking
/// pool, so a close a task's guard hands to `spawn_blocking` as the task is
/// dropped runs, and the drop waits for it.
#[test]
fn a_dropped_tokio_runtime_waits_for_a_close_sent_to_its_blocking_pool() {
    let outcome = with_tokio::shutdown_path_blocking_pool(End::Drop);
    assert_eq!(closed_by(outcome.fate), Some(ClosedBy::BlockingDrop));
}

/// `shutdown_timeout` shuts the blocking pool first; a current-thread
/// runtime drops its tasks only afterwards, and the guard's
/// `spawn_blocking` then finds the pool shut: the close never runs.
#[test]
fn tokio_shutdown_timeout_refuses_a_close_sent_to_the_blocking_pool_as_tasks_drop() {
    let outcome = with_tokio::shutdown_path_blocking_pool(End::ShutdownTimeout);
    assert!(matches!(outcome.fate, Fate::Dropped { .. }), "{outcome:?}");
}
// ANCHOR_END: tokio_ways

// ANCHOR: smol_local
#[test]
fn a_dropped_smol_local_executor_drops_its_tasks_but_not_a_close_spawned_globally() {
    let explicit = with_smol::shutdown_path_local(20, Pattern::Explicit);
    assert!(
        matches!(explicit.fate, Fate::Dropped { .. }),
        "{explicit:?}"
    );
    let guarded = with_smol::shutdown_path_local(20, Pattern::SpawnOnDrop);
    assert_eq!(closed_by(guarded.fate), Some(ClosedBy::SpawnedTask));
}
// ANCHOR_END: smol_local

// ANCHOR: blocking_cost
/// On one thread, a `Drop` that blocks for the close holds every task:
/// a ticker due every 10 ms goes at least the whole close without a tick.
/// With the close spawned instead, the ticker ticks while it runs.
#[test]
fn a_blocking_drop_stalls_every_task_on_the_loop_for_the_whole_close() {
    let longest_gap = |pattern: Pattern| {
        let event_loop = hand::new_loop(false);
        event_loop.block_on(async move {
            let database = Database::new();
            let ticks = Arc::new(Mutex::new(Vec::new()));
            let ticker = {
                let ticks = Arc::clone(&ticks);
                spawn(async move {
                    loop {
                        ticks.lock().unwrap().push(Instant::now());
                        sleep(Duration::from_millis(10)).await;
                    }
                })
            };
            let conn = database.connect(&Hand).await;
            match pattern {
                Pattern::BlockOnDrop => drop(BlockOnDrop::new(conn)),
                _ => drop(CloseOnDrop::new(conn)),
            }
            sleep(CLOSE + Duration::from_millis(100)).await;
            ticker.abort();
            let ticks = ticks.lock().unwrap();
            let gaps = ticks.windows(2).map(|pair| pair[1] - pair[0]);
            (gaps.max().unwrap_or_default(), database.last_fate())
        })
    };
    let (gap, fate) = longest_gap(Pattern::BlockOnDrop);
    assert!(gap >= CLOSE, "the ticker waited {gap:?}");
    assert_eq!(fate.and_then(closed_by), Some(ClosedBy::BlockingDrop));
    let (_, fate) = longest_gap(Pattern::SpawnOnDrop);
    assert_eq!(fate.and_then(closed_by), Some(ClosedBy::SpawnedTask));
}

/// The same stall on virtual time, as an order: the ticker's tick that was
/// due during the blocking close comes only after it, and the loop's clock
/// has not moved at all (a blocked thread is not a waiting task).
#[test]
fn on_virtual_time_a_blocking_drop_takes_no_time_on_the_loops_clock() {
    let event_loop = hand::new_loop(true);
    let took = event_loop.block_on(async {
        let database = Database::new();
        let conn = database.connect(&Hand).await;
        let before = event_loop::hand::now();
        drop(BlockOnDrop::new(conn));
        event_loop::hand::now() - before
    });
    event_loop.shutdown(SHUTDOWN_GRACE);
    assert_eq!(took, Duration::ZERO);
}
// ANCHOR_END: blocking_cost

// ANCHOR: mutex
#[tokio::test(start_paused = true)]
async fn tokios_mutex_guard_unlocks_in_drop_so_a_timed_out_holder_frees_it() {
    assert!(with_tokio::mutex_guard_released_on_timeout().await);
}
// ANCHOR_END: mutex

// ANCHOR: defer
#[tokio::test(start_paused = true)]
async fn defer_runs_when_a_timeout_drops_the_body_but_only_synchronous_code() {
    let log = Arc::new(Mutex::new(Vec::new()));
    let body = body_with_defer(Tokio, Arc::clone(&log));
    let limit = Duration::from_millis(100);
    assert!(tokio::time::timeout(limit, body).await.is_err());
    assert_eq!(*log.lock().unwrap(), ["body started", "deferred block ran"]);
}
// ANCHOR_END: defer
