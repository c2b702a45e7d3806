//! Why the chapter writes `Box::pin`: a future made by an `async fn` is not
//! `Unpin`, and our `join_all` asks for `Unpin`. The first test compiles
//! `snippets/join_unpinned.rs` and keeps rustc's first error as a snapshot,
//! which the book shows; the doc-tests of `hand::join` make the same point
//! with the chapter's own `greet_async`.

use std::time::Duration;

use coroutines::hand;

mod snippet;

/// The widest line a listing in the book can show without a scrollbar.
const BOOK_WIDTH: usize = 86;

#[test]
fn compiler_refuses_to_join_async_fn_futures_that_are_not_pinned() {
    let output = snippet::compile("join_unpinned", &["--diagnostic-width=80"]);
    assert!(!output.status.success(), "the snippet must not compile");
    let stderr = String::from_utf8(output.stderr).expect("rustc prints UTF-8");
    let error = first_message(&stderr);
    assert!(
        error.starts_with(
            "error[E0277]: `{async fn body of greet_async()}` cannot be unpinned"
        ),
        "{stderr}"
    );
    assert!(
        error.contains("required by a bound in `join_all`"),
        "{error}"
    );
    assert!(error.contains("consider using `Box::pin`"), "{error}");
    let lines: Vec<String> = error.lines().flat_map(wrap).collect();
    let widest = lines.iter().map(|line| line.chars().count()).max();
    assert!(widest <= Some(BOOK_WIDTH), "{lines:#?}");
    let dir = env!("CARGO_MANIFEST_DIR");
    timeline::testing::check_output(dir, "join_unpinned_error", &lines.join("\n"));
}

/// The first message rustc printed (it prints the same error again for the
/// `.await`): its lines up to the first blank one.
fn first_message(stderr: &str) -> String {
    let lines: Vec<&str> = stderr.lines().take_while(|line| !line.is_empty()).collect();
    lines.join("\n")
}

/// Wraps a line wider than the book at its last space that fits, and continues
/// under the line's text, as rustc continues a long note (`= note: ` and then
/// an indented second line). Lines that fit are kept as they are.
fn wrap(line: &str) -> Vec<String> {
    let indent = text_start(line);
    let mut lines = Vec::new();
    let mut rest = line.to_string();
    while rest.chars().count() > BOOK_WIDTH {
        let cut = rest[..BOOK_WIDTH]
            .rfind(' ')
            .filter(|&cut| cut > indent)
            .expect("a long line has a space to wrap at");
        lines.push(rest[..cut].to_string());
        rest = format!("{:indent$}{}", "", &rest[cut + 1..]);
    }
    lines.push(rest);
    lines
}

/// Where a line's text starts: after `= note: ` or `= help: `, else after
/// the leading spaces.
fn text_start(line: &str) -> usize {
    let spaces = line.len() - line.trim_start().len();
    let trimmed = &line[spaces..];
    match trimmed
        .strip_prefix("= ")
        .and_then(|label| label.find(": "))
    {
        Some(colon) => spaces + "= ".len() + colon + ": ".len(),
        None => spaces,
    }
}

fn assert_unpin<T: Unpin>(_: &T) {}

/// Checked when the test compiles: `Greet` holds no borrow of itself, so it
/// is `Unpin`; so is any `Pin<Box<_>>`, whatever it points to.
#[test]
fn hand_written_greeter_and_boxed_async_fn_are_unpin() {
    assert_unpin(&hand::greet("Ada", Duration::ZERO));
    assert_unpin(&Box::pin(hand::greet_async("Ada", Duration::ZERO)));
}

/// `futures::future::join_all` pins its futures itself: no `Box::pin` needed.
#[test]
fn futures_join_all_takes_async_fn_futures_as_they_are() {
    let greeters =
        coroutines::NAMES.map(|name| hand::greet_async(name, Duration::ZERO));
    hand::block_on(futures::future::join_all(greeters));
}
