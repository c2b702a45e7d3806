//! What every chapter's tests need and no runtime provides: a count of the
//! destructors that ran, waits that give up, so that a bug that hangs fails
//! its test instead of hanging the suite, and [`check_file`], which keeps a
//! file the book includes (a table, a recorded output) equal to what a test
//! produces.
//!
//! ```
//! use std::time::Duration;
//! use timeline::testing::{DropCount, finishes_within};
//!
//! let drops = DropCount::default();
//! let guard = drops.guard();
//! assert_eq!(drops.get(), 0);
//! drop(guard);
//! assert_eq!(drops.get(), 1);
//!
//! let answer = finishes_within(Duration::from_secs(10), || 6 * 7);
//! assert_eq!(answer, Some(42));
//! ```

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Duration;

/// How long [`within`] waits: far past anything that works on a loaded
/// machine, so only a hang reaches it.
pub const GENEROUS: Duration = Duration::from_secs(30);

/// Counts the [`Guard`]s it hands out that have been dropped: give a task a
/// guard, and the count says whether its destructors ran.
#[derive(Debug, Default, Clone)]
pub struct DropCount(Arc<AtomicUsize>);

impl DropCount {
    /// A guard whose drop this count sees.
    pub fn guard(&self) -> Guard {
        Guard(Arc::clone(&self.0))
    }

    /// How many guards have been dropped so far.
    pub fn get(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

/// Adds one to its [`DropCount`] when dropped.
#[derive(Debug)]
pub struct Guard(Arc<AtomicUsize>);

impl Drop for Guard {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

/// Runs `work` on a thread of its own and returns its result, or `None` if
/// it has not finished within `limit` (the thread is then left behind).
/// Choose a generous limit: only a hang should exceed it.
pub fn finishes_within<T: Send + 'static>(
    limit: Duration,
    work: impl FnOnce() -> T + Send + 'static,
) -> Option<T> {
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = sender.send(work());
    });
    receiver.recv_timeout(limit).ok()
}

/// Runs `work` on a thread of its own and returns its result; panics if it
/// has not finished within [`GENEROUS`]. A panic in `work` (a failed
/// assertion, say) goes on here, with its message. Whatever `work` makes, an
/// executor say, is made on that thread, so it need not be `Send`.
///
/// # Panics
///
/// If `work` hangs or panics.
pub fn within<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    let worker = std::thread::spawn(work);
    let (sender, receiver) = mpsc::channel();
    let waiter = std::thread::spawn(move || {
        let _ = sender.send(worker.join());
    });
    match receiver.recv_timeout(GENEROUS) {
        Ok(Ok(value)) => {
            let _ = waiter.join();
            value
        }
        Ok(Err(payload)) => std::panic::resume_unwind(payload),
        Err(_) => panic!("still running after {GENEROUS:?}: a hang"),
    }
}

/// The variable that makes [`check_file`] write its files instead.
pub const UPDATE: &str = "UPDATE_OUTPUTS";

/// Checks that the file at `path`, which the book includes, holds `text`,
/// what this run of a test produced: a file can then never drift from the
/// code. With `UPDATE_OUTPUTS=1` in the environment it writes the file
/// instead (creating its folder), as `INSTA_UPDATE` does for snapshots.
///
/// # Panics
///
/// If the file is missing or differs, naming the variable that rewrites it.
pub fn check_file(path: &Path, text: &str) {
    let update = std::env::var_os(UPDATE).is_some_and(|value| value == "1");
    check_or_write(path, text, update);
}

fn check_or_write(path: &Path, text: &str, update: bool) {
    if update {
        if let Some(folder) = path.parent() {
            std::fs::create_dir_all(folder).expect("the folder can be made");
        }
        std::fs::write(path, text).expect("the file can be written");
        return;
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == text,
        "{} is not what this run produced; if the change is meant, rerun with \
         {UPDATE}=1 and commit the file.\n--- committed\n{committed}\n--- this run\n{text}",
        path.display()
    );
}

/// [`check_file`] for a crate's recorded output `name`: the file
/// `tests/outputs/NAME.txt` under `crate_dir` (pass
/// `env!("CARGO_MANIFEST_DIR")`), holding `text` and a final newline. The book
/// includes these files whole.
///
/// # Panics
///
/// As [`check_file`].
pub fn check_output(crate_dir: &str, name: &str, text: &str) {
    let path = Path::new(crate_dir)
        .join("tests/outputs")
        .join(format!("{name}.txt"));
    let mut text = text.trim_end_matches('\n').to_string();
    text.push('\n');
    check_file(&path, &text);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_count_sees_each_guard_dropped_once() {
        let drops = DropCount::default();
        let guards: Vec<_> = (0..3).map(|_| drops.guard()).collect();
        let shared = drops.clone();
        drop(guards);
        assert_eq!(shared.get(), 3);
    }

    #[test]
    fn work_that_hangs_gives_none_not_a_hang() {
        let (_keep, hang) = mpsc::channel::<()>();
        let result = finishes_within(Duration::from_millis(20), move || hang.recv());
        assert!(result.is_none());
    }

    #[test]
    fn a_file_that_matches_passes_and_one_that_differs_fails() {
        let path =
            std::env::temp_dir().join(format!("check-file-{}.txt", std::process::id()));
        std::fs::write(&path, "the table\n").unwrap();
        check_or_write(&path, "the table\n", false);
        let differs =
            std::panic::catch_unwind(|| check_or_write(&path, "another\n", false));
        let _ = std::fs::remove_file(&path);
        let message = differs.expect_err("a difference fails");
        let message = message.downcast_ref::<String>().expect("a message");
        assert!(message.contains("UPDATE_OUTPUTS=1"), "{message}");
    }

    #[test]
    fn within_gives_the_result_and_passes_a_panic_on() {
        assert_eq!(within(|| 2 + 2), 4);
        let panicked = std::panic::catch_unwind(|| within(|| panic!("boom")));
        let payload = panicked.expect_err("the panic comes through");
        assert_eq!(payload.downcast_ref::<&str>(), Some(&"boom"));
    }
}
