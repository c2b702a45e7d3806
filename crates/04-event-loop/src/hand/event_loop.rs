//! asyncio's loop API on the core: [`EventLoop`] with `run_until_complete`,
//! `run_forever` and `stop`, `call_soon`, `call_later`, `create_task`, `time`
//! and `close`; and the Rust shape beside it: [`block_on`] and [`spawn`].

use std::fmt;
use std::future::Future;
use std::io;
use std::ops::Deref;
use std::pin::pin;
use std::rc::{Rc, Weak};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use super::executor::{self, Core, Shared};
use super::reactor::ReactorStats;
use super::task::JoinHandle;
use super::time::{Action, TimerKey};

/// The environment variable that turns debug mode on for every new loop, like
/// asyncio's `PYTHONASYNCIODEBUG`: `EVENT_LOOP_DEBUG=1`.
pub const DEBUG_ENV: &str = "EVENT_LOOP_DEBUG";

/// How long a poll may run before debug mode reports it: 100 ms, asyncio's
/// default `slow_callback_duration`.
pub const SLOW_POLL: Duration = Duration::from_millis(100);

// ANCHOR: builder
/// Settings for a new loop.
#[derive(Debug, Clone)]
pub struct Builder {
    debug: bool,
    slow_poll: Duration,
    virtual_time: bool,
    oneshot_polling: bool,
}

impl Builder {
    /// Debug mode on or off. Off by default, unless `EVENT_LOOP_DEBUG` is
    /// set to anything but `0` or an empty string.
    pub fn debug(mut self, on: bool) -> Builder {
        self.debug = on;
        self
    }

    /// How long a poll may run before debug mode reports it.
    pub fn slow_poll(mut self, threshold: Duration) -> Builder {
        self.slow_poll = threshold;
        self
    }

    /// A virtual clock: it stands still while tasks run, and when every task
    /// waits on a timer it jumps to the next deadline. Tests that sleep for
    /// minutes then take no time at all, and always see the same times.
    pub fn virtual_time(mut self) -> Builder {
        self.virtual_time = true;
        self
    }

    /// Registers sockets one-shot, as the fallback does where the system
    /// lacks edge-triggered polling: for tests, and for seeing the
    /// difference (in [`Handle::reactor_stats`]).
    pub fn oneshot_polling(mut self) -> Builder {
        self.oneshot_polling = true;
        self
    }

    /// Makes the loop. It fails only if the system's poller cannot be made
    /// (out of file descriptors, say).
    pub fn build(self) -> io::Result<EventLoop> {
        let core = Core::new(
            self.virtual_time,
            self.debug,
            self.slow_poll,
            self.oneshot_polling,
        )?;
        Ok(EventLoop {
            handle: Handle {
                core: Rc::new(core),
            },
        })
    }
}

impl Default for Builder {
    fn default() -> Builder {
        let debug = std::env::var_os(DEBUG_ENV)
            .is_some_and(|value| !value.is_empty() && value != "0");
        Builder {
            debug,
            slow_poll: SLOW_POLL,
            virtual_time: false,
            oneshot_polling: false,
        }
    }
}
// ANCHOR_END: builder

// ANCHOR: event_loop
/// An event loop, driven by hand: asyncio's `new_event_loop()`.
///
/// It runs on the thread that made it, with every task, callback, timer and
/// socket it owns; none of them need be `Send`. Everything a [`Handle`] can
/// do, the loop can do too (it dereferences to its handle).
///
/// ```
/// use std::time::Duration;
/// use event_loop::hand::{EventLoop, sleep};
///
/// let event_loop = EventLoop::new();
/// let task = event_loop.create_task(async {
///     sleep(Duration::from_millis(10)).await;
///     42
/// });
/// assert_eq!(event_loop.run_until_complete(task), Ok(42));
/// let closed = event_loop.close();
/// assert_eq!(closed.tasks, 0);
/// ```
pub struct EventLoop {
    handle: Handle,
}

/// What `close` found still pending and dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Closed {
    /// Tasks dropped before they ended (their handles say `Cancelled`).
    pub tasks: usize,
    /// Callbacks from `call_soon` that never ran.
    pub callbacks: usize,
    /// Timers that never fired: sleeps of the dropped tasks, `call_later`s.
    pub timers: usize,
}

impl EventLoop {
    /// A new loop with the default settings (see [`Builder`]).
    ///
    /// # Panics
    ///
    /// If the system's poller cannot be made; [`EventLoop::builder`] returns
    /// that error instead.
    pub fn new() -> EventLoop {
        EventLoop::builder().build().unwrap_or_else(|error| {
            panic!("could not create the event loop's poller: {error}")
        })
    }

    /// Settings for a new loop.
    pub fn builder() -> Builder {
        Builder::default()
    }

