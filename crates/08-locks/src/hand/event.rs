//! asyncio's `Event`: a flag that tasks wait on, level-triggered.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{MutexGuard as StateGuard, PoisonError};
use std::task::{Context, Poll};

use super::wait_list::WaitList;

// ANCHOR: event
/// A flag tasks can wait on, as asyncio's `Event` is: [`wait`](Event::wait)
/// returns at once while the flag is set, and otherwise waits until
/// [`set`](Event::set). It is *level-triggered*: it stays set, for any
/// number of waiters, until [`clear`](Event::clear). And like asyncio's, a
/// `set` releases everyone waiting at that moment, even if the flag is
/// cleared again before they run.
///
/// ```
/// use locks::hand::Event;
///
/// let ready = Event::new();
/// ready.set();
/// event_loop::hand::block_on(async {
///     ready.wait().await; // set: returns at once
///     ready.wait().await; // and again: nothing was used up
/// });
/// ```
pub struct Event {
    state: std::sync::Mutex<State>,
}

struct State {
    set: bool,
    waiters: WaitList,
}
// ANCHOR_END: event

impl Event {
    /// A new event, not set.
    pub fn new() -> Event {
        let state = State {
            set: false,
            waiters: WaitList::default(),
        };
        Event {
            state: std::sync::Mutex::new(state),
        }
    }

    // ANCHOR: set
    /// Sets the flag and wakes every waiter. Setting it again does nothing.
    pub fn set(&self) {
        let mut state = self.state();
        if state.set {
            return;
        }
        state.set = true;
        let mut woken = Vec::new();
        while let Some(waker) = state.waiters.grant_first() {
            woken.push(waker);
        }
        drop(state);
        woken.into_iter().for_each(|waker| waker.wake());
    }

    /// Lowers the flag: later waiters wait for the next `set`.
    pub fn clear(&self) {
        self.state().set = false;
    }
    // ANCHOR_END: set

    /// Whether the flag is set.
    pub fn is_set(&self) -> bool {
        self.state().set
    }

    /// How many tasks wait for the flag.
    pub fn waiting(&self) -> usize {
        self.state().waiters.len()
    }

    /// Waits until the flag is set. Cancel-safe: a dropped waiter leaves
    /// the line, and there is nothing to pass on (the flag stays set).
    pub fn wait(&self) -> Wait<'_> {
        Wait {
            event: self,
            ticket: None,
        }
    }

    fn state(&self) -> StateGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Default for Event {
    fn default() -> Event {
        Event::new()
    }
}

impl fmt::Debug for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.state();
        f.debug_struct("Event")
            .field("set", &state.set)
            .field("waiting", &state.waiters.len())
            .finish()
    }
}

/// The future [`Event::wait`] returns.
#[must_use = "futures do nothing unless you .await or poll them"]
#[derive(Debug)]
pub struct Wait<'a> {
    event: &'a Event,
    ticket: Option<u64>,
}

impl Future for Wait<'_> {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let mut state = self.event.state();
        match self.ticket {
            // A `set` came while we waited: done, even if cleared since.
            Some(id) if state.waiters.collect(id, cx.waker()) => {}
            Some(_) => return Poll::Pending,
            None if state.set => {}
            None => {
                self.ticket = Some(state.waiters.join(cx.waker()));
                return Poll::Pending;
            }
        }
        self.ticket = None;
        Poll::Ready(())
    }
}

impl Drop for Wait<'_> {
    fn drop(&mut self) {
        if let Some(id) = self.ticket {
            // A release that came too late for us concerns nobody else: the
            // flag itself says whether it is set.
            let _ = self.event.state().waiters.leave(id);
        }
    }
}
