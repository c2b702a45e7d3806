//! The thread pool: worker threads that take blocking jobs from one queue.
//!
//! It starts with no thread. A job given to it goes to an idle thread if one
//! is parked; otherwise a new thread is started, up to [`Builder::max_threads`];
//! past that the job waits in the queue. A thread that has waited
//! [`Builder::keep_alive`] with nothing to do lets itself go. tokio's blocking
//! pool works the same way, with the defaults this pool takes:
//! [`TOKIO_MAX_BLOCKING_THREADS`] and [`TOKIO_KEEP_ALIVE`].
//!
//! Shortcut: one `Mutex` and one `Condvar` guard the queue and the counts.
//! tokio's pool does the same; it is the jobs that are slow, not the queue.

use std::collections::VecDeque;
use std::fmt;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use tracing::{debug, error};

/// tokio's default cap on blocking threads, `max_blocking_threads` (512 in
/// `tokio/src/runtime/builder.rs`).
pub const TOKIO_MAX_BLOCKING_THREADS: usize = 512;

/// How long tokio keeps an idle blocking thread, `thread_keep_alive` (the
/// `KEEP_ALIVE` of 10 s in `tokio/src/runtime/blocking/pool.rs`).
pub const TOKIO_KEEP_ALIVE: Duration = Duration::from_secs(10);

/// One unit of work, already wrapped so that it settles its own promise.
pub(crate) type Job = Box<dyn FnOnce() + Send>;

// ANCHOR: state
/// What the threads and the spawners share, under one lock.
#[derive(Default)]
struct State {
    /// Jobs waiting for a thread, oldest first.
    queue: VecDeque<Job>,
    /// Threads alive: running a job, parked, or about to park.
    threads: usize,
    /// Parked threads that nobody has woken yet.
    idle: usize,
    /// Wake-ups sent and not yet taken: a parked thread that finds one
    /// takes it and goes to the queue; one that finds none timed out (or
    /// woke spuriously) and waits on.
    notified: usize,
    /// Set by `shutdown`: no new jobs, and the idle threads leave.
    shutdown: bool,
    /// How many threads have been started so far, to name them.
    started: usize,
    /// The handles of the threads alive, so `shutdown` can join them.
    handles: Vec<thread::JoinHandle<()>>,
}
// ANCHOR_END: state

struct Shared {
    state: Mutex<State>,
    wake: Condvar,
    max_threads: usize,
    keep_alive: Duration,
    name: String,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // No job runs under the lock, so it is never poisoned halfway.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Settings for a new [`ThreadPool`].
#[derive(Debug, Clone)]
pub struct Builder {
    max_threads: usize,
    keep_alive: Duration,
    name: String,
}

impl Builder {
    /// At most this many threads at once (at least one). Default:
    /// [`TOKIO_MAX_BLOCKING_THREADS`].
    pub fn max_threads(mut self, threads: usize) -> Builder {
        self.max_threads = threads.max(1);
        self
    }

    /// How long an idle thread waits for work before it ends. Default:
    /// [`TOKIO_KEEP_ALIVE`].
    pub fn keep_alive(mut self, keep_alive: Duration) -> Builder {
        self.keep_alive = keep_alive;
        self
    }

    /// The threads are named `NAME-1`, `NAME-2`…; default `hand-blocking`.
    pub fn name(mut self, name: &str) -> Builder {
        self.name = name.to_string();
        self
    }

    /// Makes the pool; it has no thread until its first job.
    pub fn build(self) -> ThreadPool {
        ThreadPool {
            shared: Arc::new(Shared {
                state: Mutex::default(),
                wake: Condvar::new(),
                max_threads: self.max_threads,
                keep_alive: self.keep_alive,
                name: self.name,
            }),
        }
    }
}

impl Default for Builder {
    fn default() -> Builder {
        Builder {
            max_threads: TOKIO_MAX_BLOCKING_THREADS,
            keep_alive: TOKIO_KEEP_ALIVE,
            name: "hand-blocking".to_string(),
        }
    }
}

/// A pool of threads for blocking jobs: asyncio's default
/// `ThreadPoolExecutor`, tokio's blocking pool.
///
/// Dropping the pool shuts it down as [`ThreadPool::shutdown`] with no
/// limit does: it waits for the jobs that are running.
pub struct ThreadPool {
    shared: Arc<Shared>,
}

/// The pool refused a job: it is shutting down (or could not start a thread
/// and has none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShutDown;

/// What [`ThreadPool::shutdown`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stopped {
    /// Queued jobs that never started: dropped, their handles say
    /// cancelled.
    pub dropped: usize,
    /// Whether every thread had ended within the limit. `false`: some job
    /// was still running; its thread goes on alone and its result is lost.
    pub in_time: bool,
}

impl ThreadPool {
    /// A pool with tokio's defaults.
    pub fn new() -> ThreadPool {
        ThreadPool::builder().build()
    }

    /// Settings for a new pool.
    pub fn builder() -> Builder {
        Builder::default()
    }

