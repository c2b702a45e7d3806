//! Chapter 3 exercise: start one task per request and collect the results in
//! the order asked, while some of the fetches fail.
//!
//! Each fetch waits for its delay before it answers. Started as tasks, all the
//! waits overlap: the whole takes as long as the longest fetch, not the sum.
//!
//! Check your work with `cargo test -p ch3-collect-in-order`.
#![forbid(unsafe_code)]

use std::any::Any;
use std::time::Duration;

/// One address to fetch, and how long its server takes to answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Request {
    /// The address, such as `"api/users"`.
    pub url: &'static str,
    /// How long the answer takes.
    pub delay: Duration,
}

/// Why a fetch gave no answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchError {
    /// The server answered that there is nothing at this address.
    NotFound(&'static str),
    /// The task that fetched panicked; this is the panic's message.
    Crashed(String),
}

/// Fetches `request.url`. Addresses that contain `missing` are not found; an
/// address that contains `crash` makes the fetch panic.
pub async fn fetch(request: Request) -> Result<String, FetchError> {
    tokio::time::sleep(request.delay).await;
    let url = request.url;
    if url.contains("missing") {
        return Err(FetchError::NotFound(url));
    }
    if url.contains("crash") {
        panic!("the server behind {url} crashed");
    }
    Ok(format!("{url} 200 OK"))
}

/// The message of a panic, from the value a `JoinError::into_panic` gives.
pub fn panic_message(payload: Box<dyn Any + Send>) -> String {
    match payload.downcast::<String>() {
        Ok(message) => *message,
        Err(payload) => match payload.downcast::<&str>() {
            Ok(message) => message.to_string(),
            Err(_) => "a panic whose value is not a message".to_string(),
        },
    }
}

/// Fetches every request at once, each in a task of its own, and returns one
/// result per request, in the order of `requests`: a fetch that fails or
/// panics is reported in its place, and the others still give their answers.
// Quiets the warning for the parameter the `todo!()` leaves unused; delete it
// once your code uses it.
#[allow(unused_variables)]
pub async fn fetch_all(requests: &[Request]) -> Vec<Result<String, FetchError>> {
    // TODO: start every fetch as a task first (`tokio::spawn`), keeping the
    // handles in order; then await each handle in turn. A handle gives
    // `Err(JoinError)` when its task panicked: report that in its place as
    // `FetchError::Crashed` with the panic's message.
    todo!()
}
