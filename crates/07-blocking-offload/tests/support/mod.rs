//! Helpers shared by the test files.
#![allow(dead_code)] // each test file uses some of them

use std::time::{Duration, Instant};

use event_loop::hand::EventLoop;

#[allow(unused_imports)] // each test file uses some of them
pub use timeline::testing::finishes_within;

/// A loop on virtual time: its clock moves only when every task waits.
pub fn virtual_loop() -> EventLoop {
    EventLoop::builder()
        .virtual_time()
        .build()
        .expect("a poller")
}

/// How many threads of this process have a name starting with `prefix`,
/// read from `/proc/self/task/*/comm` (Linux keeps 15 bytes of a name).
pub fn threads_named(prefix: &str) -> usize {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return 0;
    };
    tasks
        .filter_map(Result::ok)
        .filter_map(|task| std::fs::read_to_string(task.path().join("comm")).ok())
        .filter(|name| name.starts_with(prefix))
        .count()
}

/// Waits until `done` holds, checking every 10 ms, for `limit` at most.
/// Returns whether it held.
pub fn eventually(limit: Duration, mut done: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        if done() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    done()
}

/// Counts how many jobs run at once, and the most there ever were.
#[derive(Debug, Default)]
pub struct Running {
    now: std::sync::Mutex<(usize, usize)>,
}

impl Running {
    /// Notes a job starting; the returned guard notes it ending.
    pub fn enter(&self) -> RunningGuard<'_> {
        let mut now = self.now.lock().unwrap();
        now.0 += 1;
        now.1 = now.1.max(now.0);
        RunningGuard(self)
    }

    /// How many run now.
    pub fn now(&self) -> usize {
        self.now.lock().unwrap().0
    }

    /// The most that ever ran at once.
    pub fn most(&self) -> usize {
        self.now.lock().unwrap().1
    }
}

/// Notes the end of a job when dropped.
#[derive(Debug)]
pub struct RunningGuard<'a>(&'a Running);

impl Drop for RunningGuard<'_> {
    fn drop(&mut self) {
        self.0.now.lock().unwrap().0 -= 1;
    }
}

/// A gate that jobs wait at until the test opens it.
#[derive(Debug, Default)]
pub struct Gate {
    open: std::sync::Mutex<bool>,
    changed: std::sync::Condvar,
}

impl Gate {
    /// Blocks until the gate is open.
    pub fn wait(&self) {
        let mut open = self.open.lock().unwrap();
        while !*open {
            open = self.changed.wait(open).unwrap();
        }
    }

    /// Opens it for every waiter, now and later.
    pub fn open(&self) {
        *self.open.lock().unwrap() = true;
        self.changed.notify_all();
    }
}
