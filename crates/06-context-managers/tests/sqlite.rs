//! The real database: SQLite through `sqlx`, in memory or in a temporary
//! file. Closing with `close().await`, a committed and a dropped
//! transaction, exactly when the dropped one's rollback runs, a query a
//! timeout cancelled, and what runs outside tokio.
//!
//! These tests run on the real clock: SQLite's work happens on each
//! connection's own thread, which no paused clock can speed up. Each wait
//! is bounded (10 s) and checked by order, never by duration.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Duration;

use context_managers::sqlite::{
    TempDb, add_user, commit_then_drop, connect_query_close, count_users, create_users,
    pool_query_close,
};
use sqlx::Connection;
use sqlx::sqlite::{SqliteConnection, SqlitePoolOptions};

const LIMIT: Duration = Duration::from_secs(10);

fn tokio_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("the system's drivers")
}

#[test]
fn a_connection_is_used_and_closed_with_close_await() {
    let users = tokio_runtime().block_on(connect_query_close());
    assert_eq!(users.expect("SQLite in memory works"), 1);
}

#[test]
fn a_pool_closed_with_close_await_has_no_connection_left() {
    let db = TempDb::new("pool");
    let (users, size, refused) = tokio_runtime()
        .block_on(pool_query_close(&db))
        .expect("SQLite in a temporary file works");
    assert_eq!(users, 1);
    assert_eq!(size, 0, "close waited for every connection to close");
    assert!(refused, "a closed pool refuses to hand out connections");
}

#[test]
fn a_committed_transaction_stays_and_a_dropped_one_is_rolled_back() {
    let users = tokio_runtime().block_on(commit_then_drop());
    assert_eq!(users.expect("SQLite in memory works"), 1, "only Ada stays");
}

/// Sets a rollback hook on `conn` that sends the name of the thread the
/// rollback runs on.
async fn tell_rollbacks(conn: &mut SqliteConnection) -> mpsc::Receiver<String> {
    let (sender, receiver) = mpsc::channel();
    let mut handle = conn.lock_handle().await.expect("the worker answers");
    handle.set_rollback_hook(move || {
        let name = std::thread::current()
            .name()
            .unwrap_or("unnamed")
            .to_string();
        let _ = sender.send(name);
    });
    receiver
}

// ANCHOR: rollback_timing
#[test]
fn a_dropped_transaction_is_rolled_back_at_once_on_the_connections_thread() {
    tokio_runtime().block_on(async {
        let mut conn = SqliteConnection::connect("sqlite::memory:").await.unwrap();
        create_users(&mut conn).await.unwrap();
        let rollbacks = tell_rollbacks(&mut conn).await;
        let mut tx = conn.begin().await.unwrap();
        add_user(&mut tx, "Grace").await.unwrap();
        drop(tx);
        // Block this thread, so that tokio polls nothing, and do not touch
        // the connection: the rollback runs anyway, on the worker thread.
        let thread = rollbacks.recv_timeout(LIMIT).expect("rolled back");
        assert!(thread.starts_with("sqlx-sqlite-worker-"), "{thread}");
        assert_eq!(count_users(&mut conn).await.unwrap(), 0);
    });
}
// ANCHOR_END: rollback_timing

// ANCHOR: pool_rollback
#[test]
fn from_a_pool_the_rollback_runs_at_once_but_the_connection_returns_in_a_task() {
    let db = TempDb::new("pool-rollback");
    tokio_runtime().block_on(async {
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(db.options())
            .await
            .unwrap();
        let mut conn = pool.acquire().await.unwrap();
        create_users(&mut conn).await.unwrap();
        let rollbacks = tell_rollbacks(&mut conn).await;
        drop(conn);
        let mut tx = pool.begin().await.unwrap();
        add_user(&mut tx, "Grace").await.unwrap();
        drop(tx);
        // The rollback runs while this thread is blocked…
        let thread = rollbacks.recv_timeout(LIMIT).expect("rolled back");
        assert!(thread.starts_with("sqlx-sqlite-worker-"), "{thread}");
        // …but the connection is not back in the pool: that is a task
        // `Drop` spawned on tokio, which has not run yet.
        assert_eq!(pool.num_idle(), 0);
        let back = tokio::time::timeout(LIMIT, async {
            while pool.num_idle() == 0 {
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
        });
        back.await.expect("the task returns it once tokio runs");
        let mut conn = pool.acquire().await.unwrap();
        assert_eq!(count_users(&mut conn).await.unwrap(), 0);
        drop(conn);
        pool.close().await;
    });
}
// ANCHOR_END: pool_rollback

// ANCHOR: timeout
#[test]
fn a_query_cancelled_by_a_timeout_still_runs_on_the_connections_thread() {
    let db = TempDb::new("timeout");
    tokio_runtime().block_on(async {
        let mut writer = SqliteConnection::connect_with(&db.options()).await.unwrap();
        create_users(&mut writer).await.unwrap();
        let mut holder = SqliteConnection::connect_with(&db.options()).await.unwrap();
        // The holder locks the database, so the writer's insert must wait.
        let lock = holder.begin_with("BEGIN EXCLUSIVE").await.unwrap();
        let insert = add_user(&mut writer, "Ada");
        let timed_out = tokio::time::timeout(Duration::from_millis(200), insert).await;
        assert!(
            timed_out.is_err(),
            "it cannot finish while the lock is held"
        );
        lock.commit().await.unwrap();
        // The insert was only waited for; it runs once the lock is free.
        // The next command on the writer queues behind it, and sees its row.
        assert_eq!(count_users(&mut writer).await.unwrap(), 1);
        writer.close().await.unwrap();
        holder.close().await.unwrap();
    });
}
// ANCHOR_END: timeout

/// What the book quotes: written by `the_pool_panics_outside_tokio`.
fn message_file() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tables/sqlx-outside-tokio.txt")
}

// ANCHOR: outside_tokio
#[test]
fn a_single_connection_needs_no_runtime_our_loop_and_async_std_run_it() {
    let on_our_loop = event_loop::hand::block_on(connect_query_close());
    assert_eq!(on_our_loop.unwrap(), 1);
    let on_async_std = async_std::task::block_on(connect_query_close());
    assert_eq!(on_async_std.unwrap(), 1);
    let on_smol = smol::block_on(connect_query_close());
    assert_eq!(on_smol.unwrap(), 1);
}

#[test]
fn the_pool_panics_outside_tokio() {
    let db = TempDb::new("outside");
    let panics = [
        catch_unwind(AssertUnwindSafe(|| {
            event_loop::hand::block_on(pool_query_close(&db))
        })),
        catch_unwind(AssertUnwindSafe(|| {
            async_std::task::block_on(pool_query_close(&db))
        })),
        catch_unwind(AssertUnwindSafe(|| smol::block_on(pool_query_close(&db)))),
    ];
    let messages: Vec<String> = panics
        .into_iter()
        .map(|outcome| match outcome {
            Ok(result) => panic!("the pool ran outside tokio: {result:?}"),
            Err(payload) => tasks::panic_message(&*payload),
        })
        .collect();
    assert_eq!(messages[0], "this functionality requires a Tokio context");
    assert!(messages.iter().all(|message| *message == messages[0]));
    let text = format!("{}\n", messages[0]);
    timeline::testing::check_file(&message_file(), &text);
}
// ANCHOR_END: outside_tokio
