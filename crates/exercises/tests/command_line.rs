//! The command line as a learner meets it: the real binary, its output and
//! its exit codes. Nothing here runs an exercise's tests.

use std::process::{Command, Output};

/// Exit code for a command line the tool cannot act on.
const USAGE_ERROR: i32 = 2;

fn exercises(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_exercises"))
        .args(args)
        .output()
        .expect("the exercises binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn help_and_no_command_list_the_commands_and_exit_0() {
    for args in [&["--help"][..], &[]] {
        let output = exercises(args);
        assert!(output.status.success(), "{args:?}: {}", stderr(&output));
        let help = stdout(&output);
        assert!(help.contains("Usage: cargo run -p exercises -- "), "{help}");
        for command in ["list", "hint", "progress", "watch", "check"] {
            assert!(help.contains(&format!("  {command} ")), "{help}");
        }
    }
}

#[test]
fn an_unknown_command_exits_2_and_names_the_commands() {
    let output = exercises(&["solve"]);
    assert_eq!(output.status.code(), Some(USAGE_ERROR));
    let error = stderr(&output);
    assert!(error.contains("unrecognized subcommand 'solve'"), "{error}");
    let commands = "The commands are: list, hint, progress, watch, check.";
    assert!(error.contains(commands), "{error}");
}

#[test]
fn a_wrong_flag_exits_2_and_points_to_help() {
    let output = exercises(&["list", "--fast"]);
    assert_eq!(output.status.code(), Some(USAGE_ERROR));
    let error = stderr(&output);
    assert!(error.contains("unexpected argument '--fast'"), "{error}");
    assert!(error.contains("--help"), "{error}");
}

#[test]
fn hint_without_a_step_shows_the_first_step_only() {
    let output = exercises(&["hint", "ch1-countdown"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let shown = stdout(&output);
    assert!(shown.starts_with("ch1-countdown, hint 1 of "), "{shown}");
    let second = stdout(&exercises(&["hint", "ch1-countdown", "2"]));
    let second_text = second.lines().nth(2).expect("step 2 has text");
    assert!(!shown.contains(second_text), "one step at a time: {shown}");
    assert!(shown.contains("hint ch1-countdown 2`"), "{shown}");
}

#[test]
fn hint_with_a_step_shows_that_step() {
    let output = exercises(&["hint", "ch1-countdown", "2"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output).contains(", hint 2 of "),
        "{}",
        stdout(&output)
    );
}

#[test]
fn every_exercise_has_its_steps_up_to_the_last_and_no_further() {
    let output = exercises(&["list"]);
    let listed = stdout(&output);
    let names = listed
        .lines()
        .filter_map(|line| line.split_whitespace().next());
    for name in names {
        let first = stdout(&exercises(&["hint", name]));
        let total = first
            .split(" of ")
            .nth(1)
            .and_then(|rest| rest.split(':').next())
            .and_then(|total| total.parse::<usize>().ok())
            .unwrap_or_else(|| panic!("{name}: no `hint 1 of N` in {first}"));
        let last = exercises(&["hint", name, &total.to_string()]);
        assert!(stdout(&last).contains("That was the last hint"), "{name}");
        let past = exercises(&["hint", name, &(total + 1).to_string()]);
        assert_eq!(past.status.code(), Some(USAGE_ERROR), "{name}");
        let expected = format!("there are {total} hints, ask for 1 to {total}");
        assert!(
            stderr(&past).contains(&expected),
            "{name}: {}",
            stderr(&past)
        );
    }
}

/// Runs `command` on an exercise that does not exist: it must exit 2 and
/// name the exercises there are.
fn assert_an_unknown_exercise_is_refused(command: &str) {
    let output = exercises(&[command, "ch9-nothing"]);
    assert_eq!(output.status.code(), Some(USAGE_ERROR));
    let error = stderr(&output);
    assert!(
        error.contains("no exercise is called `ch9-nothing`"),
        "{error}"
    );
    assert!(error.contains("ch1-countdown"), "the valid names: {error}");
}

#[test]
fn hint_for_an_unknown_exercise_exits_2_and_names_the_exercises() {
    assert_an_unknown_exercise_is_refused("hint");
}

#[test]
fn hint_step_that_is_not_a_number_exits_2_and_says_what_is_valid() {
    let output = exercises(&["hint", "ch1-countdown", "next"]);
    assert_eq!(output.status.code(), Some(USAGE_ERROR));
    let error = stderr(&output);
    assert!(error.contains("a number from 1 up"), "{error}");
    assert!(error.contains("not `next`"), "{error}");
}

#[test]
fn hint_step_zero_exits_2_and_says_how_many_there_are() {
    let output = exercises(&["hint", "ch1-countdown", "0"]);
    assert_eq!(output.status.code(), Some(USAGE_ERROR));
    assert!(
        stderr(&output).contains("ask for 1 to"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn watch_for_an_unknown_exercise_exits_2_and_names_the_exercises() {
    assert_an_unknown_exercise_is_refused("watch");
}
