//! The scene's timeline: the fetches' events in the same order on the
//! hand-rolled executor, tokio, async-std and smol, and in the same order as
//! the book's asyncio listing; then the failing fetches on the hand-rolled
//! executor and on tokio.
//!
//! The snapshots hold the settled order (see `Timeline::settled`): the three
//! fetches start together and finish together, so their lines are listed in
//! text order, while the results line shows the order asked. Every test here
//! records: the recorder is shared by the whole test binary.

use std::time::{Duration, Instant};

use tasks::{BROKEN, Ended, SLOW, hand, with_async_std, with_smol, with_tokio};
use timeline::{Recording, Timeline};

/// Short, so the suite stays fast; order does not depend on it.
const DELAY: Duration = Duration::from_millis(20);

/// For the runtimes that start tasks on other threads at once: long enough
/// that no stall of a loaded machine lets a fetch finish before the last one
/// has started.
const THREADED_DELAY: Duration = Duration::from_millis(250);

fn record<T>(scene: impl FnOnce() -> T) -> (T, Timeline) {
    let recording = Recording::start();
    let output = scene();
    (output, recording.finish())
}

/// Checks the lines against `tests/outputs/NAME.txt`, which the book
/// includes (`UPDATE_OUTPUTS=1` rewrites it).
fn snapshot(name: &str, lines: Vec<String>) {
    timeline::testing::check_output(
        env!("CARGO_MANIFEST_DIR"),
        name,
        &lines.join("\n"),
    );
}

fn expected_results() -> Vec<String> {
    tasks::URLS.map(tasks::response).to_vec()
}

#[test]
fn hand_rolled_fetches_run_as_tasks() {
    let (results, timeline) = record(|| hand::fetch_all(DELAY));
    assert_eq!(results, expected_results());
    snapshot("fetch_in_order", timeline.settled());
}

#[test]
fn async_std_fetches_run_as_tasks() {
    let (results, timeline) = record(|| with_async_std::run_fetch_all(THREADED_DELAY));
    assert_eq!(results, expected_results());
    snapshot("fetch_in_order", timeline.settled());
}

#[test]
fn smol_fetches_run_as_tasks() {
    let (results, timeline) = record(|| with_smol::run_fetch_all(THREADED_DELAY));
    assert_eq!(results, expected_results());
    snapshot("fetch_in_order", timeline.settled());
}

fn tokio_now() -> Instant {
    tokio::time::Instant::now().into_std()
}

/// Under tokio's paused clock, time jumps straight to the next timer: the
/// demo's two seconds cost nothing, and the times are exact.
#[tokio::test(start_paused = true)]
async fn tokio_fetches_run_as_tasks_with_exact_times() {
    let recording = Recording::start_with_clock(tokio_now);
    let results = with_tokio::fetch_all(tasks::DELAY).await;
    let timeline = recording.finish();
    assert_eq!(results, expected_results());
    let last = timeline.events().last().map(|event| event.at);
    assert_eq!(last, Some(tasks::DELAY), "one delay in all, not three");
    snapshot("fetch_in_order", timeline.settled());
    // One thread and a paused clock: the order is exact, so it is kept as
    // recorded, not settled.
    let exact: Vec<String> = timeline.events().iter().map(|e| e.line()).collect();
    snapshot("virtual_time", exact);
}

/// The same order as `Timeline::settled` gives, for lines without callsites:
/// back-to-back lines that start with the same word came from the same
/// `print` and happened together, so they are sorted.
fn settle(lines: Vec<String>) -> Vec<String> {
    let first_word = |line: &String| line.split(' ').next().map(str::to_string);
    let mut settled = Vec::new();
    for run in lines.chunk_by(|a, b| first_word(a) == first_word(b)) {
        let mut run = run.to_vec();
        run.sort();
        settled.extend(run);
    }
    settled
}

#[test]
fn asyncio_prints_the_same_order() {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/python/fetch.py");
    let Some(printed) = timeline::python::run(script, &["0.02"]) else {
        return;
    };
    let (_, timeline) = record(|| hand::fetch_all(DELAY));
    assert_eq!(settle(printed), timeline.settled());
}

#[test]
fn hand_rolled_spawned_future_starts_and_created_one_does_not() {
    let ((), timeline) = record(|| hand::spawned_versus_created(DELAY));
    snapshot("next_turn", timeline.settled());
}

#[test]
fn hand_rolled_failures_end_as_join_errors() {
    let (ended, timeline) = record(|| hand::fail_and_cancel(DELAY));
    let expected = Ended {
        broken: "Err(Panicked(..))".into(),
        slow: "Err(Cancelled)".into(),
    };
    assert_eq!(ended, expected);
    snapshot("failures_hand", timeline.settled());
}

#[tokio::test(start_paused = true)]
async fn tokio_failures_end_as_join_errors_with_exact_times() {
    let recording = Recording::start_with_clock(tokio_now);
    let ended = with_tokio::fail_and_cancel(tasks::FAIL_AFTER).await;
    let timeline = recording.finish();
    let expected = Ended {
        broken: "Err(JoinError), is_panic()".into(),
        slow: "Err(JoinError), is_cancelled()".into(),
    };
    assert_eq!(ended, expected);
    snapshot("failures_tokio", timeline.settled_with_times());
}

/// async-std and smol start tasks on other threads, so the order of their
/// events varies: only the outcome is checked.
#[test]
fn async_std_failures_resume_the_panic_and_cancel_to_none() {
    let (ended, timeline) = record(|| with_async_std::run_fail_and_cancel(DELAY));
    assert_eq!(ended, resumed_and_none());
    assert_eq!(
        timeline.texts().last(),
        Some(&format!("{SLOW} ended: cancel() gave None"))
    );
}

#[test]
fn smol_failures_resume_the_panic_and_cancel_to_none() {
    let (ended, timeline) = record(|| with_smol::run_fail_and_cancel(DELAY));
    assert_eq!(ended, resumed_and_none());
    let broken = timeline.position_of(&format!(
        "{BROKEN} ended: its panic resumed in the awaiting task: {}",
        tasks::reset_message(BROKEN)
    ));
    assert!(broken.is_some(), "{:?}", timeline.texts());
}

fn resumed_and_none() -> Ended {
    Ended {
        broken: "resumed in the awaiting task".into(),
        slow: "cancel() gave None".into(),
    }
}
