//! `with_connection` closes the connection on success, on an error and on
//! a panic, and the body's result (or panic) comes back once it is closed.
//! What no scope can do: close when its own future is dropped.
//!
//! Run with `cargo test -p ch6-with-connection`. The tests run on chapter
//! 4's loop with virtual time: every time below is exact.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::Duration;

use ch6_with_connection::{CLOSE, CONNECT, DbError, QUERY, Server, with_connection};
use event_loop::hand::{EventLoop, now, sleep};

fn virtual_loop() -> EventLoop {
    EventLoop::builder()
        .virtual_time()
        .build()
        .expect("a poller")
}

#[test]
fn step_1_the_body_gets_an_open_connection_and_its_result_comes_back() {
    let server = Server::new();
    let result = virtual_loop().block_on(with_connection(&server, async |conn| {
        conn.query("SELECT * FROM users").await
    }));
    assert_eq!(result, Ok("rows of \"SELECT * FROM users\"".to_string()));
}

#[test]
fn step_2_the_close_is_awaited_before_the_result_comes_back() {
    let server = Server::new();
    let event_loop = virtual_loop();
    let took = event_loop.block_on(async {
        let started = now();
        let result = with_connection(&server, async |conn| {
            conn.query("SELECT * FROM users").await?;
            conn.query("SELECT * FROM orders").await
        })
        .await;
        assert!(result.is_ok());
        assert_eq!(server.closed(), 1, "closed by the time the result is back");
        now() - started
    });
    assert_eq!(took, CONNECT + QUERY * 2 + CLOSE);
    assert_eq!((server.open_now(), server.leaked()), (0, 0));
}

#[test]
fn step_3_an_error_from_the_body_still_closes_the_connection() {
    let server = Server::new();
    let result = virtual_loop().block_on(with_connection(&server, async |conn| {
        conn.query("SELECT * FROM users").await?;
        conn.query("SELECT FAIL").await?;
        conn.query("never sent").await
    }));
    assert_eq!(result, Err(DbError("cannot run \"SELECT FAIL\"".into())));
    assert_eq!((server.closed(), server.leaked()), (1, 0));
}

#[test]
fn step_4_a_panic_in_the_body_still_closes_then_the_panic_goes_on() {
    let server = Server::new();
    let event_loop = virtual_loop();
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        event_loop.block_on(with_connection(
            &server,
            async |conn| -> Result<(), DbError> {
                conn.query("SELECT * FROM users").await?;
                panic!("the body gave up");
            },
        ))
    }));
    let payload = outcome.expect_err("the body's panic goes on to the caller");
    let message = payload.downcast_ref::<&str>().copied();
    assert_eq!(message, Some("the body gave up"), "the body's own panic");
    assert_eq!((server.closed(), server.leaked()), (1, 0));
}

#[test]
fn step_5_no_scope_can_close_when_its_own_future_is_dropped() {
    // A timeout drops `with_connection`'s future in the body: nothing of
    // it runs again, so the close never starts. The connection is dropped
    // open, and its `Drop` counts the leak. (Chapter 6's guard that spawns
    // its close is the way around this.)
    let server = Server::new();
    let event_loop = virtual_loop();
    let finished = event_loop.block_on(async {
        let ours = server.clone();
        let scope = async move {
            with_connection(&ours, async |conn| {
                conn.query("SELECT * FROM users").await?;
                sleep(Duration::from_secs(3600)).await; // the server hangs
                Ok(())
            })
            .await
        };
        let handle = event_loop::hand::spawn(scope);
        sleep(CONNECT + QUERY * 2).await;
        handle.abort();
        handle.await.is_ok()
    });
    assert!(!finished, "aborted");
    assert_eq!((server.closed(), server.leaked()), (0, 1));
}
