//! What the test files share: a task to watch (does it finish? was it
//! dropped?), a gate the test opens from outside, and bounded waits, so that a
//! broken executor fails a test instead of hanging it.

// Each test file uses a part of this module.
#![allow(dead_code)]

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::thread;
use std::time::{Duration, Instant};

/// The message every deliberately broken task panics with.
pub const RESET: &str = "connection to api/broken reset";

/// A task that panics on its first poll.
pub async fn broken() -> String {
    panic!("{RESET}");
}

#[allow(unused_imports)] // each test file uses some of them
pub use timeline::testing::{DropCount, Guard, within};

#[derive(Debug, Default)]
struct GateState {
    open: bool,
    waker: Option<Waker>,
}

/// A future that completes once its [`Opener`] is opened, from any thread.
#[derive(Debug)]
pub struct Gate(Arc<Mutex<GateState>>);

/// Opens a [`Gate`].
#[derive(Debug, Clone)]
pub struct Opener(Arc<Mutex<GateState>>);

pub fn gate() -> (Opener, Gate) {
    let state = Arc::new(Mutex::new(GateState::default()));
    (Opener(Arc::clone(&state)), Gate(state))
}

impl Opener {
    pub fn open(&self) {
        let mut state = self.0.lock().unwrap();
        state.open = true;
        if let Some(waker) = state.waker.take() {
            waker.wake();
        }
    }
}

impl Future for Gate {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let mut state = self.0.lock().unwrap();
        if state.open {
            return Poll::Ready(());
        }
        state.waker = Some(cx.waker().clone());
        Poll::Pending
    }
}

/// What a watched task lets the test see.
#[derive(Debug, Clone, Default)]
pub struct Watch {
    pub drops: DropCount,
    finished: Arc<AtomicBool>,
}

impl Watch {
    /// The task ran past its gate to the end.
    pub fn finished(&self) -> bool {
        self.finished.load(Ordering::SeqCst)
    }

    /// The task's future is gone: finished, or dropped before that.
    pub fn ended(&self) -> bool {
        self.drops.get() == 1
    }
}

/// A task that holds a guard, waits at a gate, and then notes that it
/// finished. It is `Send`, so every runtime can spawn it.
pub fn task_at_a_gate() -> (impl Future<Output = ()> + Send + 'static, Opener, Watch) {
    let (opener, gate) = gate();
    let watch = Watch::default();
    let guard = watch.drops.guard();
    let finished = Arc::clone(&watch.finished);
    let task = async move {
        let _guard = guard;
        gate.await;
        finished.store(true, Ordering::SeqCst);
    };
    (task, opener, watch)
}

/// Waits, on the real clock, until `condition` holds; false if it has not
/// after ten seconds, which only a broken runtime takes.
pub fn eventually(condition: impl Fn() -> bool) -> bool {
    let give_up = Instant::now() + Duration::from_secs(10);
    while !condition() {
        if Instant::now() > give_up {
            return false;
        }
        thread::sleep(Duration::from_millis(1));
    }
    true
}
