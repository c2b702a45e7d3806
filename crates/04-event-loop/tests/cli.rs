//! The chapter's command line, as a reader meets it: help, and clear errors
//! for what it cannot follow, without running the scene.

use std::process::{Command, Output};

fn run(args: &[&str], rust_log: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_event-loop"));
    command.args(args).env_remove("RUST_LOG");
    if let Some(directives) = rust_log {
        command.env("RUST_LOG", directives);
    }
    command.output().expect("the chapter binary starts")
}

#[test]
fn help_lists_every_runtime_and_exits_zero() {
    let output = run(&["--help"], None);
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("cargo run -p event-loop"), "{text}");
    assert!(text.contains("hand, tokio, async-std, smol"), "{text}");
}

#[test]
fn an_unknown_runtime_is_a_clear_error() {
    let output = run(&["--runtime", "trio"], None);
    assert_eq!(output.status.code(), Some(2));
    let text = String::from_utf8_lossy(&output.stderr);
    assert!(
        text.contains("invalid value 'trio' for '--runtime <NAME>'"),
        "{text}"
    );
    let valid = "[possible values: hand, tokio, async-std, smol]";
    assert!(text.contains(valid), "{text}");
    assert!(text.contains("--help"), "{text}");
}

#[test]
fn an_unknown_flag_is_a_clear_error() {
    let output = run(&["--fast"], None);
    assert_eq!(output.status.code(), Some(2));
    let text = String::from_utf8_lossy(&output.stderr);
    assert!(text.contains("unexpected argument '--fast'"), "{text}");
}

#[test]
fn a_bad_rust_log_is_a_clear_error_before_anything_runs() {
    let output = run(&["--runtime", "smol"], Some("event_loop=[["));
    assert_eq!(output.status.code(), Some(2));
    let text = String::from_utf8_lossy(&output.stderr);
    assert!(text.contains("RUST_LOG"), "{text}");
    assert!(output.stdout.is_empty(), "the scene ran anyway");
}
