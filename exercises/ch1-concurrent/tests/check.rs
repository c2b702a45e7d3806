//! `greet_all` greets everyone at once: one pause in all, results in order.
//! tokio's paused clock makes the times exact and the tests instant.

use std::time::Duration;

use ch1_concurrent::greet_all;
use tokio::time::Instant;

const PAUSE: Duration = Duration::from_secs(1);

#[tokio::test(start_paused = true)]
async fn greetings_come_back_in_the_order_of_the_names() {
    let greetings = greet_all(&["Ada", "Grace", "Linus"], PAUSE).await;
    assert_eq!(greetings, ["Hello, Ada!", "Hello, Grace!", "Hello, Linus!"]);
}

#[tokio::test(start_paused = true)]
async fn three_greetings_take_one_pause_not_three() {
    let started = Instant::now();
    greet_all(&["Ada", "Grace", "Linus"], PAUSE).await;
    assert_eq!(started.elapsed(), PAUSE);
}

#[tokio::test(start_paused = true)]
async fn ten_greetings_still_take_one_pause() {
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"];
    let started = Instant::now();
    let greetings = greet_all(&names, PAUSE).await;
    assert_eq!(started.elapsed(), PAUSE);
    assert_eq!(greetings.len(), 10);
    assert_eq!(greetings[9], "Hello, j!");
}

#[tokio::test(start_paused = true)]
async fn nobody_to_greet_returns_at_once() {
    let started = Instant::now();
    assert!(greet_all(&[], PAUSE).await.is_empty());
    assert_eq!(started.elapsed(), Duration::ZERO);
}
