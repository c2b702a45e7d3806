//! asyncio's loop API on the core: [`EventLoop`] with `run_until_complete`,
//! `run_forever` and `stop`, `call_soon`, `call_later`, `create_task`, `time`,
//! `close` and `asyncio.run`'s graceful shutdown; and the Rust shape beside
//! it: [`block_on`] and [`spawn`].

use std::fmt;
use std::future::Future;
use std::io;
use std::ops::Deref;
use std::pin::pin;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use super::callback::Callback;
use super::current;
use super::executor::Core;
use super::introspect::TaskInfo;
use super::reactor::ReactorStats;
use super::remote::{ClockHold, RemoteHandle};
use super::task::JoinHandle;

/// The environment variable that turns debug mode on for every new loop, like
/// asyncio's `PYTHONASYNCIODEBUG`: `EVENT_LOOP_DEBUG=1`.
pub const DEBUG_ENV: &str = "EVENT_LOOP_DEBUG";

/// How long a poll may run before debug mode reports it: 100 ms, asyncio's
/// default `slow_callback_duration`.
pub const SLOW_POLL: Duration = Duration::from_millis(100);

/// How long [`block_on`] lets the cleanup of cancelled tasks run before it
/// closes the loop (see [`EventLoop::shutdown`]).
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

// ANCHOR: builder
/// Settings for a new loop.
#[derive(Debug, Clone)]
pub struct Builder {
    debug: bool,
    slow_poll: Duration,
    virtual_time: bool,
    oneshot: bool,
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
    /// lacks edge-triggered polling: for tests, and to see the difference.
    pub fn oneshot_polling(mut self) -> Builder {
        self.oneshot = true;
        self
    }

    /// Makes the loop. It fails only if the system's poller cannot be made
    /// (out of file descriptors, say).
    pub fn build(self) -> io::Result<EventLoop> {
        let core =
            Core::new(self.virtual_time, self.debug, self.slow_poll, self.oneshot)?;
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
            oneshot: false,
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
/// assert_eq!(event_loop.run_until_complete(task).unwrap(), 42);
/// let closed = event_loop.close();
/// assert_eq!(closed.tasks, 0);
/// ```
pub struct EventLoop {
    handle: Handle,
}
// ANCHOR_END: event_loop

/// What `close` (or `shutdown`) found still pending and dropped.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Closed {
    /// Tasks `shutdown` cancelled first, giving their cleanup time to run.
    pub cancelled: usize,
    /// Whether every task had ended by the time the loop closed: within
    /// `shutdown`'s grace, or (for `close`) because none was left.
    pub in_time: bool,
    /// Tasks dropped at the close before they ended (their handles say
    /// `Cancelled`, or the panic of a destructor).
    pub tasks: usize,
    /// Callbacks that never ran: from `call_soon`, `call_later` (which also
    /// count as timers) and `call_soon_threadsafe`.
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
    /// if it is closed, or if [`Handle::stop`] is called before `future` is
    /// done: there is no output to return then. asyncio raises
    /// `RuntimeError` in each case.
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

    /// Runs the loop until [`Handle::stop`] or [`RemoteHandle::stop`] is
    /// called. With nothing to do it waits, for ever if need be, like
    /// asyncio's.
    ///
    /// # Panics
    ///
    /// If the loop is running already.
    pub fn run_forever(&self) {
        self.core.run::<()>(None);
    }

    // ANCHOR: close
    /// Drops every task still pending (running its destructors), every
    /// callback and every timer, and ends the loop; from then on the loop
    /// refuses new work: a task spawned through a [`Handle`] kept past
    /// `close` is cancelled at once, and a callback is dropped without
    /// running (asyncio raises `RuntimeError` instead). asyncio's `close` is
    /// an error while the loop runs; here it takes the loop by value, so
    /// that mistake does not compile:
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
        let (tasks, callbacks, timers) = self.core.close();
        Closed {
            cancelled: 0,
            in_time: tasks == 0,
            tasks,
            callbacks,
            timers,
        }
    }

