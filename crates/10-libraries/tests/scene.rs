//! The whole scene on loopback: statuses, bodies, order and overlap.
//!
//! Overlap is proven by the server, not by the clock: its handlers wait at a
//! gate until all three requests are in, and it counts the most in flight
//! at once. A client that fetched one after another would leave it at 1.
//! The clock gives only a lower bound: no answer before its delay.

use std::time::{Duration, Instant};

use event_loop::hand::EventLoop;
use libraries::server::{Config, Server};
use libraries::store::Source;
use libraries::{hand, report, slowest, with_tokio};
use timeline::testing::{check_output, within};

const STEP: Duration = Duration::from_millis(100);

fn gated(source: Source) -> Server {
    let config = Config {
        source,
        step: STEP,
        gate: 3,
    };
    Server::start(config).expect("the server starts")
}

/// Checks one run: the recorded lines, three at once, no faster than the
/// slowest endpoint.
fn check_run(server: &Server, lines: &[String], took: Duration) {
    check_output(env!("CARGO_MANIFEST_DIR"), "fetch_in_order", &report(lines));
    assert_eq!(server.stats().most_in_flight(), 3, "the fetches overlapped");
    assert_eq!(server.stats().answered(), 3);
    assert!(
        took >= slowest(STEP),
        "{took:?} is less than the slowest delay"
    );
}

fn with_reqwest(source: Source) {
    within(move || {
        let server = gated(source);
        let runtime = tokio::runtime::Runtime::new().expect("a runtime");
        let started = Instant::now();
        let client = reqwest::Client::new();
        let lines =
            runtime.block_on(with_tokio::fetch_all(&client, &server.base_url()));
        check_run(&server, &lines, started.elapsed());
    });
}

#[test]
fn reqwest_fetches_at_once_and_collects_in_order() {
    with_reqwest(Source::Memory);
}

#[test]
fn reqwest_fetches_from_the_sqlite_api_the_same() {
    with_reqwest(Source::Sqlite);
}

#[test]
fn the_hand_client_fetches_at_once_on_our_loop_and_collects_in_order() {
    within(|| {
        let server = gated(Source::Memory);
        let started = Instant::now();
        let lines = EventLoop::new().run_until_complete(hand::fetch_all(server.addr()));
        check_run(&server, &lines, started.elapsed());
    });
}

#[test]
fn the_hand_client_fetches_from_the_sqlite_api_the_same() {
    within(|| {
        let server = gated(Source::Sqlite);
        let started = Instant::now();
        let lines = EventLoop::new().run_until_complete(hand::fetch_all(server.addr()));
        check_run(&server, &lines, started.elapsed());
    });
}

#[test]
fn a_sequential_client_is_caught_by_the_in_flight_count() {
    // The proof above must be able to fail: one fetch after another, on an
    // ungated server, never has more than one request in flight.
    within(|| {
        let server = Server::start(Config::new(Source::Memory, Duration::ZERO))
            .expect("the server starts");
        let runtime = tokio::runtime::Runtime::new().expect("a runtime");
        runtime.block_on(async {
            let client = reqwest::Client::new();
            for endpoint in libraries::ENDPOINTS {
                let _ =
                    with_tokio::fetch(&client, &server.base_url(), endpoint.url).await;
            }
        });
        assert_eq!(server.stats().most_in_flight(), 1);
    });
}

#[test]
fn an_unknown_endpoint_is_a_404_with_a_json_error() {
    within(|| {
        let server = Server::start(Config::new(Source::Sqlite, Duration::ZERO))
            .expect("the server starts");
        let runtime = tokio::runtime::Runtime::new().expect("a runtime");
        let client = reqwest::Client::new();
        let fetched = runtime
            .block_on(with_tokio::fetch(&client, &server.base_url(), "api/likes"))
            .expect("an answer");
        let line = libraries::result_line::<String>("api/likes", &Ok(fetched));
        assert_eq!(line, "api/likes: 404 Not Found: no endpoint api/likes");
    });
}
