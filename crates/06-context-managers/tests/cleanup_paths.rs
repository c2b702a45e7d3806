//! Every cleanup path (success, error, panic, timeout, abort, shutdown)
//! through every pattern on every runtime: what became of the connection.
//! Each test runs one path on one runtime through the four patterns and
//! checks each against the tables below; the book's tables are drawn from
//! the same tables by `the_books_tables_are_current`, so a cell the book
//! shows is a cell a test proved.
//!
//! Our loop and tokio run on virtual time (exact, no real waiting);
//! async-std and smol have no virtual clock and run the scene 20 times
//! faster. After `block_on` returns on those two, the test waits (up to
//! 10 s) for the connection's fate to settle, as a process that goes on
//! living would. Redraw the tables with
//! `UPDATE_OUTPUTS=1 cargo test -p context-managers --test cleanup_paths`.

use std::path::PathBuf;

use context_managers::db::Fate;
use context_managers::paths::{CleanupPath, Outcome};
use context_managers::patterns::Pattern;
use context_managers::{hand, with_async_std, with_smol, with_tokio};

const SPEEDUP: u32 = 20;

const CLOSED: &str = "closed";
const BY_TASK: &str = "closed by its task";
const BLOCKING: &str = "closed, blocking";
const DROPPED: &str = "**dropped open**";

/// What the connection's fate is on every runtime, for every path but the
/// shutdown: rows by path, columns by pattern (in `Pattern::ALL` order).
const ANY_RUNTIME: [(CleanupPath, [&str; 4]); 5] = [
    (CleanupPath::Success, [CLOSED, CLOSED, BY_TASK, BLOCKING]),
    (CleanupPath::Error, [DROPPED, CLOSED, BY_TASK, BLOCKING]),
    (CleanupPath::Panic, [DROPPED, CLOSED, BY_TASK, BLOCKING]),
    (CleanupPath::Timeout, [DROPPED, DROPPED, BY_TASK, BLOCKING]),
    (CleanupPath::Abort, [DROPPED, DROPPED, BY_TASK, BLOCKING]),
];

/// What the caller sees on each of those paths, the same for every pattern.
fn caller_sees(path: CleanupPath) -> &'static str {
    match path {
        CleanupPath::Success => "2 rows",
        CleanupPath::Error => "database error: relation \"orders\" does not exist",
        CleanupPath::Panic => "panicked: the body panicked after the first query",
        CleanupPath::Timeout => "timed out",
        CleanupPath::Abort => "aborted",
        CleanupPath::Shutdown => "returned at 1.75 s",
    }
}

/// The shutdown path: the body is a task in its second query when the main
/// future returns, and the runtime ends as each row says.
const AT_SHUTDOWN: [(&str, [&str; 4]); 6] = [
    (
        "ours: `block_on` (graceful `shutdown`)",
        [DROPPED, DROPPED, BY_TASK, BLOCKING],
    ),
    (
        "ours: `close` (no grace)",
        [DROPPED, DROPPED, DROPPED, BLOCKING],
    ),
    (
        "tokio: runtime dropped",
        [DROPPED, DROPPED, DROPPED, BLOCKING],
    ),
    (
        "tokio: `shutdown_timeout(5 s)`",
        [DROPPED, DROPPED, DROPPED, BLOCKING],
    ),
    (
        "async-std: `block_on` returns",
        [CLOSED, CLOSED, BY_TASK, BLOCKING],
    ),
    (
        "smol: `block_on` returns",
        [CLOSED, CLOSED, BY_TASK, BLOCKING],
    ),
];

fn expected(path: CleanupPath) -> [&'static str; 4] {
    ANY_RUNTIME
        .iter()
        .find(|(row, _)| *row == path)
        .map(|(_, cells)| *cells)
        .expect("every path but the shutdown has a row")
}

fn shutdown_row(name: &str) -> [&'static str; 4] {
    AT_SHUTDOWN
        .iter()
        .find(|(row, _)| row.starts_with(name))
        .map(|(_, cells)| *cells)
        .expect("a row of AT_SHUTDOWN")
}

