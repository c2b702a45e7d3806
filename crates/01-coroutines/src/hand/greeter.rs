//! The greeter, twice: as an `async fn`, and as the state machine the compiler
//! turns that `async fn` into, written out by hand.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use tracing::info;

use super::sleep::{Sleep, sleep};

// ANCHOR: greet_async
/// The greeter as we would write it: say hello, pause, say goodbye.
pub async fn greet_async(name: &str, pause: Duration) {
    info!("Hello, {name}!");
    sleep(pause).await;
    info!("Goodbye, {name}!");
}
// ANCHOR_END: greet_async

// ANCHOR: greet_enum
/// The same greeter as an explicit state machine: one state per place where the
/// `async fn` can be paused, holding what must survive the pause.
#[must_use = "futures do nothing unless you .await or poll them"]
#[derive(Debug)]
pub enum Greet {
    /// Created but never polled: nothing has happened yet. An `async fn` that
    /// was called but not awaited sits here forever.
    Start { name: String, pause: Duration },
    /// Said hello; paused at `sleep(pause).await` until the sleep completes.
    Sleeping { name: String, sleep: Sleep },
    /// Said goodbye; polling again is a bug.
    Done,
}

/// Creates the greeter. Like calling an `async fn`, this runs nothing.
pub fn greet(name: &str, pause: Duration) -> Greet {
    Greet::Start {
        name: name.to_string(),
        pause,
    }
}
// ANCHOR_END: greet_enum

// ANCHOR: greet_poll
impl Future for Greet {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        // `Greet` is `Unpin` (it holds no self-references), so it can be
        // changed in place through the `Pin`.
        let this = &mut *self;
        loop {
            match this {
                Greet::Start { name, pause } => {
                    // The code before the first `.await`.
                    info!("Hello, {name}!");
                    let name = std::mem::take(name);
                    *this = Greet::Sleeping {
                        name,
                        sleep: sleep(*pause),
                    };
                    // Go round again: the new sleep must be polled at once, so
                    // that it arranges to wake us.
                }
                Greet::Sleeping { name, sleep } => {
                    if Pin::new(sleep).poll(cx).is_pending() {
                        // The sleep has our waker; it wakes us when it is done.
                        return Poll::Pending;
                    }
                    // The code after the `.await`.
                    info!("Goodbye, {name}!");
                    *this = Greet::Done;
                    return Poll::Ready(());
                }
                Greet::Done => panic!("`Greet` polled after it completed"),
            }
        }
    }
}
// ANCHOR_END: greet_poll

impl Greet {
    /// The name of the current state, for tests and the book.
    pub fn state(&self) -> &'static str {
        match self {
            Greet::Start { .. } => "Start",
            Greet::Sleeping { .. } => "Sleeping",
            Greet::Done => "Done",
        }
    }
}
