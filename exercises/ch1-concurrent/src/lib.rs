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
// Quiets the warnings for parameters the `todo!()` leaves unused; delete it
// once your code uses them.
#[allow(unused_variables)]
pub async fn greet_all(names: &[&str], pause: Duration) -> Vec<String> {
    // TODO: start every greeting before awaiting any of them, so that all of
    // them pause at the same time: the whole takes one pause, however many
    // names there are. Keep the greetings in the order of `names`.
    todo!()
}