/// Runs `run` through every pattern and checks the fates against `cells`
/// and what the caller saw against `caller`.
fn check(
    cells: [&str; 4],
    caller: &str,
    mut run: impl FnMut(Pattern) -> Outcome,
) -> Vec<Fate> {
    let mut fates = Vec::new();
    for (pattern, cell) in Pattern::ALL.into_iter().zip(cells) {
        let outcome = run(pattern);
        assert_eq!(
            outcome.fate.words(),
            cell,
            "{}: {outcome:?}",
            pattern.name()
        );
        assert_eq!(outcome.caller, caller, "{}", pattern.name());
        fates.push(outcome.fate);
    }
    fates
}

macro_rules! every_path {
    ($runtime:ident, $run:expr) => {
        mod $runtime {
            use super::*;

            fn run_path(pattern: Pattern, path: CleanupPath) -> Outcome {
                let run: fn(Pattern, CleanupPath) -> Outcome = $run;
                run(pattern, path)
            }

            fn path(path: CleanupPath) -> Vec<Fate> {
                let caller = caller_sees(path);
                check(expected(path), caller, |pattern| run_path(pattern, path))
            }

            #[test]
            fn success() {
                path(CleanupPath::Success);
            }

            #[test]
            fn error() {
                path(CleanupPath::Error);
            }

            #[test]
            fn panic() {
                path(CleanupPath::Panic);
            }

            #[test]
            fn timeout() {
                path(CleanupPath::Timeout);
            }

            #[test]
            fn abort() {
                path(CleanupPath::Abort);
            }
        }
    };
}

every_path!(on_our_loop, |pattern, path| hand::run_path(
    true, pattern, path
));
every_path!(on_tokio, |pattern, path| {
    with_tokio::run_path(true, pattern, path, with_tokio::End::Drop)
});
every_path!(on_async_std, |pattern, path| {
    with_async_std::run_path(SPEEDUP, pattern, path)
});
every_path!(on_smol, |pattern, path| with_smol::run_path(
    SPEEDUP, pattern, path
));

/// On virtual time the scene's times are exact: the success path closes at
/// 2.5 s, the error and panic paths at 2.0 s (after one query), and a
/// cleanup a guard spawned at the 1.75 s cut ends at 2.25 s.
#[test]
fn on_virtual_time_the_closes_come_exactly_when_the_scene_says() {
    let secs = |s: f64| std::time::Duration::from_secs_f64(s);
    let at = |pattern, path| match hand::run_path(true, pattern, path).fate {
        Fate::Closed { after, .. } | Fate::Dropped { after } => after,
        Fate::Open => panic!("still open"),
    };
    assert_eq!(at(Pattern::Explicit, CleanupPath::Success), secs(2.5));
    assert_eq!(at(Pattern::Scoped, CleanupPath::Error), secs(2.0));
    assert_eq!(at(Pattern::Scoped, CleanupPath::Panic), secs(2.0));
    assert_eq!(at(Pattern::Scoped, CleanupPath::Timeout), secs(1.75));
    assert_eq!(at(Pattern::SpawnOnDrop, CleanupPath::Timeout), secs(2.25));
    let tokio = with_tokio::run_path(
        true,
        Pattern::SpawnOnDrop,
        CleanupPath::Abort,
        with_tokio::End::Drop,
    );
    assert!(matches!(tokio.fate, Fate::Closed { after, .. } if after == secs(2.25)));
}

mod at_shutdown {
    use super::*;

    const CALLER: &str = "returned at 1.75 s";

    #[test]
    fn our_block_on_runs_the_spawned_cleanup_in_its_graceful_shutdown() {
        let fates = check(shutdown_row("ours: `block_on`"), CALLER, |pattern| {
            let (outcome, closed) = hand::shutdown_path(pattern, true);
            assert_eq!(closed.cancelled, 1, "the body's task was cancelled");
            assert!(closed.in_time, "the cleanup finished within the grace");
            outcome
        });
        assert!(
            matches!(fates[2], Fate::Closed { after, .. } if after.as_millis() == 2250)
        );
    }

