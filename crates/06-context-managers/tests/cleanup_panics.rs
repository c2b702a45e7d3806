//! A panic in the cleanup itself: the close panics (after its 0.5 s). What
//! each pattern does with it, on our loop (virtual time) and on tokio
//! (paused clock): passed on to the caller, contained and only logged, or,
//! for a `Drop` that panics while a panic unwinds, the end of the process.
//! Every test here records (the recorder is shared by the test binary).

use std::io::Read;
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use context_managers::db::{Database, Fate};
use context_managers::hand::{self, Hand};
use context_managers::paths::{CleanupPath, drive};
use context_managers::patterns::Pattern;
use context_managers::with_tokio::{self, Tokio};
use event_loop::hand::SHUTDOWN_GRACE;
use timeline::Recording;

const CLOSE_PANIC: &str = "panicked: connection 1: close failed: connection reset";

/// One path on our loop with a close that panics: what the caller saw, the
/// fate, and the error lines logged.
fn on_our_loop(pattern: Pattern, path: CleanupPath) -> (String, Fate, Vec<String>) {
    let recording = Recording::start();
    let database = Database::with_panicking_close();
    let event_loop = hand::new_loop(true);
    let caller = event_loop.block_on(drive(&database, &Hand, pattern, path));
    let closed = event_loop.shutdown(SHUTDOWN_GRACE);
    assert!(closed.in_time);
    let errors = errors(recording);
    (caller, database.last_fate().expect("it opened"), errors)
}

fn errors(recording: Recording) -> Vec<String> {
    let timeline = recording.finish();
    let errors = timeline.events().iter();
    let errors = errors.filter(|event| event.level == tracing::Level::ERROR);
    errors.map(|event| event.text.clone()).collect()
}

fn dropped(fate: Fate) -> bool {
    matches!(fate, Fate::Dropped { .. })
}

// ANCHOR: panics
#[test]
fn an_explicit_close_that_panics_unwinds_into_the_caller() {
    let (caller, fate, _) = on_our_loop(Pattern::Explicit, CleanupPath::Success);
    assert_eq!(caller, CLOSE_PANIC);
    assert!(dropped(fate), "the close never finished: {fate:?}");
}

#[test]
fn with_connection_passes_a_panic_in_the_close_on_to_the_caller() {
    let (caller, fate, _) = on_our_loop(Pattern::Scoped, CleanupPath::Success);
    assert_eq!(caller, CLOSE_PANIC);
    assert!(dropped(fate));
}

#[test]
fn with_connection_keeps_the_bodys_panic_and_logs_the_closes() {
    let (caller, _, errors) = on_our_loop(Pattern::Scoped, CleanupPath::Panic);
    assert_eq!(caller, "panicked: the body panicked after the first query");
    assert_eq!(
        errors,
        ["the close panicked too, after the body: \
          connection 1: close failed: connection reset"]
    );
}

#[test]
fn our_loop_contains_a_spawned_close_that_panics_and_logs_it_but_the_caller_never_hears()
 {
    let (caller, fate, errors) =
        on_our_loop(Pattern::SpawnOnDrop, CleanupPath::Success);
    assert_eq!(caller, "2 rows", "the caller never hears of it");
    assert!(dropped(fate));
    // The panic is the detached task's outcome, dropped unread: the loop
    // says so, as asyncio logs "Task exception was never retrieved".
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].ends_with("and nothing awaited it: the panic is dropped unread"),
        "{errors:?}"
    );
}

#[test]
fn tokio_contains_a_spawned_close_that_panics_and_the_caller_never_hears() {
    let recording = Recording::start();
    let database = Database::with_panicking_close();
    let runtime = with_tokio::new_runtime(true);
    let path = CleanupPath::Success;
    let caller = runtime.block_on(drive(&database, &Tokio, Pattern::SpawnOnDrop, path));
    // The runtime goes on: a new task runs as before.
    let after = runtime.block_on(async { tokio::spawn(async { 7 }).await });
    drop(runtime);
    assert!(errors(recording).is_empty(), "tokio logs nothing");
    assert_eq!(caller, "2 rows");
    assert_eq!(after.expect("the runtime still runs tasks"), 7);
    assert!(dropped(database.last_fate().expect("it opened")));
}

#[test]
fn a_blocking_drop_that_panics_unwinds_from_the_drop_into_the_caller() {
    let (caller, fate, _) = on_our_loop(Pattern::BlockOnDrop, CleanupPath::Success);
    assert_eq!(caller, CLOSE_PANIC);
    assert!(dropped(fate));
}
// ANCHOR_END: panics

struct Child {
    status: ExitStatus,
}

/// Set in the child process of the next test.
const CHILD: &str = "CH6_PANIC_WHILE_UNWINDING";

// ANCHOR: abort
#[test]
fn a_blocking_drop_that_panics_while_the_body_unwinds_aborts_the_process() {
    if std::env::var_os(CHILD).is_some() {
        // The child: the body panics, and while it unwinds, the guard's
        // `Drop` panics too. Rust cannot unwind two panics at once.
        on_our_loop(Pattern::BlockOnDrop, CleanupPath::Panic);
        return;
    }
    let this_test =
        "a_blocking_drop_that_panics_while_the_body_unwinds_aborts_the_process";
    let mut child = Command::new(std::env::current_exe().expect("the test binary"))
        .args(["--exact", this_test, "--nocapture", "--test-threads=1"])
        .env(CHILD, "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the test binary runs");
    let mut stderr = String::new();
    let mut pipe = child.stderr.take().expect("piped");
    // A watchdog: a child that hangs is killed, and the test fails.
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("the child can be waited for") {
            break status;
        }
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("the child hung");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    pipe.read_to_string(&mut stderr).expect("UTF-8");
    let child = Child { status };
    assert!(!child.status.success());
    assert!(
        stderr.contains("panic in a destructor during cleanup"),
        "{stderr}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(child.status.signal(), Some(6), "SIGABRT: {stderr}");
    }
}
// ANCHOR_END: abort
