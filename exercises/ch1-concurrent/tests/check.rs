//! `greet_all` greets everyone at once: one pause in all, results in order.
//!
//! Run with `cargo test -p ch1-concurrent`. Every test runs on tokio's paused
//! clock: time jumps straight to the next timer, so the elapsed times are exact
//! and the tests take no real time.

use std::time::Duration;

use ch1_concurrent::greet_all;
use tokio::time::Instant;

const PAUSE: Duration = Duration::from_secs(1);

fn greetings_for(names: &[&str]) -> Vec<String> {
    names.iter().map(|name| format!("Hello, {name}!")).collect()
}

#[tokio::test(start_paused = true)]
async fn step_1_greetings_come_back_in_the_order_of_the_names() {
    let names = ["Ada", "Grace", "Linus"];
    assert_eq!(greet_all(&names, PAUSE).await, greetings_for(&names));
}

#[tokio::test(start_paused = true)]
async fn step_2_three_greetings_take_one_pause_not_three() {
    let started = Instant::now();
    greet_all(&["Ada", "Grace", "Linus"], PAUSE).await;
    assert_eq!(started.elapsed(), PAUSE);
}

#[tokio::test(start_paused = true)]
async fn step_3_ten_greetings_still_take_one_pause() {
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"];
    let started = Instant::now();
    let greetings = greet_all(&names, PAUSE).await;
    assert_eq!(started.elapsed(), PAUSE);
    assert_eq!(greetings, greetings_for(&names));
}

#[tokio::test(start_paused = true)]
async fn step_4_nobody_to_greet_returns_at_once() {
    let started = Instant::now();
    let greetings = greet_all(&[], PAUSE).await;
    assert!(greetings.is_empty());
    assert_eq!(started.elapsed(), Duration::ZERO);
}
