//! The `book-check` mdBook preprocessor: fails `mdbook build` on a broken include,
//! a missing anchor or a broken internal link.
//!
//! `book/book.toml` runs it before mdBook's `links` preprocessor, through
//! `cargo run --quiet --package book-check --`. mdBook first calls it as
//! `book-check supports RENDERER`, then pipes `[context, book]` as JSON into it and
//! reads the book back from its standard output. The book goes back unchanged; on
//! a problem nothing goes back, the problems go to standard error, and the exit
//! status 1 stops the build.

use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use book_check::Problem;
use serde_json::Value;
use serde_json::value::RawValue;

fn main() -> ExitCode {
    match std::env::args().nth(1).as_deref() {
        // It only reads the Markdown, so any renderer will do.
        Some("supports") => ExitCode::SUCCESS,
        Some(other) => {
            eprintln!("book-check: unexpected argument `{other}`");
            eprintln!(
                "book-check: mdbook runs this as a preprocessor (see book/book.toml)"
            );
            ExitCode::from(2)
        }
        None => match preprocess() {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => {
                eprintln!("book-check: {message}");
                ExitCode::FAILURE
            }
        },
    }
}

fn preprocess() -> Result<(), String> {
    let mut input = String::new();
    io::stdin()
        .read_to_string(&mut input)
        .map_err(|error| format!("cannot read the book from mdbook: {error}"))?;
    // Kept raw, so the book can go back byte for byte as it came.
    let [context, book]: [&RawValue; 2] = serde_json::from_str(&input)
        .map_err(|error| format!("expected [context, book] from mdbook: {error}"))?;
    let src = book_src(&parse(context)?);
    let book_value = parse(book)?;
    let mut chapters = Vec::new();
    collect_chapters(&book_value, &mut chapters);
    let problems: Vec<Problem> = chapters
        .into_iter()
        .flat_map(|(path, content)| {
            book_check::check_chapter(&src, Path::new(path), content)
        })
        .collect();
    if problems.is_empty() {
        return io::stdout()
            .write_all(book.get().as_bytes())
            .map_err(|error| format!("cannot hand the book back to mdbook: {error}"));
    }
    for problem in &problems {
        eprintln!("{problem}");
    }
    Err(format!(
        "{} problem(s) in the book; the build stops here",
        problems.len()
    ))
}

fn parse(raw: &RawValue) -> Result<Value, String> {
    serde_json::from_str(raw.get())
        .map_err(|error| format!("bad JSON from mdbook: {error}"))
}

/// The book's source folder: the context's `root` joined with `book.src`.
fn book_src(context: &Value) -> PathBuf {
    let root = context["root"].as_str().unwrap_or(".");
    let src = context["config"]["book"]["src"].as_str().unwrap_or("src");
    Path::new(root).join(src)
}

/// Every chapter's `source_path` and `content`, in book order, found by shape
/// rather than by name: any object with both, at any depth. Draft chapters have
/// no source and are skipped.
fn collect_chapters<'a>(value: &'a Value, found: &mut Vec<(&'a str, &'a str)>) {
    match value {
        Value::Object(map) => {
            if let (Some(Value::String(path)), Some(Value::String(content))) =
                (map.get("source_path"), map.get("content"))
            {
                found.push((path, content));
            }
            map.values()
                .for_each(|inner| collect_chapters(inner, found));
        }
        Value::Array(items) => items
            .iter()
            .for_each(|inner| collect_chapters(inner, found)),
        _ => {}
    }
}
