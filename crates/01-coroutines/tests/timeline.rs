//! One timeline, every runtime: the greeters' events must come in the same order
//! on the hand-rolled runtime, tokio, async-std and smol, and in the same order
//! as the book's asyncio listing.
//!
//! The snapshots hold order only (see `Timeline::settled`), so a loaded machine
//! cannot change them. Times are checked in `timing.rs`, and exactly here under
//! tokio's virtual clock.

use std::time::{Duration, Instant};

use coroutines::{hand, with_async_std, with_smol, with_tokio};
use timeline::{Recording, Timeline};

/// Short, so the suite stays fast; order does not depend on it.
const PAUSE: Duration = Duration::from_millis(20);

fn record(scene: impl FnOnce()) -> Timeline {
    let recording = Recording::start();
    scene();
    recording.finish()
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

#[test]
fn hand_rolled_greeters_run_at_once() {
    snapshot("all_at_once", record(|| hand::greet_all(PAUSE)).settled());
}

#[test]
fn hand_rolled_greeters_run_one_by_one() {
    snapshot(
        "one_by_one",
        record(|| hand::greet_one_by_one(PAUSE)).settled(),
    );
}

#[test]
fn hand_written_async_fn_gives_the_same_timeline_as_the_state_machine() {
    // `greet_all` joins the `async fn` greeters; here the enum ones, which
    // are `Unpin` and need no `Box::pin`.
    let compiled = record(|| hand::greet_all(PAUSE)).settled();
    let by_hand = record(|| {
        let greeters = coroutines::NAMES.map(|name| hand::greet(name, PAUSE));
        hand::block_on(hand::join_all(greeters));
    });
    assert_eq!(by_hand.settled(), compiled);
}

#[test]
fn tokio_greeters_run_at_once() {
    snapshot(
        "all_at_once",
        record(|| with_tokio::run_greet_all(PAUSE)).settled(),
    );
}

#[test]
fn tokio_greeters_run_one_by_one() {
    snapshot(
        "one_by_one",
        record(|| with_tokio::run_greet_one_by_one(PAUSE)).settled(),
    );
}

#[test]
fn async_std_greeters_run_at_once() {
    snapshot(
        "all_at_once",
        record(|| with_async_std::run_greet_all(PAUSE)).settled(),
    );
}

#[test]
fn async_std_greeters_run_one_by_one() {
    let timeline = record(|| with_async_std::run_greet_one_by_one(PAUSE));
    snapshot("one_by_one", timeline.settled());
}

#[test]
fn smol_greeters_run_at_once() {
    snapshot(
        "all_at_once",
        record(|| with_smol::run_greet_all(PAUSE)).settled(),
    );
}

#[test]
fn smol_greeters_run_one_by_one() {
    snapshot(
        "one_by_one",
        record(|| with_smol::run_greet_one_by_one(PAUSE)).settled(),
    );
}

fn tokio_now() -> Instant {
    tokio::time::Instant::now().into_std()
}

/// Under tokio's paused clock, time jumps straight to the next timer: the
/// real demo pause of one second costs nothing, and the times are exact.
#[tokio::test(start_paused = true)]
async fn tokio_virtual_time_gives_exact_times() {
    let recording = Recording::start_with_clock(tokio_now);
    with_tokio::greet_all(coroutines::PAUSE).await;
    with_tokio::greet_one_by_one(coroutines::PAUSE).await;
    let timeline = recording.finish();
    let second = |n| Some(Duration::from_secs(n));
    assert_eq!(timeline.time_of("Goodbye, Linus!"), second(1));
    assert_eq!(timeline.events().last().map(|event| event.at), second(4));
    snapshot("virtual_time", timeline.settled_with_times());
}

#[test]
fn asyncio_prints_the_same_order() {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/python/greet.py");
    let Some(at_once) = timeline::python::run(script, &["0.02"]) else {
        return;
    };
    let one_by_one = timeline::python::run(script, &["0.02", "--one-by-one"])
        .expect("python3 ran a moment ago");
    assert_eq!(at_once, record(|| hand::greet_all(PAUSE)).settled());
    assert_eq!(
        one_by_one,
        record(|| hand::greet_one_by_one(PAUSE)).settled()
    );
}
