//! Chapter 1 on async-std. Its maintainers have discontinued it and point to
//! smol; it stays here because much existing code and many tutorials use it.

use std::time::Duration;

use tracing::info;

use crate::NAMES;

// ANCHOR: greet
/// The greeter with async-std's sleep.
pub async fn greet(name: &str, pause: Duration) {
    info!("Hello, {name}!");
    async_std::task::sleep(pause).await;
    info!("Goodbye, {name}!");
}

/// All three at once, with the `futures` crate's `join!`.
pub async fn greet_all(pause: Duration) {
    let [a, b, c] = NAMES;
    futures::join!(greet(a, pause), greet(b, pause), greet(c, pause));
}

/// One after the other.
pub async fn greet_one_by_one(pause: Duration) {
    for name in NAMES {
        greet(name, pause).await;
    }
}
// ANCHOR_END: greet

// ANCHOR: main
/// `task::block_on` runs a future on the calling thread until it is done.
/// (`#[async_std::main]` does the same for `main`, and only for `main`.)
pub fn run_greet_all(pause: Duration) {
    async_std::task::block_on(greet_all(pause));
}

/// One after the other, on `task::block_on` too.
pub fn run_greet_one_by_one(pause: Duration) {
    async_std::task::block_on(greet_one_by_one(pause));
}
// ANCHOR_END: main
