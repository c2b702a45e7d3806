//! Calling an async fn and dropping the future is almost always a bug, and the
//! compiler says so. This test compiles `snippets/forgot_await.rs` and keeps the
//! warning as a snapshot, which the book shows.

mod snippet;

#[test]
fn compiler_warns_when_a_future_is_never_awaited() {
    let output = snippet::compile("forgot_await", &[]);
    assert!(
        output.status.success(),
        "the snippet compiles, with a warning"
    );
    let warning = String::from_utf8(output.stderr).expect("rustc prints UTF-8");
    assert!(warning.contains("unused implementer of `Future` that must be used"));
    assert!(warning.contains("futures do nothing unless you `.await` or poll them"));
    let dir = env!("CARGO_MANIFEST_DIR");
    timeline::testing::check_output(dir, "forgot_await_warning", warning.trim_end());
}
