//! The hand client reads a chunked body from a real server: axum (hyper)
//! sends a body of unknown length in chunks, one per piece of a stream.

use std::convert::Infallible;

use axum::body::Body;
use event_loop::hand::EventLoop;
use libraries::hand;
use timeline::testing::within;

#[test]
fn the_hand_client_reads_hypers_chunked_body() {
    let response = within(|| {
        let runtime = tokio::runtime::Runtime::new().expect("a runtime");
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .expect("a loopback port");
        let addr = listener.local_addr().expect("its address");
        let router = axum::Router::new().route(
            "/stream",
            axum::routing::get(|| async {
                let pieces = ["Hello", ", ", "chunks"].map(Ok::<_, Infallible>);
                Body::from_stream(futures::stream::iter(pieces))
            }),
        );
        runtime.spawn(async move { axum::serve(listener, router).await });
        let response = EventLoop::new().run_until_complete(hand::get(addr, "/stream"));
        drop(runtime);
        response.expect("a whole response")
    });
    assert_eq!(response.status, 200);
    assert_eq!(response.header("transfer-encoding"), Some("chunked"));
    assert_eq!(response.body, b"Hello, chunks");
}
