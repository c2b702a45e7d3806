//! Chapter 1 on tokio.

use std::time::Duration;

use tracing::info;

use crate::NAMES;

// ANCHOR: greet
/// The greeter: only the sleep differs from the hand-rolled `async fn`.
pub async fn greet(name: &str, pause: Duration) {
    info!("Hello, {name}!");
    tokio::time::sleep(pause).await;
    info!("Goodbye, {name}!");
}

/// All three at once. `join!` polls its futures in turn inside one task, like
/// our hand-rolled `join_all` (it rotates which one goes first, for fairness).
pub async fn greet_all(pause: Duration) {
    let [a, b, c] = NAMES;
    tokio::join!(greet(a, pause), greet(b, pause), greet(c, pause));
}

/// One after the other.
pub async fn greet_one_by_one(pause: Duration) {
    for name in NAMES {
        greet(name, pause).await;
    }
}
// ANCHOR_END: greet

// ANCHOR: main
/// `#[tokio::main]` turns an `async fn` into a plain one that builds a runtime
/// (multi-threaded by default) and blocks on the body. It works on any function,
/// not only on `main`, but each call builds a new runtime and drops it before
/// returning, and a call from inside a runtime panics.
#[tokio::main]
pub async fn run_greet_all(pause: Duration) {
    greet_all(pause).await;
}
// ANCHOR_END: main

// ANCHOR: explicit
/// The same without the macro: build the runtime yourself. A current-thread
/// runtime runs everything on the calling thread, like our `block_on`.
pub fn run_greet_one_by_one(pause: Duration) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a runtime with only a timer builds on any supported system");
    runtime.block_on(greet_one_by_one(pause));
}
// ANCHOR_END: explicit
