//! Helpers shared by the test files: one scene run on our loop, tokio and
//! smol alike, under a watchdog.
#![allow(dead_code)] // each test file uses some of them

use std::future::Future;
use std::panic;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::task::{Context, Poll};
use std::time::Duration;

/// A test task's future, boxed so every runtime's spawn takes the same type.
pub type Job = Pin<Box<dyn Future<Output = ()>>>;

/// Spawns a task on the runtime the scene runs on, and gives back a future
/// that waits for it. Tasks stay on the scene's thread (a local spawn), so
/// they may share `Rc`s and `RefCell`s.
#[derive(Clone)]
pub struct Spawner(Rc<dyn Fn(Job) -> Job>);

impl Spawner {
    pub fn spawn(&self, task: impl Future<Output = ()> + 'static) -> Job {
        (self.0)(Box::pin(task))
    }
}

/// The runtimes the primitives are tested on.
#[derive(Debug, Clone, Copy)]
pub enum On {
    Hand,
    Tokio,
    Smol,
}

/// How long a scene may take before the test calls it hung: generous, only
/// a hang exceeds it.
pub const LIMIT: Duration = Duration::from_secs(20);

/// Runs `scene` on `on`, on a thread of its own: a panic fails the test with
/// its message, and a hang fails it after [`LIMIT`] instead of hanging the
/// suite (the stuck thread is left behind).
pub fn run_on<F, Fut>(on: On, scene: F)
where
    F: FnOnce(Spawner) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + 'static,
{
    within(LIMIT, move || match on {
        On::Hand => event_loop::hand::block_on(async move {
            scene(Spawner(Rc::new(|job| {
                let handle = event_loop::hand::spawn(job);
                Box::pin(async move { handle.await.expect("the task does not panic") })
            })))
            .await
        }),
        On::Tokio => {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a tokio runtime");
            let local = tokio::task::LocalSet::new();
            runtime.block_on(local.run_until(async move {
                scene(Spawner(Rc::new(|job| {
                    let handle = tokio::task::spawn_local(job);
                    Box::pin(
                        async move { handle.await.expect("the task does not panic") },
                    )
                })))
                .await
            }))
        }
        On::Smol => {
            let executor = Rc::new(smol::LocalExecutor::new());
            let spawner = Rc::clone(&executor);
            smol::block_on(executor.run(async move {
                scene(Spawner(Rc::new(move |job| Box::pin(spawner.spawn(job))))).await
            }))
        }
    });
}

/// Runs `work` on a thread of its own and returns its result; panics with
/// the work's own panic, or with "hung" if it has not finished in `limit`.
pub fn within<T: Send + 'static>(
    limit: Duration,
    work: impl FnOnce() -> T + Send + 'static,
) -> T {
    let (sender, receiver) = mpsc::channel();
    let worker = std::thread::spawn(move || {
        let _ = sender.send(work());
    });
    match receiver.recv_timeout(limit) {
        Ok(output) => output,
        Err(RecvTimeoutError::Disconnected) => match worker.join() {
            Err(panic) => panic::resume_unwind(panic),
            Ok(()) => unreachable!("the worker sends before it ends"),
        },
        Err(RecvTimeoutError::Timeout) => panic!("hung: not done in {limit:?}"),
    }
}

/// Yields until `done` holds, at most 1,000 times: for "until every task is
/// in line" without counting how many turns that takes on each runtime.
pub async fn until(mut done: impl FnMut() -> bool) {
    for _ in 0..1_000 {
        if done() {
            return;
        }
        futures_lite::future::yield_now().await;
    }
    panic!("the condition never came true");
}

/// Polls `future` once, by hand: `Some(output)` if it was ready.
pub fn poll_once<F: Future + Unpin>(future: &mut F) -> Option<F::Output> {
    let mut context = Context::from_waker(std::task::Waker::noop());
    match Pin::new(future).poll(&mut context) {
        Poll::Ready(output) => Some(output),
        Poll::Pending => None,
    }
}

/// One test module per claim, with a test on each runtime:
/// `claim::on_our_loop`, `claim::on_tokio`, `claim::on_smol`.
#[macro_export]
macro_rules! on_every_runtime {
    ($(#[$doc:meta])* async fn $name:ident($spawner:ident: Spawner) $body:block) => {
        $(#[$doc])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn scene($spawner: support::Spawner) $body

            #[test]
            fn on_our_loop() {
                support::run_on(support::On::Hand, scene);
            }

            #[test]
            fn on_tokio() {
                support::run_on(support::On::Tokio, scene);
            }

            #[test]
            fn on_smol() {
                support::run_on(support::On::Smol, scene);
            }
        }
    };
}