    /// A handle to this loop, for use inside its tasks and callbacks.
    pub fn handle(&self) -> Handle {
        self.handle.clone()
    }

    /// Runs the loop until `future` is done, and returns its output. The
    /// tasks it spawned run meanwhile; the ones still running afterwards stay
    /// with the loop until the next run, or until it is closed.
    ///
    /// # Panics
    ///
    /// If the loop is running already (called from inside one of its tasks),
    /// or if [`Handle::stop`] is called before `future` is done: there is no
    /// output to return then. asyncio raises `RuntimeError` in both cases.
    pub fn run_until_complete<F: Future>(&self, future: F) -> F::Output {
        let mut future = pin!(future);
        let mut poll = |cx: &mut std::task::Context<'_>| future.as_mut().poll(cx);
        match self.core.run(Some(&mut poll)) {
            Some(output) => output,
            None => panic!("the event loop was stopped before the future completed"),
        }
    }

    /// [`EventLoop::run_until_complete`] under its Rust name.
    pub fn block_on<F: Future>(&self, future: F) -> F::Output {
        self.run_until_complete(future)
    }

    /// Runs the loop until [`Handle::stop`] or [`StopHandle::stop`] is
    /// called. With nothing to do it waits, for ever if need be, like
    /// asyncio's.
    ///
    /// # Panics
    ///
    /// If the loop is running already.
    pub fn run_forever(&self) {
        self.core.run::<()>(None);
    }

    /// Drops every task still pending (running its destructors), every
    /// callback and every timer, and ends the loop. asyncio's `close` is an
    /// error while the loop runs; here it takes the loop by value, so that
    /// mistake does not compile:
    ///
    /// ```compile_fail
    /// use event_loop::hand::EventLoop;
    ///
    /// let event_loop = EventLoop::new();
    /// event_loop.run_until_complete(async {
    ///     event_loop.close(); // cannot move the loop while it runs this
    /// });
    /// ```
    pub fn close(self) -> Closed {
        let (tasks, callbacks, timers) = self.core.shut_down();
        Closed {
            tasks,
            callbacks,
            timers,
        }
    }
}

impl Default for EventLoop {
    fn default() -> EventLoop {
        EventLoop::new()
    }
}

impl Deref for EventLoop {
    type Target = Handle;

    fn deref(&self) -> &Handle {
        &self.handle
    }
}

impl Drop for EventLoop {
    /// Closes the loop: its tasks hold the loop (a sleeping task holds its
    /// timer, which holds the loop), so without this they would keep each
    /// other alive for ever.
    fn drop(&mut self) {
        self.core.shut_down();
    }
}
// ANCHOR_END: event_loop

// ANCHOR: handle
/// The loop's API for the code it runs: asyncio's `get_running_loop()` gives
/// the same. Not `Send`: it stays on the loop's thread.
#[derive(Clone)]
pub struct Handle {
    core: Rc<Core>,
}

/// The handle of the loop running on this thread.
///
/// # Panics
///
/// Outside a running loop.
pub fn handle() -> Handle {
    Handle {
        core: executor::current("`handle()` called"),
    }
}

impl Handle {
    /// Starts `future` as a task at the loop's next turn (asyncio's
    /// `create_task`). The task runs whether or not the handle is awaited.
    pub fn create_task<F>(&self, future: F) -> JoinHandle<F::Output>
    where
        F: Future + 'static,
        F::Output: 'static,
    {
        self.core.spawn(None, future)
    }

    /// [`Handle::create_task`] with a name, shown by debug mode.
    pub fn create_task_named<F>(&self, name: &str, future: F) -> JoinHandle<F::Output>
    where
        F: Future + 'static,
        F::Output: 'static,
    {
        self.core.spawn(Some(name), future)
    }

    /// [`Handle::create_task`] under its Rust name.
    pub fn spawn<F>(&self, future: F) -> JoinHandle<F::Output>
    where
        F: Future + 'static,
        F::Output: 'static,
    {
        self.core.spawn(None, future)
    }

    /// Runs `callback` at the loop's next turn, after the ones queued before
    /// it. A callback that panics is logged, and the loop goes on.
    pub fn call_soon(&self, callback: impl FnOnce() + 'static) -> Callback {
        let number = self.core.next_callback.get();
        self.core.next_callback.set(number + 1);
        self.core
            .soon
            .borrow_mut()
            .insert(number, Box::new(callback));
        Callback {
            core: Rc::downgrade(&self.core),
            place: Place::Soon(number),
        }
    }

    /// Runs `callback` once `delay` has passed on the loop's clock: a timer
    /// in the same heap as the sleeps.
    pub fn call_later(
        &self,
        delay: Duration,
        callback: impl FnOnce() + 'static,
    ) -> Callback {
        self.call_at(self.now() + delay, callback)
    }

