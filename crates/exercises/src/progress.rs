//! How far along an exercise is: its tests run once, and libtest's output read
//! for how many pass and which fails first.
//!
//! libtest prints a line per test (`test NAME ... ok`) and a summary per test
//! binary (`test result: FAILED. 3 passed; 2 failed; ...`). We add the
//! summaries up, so unit tests, `tests/` files and doc-tests all count.

use std::process::{Command, Stdio};

use crate::exercise::workspace_root;

/// What one `cargo test -p EXERCISE` showed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TestRun {
    /// Every test passed.
    Passed { passed: usize },
    /// Some tests failed, or a test binary stopped before its summary.
    Failing {
        passed: usize,
        failed: usize,
        /// The first failing test in name order: the tests are named in the
        /// order to make them pass, so this is the next thing to do.
        first_failure: Option<String>,
    },
    /// The tests did not compile, so none ran: 0 pass.
    DidNotCompile,
}

impl TestRun {
    /// Runs the package's tests, all of them (`--no-fail-fast`), output kept.
    pub fn of(package: &str) -> TestRun {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let output = Command::new(cargo)
            .current_dir(workspace_root())
            .args(["test", "--no-fail-fast", "-p", package])
            .stdin(Stdio::null())
            .output();
        match output {
            Ok(output) => TestRun::judge(
                output.status.success(),
                &String::from_utf8_lossy(&output.stdout),
                &String::from_utf8_lossy(&output.stderr),
            ),
            // cargo itself could not start: nothing was built either.
            Err(_) => TestRun::DidNotCompile,
        }
    }

    /// Reads cargo's exit status and what cargo and libtest printed.
    pub fn judge(success: bool, stdout: &str, stderr: &str) -> TestRun {
        let summaries: Vec<(usize, usize)> =
            stdout.lines().filter_map(summary).collect();
        let passed = summaries.iter().map(|(passed, _)| passed).sum();
        let failed = summaries.iter().map(|(_, failed)| failed).sum();
        if success {
            return TestRun::Passed { passed };
        }
        let built =
            !stderr.contains("could not compile") && !stderr.contains("error[E");
        if summaries.is_empty() && !built {
            return TestRun::DidNotCompile;
        }
        let first_failure = stdout.lines().filter_map(failed_test).min();
        TestRun::Failing {
            passed,
            failed,
            first_failure: first_failure.map(str::to_string),
        }
    }

    pub fn passes(&self) -> bool {
        matches!(self, TestRun::Passed { .. })
    }

    /// `4/6 tests pass`, or why none could run.
    pub fn describe(&self) -> String {
        match self {
            TestRun::Passed { passed } => format!("{passed}/{passed} tests pass"),
            TestRun::Failing {
                passed: 0,
                failed: 0,
                ..
            } => "the tests stopped before they reported: 0 pass".to_string(),
            TestRun::Failing { passed, failed, .. } => {
                format!("{passed}/{} tests pass", passed + failed)
            }
            TestRun::DidNotCompile => "does not compile yet: 0 tests pass".to_string(),
        }
    }
}

/// `(passed, failed)` from `test result: ok. 3 passed; 0 failed; 0 ignored; ...`.
fn summary(line: &str) -> Option<(usize, usize)> {
    let counts = line.strip_prefix("test result: ")?.split_once(". ")?.1;
    let count = |word: &str| {
        counts.split("; ").find_map(|part| {
            let (number, what) = part.split_once(' ')?;
            (what == word).then(|| number.parse().ok())?
        })
    };
    Some((count("passed")?, count("failed")?))
}

/// `NAME` from `test NAME ... FAILED` (and `test NAME - should panic ... FAILED`).
fn failed_test(line: &str) -> Option<&str> {
    let name = line.strip_prefix("test ")?.strip_suffix(" ... FAILED")?;
    Some(name.strip_suffix(" - should panic").unwrap_or(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two test binaries and the doc-tests, as `cargo test` prints them.
    const FAILING: &str = "
running 0 tests

test result: ok. 0 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s


running 4 tests
test step_2_counts_down ... FAILED
test step_1_creating_says_nothing ... ok
test step_3_polling_after_liftoff_panics - should panic ... FAILED
test step_1_a_second_thing ... FAILED

failures:

---- step_2_counts_down stdout ----

test result: FAILED. 1 passed; 3 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.01s

";

    #[test]
    fn passed_and_failed_are_added_up_over_every_test_binary() {
        let run = TestRun::judge(false, FAILING, "error: 1 target failed");
        let TestRun::Failing { passed, failed, .. } = run else {
            panic!("{run:?}");
        };
        assert_eq!((passed, failed), (1, 3));
        assert_eq!(run.describe(), "1/4 tests pass");
    }

    #[test]
    fn the_first_failure_is_the_first_in_name_order_not_in_finishing_order() {
        let run = TestRun::judge(false, FAILING, "");
        let TestRun::Failing { first_failure, .. } = run else {
            panic!("{run:?}");
        };
        assert_eq!(first_failure.as_deref(), Some("step_1_a_second_thing"));
    }

    #[test]
    fn a_should_panic_test_is_named_without_its_marker() {
        let line = "test step_3_polling_after_liftoff_panics - should panic ... FAILED";
        assert_eq!(
            failed_test(line),
            Some("step_3_polling_after_liftoff_panics")
        );
        assert_eq!(failed_test("test step_1_creating ... ok"), None);
    }

    #[test]
    fn a_compile_error_counts_as_zero_passing_and_says_so() {
        let stderr =
            "error[E0308]: mismatched types\nerror: could not compile `ch1-countdown`";
        let run = TestRun::judge(false, "", stderr);
        assert_eq!(run, TestRun::DidNotCompile);
        assert_eq!(run.describe(), "does not compile yet: 0 tests pass");
    }

    #[test]
    fn a_crash_before_any_summary_counts_as_zero_passing() {
        let run = TestRun::judge(
            false,
            "running 3 tests\n",
            "process didn't exit successfully",
        );
        assert!(!run.passes());
        assert_eq!(
            run.describe(),
            "the tests stopped before they reported: 0 pass"
        );
    }

    #[test]
    fn a_passing_run_counts_every_test() {
        let stdout = "test result: ok. 6 passed; 0 failed; 0 ignored; 0 measured; \
                      0 filtered out; finished in 0.00s\n\
                      test result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; \
                      0 filtered out; finished in 0.20s\n";
        let run = TestRun::judge(true, stdout, "");
        assert_eq!(run, TestRun::Passed { passed: 7 });
        assert_eq!(run.describe(), "7/7 tests pass");
    }

    #[test]
    fn summary_lines_with_other_words_in_between_still_parse() {
        let line = "test result: FAILED. 2 passed; 1 failed; 1 ignored; 0 measured; \
                    3 filtered out; finished in 1.50s";
        assert_eq!(summary(line), Some((2, 1)));
        assert_eq!(summary("test result: ok. many passed"), None);
        assert_eq!(summary("running 3 tests"), None);
    }
}
