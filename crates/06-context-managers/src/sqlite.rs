//! A real database: SQLite through `sqlx`, built from source by the crate
//! (nothing to install), in a temporary file or in memory.
//!
//! What `sqlx`'s SQLite driver does underneath decides every lesson here:
//! each `SqliteConnection` owns a thread of its own (named
//! `sqlx-sqlite-worker-N`), which runs every statement; the async side only
//! sends it commands over a channel and awaits the answers. So:
//!
//! - `close().await` sends a shutdown and waits for the thread to end;
//!   dropping the connection instead ends the thread without being waited
//!   for.
//! - A `Transaction` dropped without `commit` sends a rollback from its
//!   `Drop` (no await needed: a send on a channel), and the connection's
//!   thread runs it as soon as it gets to it, with no runtime involved.
//! - A query cancelled by a timeout is only the *waiting* cancelled: the
//!   command is on the connection's thread already, and runs to its end.
//! - The connection alone needs no runtime at all; the `Pool` does (it
//!   times out acquires and returns connections in tasks), and panics
//!   outside tokio.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use sqlx::sqlite::{
    SqliteConnectOptions, SqliteConnection, SqlitePool, SqlitePoolOptions,
};
use sqlx::{Connection, Row};

/// A database file in the system's temporary folder, with a name no other
/// run uses, removed (with SQLite's side files) when dropped.
#[derive(Debug)]
pub struct TempDb {
    path: PathBuf,
}

impl TempDb {
    /// A fresh name; the file is created by the first connect.
    pub fn new(label: &str) -> TempDb {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let name = format!("ch6-{label}-{}-{n}.db", std::process::id());
        TempDb {
            path: std::env::temp_dir().join(name),
        }
    }

    /// Options to connect to it, creating it if missing. The busy timeout
    /// is long: a connection that waits for another's lock waits for it,
    /// rather than failing at once.
    pub fn options(&self) -> SqliteConnectOptions {
        SqliteConnectOptions::new()
            .filename(&self.path)
            .create_if_missing(true)
            .busy_timeout(Duration::from_secs(30))
    }
}

impl Drop for TempDb {
    fn drop(&mut self) {
        for suffix in ["", "-journal", "-wal", "-shm"] {
            let mut path = self.path.clone().into_os_string();
            path.push(suffix);
            let _ = std::fs::remove_file(path);
        }
    }
}

/// How many rows the table `users` holds, on `conn`.
pub async fn count_users(conn: &mut SqliteConnection) -> Result<i64, sqlx::Error> {
    let row = sqlx::query("SELECT count(*) FROM users")
        .fetch_one(&mut *conn)
        .await?;
    row.try_get(0)
}

/// Creates the table `users`.
pub async fn create_users(conn: &mut SqliteConnection) -> Result<(), sqlx::Error> {
    sqlx::query("CREATE TABLE IF NOT EXISTS users (name TEXT NOT NULL)")
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Adds a user.
pub async fn add_user(
    conn: &mut SqliteConnection,
    name: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO users (name) VALUES (?)")
        .bind(name)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

// ANCHOR: close
/// The scene on SQLite: connect, create, insert, count, and close with
/// `close().await`, which waits until the connection's thread has ended.
pub async fn connect_query_close() -> Result<i64, sqlx::Error> {
    let mut conn = SqliteConnection::connect("sqlite::memory:").await?;
    create_users(&mut conn).await?;
    add_user(&mut conn, "Ada").await?;
    let users = count_users(&mut conn).await?;
    conn.close().await?;
    Ok(users)
}
// ANCHOR_END: close

// ANCHOR: pool
/// A pool, used and closed: `close().await` waits until every connection
/// is back and closed; the pool refuses new acquires from then on. Returns
/// the count of users, the pool's size after the close, and whether an
/// acquire after it was refused.
pub async fn pool_query_close(db: &TempDb) -> Result<(i64, u32, bool), sqlx::Error> {
    let pool: SqlitePool = SqlitePoolOptions::new()
        .max_connections(2)
        .connect_with(db.options())
        .await?;
    let mut conn = pool.acquire().await?;
    create_users(&mut conn).await?;
    add_user(&mut conn, "Ada").await?;
    let users = count_users(&mut conn).await?;
    drop(conn); // back to the pool, through a task on tokio
    pool.close().await;
    let refused = matches!(pool.acquire().await, Err(sqlx::Error::PoolClosed));
    Ok((users, pool.size(), refused))
}
// ANCHOR_END: pool

// ANCHOR: commit
/// A transaction committed, then one dropped without `commit`: the first
/// row stays, the second is rolled back.
pub async fn commit_then_drop() -> Result<i64, sqlx::Error> {
    let mut conn = SqliteConnection::connect("sqlite::memory:").await?;
    create_users(&mut conn).await?;
    let mut tx = conn.begin().await?;
    add_user(&mut tx, "Ada").await?;
    tx.commit().await?;
    let mut tx = conn.begin().await?;
    add_user(&mut tx, "Grace").await?;
    drop(tx); // no commit: `Drop` sends a rollback to the connection's thread
    let users = count_users(&mut conn).await?;
    conn.close().await?;
    Ok(users)
}
// ANCHOR_END: commit
