//! The report's command line: its help, its errors, and the hidden modes it
//! runs itself in. Nothing here writes the report.

use std::process::{Command, Output};

fn report(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_report"))
        .args(args)
        .output()
        .expect("the report binary runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn help_says_what_it_writes_and_hides_the_self_invocations() {
    let output = report(&["--help"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let help = String::from_utf8_lossy(&output.stdout);
    assert!(help.contains("appendix.md"), "{help}");
    assert!(help.contains("cargo bench -p bench"), "{help}");
    assert!(!help.contains("echo-once"), "{help}");
    assert!(!help.contains("sleep-memory"), "{help}");
}

#[test]
fn a_wrong_flag_exits_2_and_names_it() {
    let output = report(&["--fast"]);
    assert_eq!(output.status.code(), Some(2));
    let error = stderr(&output);
    assert!(error.contains("unexpected argument '--fast'"), "{error}");
}

#[test]
fn echo_once_names_the_runtimes_when_one_is_wrong() {
    let output = report(&["--echo-once", "tokio", "3"]);
    assert_eq!(output.status.code(), Some(2));
    let error = stderr(&output);
    assert!(error.contains("invalid value 'tokio'"), "{error}");
    let valid = "[possible values: hand, tokio-ct, tokio-mt, async-std, smol]";
    assert!(error.contains(valid), "{error}");
}

#[test]
fn echo_once_wants_a_number_of_rounds() {
    let output = report(&["--echo-once", "hand", "many"]);
    assert_eq!(output.status.code(), Some(2));
    let error = stderr(&output);
    assert!(error.contains("invalid value 'many'"), "{error}");
}

#[test]
fn echo_once_runs_the_echo_and_prints_nothing() {
    let output = report(&["--echo-once", "hand", "2"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(output.stdout.is_empty());
}

#[test]
fn sleep_memory_takes_a_runtime_or_threads() {
    let output = report(&["--sleep-memory", "fibers"]);
    assert_eq!(output.status.code(), Some(2));
    let error = stderr(&output);
    assert!(error.contains("invalid value 'fibers'"), "{error}");
    assert!(error.contains("smol, threads]"), "{error}");
}
