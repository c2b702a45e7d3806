//! The book's asyncio listing, run with `python3` (skipped when it is not
//! installed), against the same scene on our loop through
//! `with_connection`: the same lines in the same order on success, error
//! and panic; on the timeout, asyncio's `__aexit__` receives the
//! `CancelledError` and awaits the close, where Rust drops the scope's
//! future and nothing can await. Every test here records (the recorder is
//! shared by the whole test binary).

use context_managers::hand;
use context_managers::paths::CleanupPath;
use context_managers::patterns::Pattern;
use timeline::Recording;

const SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/python/connection.py");

/// The connection's lines from the Python listing, on `path`.
fn python(path: &str) -> Option<Vec<String>> {
    // A unit of 200 ms: the timeouts (1.75 units) then leave 150 ms or more
    // after the step before them, room for a loaded machine's stalls.
    let printed = timeline::python::run(SCRIPT, &["0.2", path])?;
    Some(printed)
}

fn connection_lines(lines: &[String]) -> Vec<String> {
    let lines = lines
        .iter()
        .filter(|line| line.starts_with("connection 1: "));
    lines.cloned().collect()
}

/// The connection's lines from `with_connection` on our loop, on `path`.
fn rust(pattern: Pattern, path: CleanupPath) -> Vec<String> {
    let recording = Recording::start();
    hand::run_path(true, pattern, path);
    connection_lines(&recording.finish().texts())
}

#[test]
fn asyncio_and_with_connection_print_the_same_on_success_error_and_panic() {
    for (name, path) in [
        ("success", CleanupPath::Success),
        ("error", CleanupPath::Error),
        ("panic", CleanupPath::Panic),
    ] {
        let Some(printed) = python(name) else { return };
        assert_eq!(
            connection_lines(&printed),
            rust(Pattern::Scoped, path),
            "{name}"
        );
    }
}

// ANCHOR: cancelled
#[test]
fn asyncio_aexit_awaits_the_close_on_a_timeout_where_rust_drops_the_scope() {
    let Some(printed) = python("timeout") else {
        return;
    };
    // From the cancellation on, asyncio's `__aexit__` awaits the close.
    let cancelled = printed
        .iter()
        .position(|line| line == "__aexit__ got CancelledError")
        .expect("the timeout cancels the body");
    assert_eq!(
        printed[cancelled..],
        [
            "__aexit__ got CancelledError",
            "connection 1: closing",
            "connection 1: closed",
            "timed out"
        ]
    );
    // Rust's scope is dropped at the hang, and nothing closes.
    let hangs = "connection 1: SELECT * FROM orders (the server hangs)";
    let rust = rust(Pattern::Scoped, CleanupPath::Timeout);
    let at = rust
        .iter()
        .position(|line| line == hangs)
        .expect("it hangs");
    assert_eq!(
        rust[at + 1..],
        ["connection 1: dropped while open, never closed"]
    );
}
// ANCHOR_END: cancelled

#[test]
fn asynccontextmanager_runs_its_finally_with_awaits_on_a_timeout() {
    let Some(printed) = python("contextmanager") else {
        return;
    };
    let end = &printed[printed.len() - 3..];
    assert_eq!(
        end,
        ["connection 1: closing", "connection 1: closed", "timed out"]
    );
    // The nearest Rust has: a guard whose `Drop` hands the close to a task.
    let rust = rust(Pattern::SpawnOnDrop, CleanupPath::Timeout);
    assert_eq!(
        rust[rust.len() - 2..],
        ["connection 1: closing", "connection 1: closed"]
    );
}