    #[test]
    fn our_close_drops_the_spawned_cleanup_with_the_loop() {
        check(shutdown_row("ours: `close`"), CALLER, |pattern| {
            let (outcome, closed) = hand::shutdown_path(pattern, false);
            assert!(!closed.in_time, "close ended tasks that were pending");
            outcome
        });
    }

    #[test]
    fn tokio_drops_the_spawned_cleanup_when_its_runtime_is_dropped() {
        check(shutdown_row("tokio: runtime dropped"), CALLER, |pattern| {
            let path = CleanupPath::Shutdown;
            with_tokio::run_path(true, pattern, path, with_tokio::End::Drop)
        });
    }

    #[test]
    fn tokio_shutdown_timeout_drops_it_too() {
        check(
            shutdown_row("tokio: `shutdown_timeout"),
            CALLER,
            |pattern| {
                let end = with_tokio::End::ShutdownTimeout;
                with_tokio::run_path(true, pattern, CleanupPath::Shutdown, end)
            },
        );
    }

    #[test]
    fn async_std_runs_the_task_on_after_block_on_returns() {
        check(shutdown_row("async-std"), CALLER, |pattern| {
            with_async_std::run_path(SPEEDUP, pattern, CleanupPath::Shutdown)
        });
    }

    #[test]
    fn smol_runs_the_task_on_after_block_on_returns() {
        check(shutdown_row("smol"), CALLER, |pattern| {
            with_smol::run_path(SPEEDUP, pattern, CleanupPath::Shutdown)
        });
    }
}

fn table_file(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tables")
        .join(name)
}

fn render(first: &str, rows: Vec<(String, [&str; 4])>) -> String {
    let mut table = format!("| {first} |");
    for pattern in Pattern::ALL {
        table.push_str(&format!(" {} |", pattern.name()));
    }
    table.push_str("\n|---|---|---|---|---|\n");
    for (name, cells) in rows {
        table.push_str(&format!("| {name} | {} |\n", cells.join(" | ")));
    }
    table
}

fn check_file(name: &str, text: &str) {
    timeline::testing::check_file(&table_file(name), text);
}

/// The closing table: each path per runtime, for the scope and the guard
/// that spawns its close, with the tests that prove each row.
fn per_runtime() -> String {
    let scope = 1; // `Pattern::Scoped`'s column
    let guard = 2; // `Pattern::SpawnOnDrop`'s column
    let runtimes = [
        ("ours", "ours: `block_on`"),
        ("tokio", "tokio: runtime dropped"),
        ("async-std", "async-std"),
        ("smol", "smol"),
    ];
    let mut table = String::from("| path |");
    for (name, _) in runtimes {
        table.push_str(&format!(" {name} |"));
    }
    table.push_str(" proven by |\n|---|---|---|---|---|---|\n");
    for path in CleanupPath::ALL {
        table.push_str(&format!("| {path} |"));
        for (_, end) in runtimes {
            let cells = match path {
                CleanupPath::Shutdown => shutdown_row(end),
                _ => expected(path),
            };
            let (scope, guard) = (cells[scope], cells[guard]);
            table.push_str(&format!(" scope: {scope}<br>guard: {guard} |"));
        }
        let proof = match path {
            CleanupPath::Shutdown => "`at_shutdown::*`".to_string(),
            path => format!("`on_*::{path}`"),
        };
        table.push_str(&format!(" {proof} |\n"));
    }
    table
}

#[test]
fn the_books_tables_are_current() {
    check_file("per-runtime.md", &per_runtime());
    let rows = ANY_RUNTIME
        .iter()
        .map(|(path, cells)| (path.name().to_string(), *cells))
        .collect();
    check_file("cleanup-paths.md", &render("path", rows));
    let rows = AT_SHUTDOWN
        .iter()
        .map(|(end, cells)| (end.to_string(), *cells))
        .collect();
    check_file("shutdown.md", &render("the end", rows));
}
