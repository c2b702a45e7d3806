//! Tasks save time: three fetches started as tasks take about one delay, not
//! three, and their results still come in the order asked. Real clocks only
//! give lower bounds for sure (a sleep never ends early); the upper bound
//! leaves two whole delays of slack for a loaded machine. Exact times are
//! checked under tokio's paused clock.

use std::time::{Duration, Instant};

use tasks::{hand, with_async_std, with_smol, with_tokio};

const DELAY: Duration = Duration::from_millis(200);

fn assert_one_delay_in_order(fetch_all: fn(Duration) -> Vec<String>) {
    let started = Instant::now();
    let results = fetch_all(DELAY);
    let took = started.elapsed();
    assert_eq!(results, tasks::URLS.map(tasks::response));
    assert!(
        took >= DELAY,
        "no fetch finishes before its delay: {took:?}"
    );
    assert!(
        took < 3 * DELAY,
        "took {took:?}, as long as three fetches one after the other"
    );
}

#[test]
fn hand_rolled_fetches_take_one_delay_not_three() {
    assert_one_delay_in_order(hand::fetch_all);
}

#[test]
fn tokio_fetches_take_one_delay_not_three() {
    assert_one_delay_in_order(with_tokio::run_fetch_all);
}

#[test]
fn async_std_fetches_take_one_delay_not_three() {
    assert_one_delay_in_order(with_async_std::run_fetch_all);
}

#[test]
fn smol_fetches_take_one_delay_not_three() {
    assert_one_delay_in_order(with_smol::run_fetch_all);
}

/// tokio's paused clock makes the time exact: the demo's two seconds, once.
#[tokio::test(start_paused = true)]
async fn tokio_fetches_take_exactly_one_delay() {
    let started = tokio::time::Instant::now();
    with_tokio::fetch_all(tasks::DELAY).await;
    assert_eq!(started.elapsed(), tasks::DELAY);
}
