//! What goes wrong, and what each client says: a server that closes in the
//! middle of a body, an endpoint slower than the client waits, a body that
//! is not the JSON expected.

mod support;

use std::time::{Duration, Instant};

use event_loop::hand::EventLoop;
use libraries::hand::{self, FetchError};
use libraries::http;
use libraries::server::{Config, Server};
use libraries::store::Source;
use libraries::{error_chain, with_tokio};
use support::raw_server;
use timeline::testing::within;

/// Headers that promise 100 bytes, then 10 of them, then the close.
const CUT_SHORT: &[u8] =
    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n0123456789";

/// A whole response whose JSON lacks the field `url`.
const BAD_JSON: &[u8] =
    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 16\r\n\r\n{\"items\": [\"a\"]}";

fn reqwest_fetch(client: reqwest::Client, base: String) -> reqwest::Error {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    runtime
        .block_on(with_tokio::fetch(&client, &base, "api/users"))
        .expect_err("the fetch fails")
}

fn hand_fetch(addr: std::net::SocketAddr) -> FetchError {
    EventLoop::new()
        .run_until_complete(hand::fetch(addr, "api/users"))
        .expect_err("the fetch fails")
}

#[test]
fn a_body_cut_short_is_a_body_error_from_reqwest() {
    let error = within(|| {
        let addr = raw_server(CUT_SHORT, 1);
        reqwest_fetch(reqwest::Client::new(), format!("http://{addr}"))
    });
    let text = error_chain(&error);
    // `json()` reads the body first: its failure comes back as a decode error.
    assert!(error.is_decode(), "{text}");
    // hyper's words, in the error's source: the body ended early.
    assert!(
        text.contains("end of file before message length reached"),
        "{text}"
    );
}

#[test]
fn a_body_cut_short_is_cut_short_for_the_hand_client() {
    let error = within(|| hand_fetch(raw_server(CUT_SHORT, 1)));
    assert!(
        matches!(&error, FetchError::Http(http::Error::CutShort(_))),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "the connection closed after 10 of 100 body bytes"
    );
}

#[test]
fn reqwest_gives_up_on_a_slow_endpoint_at_its_timeout() {
    let (error, took) = within(|| {
        // api/users takes three steps: 30 s.
        let server =
            Server::start(Config::new(Source::Memory, Duration::from_secs(10)))
                .expect("the server starts");
        let client = with_tokio::client_with_timeout(Duration::from_millis(200));
        let started = Instant::now();
        let error = reqwest_fetch(client, server.base_url());
        (error, started.elapsed())
    });
    assert!(error.is_timeout(), "{}", error_chain(&error));
    assert!(took >= Duration::from_millis(200), "{took:?}");
    assert!(
        took < Duration::from_secs(10),
        "{took:?}: not cut at the timeout"
    );
}

#[test]
fn chapter_5s_timeout_cuts_the_hand_client_on_a_slow_endpoint() {
    let (result, took) = within(|| {
        let server =
            Server::start(Config::new(Source::Memory, Duration::from_secs(10)))
                .expect("the server starts");
        let started = Instant::now();
        let limit = Duration::from_millis(200);
        let result = EventLoop::new().run_until_complete(hand::fetch_within(
            limit,
            server.addr(),
            "api/users",
        ));
        (result.map(|fetched| fetched.is_ok()), started.elapsed())
    });
    assert_eq!(result, Err(gather_wait::hand::Elapsed));
    assert!(took >= Duration::from_millis(200), "{took:?}");
    assert!(
        took < Duration::from_secs(10),
        "{took:?}: not cut at the timeout"
    );
}

#[test]
fn bad_json_is_a_decode_error_from_reqwest_naming_the_missing_field() {
    let error = within(|| {
        let addr = raw_server(BAD_JSON, 1);
        reqwest_fetch(reqwest::Client::new(), format!("http://{addr}"))
    });
    let text = error_chain(&error);
    assert!(error.is_decode(), "{text}");
    assert!(text.starts_with("error decoding response body"), "{text}");
    assert!(text.contains("missing field `url`"), "{text}");
}

#[test]
fn bad_json_is_a_json_error_from_the_hand_client_naming_the_missing_field() {
    let error = within(|| hand_fetch(raw_server(BAD_JSON, 1)));
    assert!(matches!(error, FetchError::Json(_)), "{error:?}");
    assert_eq!(
        error.to_string(),
        "the body is not the JSON expected: missing field `url` at line 1 column 16"
    );
}

fn nothing_listening() -> std::net::SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    listener.local_addr().expect("its address")
} // closed: nothing listens there now

#[test]
fn a_server_that_is_not_there_is_a_connect_error_from_reqwest() {
    let addr = nothing_listening();
    let error =
        within(move || reqwest_fetch(reqwest::Client::new(), format!("http://{addr}")));
    assert!(error.is_connect(), "{}", error_chain(&error));
}

#[test]
fn a_server_that_is_not_there_is_an_io_error_for_the_hand_client() {
    let addr = nothing_listening();
    let error = within(move || hand_fetch(addr));
    assert!(
        matches!(error, FetchError::Http(http::Error::Io(_))),
        "{error:?}"
    );
}
