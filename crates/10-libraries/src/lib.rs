//! Chapter 10: the libraries. asyncio's tutorials end by naming what people
//! build on: aiohttp (HTTP client and server), FastAPI, `databases` and
//! `asyncpg`. This chapter answers "and in Rust?" with running code on real
//! servers: `axum` serves, `reqwest` fetches, `sqlx` queries, all on tokio;
//! and a small HTTP/1.1 client written by hand fetches from the same server
//! on chapter 4's loop.
//!
//! The scene: chapter 3's three fetches, for real. An API on loopback has
//! three endpoints, each with a delay, one of them failing with a status and
//! a JSON error; they are fetched at once, collected in the order asked, in
//! about the slowest one's time. Then the same API answers from SQLite.
//!
//! | module | what it shows |
//! |---|---|
//! | [`server`] | the API on `axum`, on a tokio runtime of its own thread |
//! | [`store`] | where its answers come from: memory, or SQLite through `sqlx` |
//! | [`with_tokio`] | the fetches with `reqwest` on tokio |
//! | [`http`] | an HTTP/1.1 response parser by hand, without I/O |
//! | [`hand`] | the fetches on chapter 4's loop, with that parser on its `TcpStream` |
//!
//! Run it with `cargo run -p libraries` (both clients in turn), or
//! `cargo run -p libraries -- --runtime hand` for one.
#![forbid(unsafe_code)]

use std::fmt;
use std::time::Duration;

use serde::{Deserialize, Serialize};

pub mod hand;
pub mod http;
pub mod server;
pub mod store;
pub mod with_tokio;

// ANCHOR: scene
/// What an endpoint answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// `200 OK` with these items.
    Items(&'static [&'static str]),
    /// `503 Service Unavailable` with this reason.
    Down(&'static str),
}

/// One endpoint of the API: its path, how many [`STEP`]s it takes to
/// answer, and what it answers.
#[derive(Debug, Clone, Copy)]
pub struct Endpoint {
    /// The path without its leading slash, as chapter 3 names the fetches.
    pub url: &'static str,
    /// Its delay, in steps.
    pub steps: u32,
    /// What it answers.
    pub answer: Answer,
}

/// The API, in the order the scene asks: the second answers first, the
/// first answers last, and the third fails.
pub const ENDPOINTS: [Endpoint; 3] = [
    Endpoint {
        url: "api/users",
        steps: 3,
        answer: Answer::Items(&["Ada", "Grace", "Linus"]),
    },
    Endpoint {
        url: "api/posts",
        steps: 1,
        answer: Answer::Items(&["Futures are lazy", "Pin, explained"]),
    },
    Endpoint {
        url: "api/comments",
        steps: 2,
        answer: Answer::Down("the comments service is down for maintenance"),
    },
];

/// The demo's step: the slowest endpoint takes three.
pub const STEP: Duration = Duration::from_millis(500);
// ANCHOR_END: scene

/// The slowest endpoint's delay for a given step: the least the three
/// fetches can take together.
pub fn slowest(step: Duration) -> Duration {
    let steps = ENDPOINTS.iter().map(|e| e.steps).max().unwrap_or(0);
    step * steps
}

// ANCHOR: bodies
/// The body of a `200`: `{"url": "api/users", "items": ["Ada", ...]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Items {
    /// The endpoint that answered.
    pub url: String,
    /// What it holds.
    pub items: Vec<String>,
}

/// The body of any other status: `{"error": "..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    /// What went wrong, in words.
    pub error: String,
}

/// What one fetch brought back, whichever client made it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fetched {
    /// A success, with its items.
    Items(Items),
    /// A status that is not a success, with the server's error message.
    Failed {
        /// The status code.
        status: u16,
        /// Its reason phrase.
        reason: String,
        /// The `error` of the JSON body.
        error: String,
    },
}
// ANCHOR_END: bodies

/// One line of the scene's results: `api/users: 200 OK: Ada, Grace, Linus`,
/// `api/comments: 503 Service Unavailable: ...`, or why the fetch failed.
/// The Python client prints the same lines.
pub fn result_line<E: fmt::Display>(url: &str, result: &Result<Fetched, E>) -> String {
    match result {
        Ok(Fetched::Items(items)) => {
            format!("{url}: 200 OK: {}", items.items.join(", "))
        }
        Ok(Fetched::Failed {
            status,
            reason,
            error,
        }) => format!("{url}: {status} {reason}: {error}"),
        Err(error) => format!("{url}: failed: {error}"),
    }
}

/// An error with its sources, `outer: inner: innermost`: reqwest's errors
/// keep the useful part (hyper's, serde's) in their source.
pub fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(inner) = source {
        let inner_text = inner.to_string();
        if !text.contains(&inner_text) {
            text = format!("{text}: {inner_text}");
        }
        source = inner.source();
    }
    text
}

/// The scene's results, one line each, in the order asked.
pub fn report(lines: &[String]) -> String {
    let mut text = String::new();
    for line in lines {
        text.push_str(line);
        text.push('\n');
    }
    text
}
