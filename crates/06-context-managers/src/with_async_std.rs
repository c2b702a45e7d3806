//! The patterns on async-std (discontinued by its maintainers, who point to
//! smol). Its executor is global: its threads run every task spawned, and
//! `block_on` returning ends nothing. A task still running when the main
//! future returns runs on, and a cleanup a guard spawned runs too, as long
//! as the process lives; nothing waits for them when `main` returns.
//!
//! async-std has no virtual clock, so the tests run the scene faster: every
//! duration is divided by [`AsyncStd::speedup`].

use std::future::Future;
use std::time::{Duration, Instant};

use crate::db::{Database, Runtime};
use crate::paths::{Cancel, CleanupPath, Outcome, drive, settled_fate};
use crate::patterns::Pattern;

// ANCHOR: runtime
/// async-std's global executor, its times divided by `speedup`.
#[derive(Debug, Clone, Copy)]
pub struct AsyncStd {
    /// 1 for the demo's real times; more to run the scene faster.
    pub speedup: u32,
    started: Instant,
}

impl AsyncStd {
    /// The scene at `speedup` times its real speed.
    pub fn new(speedup: u32) -> AsyncStd {
        AsyncStd {
            speedup: speedup.max(1),
            started: Instant::now(),
        }
    }

    fn scaled(&self, duration: Duration) -> Duration {
        duration / self.speedup
    }
}

impl Runtime for AsyncStd {
    fn sleep(&self, duration: Duration) -> impl Future<Output = ()> + Send + 'static {
        async_std::task::sleep(self.scaled(duration))
    }

    fn now(&self) -> Instant {
        // The scene's clock: real time since the start, times the speed-up.
        self.started + self.started.elapsed() * self.speedup
    }

    fn spawn_detached(&self, future: impl Future<Output = ()> + Send + 'static) {
        // Dropping the join handle detaches the task.
        drop(async_std::task::spawn(future));
    }
}

impl Cancel for AsyncStd {
    async fn timeout<F: Future>(
        &self,
        limit: Duration,
        future: F,
    ) -> Option<F::Output> {
        let limit = self.scaled(limit);
        async_std::future::timeout(limit, future).await.ok()
    }

    async fn abort_after<F>(&self, after: Duration, future: F) -> bool
    where
        F: Future<Output = ()> + Send + 'static,
    {
        let task = async_std::task::spawn(future);
        async_std::task::sleep(self.scaled(after)).await;
        // `cancel` drops the task's future and says whether it had finished.
        task.cancel().await.is_none()
    }
}
// ANCHOR_END: runtime

/// Runs one path of the scene through `pattern` under `block_on`, then
/// waits (on the real clock, up to 10 s) for the connection's fate to
/// settle, as a process that goes on living would.
pub fn run_path(speedup: u32, pattern: Pattern, path: CleanupPath) -> Outcome {
    let database = Database::new();
    let runtime = AsyncStd::new(speedup);
    let caller = async_std::task::block_on(drive(&database, &runtime, pattern, path));
    Outcome {
        caller,
        fate: settled_fate(&database, Duration::from_secs(10)),
    }
}
