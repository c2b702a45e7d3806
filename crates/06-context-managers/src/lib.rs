//! Chapter 6: async context managers, and cleanup without async `Drop`.
//! asyncio's `async with` awaits `__aenter__` and `__aexit__`, so a
//! connection is closed with awaits whether the body returned, raised, or
//! was cancelled. A Rust destructor cannot await. This chapter shows what a
//! Rust program does instead, what each way costs on each runtime, and the
//! same lessons on a real database (SQLite through `sqlx`).
//!
//! The scene: a database connection whose connect takes 1 s, two queries
//! 0.5 s each, and close 0.5 s; then the same with the body failing,
//! panicking, timed out, aborted, and cut short by the runtime's end.
//!
//! | module | what it shows |
//! |---|---|
//! | [`db`] | the simulated database and its connection, on any runtime |
//! | [`patterns`] | explicit close, `with_connection`, two guards |
//! | [`paths`] | the six cleanup paths, driven the same way on every runtime |
//! | [`hand`] | the patterns on chapter 4's loop; its graceful shutdown |
//! | [`with_tokio`] | tokio: a dropped runtime, `shutdown_timeout`, its `Mutex` guard |
//! | [`with_async_std`] | async-std (discontinued: smol succeeds it) |
//! | [`with_smol`] | smol's global executor and its local one |
//! | [`sqlite`] | a real SQLite through `sqlx`: close, transactions, timeouts |
//! | [`defer`] | `scopeguard`'s `defer!`, and why it cannot await |
//!
//! Run it with `cargo run -p context-managers` (every runtime in turn), or
//! `cargo run -p context-managers -- --runtime tokio` for one.
#![forbid(unsafe_code)]

use std::time::Duration;

pub mod db;
pub mod defer;
pub mod hand;
pub mod paths;
pub mod patterns;
pub mod sqlite;
pub mod with_async_std;
pub mod with_smol;
pub mod with_tokio;

// ANCHOR: scene
/// How long a connect takes.
pub const CONNECT: Duration = Duration::from_secs(1);

/// How long each query takes.
pub const QUERY: Duration = Duration::from_millis(500);

/// How long a close takes.
pub const CLOSE: Duration = Duration::from_millis(500);

/// The scene's two queries.
pub const QUERIES: [&str; 2] = ["SELECT * FROM users", "SELECT * FROM orders"];
// ANCHOR_END: scene
