//! A `SqliteConnection` dropped without `close` is a guard too: its worker
//! thread sees the command channel close, drops the SQLite handle and ends,
//! with nobody awaiting it and no runtime involved. Alone in this file,
//! since it counts the process's `sqlx-sqlite-worker-N` threads (Linux:
//! `/proc/self/task/*/comm`, where names are cut to 15 bytes).

#[cfg(target_os = "linux")]
#[test]
fn a_dropped_connection_ends_its_worker_thread_without_being_awaited() {
    use std::time::{Duration, Instant};

    use sqlx::Connection;
    use sqlx::sqlite::SqliteConnection;

    fn workers() -> usize {
        let tasks = std::fs::read_dir("/proc/self/task").expect("Linux has /proc");
        tasks
            .filter_map(|task| {
                std::fs::read_to_string(task.ok()?.path().join("comm")).ok()
            })
            .filter(|name| name.starts_with("sqlx-sqlite-wor"))
            .count()
    }

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("the system's drivers");
    let conn = runtime.block_on(SqliteConnection::connect("sqlite::memory:"));
    let conn = conn.expect("SQLite in memory works");
    assert_eq!(workers(), 1, "one thread per connection");
    drop(conn);
    // Only this thread waits, on the real clock; nothing polls anything.
    let started = Instant::now();
    while workers() > 0 {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the worker lives on"
        );
        std::thread::sleep(Duration::from_millis(1));
    }
}
