//! The chapter's command line, as a reader meets it.

use std::process::{Command, Output};

use timeline::testing::within;

fn run(args: &'static [&'static str]) -> Output {
    within(move || {
        Command::new(env!("CARGO_BIN_EXE_libraries"))
            .args(args)
            .env_remove("RUST_LOG")
            .output()
            .expect("the chapter binary starts")
    })
}

#[test]
fn help_lists_both_clients_and_exits_zero() {
    let output = run(&["--help"]);
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("cargo run -p libraries"), "{text}");
    assert!(text.contains("hand, tokio"), "{text}");
}

#[test]
fn a_runtime_the_chapter_does_not_show_is_a_clear_error() {
    let output = run(&["--runtime", "smol"]);
    assert_eq!(output.status.code(), Some(2));
    let text = String::from_utf8_lossy(&output.stderr);
    assert!(text.contains("[possible values: hand, tokio]"), "{text}");
}

#[test]
fn the_demo_by_hand_prints_the_results_in_order() {
    let output = run(&["--runtime", "hand"]);
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    let users = text.find("api/users: 200 OK").expect("the users line");
    let comments = text
        .find("api/comments: 503 Service Unavailable: the")
        .expect("the comments line");
    // The server logs its answers as they go (comments before users); the
    // results come in the order asked.
    assert!(users < comments, "{text}");
    assert!(text.contains("3 fetches in"), "{text}");
}
