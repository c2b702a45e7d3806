//! The crawler under a semaphore: never more than the limit in flight, the
//! limit itself reached, the time that takes, and the pages in order.
//!
//! Run with `cargo test -p ch8-crawler-limit`. The tests run on tokio's
//! paused clock: each fetch's 100 ms pass at once and exactly.

use std::num::NonZeroUsize;
use std::sync::Arc;

use ch8_crawler_limit::{FETCH, InFlight, crawl};

fn urls(n: usize) -> Vec<String> {
    (1..=n).map(|page| format!("site/page-{page}")).collect()
}

fn limit(n: usize) -> NonZeroUsize {
    NonZeroUsize::new(n).expect("a limit above zero")
}

#[tokio::test(start_paused = true)]
async fn step_1_no_more_than_the_limit_fetch_at_once() {
    let in_flight = Arc::new(InFlight::default());
    crawl(urls(10), limit(3), Arc::clone(&in_flight)).await;
    assert!(
        in_flight.most() <= 3,
        "{} fetches at once",
        in_flight.most()
    );
}

#[tokio::test(start_paused = true)]
async fn step_2_the_limit_is_reached_not_one_at_a_time() {
    let in_flight = Arc::new(InFlight::default());
    crawl(urls(10), limit(3), Arc::clone(&in_flight)).await;
    assert_eq!(in_flight.most(), 3);
}

#[tokio::test(start_paused = true)]
async fn step_3_ten_pages_three_at_a_time_take_four_rounds() {
    let started = tokio::time::Instant::now();
    crawl(urls(10), limit(3), Arc::default()).await;
    assert_eq!(started.elapsed(), FETCH * 4, "3 + 3 + 3 + 1 pages");
}

#[tokio::test(start_paused = true)]
async fn step_4_the_pages_come_back_in_the_order_asked() {
    let pages = crawl(urls(5), limit(2), Arc::default()).await;
    let expected: Vec<_> = urls(5).iter().map(|url| format!("{url}: 200 OK")).collect();
    assert_eq!(pages, expected);
}

#[tokio::test(start_paused = true)]
async fn step_4_a_limit_of_one_fetches_one_at_a_time() {
    let in_flight = Arc::new(InFlight::default());
    let started = tokio::time::Instant::now();
    crawl(urls(3), limit(1), Arc::clone(&in_flight)).await;
    assert_eq!((in_flight.most(), started.elapsed()), (1, FETCH * 3));
}
