//! When `std::sync::Mutex` is right in async code, and when it is wrong.
//!
//! It is right when its guard never crosses an `.await`: lock, change the
//! value, unlock, all between two awaits. It is faster than any async lock
//! (no waker, no line), and tokio's own documentation recommends it for
//! plain shared data. Every primitive in [`hand`](crate::hand) keeps its
//! state in one, held for a few instructions.
//!
//! It is wrong when the guard is held across an `.await`, for two reasons.
//!
//! **The future is not `Send`.** `std::sync::MutexGuard` is `!Send` (the
//! operating system's lock must be released by the thread that took it), so
//! a future holding it across an `.await` is `!Send`, and `tokio::spawn`
//! refuses it. This must fail to compile (`cargo test -p locks --doc`):
#![doc = concat!(
    "```compile_fail\n",
    include_str!("../snippets/guard_across_await.rs"),
    "```\n"
)]
//! while the same task with the guard dropped before the `.await` compiles
//! and runs:
#![doc = concat!("```\n", include_str!("../snippets/guard_dropped_before_await.rs"), "```\n")]
//!
//! **On one thread it deadlocks.** On a single-threaded runtime (ours,
//! tokio's current-thread, a `LocalSet`), no `Send` is needed, so the
//! mistake compiles; when a second task then calls `lock`, it blocks the
//! thread, and the task holding the guard can never run again to release
//! it. `tests/differences.rs` shows it (`std_guard_across_an_await_deadlocks_our_loop`).
//!
//! Clippy's `await_holding_lock` lint names the mistake at compile time.
//! [`add_across_an_await`] below makes it on purpose, under
//! `#[expect(clippy::await_holding_lock)]`: `cargo clippy -- -D warnings`
//! (CI runs it) fails if the lint ever stops firing there, so the claim
//! that clippy catches it is checked on every build.

use std::future::Future;
use std::sync::{Mutex, PoisonError};

// ANCHOR: right
/// Right: the guard is dropped at the end of its block, before the await.
pub async fn add_then_wait(counter: &Mutex<u64>, io: impl Future<Output = ()>) {
    {
        let mut value = counter.lock().unwrap_or_else(PoisonError::into_inner);
        *value += 1;
    }
    io.await;
}
// ANCHOR_END: right

// ANCHOR: wrong
/// Wrong, on purpose: the std guard is held across the await. Clippy says
/// so; `expect` makes the build fail if it ever stops saying so.
#[expect(clippy::await_holding_lock)]
pub async fn add_across_an_await(counter: &Mutex<u64>, io: impl Future<Output = ()>) {
    let mut value = counter.lock().unwrap_or_else(PoisonError::into_inner);
    io.await;
    *value += 1;
}
// ANCHOR_END: wrong
