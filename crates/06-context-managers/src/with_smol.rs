//! The patterns on smol. `smol::spawn` puts a task on smol's global
//! executor, whose thread (`smol-1`) runs it whatever `block_on` does: as on
//! async-std, a task still running when the main future returns runs on,
//! with its cleanup, while the process lives. A `LocalExecutor` is the other
//! way: dropping it drops every task it holds, at once, as a dropped tokio
//! runtime does.
//!
//! smol has no virtual clock, so the tests run the scene faster: every
//! duration is divided by [`Smol::speedup`].

use std::future::Future;
use std::time::{Duration, Instant};

use smol::future::FutureExt as _;

use crate::db::{Database, Runtime};
use crate::paths::{Cancel, CleanupPath, Outcome, drive, settled_fate};
use crate::patterns::{Ending, Pattern, use_connection};

// ANCHOR: runtime
/// smol's global executor, its times divided by `speedup`.
#[derive(Debug, Clone, Copy)]
pub struct Smol {
    /// 1 for the demo's real times; more to run the scene faster.
    pub speedup: u32,
    started: Instant,
}

impl Smol {
    /// The scene at `speedup` times its real speed.
    pub fn new(speedup: u32) -> Smol {
        Smol {
            speedup: speedup.max(1),
            started: Instant::now(),
        }
    }

    fn scaled(&self, duration: Duration) -> Duration {
        duration / self.speedup
    }
}

impl Runtime for Smol {
    fn sleep(&self, duration: Duration) -> impl Future<Output = ()> + Send + 'static {
        let timer = smol::Timer::after(self.scaled(duration));
        async move {
            timer.await;
        }
    }

    fn now(&self) -> Instant {
        self.started + self.started.elapsed() * self.speedup
    }

    fn spawn_detached(&self, future: impl Future<Output = ()> + Send + 'static) {
        // A smol `Task` cancels its task when dropped: `detach` lets it run.
        smol::spawn(future).detach();
    }
}

impl Cancel for Smol {
    fn timeout<F: Future>(
        &self,
        limit: Duration,
        future: F,
    ) -> impl Future<Output = Option<F::Output>> {
        let timer = smol::Timer::after(self.scaled(limit));
        async move { Some(future.await) }.or(async move {
            timer.await;
            None
        })
    }

    async fn abort_after<F>(&self, after: Duration, future: F) -> bool
    where
        F: Future<Output = ()> + Send + 'static,
    {
        let task = smol::spawn(future);
        smol::Timer::after(self.scaled(after)).await;
        // `cancel` drops the task's future and says whether it had finished.
        task.cancel().await.is_none()
    }
}
// ANCHOR_END: runtime

/// Runs one path of the scene through `pattern` under `smol::block_on`,
/// then waits (on the real clock, up to 10 s) for the connection's fate to
/// settle, as a process that goes on living would.
pub fn run_path(speedup: u32, pattern: Pattern, path: CleanupPath) -> Outcome {
    let database = Database::new();
    let runtime = Smol::new(speedup);
    let caller = smol::block_on(drive(&database, &runtime, pattern, path));
    Outcome {
        caller,
        fate: settled_fate(&database, Duration::from_secs(10)),
    }
}

// ANCHOR: local
/// The shutdown path on a `LocalExecutor`: the body is a task of the local
/// executor, which is dropped when the main future returns at 1.75 s. The
/// guard's cleanup goes to the global executor (`spawn_detached`), so it
/// survives the local one.
pub fn shutdown_path_local(speedup: u32, pattern: Pattern) -> Outcome {
    let database = Database::new();
    let runtime = Smol::new(speedup);
    let local = smol::LocalExecutor::new();
    let caller = smol::block_on(local.run(async {
        let (db, rt) = (database.clone(), runtime);
        let body = local.spawn(async move {
            let _ = use_connection(&db, &rt, pattern, Ending::Success).await;
        });
        body.detach();
        runtime.sleep(crate::paths::CUT).await;
        "returned at 1.75 s".to_string()
    }));
    drop(local);
    Outcome {
        caller,
        fate: settled_fate(&database, Duration::from_secs(10)),
    }
}
// ANCHOR_END: local
