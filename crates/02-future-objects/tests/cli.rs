//! The chapter's command line, as a reader meets it.

use std::process::Command;

#[test]
fn help_names_the_scene_and_the_runtimes() {
    let output = Command::new(env!("CARGO_BIN_EXE_future-objects"))
        .arg("--help")
        .env_remove("RUST_LOG")
        .output()
        .expect("the chapter binary starts");
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.starts_with("Chapter 2: future objects."), "{text}");
    assert!(text.contains("cargo run -p future-objects"), "{text}");
    assert!(text.contains("hand, tokio, async-std, smol"), "{text}");
}
