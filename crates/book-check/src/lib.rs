//! Fails the book build on a broken include, a missing anchor or a broken internal
//! link.
//!
//! mdBook 0.5 is forgiving where this book cannot afford it: an `{{#include}}` of a
//! file that is not there is logged and left in the page as raw text, an anchor or a
//! line range that matches nothing becomes an empty listing, and links are never
//! checked. The build still succeeds. Since every listing in the book is cut from
//! compiled code, a renamed file or anchor would quietly empty a page.
//!
//! This crate reads the raw Markdown of each chapter and reports:
//!
//! | module | what it checks |
//! |---|---|
//! | `include` | `{{#include}}`, `{{#rustdoc_include}}` and `{{#playground}}`: the file exists, the anchor has its `ANCHOR:` and `ANCHOR_END:` lines, the line range lies inside the file |
//! | `link` | `[text](path.md#id)`, `(#id)` and images: the file exists inside the book's source folder and the id is one a heading gets |
//! | `markdown` | the chapters parsed as mdBook parses them (`pulldown-cmark`): where the links are, and mdBook's heading ids |
//!
//! It runs two ways. `book/book.toml` runs the binary as an mdBook preprocessor
//! before the `links` preprocessor, so `mdbook build book` fails on a problem; and
//! `cargo test -p book-check` runs [`check_book`] on the real book.
//!
//! ```no_run
//! let problems = book_check::check_book(std::path::Path::new("book/src"));
//! for problem in &problems {
//!     eprintln!("{problem}"); // book/src/ch01-coroutines.md:12: include ...
//! }
//! ```
#![forbid(unsafe_code)]

use std::fmt;
use std::fs;
use std::path::{Component, Path, PathBuf};

mod include;
mod link;
mod markdown;

/// One thing wrong in the book, at a line of a chapter's Markdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The chapter, shown relative to the folder that holds the book
    /// (`book/src/ch01-coroutines.md`).
    pub file: PathBuf,
    /// The line of the directive or link, counted from 1.
    pub line: usize,
    /// What is wrong, starting with the directive or link as written.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file.display(), self.line, self.message)
    }
}

/// Checks every `.md` file under `book_src` (the book's `src` folder), as read from
/// disk.
///
/// # Examples
///
/// ```no_run
/// let problems = book_check::check_book(std::path::Path::new("book/src"));
/// assert!(problems.is_empty(), "{problems:?}");
/// ```
pub fn check_book(book_src: &Path) -> Vec<Problem> {
    let paths = Paths::new(book_src);
    let mut files = Vec::new();
    if let Err(error) = markdown_files(&paths.src, &mut files) {
        let message = format!("cannot read the book's source folder: {error}");
        return vec![Problem {
            file: paths.shown(&paths.src),
            line: 0,
            message,
        }];
    }
    files.sort();
    files
        .iter()
        .flat_map(|file| check_file(&paths, file))
        .collect()
}

/// Checks one chapter whose Markdown is `content`; `chapter` is its path inside
/// `book_src`, as mdBook's `source_path` gives it.
///
/// Includes resolve against the chapter's own folder, links against the chapter's
/// folder inside `book_src`, exactly as mdBook resolves them.
///
/// # Examples
///
/// ```
/// use std::path::Path;
///
/// let src = Path::new("/nowhere/book/src");
/// let content = "# Coroutines\n\nNext: [futures](ch02-future-objects.md).\n";
/// let problems = book_check::check_chapter(src, Path::new("ch01.md"), content);
/// assert_eq!(
///     problems[0].to_string(),
///     "book/src/ch01.md:3: link ch02-future-objects.md: \
///      book/src/ch02-future-objects.md not found"
/// );
/// ```
pub fn check_chapter(book_src: &Path, chapter: &Path, content: &str) -> Vec<Problem> {
    check_content(&Paths::new(book_src), &book_src.join(chapter), content)
}

fn check_file(paths: &Paths, file: &Path) -> Vec<Problem> {
    match fs::read_to_string(file) {
        Ok(content) => check_content(paths, file, &content),
        Err(error) => {
            let message = format!("cannot read: {error}");
            vec![Problem {
                file: paths.shown(file),
                line: 0,
                message,
            }]
        }
    }
}

fn check_content(paths: &Paths, file: &Path, content: &str) -> Vec<Problem> {
    let file = normalize(file);
    let found = include::check(paths, &file, content)
        .into_iter()
        .chain(link::check(paths, &file, content));
    let mut problems: Vec<Problem> = found
        .map(|(offset, message)| Problem {
            file: paths.shown(&file),
            line: line_of(content, offset),
            message,
        })
        .collect();
    problems.sort_by_key(|problem| problem.line);
    problems
}

/// Every `.md` file under `dir`, at any depth.
fn markdown_files(dir: &Path, found: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            markdown_files(&path, found)?;
        } else if path.extension().is_some_and(|ext| ext == "md") {
            found.push(path);
        }
    }
    Ok(())
}

/// The line (from 1) that holds the byte at `offset`.
fn line_of(text: &str, offset: usize) -> usize {
    text[..offset].matches('\n').count() + 1
}

/// Where the book's source is, and how to show a path to a reader.
#[derive(Debug)]
pub(crate) struct Paths {
    /// The book's `src` folder, with `.` and `..` resolved.
    src: PathBuf,
    /// Paths are shown relative to this: the folder that holds the book
    /// (`book/src` then shows as itself).
    shown_from: PathBuf,
}

impl Paths {
    fn new(book_src: &Path) -> Paths {
        let src = normalize(book_src);
        let shown_from = src.parent().and_then(Path::parent).unwrap_or(Path::new(""));
        Paths {
            shown_from: shown_from.to_path_buf(),
            src,
        }
    }

    /// `path` with `..` resolved, relative to the folder that holds the book when
    /// it lies inside it.
    fn shown(&self, path: &Path) -> PathBuf {
        let path = normalize(path);
        match path.strip_prefix(&self.shown_from) {
            Ok(inside) => inside.to_path_buf(),
            Err(_) => path,
        }
    }
}

/// Resolves `.` and `..` without touching the disk (the path may not exist).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        let after_name =
            matches!(out.components().next_back(), Some(Component::Normal(_)));
        match component {
            Component::CurDir => {}
            Component::ParentDir if after_name => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}
