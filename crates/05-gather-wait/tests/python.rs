//! The book's asyncio listings, run with `python3` and held against ours:
//! the same order where the book says "the same", and the differences it
//! names where it names them. Skipped, saying so, when `python3` is absent
//! or too old for a listing.

mod support;

use std::process::Command;
use std::time::Duration;

use event_loop::hand::{self as our, sleep};
use futures::StreamExt;
use gather_wait::hand::{ReturnWhen, as_completed, wait};
use support::virtual_loop;

/// The listings' step: the fetches finish one step apart. A loop that
/// wakes late runs every due timer in the same turn, and two fetches done in
/// one turn would print in another order: a step this long needs a stall of
/// 200 ms to do that.
const STEP: &str = "0.2";

fn listing(name: &str) -> String {
    format!("{}/python/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// The interpreter's (major, minor), or `None` with a message if absent.
fn python_version() -> Option<(u32, u32)> {
    let output = Command::new("python3")
        .args(["-c", "import sys; print(*sys.version_info[:2])"])
        .output();
    let Ok(output) = output else {
        eprintln!("skipped: python3 is not installed");
        return None;
    };
    let text = String::from_utf8_lossy(&output.stdout).to_string();
    let mut parts = text.split_whitespace().map(|part| part.parse().ok());
    Some((parts.next()??, parts.next()??))
}

/// Runs a listing that needs Python `at_least`, or says why it does not.
fn run(name: &str, at_least: (u32, u32)) -> Option<Vec<String>> {
    let version = python_version()?;
    if version < at_least {
        let (major, minor) = at_least;
        eprintln!(
            "skipped: {name} needs Python {major}.{minor}, python3 is {version:?}"
        );
        return None;
    }
    timeline::python::run(listing(name), &[STEP])
}

/// Our scene's lines, from the output the timeline test keeps.
fn ours() -> Vec<String> {
    let output = include_str!("outputs/scene_hand.txt");
    output.lines().map(str::to_string).collect()
}

fn section<'a>(lines: &'a [String], header: &str) -> &'a [String] {
    let start = lines
        .iter()
        .position(|line| line.starts_with(header))
        .expect(header);
    let rest = &lines[start + 1..];
    let end = rest
        .iter()
        .position(|line| line.starts_with("--"))
        .unwrap_or(rest.len());
    &rest[..end]
}

#[test]
fn asyncio_gathers_and_races_in_our_order() {
    let Some(python) = run("scene.py", (3, 11)) else {
        return;
    };
    let ours = ours();
    assert_eq!(python[..14], ours[..14]);
}

#[test]
fn asyncio_gather_leaves_the_others_running_where_try_join_all_drops_them() {
    let Some(python) = run("scene.py", (3, 11)) else {
        return;
    };
    let gather = section(&python, "-- gather:");
    assert_eq!(gather[4], "gather raised: connection to api/broken reset");
    assert_eq!(gather[5..], ["fetched api/comments", "fetched api/users"]);
    let ours = ours();
    let try_join_all = section(&ours, "-- try_join_all:");
    let dropped = [
        "api/broken failed",
        "api/users: cancelled while waiting",
        "api/comments: cancelled while waiting",
    ];
    assert_eq!(try_join_all[3..], dropped);
}

#[test]
fn asyncio_return_exceptions_and_our_join_all_of_results_agree() {
    let Some(python) = run("scene.py", (3, 11)) else {
        return;
    };
    let ours = ours();
    let theirs = section(&python, "-- gather(return_exceptions=True)");
    let join_all = section(&ours, "-- join_all of results");
    assert_eq!(theirs[..6], join_all[..6]);
    assert_eq!(theirs[6], "1 of 3 failed");
}

#[test]
fn asyncio_task_group_cancels_the_rest_as_ours_does() {
    let Some(python) = run("scene.py", (3, 11)) else {
        return;
    };
    let ours = ours();
    let theirs = section(&python, "-- a TaskGroup");
    let group = section(&ours, "-- a task group");
    assert_eq!(theirs[..6], group[..6]);
    assert_eq!(theirs[6], "task group: 1 failure");
    assert!(group[6].starts_with("task group: 1 failed"), "{}", group[6]);
}

fn our_wait(when: ReturnWhen) -> String {
    let (done, pending) = virtual_loop().block_on(async move {
        let tasks = [(1, true), (2, false), (3, true)].map(|(secs, ok)| {
            our::spawn(async move {
                sleep(Duration::from_secs(secs)).await;
                if ok { Ok(secs) } else { Err(()) }
            })
        });
        let waited = wait(tasks.into(), when).await;
        let done: Vec<usize> = waited.done.iter().map(|(index, _)| *index).collect();
        let pending: Vec<usize> =
            waited.pending.iter().map(|(index, _)| *index).collect();
        (done, pending)
    });
    let mode = match when {
        ReturnWhen::AllCompleted => "ALL_COMPLETED",
        ReturnWhen::FirstCompleted => "FIRST_COMPLETED",
        ReturnWhen::FirstException => "FIRST_EXCEPTION",
    };
    format!("{mode}: done {done:?}, pending {pending:?}")
}

#[test]
fn asyncio_wait_returns_what_ours_returns_in_each_mode() {
    let Some(python) = run("wait.py", (3, 11)) else {
        return;
    };
    let ours = [
        ReturnWhen::AllCompleted,
        ReturnWhen::FirstCompleted,
        ReturnWhen::FirstException,
    ]
    .map(our_wait);
    assert_eq!(python[..3], ours);
}

#[test]
fn asyncio_as_completed_and_timeouts_match_ours() {
    let Some(python) = run("wait.py", (3, 11)) else {
        return;
    };
    let order = virtual_loop().block_on(
        as_completed([3, 1, 2].map(|n| async move {
            sleep(Duration::from_secs(n)).await;
            n
        }))
        .map(|(_, n)| n)
        .collect::<Vec<_>>(),
    );
    assert_eq!(python[3], format!("as_completed: {order:?}"));
    assert_eq!(python[4..], ["wait_for: timed out", "timeout: timed out"]);
}

#[test]
fn asyncio_3_13_as_completed_is_an_async_iterator() {
    let Some(python) = run("as_completed_iter.py", (3, 13)) else {
        return;
    };
    assert_eq!(python, ["as_completed: indices [1, 2, 0]"]);
}
