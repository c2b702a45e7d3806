//! What `#[tokio::main]` does on a function that is not `main`: each call builds
//! a multi-thread runtime, blocks on the body and drops the runtime, tasks and
//! all, before it returns; called from inside a runtime, it panics. The macro's
//! expansion is in tokio-macros' `entry.rs` (`Builder::new_multi_thread()` ...
//! `.block_on(body)`); the panic is tokio's `enter_runtime`.

use std::panic;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use coroutines::with_tokio;
use tokio::runtime::{Handle, RuntimeFlavor};

#[tokio::main]
async fn flavor_of_the_runtime_it_builds() -> RuntimeFlavor {
    Handle::current().runtime_flavor()
}

#[test]
fn tokio_main_builds_a_multi_thread_runtime() {
    assert_eq!(
        flavor_of_the_runtime_it_builds(),
        RuntimeFlavor::MultiThread
    );
}

/// Counts its drops: it lives in a task that never finishes.
struct CountsDrops(Arc<AtomicUsize>);

impl Drop for CountsDrops {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

#[tokio::main]
async fn spawn_a_task_that_never_ends(drops: Arc<AtomicUsize>) {
    let guard = CountsDrops(drops);
    tokio::spawn(async move {
        let _guard = guard;
        std::future::pending::<()>().await;
    });
}

#[test]
fn each_tokio_main_call_drops_its_runtime_and_its_tasks_before_returning() {
    let drops = Arc::new(AtomicUsize::new(0));
    spawn_a_task_that_never_ends(Arc::clone(&drops));
    assert_eq!(drops.load(Ordering::SeqCst), 1, "the first runtime is gone");
    spawn_a_task_that_never_ends(Arc::clone(&drops));
    assert_eq!(drops.load(Ordering::SeqCst), 2, "so is the second");
}

#[test]
fn a_tokio_main_function_called_inside_a_runtime_panics() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a current-thread runtime builds");
    let outcome = runtime.block_on(async {
        panic::catch_unwind(|| with_tokio::run_greet_all(Duration::ZERO))
    });
    let payload = outcome.expect_err("blocking inside a runtime panics");
    let message = payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .expect("tokio panics with a message");
    assert!(
        message.starts_with("Cannot start a runtime from within a runtime."),
        "{message}"
    );
}
