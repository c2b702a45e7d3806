//! `watch [NAME]`: reruns an exercise's tests each time one of its files is
//! saved, as rustlings does. Without a name it follows the first exercise that
//! does not pass yet, and moves on to the next once it does.
//!
//! The OS tells us of changes through the `notify` crate; editors save a file
//! in a burst of events (a temporary file, a rename, a write), so events are
//! gathered until none has come for [`QUIET`], and one run answers the burst.
//! Ctrl-C ends it: the terminal sends SIGINT to us and to a running `cargo`.

use std::collections::BTreeSet;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::Duration;

use notify::{EventKind, RecursiveMode, Watcher};

use crate::exercise::{Exercise, cargo_test, workspace_root};

/// How long the files must stay untouched before the tests run again.
pub const QUIET: Duration = Duration::from_millis(300);

/// Watches `named`, or the first unfinished exercise when `None`.
pub fn watch(exercises: &[Exercise], named: Option<&Exercise>) -> ExitCode {
    let (sender, changes) = mpsc::channel();
    let watcher =
        notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
            let Ok(event) = event else { return };
            if counts(&event.kind) {
                for path in event.paths {
                    // The receiver is gone only when we are ending.
                    let _ = sender.send(path);
                }
            }
        });
    let mut watcher = match watcher {
        Ok(watcher) => watcher,
        Err(error) => return fail(&format!("cannot watch for changes: {error}")),
    };
    let folder = workspace_root().join("exercises");
    if let Err(error) = watcher.watch(&folder, RecursiveMode::Recursive) {
        return fail(&format!("cannot watch {}: {error}", folder.display()));
    }
    let mut current = match named {
        Some(exercise) => exercise,
        None => match first_unfinished(exercises, 0) {
            Some(exercise) => exercise,
            None => return all_done(),
        },
    };
    let mut note = String::new();
    loop {
        let passes = run_tests(current, &note);
        note.clear();
        if passes && named.is_none() {
            let after = exercises.iter().position(|e| e.name == current.name);
            match first_unfinished(exercises, after.map_or(0, |i| i + 1)) {
                Some(next) => {
                    note = format!("{} passes. On to {}!\n", current.name, next.name);
                    current = next;
                    continue;
                }
                None => return all_done(),
            }
        }
        if passes {
            println!("\n{} passes.", current.name);
        }
        println!(
            "\nWatching exercises/{}: save a file to rerun its tests. Ctrl-C ends.",
            current.name
        );
        let dir = current.dir.clone();
        if next_burst(&changes, QUIET, |path| is_source_change(path, &dir)).is_none() {
            return fail("the watcher stopped");
        }
    }
}

/// Runs the tests where the learner sees them, one at a time so that their
/// failures come in name order: the order of the steps. `note` says what
/// happened before, on the cleared screen.
fn run_tests(exercise: &Exercise, note: &str) -> bool {
    if std::io::stdout().is_terminal() {
        print!("\x1b[2J\x1b[H"); // clear the screen, as rustlings does
    }
    println!("{note}cargo test -p {}\n", exercise.name);
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .current_dir(workspace_root())
        .args(["test", "-q", "-p", &exercise.name, "--", "--test-threads=1"])
        .status();
    status.is_ok_and(|status| status.success())
}

/// The first exercise from `start` on whose tests do not pass.
fn first_unfinished(exercises: &[Exercise], start: usize) -> Option<&Exercise> {
    println!("Looking for the first exercise that does not pass yet...");
    let rest = exercises.get(start..).unwrap_or_default();
    rest.iter()
        .find(|exercise| !cargo_test(&exercise.name, &[]))
}

fn all_done() -> ExitCode {
    println!("\nEvery exercise passes. Well done!");
    ExitCode::SUCCESS
}

fn fail(error: &str) -> ExitCode {
    eprintln!("error: {error}");
    ExitCode::FAILURE
}

/// Changes to a file's content or its place; reading a file (as the compiler
/// does) is not a change.
pub fn counts(kind: &EventKind) -> bool {
    !matches!(kind, EventKind::Access(_))
}

/// A change the tests can see: a Rust file or the manifest, inside the
/// exercise's folder, and not an editor's temporary or backup file
/// (`.lib.rs.swp`, `lib.rs~`, Emacs's `.#lib.rs`) or a build's output.
pub fn is_source_change(path: &Path, exercise_dir: &Path) -> bool {
    let Ok(inside) = path.strip_prefix(exercise_dir) else {
        return false;
    };
    if inside.components().any(|part| part.as_os_str() == "target") {
        return false;
    }
    let name = inside.file_name().unwrap_or_default().to_string_lossy();
    let hidden = name.starts_with('.') || name.starts_with('#');
    !hidden && (name.ends_with(".rs") || name == "Cargo.toml")
}

