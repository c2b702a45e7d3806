//! `fetch_all`: every fetch in a task of its own, results in the order asked,
//! failures and panics reported in their place, the longest delay in all.
//!
//! Run with `cargo test -p ch3-collect-in-order`. Every test runs on tokio's
//! paused clock: time jumps straight to the next timer, so the elapsed times
//! are exact and the tests take no real time. The test with a crashing fetch
//! shows that panic's report: it is expected.

use std::time::Duration;

use ch3_collect_in_order::{FetchError, Request, fetch_all};
use tokio::time::Instant;

fn request(url: &'static str, seconds: u64) -> Request {
    Request {
        url,
        delay: Duration::from_secs(seconds),
    }
}

fn ok(url: &str) -> Result<String, FetchError> {
    Ok(format!("{url} 200 OK"))
}

#[tokio::test(start_paused = true)]
async fn step_1_results_come_back_in_the_order_asked_not_the_order_finished() {
    // The last one asked answers first.
    let requests = [
        request("api/users", 3),
        request("api/posts", 2),
        request("api/comments", 1),
    ];
    let results = fetch_all(&requests).await;
    assert_eq!(
        results,
        [ok("api/users"), ok("api/posts"), ok("api/comments")]
    );
}

#[tokio::test(start_paused = true)]
async fn step_2_a_failed_fetch_is_reported_in_its_place() {
    let requests = [
        request("api/users", 1),
        request("api/missing", 1),
        request("api/comments", 1),
    ];
    let results = fetch_all(&requests).await;
    let not_found = Err(FetchError::NotFound("api/missing"));
    assert_eq!(results, [ok("api/users"), not_found, ok("api/comments")]);
}

#[tokio::test(start_paused = true)]
async fn step_3_a_crashed_fetch_is_reported_in_its_place_and_the_others_answer() {
    let requests = [
        request("api/crash", 1),
        request("api/posts", 2),
        request("api/comments", 1),
    ];
    let results = fetch_all(&requests).await;
    let message = "the server behind api/crash crashed".to_string();
    assert_eq!(
        results,
        [
            Err(FetchError::Crashed(message)),
            ok("api/posts"),
            ok("api/comments")
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn step_4_the_whole_takes_the_longest_delay_not_the_sum() {
    let requests = [
        request("api/users", 2),
        request("api/missing", 5),
        request("api/posts", 3),
        request("api/comments", 1),
    ];
    let started = Instant::now();
    let results = fetch_all(&requests).await;
    assert_eq!(started.elapsed(), Duration::from_secs(5), "not 11 s");
    assert_eq!(results.len(), 4);
}

#[tokio::test(start_paused = true)]
async fn step_5_a_hundred_fetches_still_take_one_delay() {
    let requests = vec![request("api/users", 2); 100];
    let started = Instant::now();
    let results = fetch_all(&requests).await;
    assert_eq!(started.elapsed(), Duration::from_secs(2));
    assert!(results.iter().all(|result| *result == ok("api/users")));
}

#[tokio::test(start_paused = true)]
async fn step_6_no_requests_give_no_results_at_once() {
    let started = Instant::now();
    assert!(fetch_all(&[]).await.is_empty());
    assert_eq!(started.elapsed(), Duration::ZERO);
}
