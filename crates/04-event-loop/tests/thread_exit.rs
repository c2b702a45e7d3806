//! A waker woken while its thread exits, from another thread-local's
//! destructor, after the loop's own thread-local is gone: the wake must take
//! the cross-thread way in, not abort the process. Alone in its binary,
//! since the failure it guards against aborts the whole process.

use std::cell::RefCell;
use std::future::poll_fn;
use std::task::{Poll, Waker};
use std::thread;

use event_loop::hand::EventLoop;

/// Wakes its waker when dropped.
struct WakesOnDrop(Waker);

impl Drop for WakesOnDrop {
    fn drop(&mut self) {
        self.0.wake_by_ref();
    }
}

thread_local! {
    static KEEPER: RefCell<Option<WakesOnDrop>> = const { RefCell::new(None) };
}

#[test]
fn a_wake_from_a_thread_local_destructor_after_the_loop_is_gone_does_not_abort() {
    let exited = thread::spawn(|| {
        // Touched first, so its destructor is registered before the loop's
        // and runs after it: thread-locals are destroyed in reverse order.
        KEEPER.with(|keeper| drop(keeper.borrow()));
        let event_loop = EventLoop::new();
        event_loop.run_until_complete(poll_fn(|cx| {
            let waker = WakesOnDrop(cx.waker().clone());
            KEEPER.with(|keeper| *keeper.borrow_mut() = Some(waker));
            Poll::Ready(())
        }));
        // The thread ends here; its thread-locals go, the loop's first.
    })
    .join();
    assert!(exited.is_ok(), "the thread exited cleanly");
}
