//! `Send`: why `tokio::spawn` refuses a future that holds an `Rc` across an
//! `.await`, and why a local spawn accepts it.
//!
//! A multi-threaded runtime may poll a task on one worker thread, and after an
//! `.await` resume it on another. Everything the future holds across that
//! `.await` moves with it, so `tokio::spawn` (like `async_std::task::spawn`
//! and `smol::spawn`) requires `Send` futures. An executor that keeps every
//! task on one thread needs no such thing: tokio's `LocalSet` with
//! `spawn_local`, smol's `LocalExecutor`, and the hand-rolled
//! [`Executor`](crate::hand::Executor).
//!
//! The three programs below are doc-tests (`cargo test -p tasks --doc`), the
//! same task each time. The first must fail to compile: `Rc` is not `Send`.
#![doc = concat!(
    "```compile_fail\n",
    include_str!("../snippets/spawn_needs_send.rs"),
    "```\n"
)]
//! The same task on a `LocalSet`, which compiles and runs:
#![doc = concat!("```\n", include_str!("../snippets/spawn_local.rs"), "```\n")]
//! And on the hand-rolled executor:
#![doc = concat!("```\n", include_str!("../snippets/hand_spawn.rs"), "```\n")]
//!
//! async-std's and smol's `spawn` refuse it in the same way:
//!
//! ```compile_fail
//! use std::rc::Rc;
//!
//! let handle = async_std::task::spawn(async {
//!     let url = Rc::new("api/users");
//!     async_std::task::yield_now().await;
//!     println!("fetched {url}");
//! });
//! async_std::task::block_on(handle);
//! ```
//!
//! ```compile_fail
//! use std::rc::Rc;
//!
//! let task = smol::spawn(async {
//!     let url = Rc::new("api/users");
//!     smol::future::yield_now().await;
//!     println!("fetched {url}");
//! });
//! smol::block_on(task);
//! ```
//!
//! while smol's `LocalExecutor`, which keeps its tasks on one thread, takes it:
//!
//! ```
//! use std::rc::Rc;
//!
//! let local = smol::LocalExecutor::new();
//! smol::block_on(local.run(async {
//!     let task = local.spawn(async {
//!         let url = Rc::new("api/users");
//!         smol::future::yield_now().await;
//!         println!("fetched {url}");
//!     });
//!     task.await;
//! }));
//! ```
