//! The chapter's command line, as a reader meets it.

use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gather-wait"))
        .args(args)
        .env_remove("RUST_LOG")
        .output()
        .expect("the chapter binary starts")
}

#[test]
fn the_hand_rolled_scene_prints_its_parts_and_its_row() {
    let output = run(&["--runtime", "hand"]);
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    for line in [
        "results in the order asked: api/users 200 OK",
        // Which is first back is left to the virtual-time tests: on the real
        // clock a long stall could let two finish in one turn.
        "first back: api/",
        "task group: 1 failed (#1: connection to api/broken reset)",
        "in order: api/users, api/posts, api/comments; first back: ",
    ] {
        assert!(text.contains(line), "{line:?} missing from:\n{text}");
    }
}

#[test]
fn an_unknown_runtime_is_a_clear_error() {
    let output = run(&["--runtime", "trio"]);
    assert_eq!(output.status.code(), Some(2));
    let text = String::from_utf8_lossy(&output.stderr);
    let valid = "[possible values: hand, tokio, async-std, smol]";
    assert!(text.contains(valid), "{text}");
}
