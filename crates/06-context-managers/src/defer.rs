//! `scopeguard`'s `defer!`: code that runs when the scope ends, however it
//! ends (a return, a `?`, a panic, or the future that holds the scope being
//! dropped). It is a `Drop` underneath, so it runs synchronous code only:
//! it cannot await a close. It can note, block, or spawn. An `.await` in
//! its block does not compile, since the block is a plain closure:
//!
//! ```compile_fail,E0728
//! async fn close() {}
//!
//! async fn body() {
//!     scopeguard::defer! {
//!         close().await; // `await` is only allowed inside `async` blocks
//!     }
//! }
//! ```

use std::sync::{Arc, Mutex};

use crate::db::Runtime;

// ANCHOR: defer
/// A body that holds a `defer!` across an await, and notes in `log` when
/// the deferred code runs. The deferred block is a closure run by a
/// destructor: an `.await` inside it would not compile.
pub async fn body_with_defer<R: Runtime>(
    runtime: R,
    log: Arc<Mutex<Vec<&'static str>>>,
) {
    let deferred = Arc::clone(&log);
    scopeguard::defer! {
        deferred.lock().expect("never poisoned").push("deferred block ran");
    }
    log.lock().expect("never poisoned").push("body started");
    runtime.sleep(crate::QUERY).await;
    log.lock().expect("never poisoned").push("body finished");
}
// ANCHOR_END: defer