    // ANCHOR: submit
    /// Hands `job` to an idle thread, or to a new one if none is idle and
    /// the cap allows, or else to the queue.
    pub(crate) fn submit(&self, job: Job) -> Result<(), ShutDown> {
        let mut state = self.shared.lock();
        if state.shutdown {
            return Err(ShutDown);
        }
        state.queue.push_back(job);
        if state.idle > 0 {
            state.idle -= 1;
            state.notified += 1;
            self.shared.wake.notify_one();
        } else if state.threads < self.shared.max_threads
            && !self.start_thread(&mut state)
            && state.threads == 0
        {
            // No thread could start and none is alive to take the job: give
            // it back, to be dropped outside the lock (its handle then says
            // cancelled) rather than wait for ever.
            let job = state.queue.pop_back();
            drop(state);
            drop(job);
            return Err(ShutDown);
        }
        Ok(())
    }
    // ANCHOR_END: submit

    /// Starts one more thread; `false` if the system refused.
    fn start_thread(&self, state: &mut State) -> bool {
        state.started += 1;
        let name = format!("{}-{}", self.shared.name, state.started);
        let shared = Arc::clone(&self.shared);
        match thread::Builder::new()
            .name(name)
            .spawn(move || work(&shared))
        {
            Ok(handle) => {
                state.threads += 1;
                state.handles.retain(|handle| !handle.is_finished());
                state.handles.push(handle);
                true
            }
            // The job stays queued for a thread that exists, if any.
            Err(error) => {
                error!("the pool could not start a thread: {error}");
                false
            }
        }
    }

    /// Threads alive now: running a job or parked.
    pub fn threads(&self) -> usize {
        self.shared.lock().threads
    }

    /// Parked threads waiting for work.
    pub fn idle_threads(&self) -> usize {
        self.shared.lock().idle
    }

    /// Jobs waiting for a thread.
    pub fn queued(&self) -> usize {
        self.shared.lock().queue.len()
    }

    // ANCHOR: shutdown
    /// Stops the pool: refuses new jobs, drops the queued ones (their
    /// handles say cancelled), and waits for the running jobs to end, for
    /// `limit` at most (`None`: for as long as they take). A job cannot be
    /// stopped from outside: past the limit its thread runs on, detached.
    /// tokio's runtime does the same when dropped, or with
    /// `shutdown_timeout`.
    pub fn shutdown(&self, limit: Option<Duration>) -> Stopped {
        let (dropped, handles) = {
            let mut state = self.shared.lock();
            if state.shutdown {
                return Stopped {
                    dropped: 0,
                    in_time: state.threads == 0,
                };
            }
            state.shutdown = true;
            let dropped = std::mem::take(&mut state.queue);
            (dropped, std::mem::take(&mut state.handles))
        };
        self.shared.wake.notify_all();
        let count = dropped.len();
        // Outside the lock: dropping a job drops its completer, which wakes
        // whoever awaits it.
        drop(dropped);
        let deadline = limit.map(|limit| Instant::now() + limit);
        let mut in_time = true;
        for handle in handles {
            match deadline {
                None => {
                    let _ = handle.join();
                }
                Some(deadline) => {
                    while !handle.is_finished() && Instant::now() < deadline {
                        thread::sleep(Duration::from_millis(1));
                    }
                    in_time &= handle.is_finished();
                }
            }
        }
        Stopped {
            dropped: count,
            in_time,
        }
    }
    // ANCHOR_END: shutdown
}

impl Default for ThreadPool {
    fn default() -> ThreadPool {
        ThreadPool::new()
    }
}

impl Drop for ThreadPool {
    fn drop(&mut self) {
        self.shutdown(None);
    }
}

impl fmt::Debug for ThreadPool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.shared.lock();
        f.debug_struct("ThreadPool")
            .field("threads", &state.threads)
            .field("idle", &state.idle)
            .field("queued", &state.queue.len())
            .field("max_threads", &self.shared.max_threads)
            .field("keep_alive", &self.shared.keep_alive)
            .finish()
    }
}

// ANCHOR: work
/// A worker thread's life: run queued jobs; when there are none, park;
/// after `keep_alive` parked with no job, end.
fn work(shared: &Shared) {
    let mut state = shared.lock();
    loop {
        while let Some(job) = state.queue.pop_front() {
            drop(state);
            // The job catches its own panic (see `spawn_blocking`).
            job();
            state = shared.lock();
        }
        if state.shutdown {
            break;
        }
        state.idle += 1;
        let deadline = Instant::now() + shared.keep_alive;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            state = shared
                .wake
                .wait_timeout(state, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
            if state.notified > 0 {
                state.notified -= 1;
                break;
            }
            if state.shutdown || Instant::now() >= deadline {
                state.idle -= 1;
                state.threads -= 1;
                debug!(shutdown = state.shutdown, "a pool thread ends");
                return;
            }
        }
    }
    state.threads -= 1;
}
// ANCHOR_END: work
