//! Chapter 1 exercise: greetings that run one after the other, made to run at
//! once.
//!
//! Each greeting pauses before it answers. Awaited in turn, three greetings take
//! three pauses; started together, they take one.
//!
//! Check your work with `cargo test -p ch1-concurrent`.
#![forbid(unsafe_code)]

use std::time::Duration;

/// Pauses, then returns the greeting for `name`.
pub async fn greet(name: &str, pause: Duration) -> String {
    tokio::time::sleep(pause).await;
    format!("Hello, {name}!")
}

/// Greets everyone in `names`, returning the greetings in the same order.
///
/// One after the other, it would read like this, and take one pause per name:
///
/// ```text
/// let mut greetings = Vec::new();
/// for name in names {
///     greetings.push(greet(name, pause).await);
/// }
/// greetings
/// ```
pub async fn greet_all(names: &[&str], pause: Duration) -> Vec<String> {
    // Calling `greet` only builds a future per name: nothing pauses yet.
    // `join_all` then polls them all in turn, so every pause runs at the same
    // time, and it returns their outputs in the order the futures came in.
    // (`tokio::join!` does the same for a number of futures fixed in the code.)
    let greetings = names.iter().map(|name| greet(name, pause));
    futures::future::join_all(greetings).await
}