/// Waits for the first change that is `relevant`, then keeps gathering until
/// `quiet` passes without another: one burst, the changed paths in order.
/// `None` when the watcher has gone before anything relevant came.
pub fn next_burst(
    changes: &Receiver<PathBuf>,
    quiet: Duration,
    relevant: impl Fn(&Path) -> bool,
) -> Option<Vec<PathBuf>> {
    let mut burst = BTreeSet::new();
    while burst.is_empty() {
        let path = changes.recv().ok()?;
        if relevant(&path) {
            burst.insert(path);
        }
    }
    loop {
        match changes.recv_timeout(quiet) {
            Ok(path) if relevant(&path) => {
                burst.insert(path);
            }
            Ok(_) => {} // not ours: it does not make the burst longer
            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => break,
        }
    }
    Some(burst.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    use notify::event::{AccessKind, CreateKind, DataChange, ModifyKind, RemoveKind};

    const DIR: &str = "/work/exercises/ch1-countdown";

    fn source_change(path: &str) -> bool {
        is_source_change(Path::new(path), Path::new(DIR))
    }

    #[test]
    fn rust_files_and_the_manifest_of_the_exercise_are_changes() {
        assert!(source_change("/work/exercises/ch1-countdown/src/lib.rs"));
        assert!(source_change(
            "/work/exercises/ch1-countdown/tests/check.rs"
        ));
        assert!(source_change("/work/exercises/ch1-countdown/Cargo.toml"));
    }

    #[test]
    fn other_files_other_exercises_and_editor_leftovers_are_not() {
        for path in [
            "/work/exercises/ch1-concurrent/src/lib.rs",
            "/work/exercises/ch1-countdown/HINT.md",
            "/work/exercises/ch1-countdown/src/.lib.rs.swp",
            "/work/exercises/ch1-countdown/src/lib.rs~",
            "/work/exercises/ch1-countdown/src/.#lib.rs",
            "/work/exercises/ch1-countdown/src/#lib.rs#",
            "/work/exercises/ch1-countdown/target/debug/build/out.rs",
            "/work/exercises/ch1-countdown",
        ] {
            assert!(!source_change(path), "{path}");
        }
    }

    #[test]
    fn reading_a_file_is_not_a_change_but_writing_creating_removing_are() {
        assert!(!counts(&EventKind::Access(AccessKind::Any)));
        let write = ModifyKind::Data(DataChange::Content);
        assert!(counts(&EventKind::Modify(write)));
        assert!(counts(&EventKind::Create(CreateKind::File)));
        assert!(counts(&EventKind::Remove(RemoveKind::File)));
    }

    #[test]
    fn a_burst_of_changes_gives_one_run_with_each_path_once() {
        let (sender, changes) = mpsc::channel();
        for path in ["src/lib.rs", "notes.txt", "src/lib.rs", "tests/check.rs"] {
            sender.send(PathBuf::from(path)).unwrap();
        }
        let is_rust = |path: &Path| path.extension().is_some_and(|ext| ext == "rs");
        let burst = next_burst(&changes, Duration::from_millis(50), is_rust);
        let expected = [PathBuf::from("src/lib.rs"), PathBuf::from("tests/check.rs")];
        assert_eq!(burst, Some(expected.to_vec()));
        // The next save, after the quiet time, is a burst of its own.
        sender.send(PathBuf::from("src/lib.rs")).unwrap();
        drop(sender);
        let burst = next_burst(&changes, Duration::from_millis(50), is_rust);
        assert_eq!(burst, Some(vec![PathBuf::from("src/lib.rs")]));
    }

    #[test]
    fn changes_that_are_not_ours_start_no_run() {
        let (sender, changes) = mpsc::channel();
        sender.send(PathBuf::from("HINT.md")).unwrap();
        drop(sender);
        let burst = next_burst(&changes, Duration::from_millis(50), |_| false);
        assert_eq!(burst, None, "the watcher went away with nothing to run");
    }

    #[test]
    fn a_burst_lasts_until_the_files_are_quiet() {
        let (sender, changes) = mpsc::channel();
        // Generous, so that a loaded machine's scheduling cannot split it.
        let quiet = Duration::from_secs(1);
        let saving = std::thread::spawn(move || {
            for path in ["a.rs", "b.rs", "c.rs"] {
                sender.send(PathBuf::from(path)).unwrap();
                std::thread::sleep(Duration::from_millis(10)); // well under `quiet`
            }
            sender // kept alive: the burst must end by the quiet time alone
        });
        let burst = next_burst(&changes, quiet, |_| true).expect("a burst");
        assert_eq!(burst.len(), 3, "the three saves are one burst: {burst:?}");
        drop(saving.join().expect("the saving thread does not panic"));
    }
}
