//! One scene, every runtime: a worker thread computes the answer while the
//! waiting task ticks. The events come in the same order on the hand-rolled
//! runtime, tokio, async-std and smol, and in the same order as the book's
//! asyncio listing.
//!
//! On a real clock, how many ticks come before the answer depends on how
//! quickly threads wake, which a loaded machine changes. So the real-clock
//! snapshots leave the ticks out and keep what cause and effect fix (asked,
//! answered, received), and the tests check only that the task ticked at least
//! once: the first tick is due 600 ms before the answer. The full order, ticks
//! included, with exact times, comes from tokio's paused clock, at the end.

use std::time::{Duration, Instant};

use future_objects::{ANSWER, Waited, hand, with_async_std, with_smol, with_tokio};
use timeline::{Recording, Timeline};
use tokio::sync::oneshot::error::RecvError;
use tracing::info;

/// The first tick is due at 100 ms, the answer at 700 ms.
const TICK: Duration = Duration::from_millis(100);
const WORK: Duration = Duration::from_millis(700);
/// The worker gives up at 700 ms, after the first tick too.
const GIVE_UP: Duration = Duration::from_millis(700);

fn record<E>(scene: impl FnOnce() -> Waited<E>) -> (Waited<E>, Timeline) {
    let recording = Recording::start();
    let waited = scene();
    (waited, recording.finish())
}

/// The settled order without the ticks, whose number a real clock decides.
fn without_ticks(lines: Vec<String>) -> Vec<String> {
    lines
        .into_iter()
        .filter(|line| !line.starts_with("tick "))
        .collect()
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

fn assert_answered<E: std::fmt::Debug>(waited: &Waited<E>) {
    assert!(matches!(waited.answer, Ok(ANSWER)), "{waited:?}");
    assert!(
        waited.ticks >= 1,
        "the task ticked while it waited: {waited:?}"
    );
}

#[test]
fn hand_rolled_task_ticks_until_the_answer_arrives() {
    let (waited, timeline) = record(|| hand::run(WORK, TICK));
    assert_answered(&waited);
    snapshot("answer_while_ticking", without_ticks(timeline.settled()));
}

#[test]
fn tokio_task_ticks_until_the_answer_arrives() {
    let (waited, timeline) = record(|| with_tokio::run(WORK, TICK));
    assert_answered(&waited);
    snapshot("answer_while_ticking", without_ticks(timeline.settled()));
}

#[test]
fn async_std_task_ticks_until_the_answer_arrives() {
    let (waited, timeline) = record(|| with_async_std::run(WORK, TICK));
    assert_answered(&waited);
    snapshot("answer_while_ticking", without_ticks(timeline.settled()));
}

#[test]
fn smol_task_ticks_until_the_answer_arrives() {
    let (waited, timeline) = record(|| with_smol::run(WORK, TICK));
    assert_answered(&waited);
    snapshot("answer_while_ticking", without_ticks(timeline.settled()));
}

#[test]
fn hand_rolled_task_hears_cancelled_when_the_worker_gives_up() {
    let (waited, timeline) = record(|| hand::run_gives_up(GIVE_UP, TICK));
    assert_eq!(waited.answer, Err(hand::PromiseError::Cancelled));
    snapshot("gives_up_hand", without_ticks(timeline.settled()));
}

#[test]
fn tokio_task_hears_a_recv_error_when_the_worker_gives_up() {
    let (waited, timeline) = record(|| with_tokio::run_gives_up(GIVE_UP, TICK));
    let closed = matches!(waited.answer, Err(RecvError { .. }));
    assert!(closed, "{waited:?}");
    snapshot("gives_up_tokio", without_ticks(timeline.settled()));
}

#[test]
fn async_std_task_hears_closed_when_the_worker_gives_up() {
    let (waited, timeline) = record(|| with_async_std::run_gives_up(GIVE_UP, TICK));
    assert_eq!(waited.answer, Err(async_std::channel::RecvError));
    snapshot("gives_up_async_std", without_ticks(timeline.settled()));
}

#[test]
fn smol_task_hears_canceled_when_the_worker_gives_up() {
    let (waited, timeline) = record(|| with_smol::run_gives_up(GIVE_UP, TICK));
    assert_eq!(waited.answer, Err(futures::channel::oneshot::Canceled));
    snapshot("gives_up_smol", without_ticks(timeline.settled()));
}

#[test]
fn asyncio_prints_the_same_order() {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/python/promise.py");
    let Some(asyncio) = timeline::python::run(script, &["0.7", "0.1"]) else {
        return;
    };
    assert!(asyncio.iter().any(|line| line == "tick 1"), "{asyncio:?}");
    let (_, timeline) = record(|| hand::run(WORK, TICK));
    assert_eq!(without_ticks(asyncio), without_ticks(timeline.settled()));
}

fn tokio_now() -> Instant {
    tokio::time::Instant::now().into_std()
}

/// Under tokio's paused clock, time jumps straight to the next timer, so the
/// demo's real durations cost nothing and the times are exact. The worker is
/// a tokio task here, sleeping on the same clock: a thread's `sleep` would
/// take real time while tokio's clock raced ahead.
#[tokio::test(start_paused = true)]
async fn tokio_virtual_time_gives_exact_times() {
    let recording = Recording::start_with_clock(tokio_now);
    let (sender, receiver) = tokio::sync::oneshot::channel();
    info!("asking a worker for the answer");
    tokio::spawn(async move {
        tokio::time::sleep(future_objects::WORK).await;
        info!("worker: the answer is {ANSWER}");
        let _ = sender.send(ANSWER);
    });
    let waited = with_tokio::wait_for_answer(receiver, future_objects::TICK).await;
    let timeline = recording.finish();
    assert_answered(&waited);
    let at = |millis| Some(Duration::from_millis(millis));
    assert_eq!(timeline.time_of("tick 3"), at(900));
    assert_eq!(timeline.time_of("got the answer: 42"), at(1000));
    snapshot("virtual_time", timeline.settled_with_times());
}