    /// Runs `callback` when the loop's clock reaches `when`.
    pub fn call_at(
        &self,
        when: Instant,
        callback: impl FnOnce() + 'static,
    ) -> Callback {
        let key = self
            .core
            .timers
            .borrow_mut()
            .insert(when, Action::Call(Box::new(Box::new(callback))));
        Callback {
            core: Rc::downgrade(&self.core),
            place: Place::Timer(key),
        }
    }

    /// How long the loop has existed on its clock (asyncio's `loop.time()`
    /// is a float of seconds on a monotonic clock; this counts from zero).
    pub fn time(&self) -> Duration {
        self.core.clock.elapsed()
    }

    /// The loop's clock now: the real clock, or the virtual one.
    pub fn now(&self) -> Instant {
        self.core.now()
    }

    /// Ends `run_forever` (or a `run_until_complete` whose future is not
    /// done) once the current turn is over.
    pub fn stop(&self) {
        self.core.shared.stop.store(true, Ordering::Release);
    }

    /// A handle that can stop the loop from any thread.
    pub fn stop_handle(&self) -> StopHandle {
        StopHandle {
            shared: Arc::clone(&self.core.shared),
        }
    }

    /// Turns debug mode on or off (asyncio's `set_debug`).
    pub fn set_debug(&self, on: bool) {
        self.core.debug.set(on);
    }

    /// Whether debug mode is on.
    pub fn debug(&self) -> bool {
        self.core.debug.get()
    }

    /// Sets how long a poll may run before debug mode reports it (asyncio's
    /// `slow_callback_duration`).
    pub fn set_slow_poll(&self, threshold: Duration) {
        self.core.slow_poll.set(threshold);
    }

    /// Tasks spawned and not yet ended.
    pub fn tasks(&self) -> usize {
        self.core.tasks()
    }

    /// Timers pending: sleeps that have been polled, and `call_later`s.
    pub fn timers(&self) -> usize {
        self.core.timers.borrow().len()
    }

    /// Sockets registered with the reactor now.
    pub fn sockets(&self) -> usize {
        self.core.reactor.sources()
    }

    /// The system calls the reactor has made so far.
    pub fn reactor_stats(&self) -> ReactorStats {
        self.core.reactor.stats()
    }
}
// ANCHOR_END: handle

/// Stops a loop from any thread (asyncio's `loop.call_soon_threadsafe(
/// loop.stop)`). It interrupts the poller if the loop is waiting in it.
#[derive(Debug, Clone)]
pub struct StopHandle {
    shared: Arc<Shared>,
}

impl StopHandle {
    /// Ends the loop's `run_forever` once its current turn is over.
    pub fn stop(&self) {
        self.shared.stop.store(true, Ordering::Release);
        self.shared.notify();
    }
}

/// A callback waiting to run; [`Callback::cancel`] takes it back (asyncio's
/// `Handle` and `TimerHandle`). Dropping it does not cancel the callback.
#[derive(Debug)]
pub struct Callback {
    core: Weak<Core>,
    place: Place,
}

#[derive(Debug, Clone, Copy)]
enum Place {
    Soon(u64),
    Timer(TimerKey),
}

impl Callback {
    /// Cancels the callback if it has not run yet; `true` if it was pending.
    /// A timer's entry leaves the heap at once.
    pub fn cancel(&self) -> bool {
        let Some(core) = self.core.upgrade() else {
            return false;
        };
        match &self.place {
            Place::Soon(number) => core.soon.borrow_mut().remove(number).is_some(),
            Place::Timer(key) => core.timers.borrow_mut().remove(key),
        }
    }
}

// ANCHOR: free_functions
/// Starts `future` as a task on the loop running on this thread.
///
/// # Panics
///
/// Outside a running loop, like `tokio::spawn`.
pub fn spawn<F>(future: F) -> JoinHandle<F::Output>
where
    F: Future + 'static,
    F::Output: 'static,
{
    executor::current("`spawn` called").spawn(None, future)
}

/// [`spawn`] with a name, which debug mode shows.
pub fn spawn_named<F>(name: &str, future: F) -> JoinHandle<F::Output>
where
    F: Future + 'static,
    F::Output: 'static,
{
    executor::current("`spawn_named` called").spawn(Some(name), future)
}

/// Runs `future` on a new loop until it is done, then closes the loop,
/// dropping the tasks still running: `asyncio.run`.
///
/// # Panics
///
/// If the system's poller cannot be made, or if called inside a running loop.
pub fn block_on<F: Future>(future: F) -> F::Output {
    EventLoop::new().run_until_complete(future)
}
// ANCHOR_END: free_functions

impl fmt::Debug for EventLoop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventLoop")
            .field("tasks", &self.tasks())
            .field("timers", &self.timers())
            .field("debug", &self.debug())
            .finish()
    }
}

impl fmt::Debug for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Handle")
            .field("tasks", &self.tasks())
            .finish()
    }
}
