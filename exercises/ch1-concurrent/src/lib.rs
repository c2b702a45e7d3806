//! Chapter 1 exercise: greetings that run one after the other, made to run at once.

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
// The parameters are unused until you write the body.
#[allow(unused_variables)]
pub async fn greet_all(names: &[&str], pause: Duration) -> Vec<String> {
    // TODO: start every greeting before awaiting any of them, so that all of
    // them pause at the same time: the whole takes one pause, however many
    // names there are. Keep the greetings in the order of `names`.
    todo!()
}
