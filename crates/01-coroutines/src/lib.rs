//! Chapter 1: coroutines. An `async fn` is a state machine that does nothing until
//! something polls it; `block_on` is the smallest thing that polls.
//!
//! The scene: three greeters say hello, pause, and say goodbye. Run together they
//! take one pause in all; awaited one after the other, three.
//!
//! | module | what it shows |
//! |---|---|
//! | [`hand`] | the greeter as a hand-written state machine, a join, a sleep and `block_on`, on `std` only |
//! | [`with_tokio`] | the same with `#[tokio::main]`, an explicit runtime and `tokio::join!` |
//! | [`with_async_std`] | the same on async-std (discontinued: its maintainers point to smol) |
//! | [`with_smol`] | the same on smol |
//!
//! Run it with `cargo run -p coroutines` (every runtime in turn), or
//! `cargo run -p coroutines -- --runtime tokio` for one.
#![forbid(unsafe_code)]

use std::time::Duration;

pub mod hand;
pub mod with_async_std;
pub mod with_smol;
pub mod with_tokio;

// ANCHOR: scene
/// The three greeters of the scene, in the order they start.
pub const NAMES: [&str; 3] = ["Ada", "Grace", "Linus"];

/// How long each greeter pauses between hello and goodbye in the demo.
pub const PAUSE: Duration = Duration::from_secs(1);
// ANCHOR_END: scene
