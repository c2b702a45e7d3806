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

// ANCHOR: hyper_io
/// Our loop's socket, seen through hyper's own I/O traits: all hyper needs
/// to run on a runtime that is not tokio.
struct HyperIo(event_loop::hand::TcpStream);

impl hyper::rt::Read for HyperIo {
    fn poll_read(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        mut buf: hyper::rt::ReadBufCursor<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        let mut bytes = vec![0; buf.remaining()];
        self.0
            .poll_read(cx, &mut bytes)
            .map_ok(|read| buf.put_slice(&bytes[..read]))
    }
}

impl hyper::rt::Write for HyperIo {
    fn poll_write(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        bytes: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        self.0.poll_write(cx, bytes)
    }

    fn poll_flush(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::task::Poll::Ready(Ok(())) // nothing is buffered on our side
    }

    fn poll_shutdown(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::task::Poll::Ready(self.0.shutdown(std::net::Shutdown::Write))
    }
}
// ANCHOR_END: hyper_io

#[test]
fn hypers_server_serves_an_axum_router_on_our_loop() {
    use axum::body::Body;
    use axum::extract::Path;
    use axum::http::Request;
    use event_loop::hand::{TcpListener, spawn};
    use tower::ServiceExt;

    let fetched = within(|| {
        EventLoop::new().run_until_complete(async {
            let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
            let addr = listener.local_addr().expect("its address");
            let router = axum::Router::new().route(
                "/api/{name}",
                axum::routing::get(|Path(name): Path<String>| async move {
                    let items = vec!["served by hyper on our loop".to_string()];
                    axum::Json(libraries::Items {
                        url: format!("api/{name}"),
                        items,
                    })
                }),
            );
            let server = spawn(async move {
                let (stream, _) = listener.accept().await.expect("a client");
                let service = hyper::service::service_fn(move |request: Request<_>| {
                    router.clone().oneshot(request.map(Body::new))
                });
                hyper::server::conn::http1::Builder::new()
                    .header_read_timeout(None) // it would need a timer: tokio's, or ours
                    .serve_connection(HyperIo(stream), service)
                    .await
            });
            let fetched = hand::fetch(addr, "api/posts").await;
            let served = server.await.expect("the server task does not panic");
            served.expect("hyper served the connection");
            fetched
        })
    });
    let line = libraries::result_line("api/posts", &fetched);
    assert_eq!(line, "api/posts: 200 OK: served by hyper on our loop");
}
