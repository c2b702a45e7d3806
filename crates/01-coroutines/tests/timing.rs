//! Concurrency saves time: the greeters at once take about one pause, one after
//! the other three. Real clocks only give lower bounds for sure (a sleep never
//! ends early); the upper bound here leaves two whole pauses of slack for a
//! loaded machine. Exact times are checked under virtual time in `timeline.rs`.

use std::time::{Duration, Instant};

use coroutines::{hand, with_async_std, with_smol};

const PAUSE: Duration = Duration::from_millis(200);

fn assert_at_once_beats_one_by_one(at_once: fn(Duration), one_by_one: fn(Duration)) {
    let started = Instant::now();
    at_once(PAUSE);
    let together = started.elapsed();
    let started = Instant::now();
    one_by_one(PAUSE);
    let in_turn = started.elapsed();

    assert!(
        together >= PAUSE,
        "nobody says goodbye before the pause: {together:?}"
    );
    assert!(
        in_turn >= 3 * PAUSE,
        "three pauses one after the other: {in_turn:?}"
    );
    assert!(
        together < 3 * PAUSE,
        "at once took {together:?}, as long as three pauses one after the other"
    );
}

#[test]
fn hand_rolled_greeters_at_once_take_one_pause_not_three() {
    assert_at_once_beats_one_by_one(hand::greet_all, hand::greet_one_by_one);
}

#[test]
fn async_std_greeters_at_once_take_one_pause_not_three() {
    assert_at_once_beats_one_by_one(
        with_async_std::run_greet_all,
        with_async_std::run_greet_one_by_one,
    );
}

#[test]
fn smol_greeters_at_once_take_one_pause_not_three() {
    assert_at_once_beats_one_by_one(
        with_smol::run_greet_all,
        with_smol::run_greet_one_by_one,
    );
}

/// tokio's paused clock makes the times exact.
#[tokio::test(start_paused = true)]
async fn tokio_greeters_take_exactly_one_pause_at_once_and_three_in_turn() {
    use coroutines::with_tokio::{greet_all, greet_one_by_one};
    let started = tokio::time::Instant::now();
    greet_all(PAUSE).await;
    assert_eq!(started.elapsed(), PAUSE);
    let started = tokio::time::Instant::now();
    greet_one_by_one(PAUSE).await;
    assert_eq!(started.elapsed(), 3 * PAUSE);
}
