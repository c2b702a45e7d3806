//! A leaf future: completes once a pause has passed.
//!
//! Shortcut: each sleep starts a thread that sleeps and then wakes the task.
//! A thread per timer costs a stack and a system thread each; tokio keeps every
//! timer in one timer wheel driven by the runtime, and chapter 4 replaces this
//! with the event loop's heap of deadlines.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::thread;
use std::time::{Duration, Instant};

use tracing::debug;

// ANCHOR: sleep
/// Completes when `pause` has passed since its first poll.
#[must_use = "futures do nothing unless you .await or poll them"]
#[derive(Debug)]
pub struct Sleep {
    pause: Duration,
    /// Shared with the timer thread, which exists once the sleep is polled.
    timer: Option<Arc<Mutex<Timer>>>,
}

#[derive(Debug, Default)]
struct Timer {
    fired: bool,
    /// The waker of the latest poll: the task to wake when the timer fires.
    waker: Option<Waker>,
}

/// A future that completes after `pause`. Like an `async fn`, it does nothing
/// until polled: the clock starts at the first poll.
pub fn sleep(pause: Duration) -> Sleep {
    Sleep { pause, timer: None }
}

impl Future for Sleep {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let pause = self.pause;
        let timer = self.timer.get_or_insert_with(|| start_timer(pause));
        let mut timer = timer.lock().expect("the timer thread does not panic");
        if timer.fired {
            return Poll::Ready(());
        }
        // The waker contract: before returning `Pending`, make sure someone
        // will call `wake`. The timer thread will; it must wake the task that
        // polled last, so keep the newest waker.
        timer.waker = Some(cx.waker().clone());
        Poll::Pending
    }
}

fn start_timer(pause: Duration) -> Arc<Mutex<Timer>> {
    let timer = Arc::new(Mutex::new(Timer::default()));
    let shared = Arc::clone(&timer);
    let deadline = Instant::now() + pause;
    debug!(?pause, "timer thread started");
    let spawned = thread::Builder::new().name("timer".into()).spawn(move || {
        // `thread::sleep` may wake early on some systems: sleep until the
        // deadline has really passed.
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            thread::sleep(left);
        }
        let mut timer = shared
            .lock()
            .expect("the sleep does not panic while locked");
        timer.fired = true;
        if let Some(waker) = timer.waker.take() {
            debug!("timer fired: waking the task");
            waker.wake();
        }
    });
    spawned.expect("the system can start a thread for the timer");
    timer
}
// ANCHOR_END: sleep
