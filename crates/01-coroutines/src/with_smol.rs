//! Chapter 1 on smol, async-std's successor. Here it behaves as async-std does:
//! both sleep on the timers of the same reactor crate, async-io.

use std::time::Duration;

use tracing::info;

use crate::NAMES;

// ANCHOR: greet
/// The greeter with smol's timer: a `Timer` is itself a future.
pub async fn greet(name: &str, pause: Duration) {
    info!("Hello, {name}!");
    smol::Timer::after(pause).await;
    info!("Goodbye, {name}!");
}

/// All three at once.
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

/// smol has no `main` macro: `smol::block_on` is the way in.
pub fn run_greet_all(pause: Duration) {
    smol::block_on(greet_all(pause));
}

/// One after the other, on `smol::block_on`.
pub fn run_greet_one_by_one(pause: Duration) {
    smol::block_on(greet_one_by_one(pause));
}
// ANCHOR_END: greet
