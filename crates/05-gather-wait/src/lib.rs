//! Chapter 5: gather and wait, task groups, timeouts, and what cancellation
//! costs.
//!
//! asyncio waits on many things at once in several ways: `gather`, `wait`
//! with its three return modes, `wait_for` and `timeout`, `as_completed`
//! and `TaskGroup`. This chapter builds each by hand as a plain future on
//! chapter 4's loop, holds it against tokio, async-std and smol, and then
//! measures what cancellation costs with a lab that drops a future after
//! every possible number of polls.
//!
//! | module | what it shows |
//! |---|---|
//! | [`lab`] | the cancellation-safety lab: drop after every poll, check an invariant |
//! | [`channel`] | a small hand-rolled channel whose `recv` is cancel-safe |
//!
//! Run it with `cargo run -p gather-wait`.
#![forbid(unsafe_code)]

pub mod channel;
pub mod lab;
