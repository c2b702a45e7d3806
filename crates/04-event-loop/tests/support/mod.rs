//! Helpers shared by the test files.
#![allow(dead_code)] // each test file uses some of them

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use event_loop::hand::EventLoop;

#[allow(unused_imports)] // each test file uses some of them
pub use timeline::testing::{DropCount, Guard, finishes_within};

// ANCHOR: virtual_loop
/// A loop on virtual time: its clock moves only when every task waits.
pub fn virtual_loop() -> EventLoop {
    EventLoop::builder()
        .virtual_time()
        .build()
        .expect("a poller")
}
// ANCHOR_END: virtual_loop

/// Ready at once with 7; its destructor panics. Hand-written: an `async`
/// block would drop its locals inside its last poll, and that panic would
/// be one in `poll`.
pub struct ReadyThenPanicsInDrop;

impl Future for ReadyThenPanicsInDrop {
    type Output = u32;

    fn poll(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<u32> {
        Poll::Ready(7)
    }
}

impl Drop for ReadyThenPanicsInDrop {
    fn drop(&mut self) {
        panic!("dropped after ready");
    }
}
