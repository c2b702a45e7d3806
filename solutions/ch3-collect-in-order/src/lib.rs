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
pub async fn fetch_all(requests: &[Request]) -> Vec<Result<String, FetchError>> {
    // Every task starts before any is awaited: `tokio::spawn` runs the fetch
    // whether or not its handle is awaited, so all the delays overlap. The
    // handles stay in the order of the requests. (`Request` is `Copy`: each
    // task owns its request, as a spawned task must own what it uses.)
    let handles: Vec<_> = requests
        .iter()
        .map(|request| tokio::spawn(fetch(*request)))
        .collect();
    // Awaiting them in order gives the results in order; a task that is
    // awaited late has been running all along, so this costs no time.
    let mut results = Vec::with_capacity(handles.len());
    for handle in handles {
        let result = match handle.await {
            // The fetch ran to its end: its own result, success or failure.
            Ok(result) => result,
            // The task panicked (nothing here aborts one, so a `JoinError` is
            // a panic). tokio caught it in the task, and the other tasks run
            // on; the panic's value says what went wrong.
            Err(error) => Err(FetchError::Crashed(panic_message(error.into_panic()))),
        };
        results.push(result);
    }
    results
}
