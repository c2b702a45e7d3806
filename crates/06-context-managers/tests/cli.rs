//! The chapter's command line, as a reader meets it.

use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_context-managers"))
        .args(args)
        .env_remove("RUST_LOG")
        .output()
        .expect("the chapter binary starts")
}

#[test]
fn help_lists_every_runtime_and_exits_zero() {
    let output = run(&["--help"]);
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("cargo run -p context-managers"), "{text}");
    assert!(text.contains("hand, tokio, async-std, smol"), "{text}");
}

#[test]
fn an_unknown_runtime_is_a_clear_error() {
    let output = run(&["--runtime", "trio"]);
    assert_eq!(output.status.code(), Some(2));
    let text = String::from_utf8_lossy(&output.stderr);
    let valid = "[possible values: hand, tokio, async-std, smol]";
    assert!(text.contains(valid), "{text}");
}
