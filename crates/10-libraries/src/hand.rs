//! The fetches by hand: a `GET` written on chapter 4's `TcpStream`, its
//! answer read by [`crate::http`]'s parser, its JSON read by `serde_json`,
//! three of them as tasks on chapter 4's loop. No tokio anywhere on this
//! side: the server it talks to runs on tokio, on another thread.
//!
//! What reqwest does beyond this, and this client does not: a pool of
//! kept-alive connections per host, redirects, TLS, HTTP/2, proxies,
//! compressed bodies, timeouts of its own (here chapter 5's `timeout` is
//! wrapped around the whole fetch), and names looked up off the loop.

use std::fmt;
use std::net::SocketAddr;

use event_loop::hand::{EventLoop, TcpStream, spawn};
use tracing::info;

use crate::http::{self, Response, ResponseParser};
use crate::{ApiError, ENDPOINTS, Fetched, Items, result_line};

// ANCHOR: get
/// `GET path` from `addr`, on the loop this runs on: connect, write the
/// request, read until the parser has a whole response or the server
/// closes.
pub async fn get(addr: SocketAddr, path: &str) -> Result<Response, http::Error> {
    let stream = TcpStream::connect(addr).await?;
    stream
        .write_all(&http::get_request(&addr.to_string(), path))
        .await?;
    let mut parser = ResponseParser::new();
    let mut buf = vec![0; 8192];
    loop {
        match stream.read(&mut buf).await? {
            0 => return parser.finish(),
            read => {
                if let Some(response) = parser.push(&buf[..read])? {
                    return Ok(response);
                }
            }
        }
    }
}
// ANCHOR_END: get

/// Why a fetch by hand failed.
#[derive(Debug)]
pub enum FetchError {
    /// No whole HTTP response came.
    Http(http::Error),
    /// A response came, and its body is not the JSON expected.
    Json(serde_json::Error),
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FetchError::Http(error) => write!(f, "{error}"),
            FetchError::Json(error) => {
                write!(f, "the body is not the JSON expected: {error}")
            }
        }
    }
}

impl std::error::Error for FetchError {}

impl From<http::Error> for FetchError {
    fn from(error: http::Error) -> FetchError {
        FetchError::Http(error)
    }
}

impl From<serde_json::Error> for FetchError {
    fn from(error: serde_json::Error) -> FetchError {
        FetchError::Json(error)
    }
}

// ANCHOR: fetch
/// What `reqwest`'s `send` and `json` do, by hand: the items of a success,
/// or the status and message of a failure.
pub async fn fetch(addr: SocketAddr, url: &str) -> Result<Fetched, FetchError> {
    let response = get(addr, &format!("/{url}")).await?;
    if (200..300).contains(&response.status) {
        return Ok(Fetched::Items(serde_json::from_slice::<Items>(
            &response.body,
        )?));
    }
    let ApiError { error } = serde_json::from_slice(&response.body)?;
    Ok(Fetched::Failed {
        status: response.status,
        reason: response.reason,
        error,
    })
}

/// The three fetches as tasks on the loop this runs on, collected in the
/// order asked.
pub async fn fetch_all(addr: SocketAddr) -> Vec<String> {
    let tasks: Vec<_> = ENDPOINTS
        .iter()
        .map(|endpoint| {
            info!("GET {}", endpoint.url);
            spawn(fetch(addr, endpoint.url))
        })
        .collect();
    let mut lines = Vec::new();
    for (task, endpoint) in tasks.into_iter().zip(ENDPOINTS) {
        let result = task.await.expect("a fetch does not panic");
        lines.push(result_line(endpoint.url, &result));
    }
    lines
}
// ANCHOR_END: fetch

/// The fetches on a fresh loop of ours, for `main`.
pub fn run_fetch_all(addr: SocketAddr) -> Vec<String> {
    let event_loop = EventLoop::new();
    let lines = event_loop.run_until_complete(fetch_all(addr));
    for line in &lines {
        info!("{line}");
    }
    lines
}

// ANCHOR: timeout
/// [`fetch`] given at most `limit`, with chapter 5's `timeout` (asyncio's
/// `wait_for`): past it, the fetch is dropped wherever it was waiting, and
/// its socket closed.
pub async fn fetch_within(
    limit: std::time::Duration,
    addr: SocketAddr,
    url: &str,
) -> Result<Result<Fetched, FetchError>, gather_wait::hand::Elapsed> {
    gather_wait::hand::timeout(limit, fetch(addr, url)).await
}
// ANCHOR_END: timeout
