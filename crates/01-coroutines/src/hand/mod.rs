//! Chapter 1 built by hand, on `std` only.
//!
//! - [`greeter`]: the greeter twice, as an `async fn` and as the enum state
//!   machine the compiler makes of it.
//! - [`sleep`]: a leaf future that completes after a pause. Shortcut: one thread
//!   per sleep; chapter 4 replaces it with the event loop's timer heap.
//! - [`join`]: polls several futures until all are done, outputs in input order.
//! - [`block_on`]: runs one future to completion on the current thread.

pub mod block_on;
pub mod greeter;
pub mod join;
pub mod sleep;

pub use block_on::block_on;
pub use greeter::{Greet, greet, greet_async};
pub use join::{JoinAll, join_all};
pub use sleep::{Sleep, sleep};

use crate::NAMES;
use std::time::Duration;

// ANCHOR: together
/// All three greeters at once: one pause in all. `Box::pin` gives each
/// `async fn` future a fixed place, which our `join_all` needs.
pub fn greet_all(pause: Duration) {
    let greeters = NAMES.map(|name| Box::pin(greet_async(name, pause)));
    block_on(join_all(greeters));
}
// ANCHOR_END: together

// ANCHOR: one_by_one
/// The same greeters awaited one after the other: three pauses in all.
/// `.await` needs no `Box::pin`: the awaited future lives inside the
/// awaiting one, which `block_on` has pinned.
pub fn greet_one_by_one(pause: Duration) {
    block_on(async {
        for name in NAMES {
            greet_async(name, pause).await;
        }
    });
}
// ANCHOR_END: one_by_one
