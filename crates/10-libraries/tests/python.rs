//! The Python side against the Rust side: aiohttp fetches from the axum
//! server, reqwest and the hand client from the FastAPI one, and each
//! prints the same lines. Skipped, with a message, without the packages.

mod support;

use std::time::Duration;

use event_loop::hand::EventLoop;
use libraries::server::{Config, Server};
use libraries::store::Source;
use libraries::{hand, with_tokio};
use support::{PythonServer, listing, python_packages};
use timeline::testing::within;

fn recorded() -> Vec<String> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/outputs/fetch_in_order.txt"
    );
    let text = std::fs::read_to_string(path).expect("the recorded scene");
    text.lines().map(str::to_string).collect()
}

#[test]
fn aiohttp_fetches_the_same_lines_from_the_axum_server() {
    if !python_packages() {
        return;
    }
    let lines = within(|| {
        let server =
            Server::start(Config::new(Source::Sqlite, Duration::from_millis(50)))
                .expect("the server starts");
        timeline::python::run(listing("client.py"), &[&server.base_url()])
    });
    assert_eq!(lines.expect("python3 is installed"), recorded());
}

#[test]
fn reqwest_fetches_the_same_lines_from_the_fastapi_server() {
    if !python_packages() {
        return;
    }
    let lines = within(|| {
        let server = PythonServer::start(Duration::from_millis(50));
        let runtime = tokio::runtime::Runtime::new().expect("a runtime");
        let client = reqwest::Client::new();
        runtime.block_on(with_tokio::fetch_all(&client, &server.base_url()))
    });
    assert_eq!(lines, recorded());
}

#[test]
fn the_hand_client_fetches_the_same_lines_from_the_fastapi_server() {
    if !python_packages() {
        return;
    }
    let lines = within(|| {
        // uvicorn answers with a Content-Length; this covers its head too.
        let server = PythonServer::start(Duration::from_millis(50));
        EventLoop::new().run_until_complete(hand::fetch_all(server.addr))
    });
    assert_eq!(lines, recorded());
}
