//! The binary speaks mdBook's preprocessor protocol: `supports RENDERER`, then
//! `[context, book]` on standard input and the book back on standard output.

mod common;

use std::io::Write;
use std::process::{Command, Output, Stdio};

use common::TempBook;

fn book_check(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_book-check"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary was built for this test");
    let mut input = child.stdin.take().expect("stdin is piped");
    input
        .write_all(stdin.as_bytes())
        .expect("the preprocessor reads its input");
    drop(input);
    child.wait_with_output().expect("the preprocessor finishes")
}

/// What mdBook 0.5 sends: the context, then the book with one chapter (nested, to
/// show the walk finds it at any depth) and one draft.
fn input(book: &TempBook, chapter: &str) -> (String, String) {
    let root = book.root.join("book");
    let context = serde_json::json!({
        "root": root,
        "config": { "book": { "src": "src", "title": "Test" } },
        "renderer": "html",
        "mdbook_version": "0.5.4"
    });
    let book_json = serde_json::json!({
        "items": [
            { "Chapter": {
                "name": "Intro", "content": "# Intro\n", "number": null,
                "sub_items": [
                    { "Chapter": {
                        "name": "One", "content": chapter, "number": [1],
                        "sub_items": [], "path": "ch01.md", "source_path": "ch01.md",
                        "parent_names": ["Intro"]
                    } }
                ],
                "path": "intro.md", "source_path": "intro.md", "parent_names": []
            } },
            { "Chapter": {
                "name": "Two", "content": "", "number": [2], "sub_items": [],
                "path": null, "source_path": null, "parent_names": []
            } }
        ]
    });
    // Spacing mdBook would not use, to show the book comes back byte for byte.
    let book_text = serde_json::to_string_pretty(&book_json).expect("JSON serialises");
    (format!("[{context}, {book_text}]"), book_text)
}

#[test]
fn it_supports_every_renderer() {
    assert!(book_check(&["supports", "html"], "").status.success());
    assert!(book_check(&["supports", "markdown"], "").status.success());
}

#[test]
fn a_sound_book_comes_back_unchanged() {
    let book = TempBook::new("protocol-sound");
    let (input, book_text) = input(&book, "# One\n\nBack to [the intro](intro.md).\n");
    book.write("book/src/intro.md", "# Intro\n");
    let output = book_check(&[], &input);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&output.stdout), book_text);
}

#[test]
fn a_broken_chapter_stops_the_build_with_its_problems() {
    let book = TempBook::new("protocol-broken");
    let (input, _) =
        input(&book, "# One\n\n{{#include missing.rs}}\n[next](ch02.md)\n");
    let output = book_check(&[], &input);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty(), "nothing goes back to mdbook");
    assert!(
        stderr.contains(
            "book/src/ch01.md:3: include missing.rs: book/src/missing.rs not found"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("book/src/ch01.md:4: link ch02.md: book/src/ch02.md not found"),
        "{stderr}"
    );
}
