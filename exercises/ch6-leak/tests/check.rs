//! Every way `report` ends leaves no connection open: the server's count
//! is back to zero after a report for a known user, an unknown user, and a
//! user whose query fails, alone or many at once.
//!
//! Run with `cargo test -p ch6-leak`. The tests run on chapter 4's loop
//! with virtual time.

use ch6_leak::{ReportError, STEP, Server, report};
use event_loop::hand::{EventLoop, now, spawn};

fn virtual_loop() -> EventLoop {
    EventLoop::builder()
        .virtual_time()
        .build()
        .expect("a poller")
}

#[test]
fn step_1_an_unknown_user_leaves_no_connection_open() {
    let server = Server::new();
    let result = virtual_loop().block_on(report(&server, "nobody"));
    assert_eq!(result, Err(ReportError::NoSuchUser("nobody".into())));
    assert_eq!(server.open_now(), 0, "the connection leaked");
}

#[test]
fn step_2_a_failed_query_leaves_no_connection_open() {
    let server = Server::new();
    let result = virtual_loop().block_on(report(&server, "mallory"));
    assert!(matches!(result, Err(ReportError::Query(_))), "{result:?}");
    assert_eq!(server.open_now(), 0, "the connection leaked");
}

#[test]
fn step_3_a_known_user_gets_the_orders_and_the_connection_is_closed() {
    let server = Server::new();
    let event_loop = virtual_loop();
    let (result, took) = event_loop.block_on(async {
        let started = now();
        let result = report(&server, "grace").await;
        (result, now() - started)
    });
    assert_eq!(result, Ok(vec!["order 2-1".into(), "order 2-2".into()]));
    assert_eq!(server.open_now(), 0);
    assert_eq!(took, STEP * 4, "connect, two queries, close");
}

#[test]
fn step_4_many_reports_at_once_leave_nothing_open() {
    let server = Server::new();
    let event_loop = virtual_loop();
    let names: [&'static str; 6] = ["ada", "nobody", "grace", "mallory", "ada", "eve"];
    let failures = event_loop.block_on(async {
        let tasks: Vec<_> = names
            .into_iter()
            .map(|name| {
                let server = server.clone();
                spawn(async move { report(&server, name).await.is_err() })
            })
            .collect();
        let mut failures = 0;
        for task in tasks {
            failures += u32::from(task.await.expect("a report does not panic"));
        }
        failures
    });
    assert_eq!(failures, 3);
    assert_eq!(server.open_now(), 0, "connections leaked");
}
