//! The claims of the chapter's map, each held to a test: which of these
//! libraries run off tokio, and which do not.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::Duration;

use event_loop::hand::EventLoop;
use libraries::server::{Config, Server};
use libraries::store::Source;
use libraries::{Fetched, hand};
use timeline::testing::within;

/// Runs `work`, which must panic, and returns its message.
fn panic_message(work: impl FnOnce()) -> String {
    let payload = catch_unwind(AssertUnwindSafe(work)).expect_err("it panics");
    if let Some(message) = payload.downcast_ref::<&str>() {
        message.to_string()
    } else if let Some(message) = payload.downcast_ref::<String>() {
        message.clone()
    } else {
        String::new()
    }
}

fn server() -> Server {
    Server::start(Config::new(Source::Memory, Duration::ZERO))
        .expect("the server starts")
}

// ANCHOR: no_reactor
#[test]
fn reqwest_on_our_loop_panics_for_want_of_tokios_reactor() {
    let message = within(|| {
        let server = server();
        let url = format!("{}/api/posts", server.base_url());
        panic_message(|| {
            let client = reqwest::Client::new();
            EventLoop::new()
                .run_until_complete(client.get(url).send())
                .ok();
        })
    });
    assert!(message.contains("no reactor running"), "{message}");
    assert!(message.contains("Tokio 1.x runtime"), "{message}");
}
// ANCHOR_END: no_reactor

#[test]
fn reqwest_on_smol_panics_the_same() {
    let message = within(|| {
        let server = server();
        let url = format!("{}/api/posts", server.base_url());
        panic_message(|| {
            let client = reqwest::Client::new();
            smol::block_on(client.get(url).send()).ok();
        })
    });
    assert!(message.contains("no reactor running"), "{message}");
}

#[test]
fn the_hand_client_runs_on_our_loop_with_no_tokio_in_reach() {
    let (tokio_here, fetched) = within(|| {
        let server = server();
        EventLoop::new().run_until_complete(async move {
            let tokio_here = tokio::runtime::Handle::try_current().is_ok();
            (tokio_here, hand::fetch(server.addr(), "api/posts").await)
        })
    });
    assert!(!tokio_here);
    assert!(matches!(fetched, Ok(Fetched::Items(_))), "{fetched:?}");
}

#[test]
fn a_sqlx_connection_runs_on_our_loop_but_its_pool_needs_tokio() {
    within(|| {
        // One connection: its statements run on its own thread, and the
        // async side only waits on channels, which any executor can do.
        let users = EventLoop::new()
            .run_until_complete(context_managers::sqlite::connect_query_close());
        assert_eq!(users.expect("SQLite answers"), 1);
        // The pool times its acquires and spawns its upkeep: tokio's.
        let message = panic_message(|| {
            let pool =
                sqlx::sqlite::SqlitePoolOptions::new().connect("sqlite::memory:");
            EventLoop::new().run_until_complete(pool).ok();
        });
        assert!(message.contains("requires a Tokio context"), "{message}");
    });
}

#[test]
fn axums_router_is_a_service_any_executor_can_call() {
    use axum::body::Body;
    use axum::http::{Request, StatusCode};
    use tower::ServiceExt;

    // `axum::serve` needs tokio (its listener and its tasks); the router
    // itself is a tower `Service`: a future per request, for anyone to poll.
    let router =
        axum::Router::new().route("/", axum::routing::get(|| async { "hello" }));
    let request = Request::get("/").body(Body::empty()).expect("a request");
    let status = within(move || {
        let response = EventLoop::new().run_until_complete(router.oneshot(request));
        response.expect("the router never fails").status()
    });
    assert_eq!(status, StatusCode::OK);
}
