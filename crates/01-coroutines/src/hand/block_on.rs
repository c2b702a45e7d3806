//! The smallest honest executor: run one future to completion on this thread.

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, Thread};

use tracing::debug;

// ANCHOR: block_on
/// Polls `future` until it is ready, parking the thread in between.
pub fn block_on<F: Future>(future: F) -> F::Output {
    // Pinning on the stack: the future will not move again until it is done.
    let mut future = pin!(future);
    let signal = Arc::new(Signal {
        thread: thread::current(),
        woken: AtomicBool::new(false),
    });
    let waker = Waker::from(Arc::clone(&signal));
    let mut cx = Context::from_waker(&waker);
    let mut polls = 0;
    loop {
        polls += 1;
        debug!(polls, "block_on: polling");
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
        // Pending: the future has arranged a wake. Sleep until it comes.
        // `park` may return without an `unpark`, so wait for the flag.
        debug!(polls, "block_on: pending, parking the thread");
        while !signal.woken.swap(false, Ordering::Acquire) {
            thread::park();
        }
    }
}

/// What the waker does: note the wake, and unpark the thread in `block_on`.
struct Signal {
    thread: Thread,
    woken: AtomicBool,
}

impl Wake for Signal {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.woken.store(true, Ordering::Release);
        self.thread.unpark();
    }
}
// ANCHOR_END: block_on