    /// Ends the loop as `asyncio.run` does: cancels every task still pending,
    /// runs the loop until their cleanup has finished (tasks their
    /// destructors spawn included) or `grace` has passed on the loop's
    /// clock, then closes it. Rust has no async `Drop`: a destructor that
    /// wants to await hands the work to a task, and this is what gives that
    /// task its time.
    pub fn shutdown(self, grace: Duration) -> Closed {
        let (cancelled, in_time) = self.core.shut_down_gracefully(grace);
        let (tasks, callbacks, timers) = self.core.close();
        Closed {
            cancelled,
            in_time,
            tasks,
            callbacks,
            timers,
        }
    }
    // ANCHOR_END: close
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
        self.core.close();
    }
}

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
        core: current::current("`handle()` called"),
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
        let key = self.core.call_soon("call_soon", Box::new(callback));
        self.callback(key)
    }

    /// Runs `callback` once `delay` has passed on the loop's clock: a timer
    /// in the same heap as the sleeps.
    pub fn call_later(
        &self,
        delay: Duration,
        callback: impl FnOnce() + 'static,
    ) -> Callback {
        self.call_at(self.core.clock.deadline_after(delay), callback)
    }

    /// Runs `callback` when the loop's clock reaches `when`.
    pub fn call_at(
        &self,
        when: Instant,
        callback: impl FnOnce() + 'static,
    ) -> Callback {
        let key = self.core.call_at(when, Box::new(callback));
        self.callback(key)
    }
    // ANCHOR_END: handle

    fn callback(&self, key: Option<super::callback::CallbackKey>) -> Callback {
        Callback {
            core: Rc::downgrade(&self.core),
            key,
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
        self.core.remote.stop.store(true, Ordering::Release);
    }

    /// A handle for other threads: `call_soon_threadsafe`, spawning a `Send`
    /// future, `stop`.
    pub fn remote(&self) -> RemoteHandle {
        RemoteHandle {
            remote: Arc::clone(&self.core.remote),
        }
    }

    /// Keeps a virtual clock still, while the hold lives, even when every
    /// task waits on a timer: for work out on another thread, whose result
    /// the clock must not jump past (chapter 7's pool holds it while a job
    /// runs). The loop waits for the hold to go instead. A real clock is
    /// not affected.
    pub fn hold_clock(&self) -> ClockHold {
        self.remote().hold_clock()
    }

    /// Whether the loop has been closed: it then refuses new work.
    pub fn is_closed(&self) -> bool {
        self.core.is_closed()
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

    /// Every task spawned and not yet ended, with its name, what it waits on
    /// and its age: asyncio's `all_tasks()`.
    /// [`task_table`](super::task_table) prints them as `python -m asyncio
    /// ps` does.
    pub fn all_tasks(&self) -> Vec<TaskInfo> {
        self.core.all_tasks()
    }

    /// Callbacks scheduled and not yet run.
    pub fn callbacks(&self) -> usize {
        self.core.callbacks()
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
        ReactorStats {
            interrupts: self.core.remote.interrupts(),
            ..self.core.reactor.stats()
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
    current::current("`spawn` called").spawn(None, future)
}

/// [`spawn`] with a name, which debug mode shows.
pub fn spawn_named<F>(name: &str, future: F) -> JoinHandle<F::Output>
where
    F: Future + 'static,
    F::Output: 'static,
{
    current::current("`spawn_named` called").spawn(Some(name), future)
}

/// Runs `future` on a new loop until it is done, then shuts the loop down as
/// `asyncio.run` does: the tasks still running are cancelled, and their
/// cleanup gets up to [`SHUTDOWN_GRACE`] to finish.
///
/// # Panics
///
/// If the system's poller cannot be made, or if called inside a running loop.
pub fn block_on<F: Future>(future: F) -> F::Output {
    let event_loop = EventLoop::new();
    let output = event_loop.run_until_complete(future);
    event_loop.shutdown(SHUTDOWN_GRACE);
    output
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
