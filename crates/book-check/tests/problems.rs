//! Each kind of problem `check_book` reports, in a small book written for the test,
//! and the things it must leave alone.

mod common;

use book_check::check_book;
use common::TempBook;

const GREET_RS: &str = "\
// ANCHOR: greet
async fn greet(name: &str) {
    println!(\"hello, {name}\");
}
// ANCHOR_END: greet
// ANCHOR: unfinished
fn main() {}
";

/// The problems in `book`, one `file:line: message` string each.
fn problems(book: &TempBook) -> Vec<String> {
    check_book(&book.root.join("book/src"))
        .iter()
        .map(ToString::to_string)
        .collect()
}

/// A book whose chapter `ch01.md` is `chapter`, with `code/greet.rs` to include.
fn book_with(name: &str, chapter: &str) -> TempBook {
    let book = TempBook::new(name);
    book.write("code/greet.rs", GREET_RS)
        .write(
            "book/src/SUMMARY.md",
            "# Summary\n\n- [One](ch01.md)\n- [Two]()\n",
        )
        .write("book/src/ch01.md", chapter);
    book
}

#[test]
fn a_sound_book_has_no_problems() {
    let chapter = "\
# Coroutines

```rust
{{#include ../../code/greet.rs}}
{{#include ../../code/greet.rs:greet}}
{{#rustdoc_include ../../code/greet.rs:greet}}
{{#include ../../code/greet.rs:2}}
{{#include ../../code/greet.rs:2:4}}
{{#include ../../code/greet.rs:7:}}
{{#include ../../code/greet.rs::7}}
```

## Running it

## Running it

See [the run](#running-it), [again](#running-it-1), [two](ch02.md#the-loop),
[two](./part/../ch02.md), ![a picture](img/loop.svg), [tokio](https://tokio.rs),
[mail](mailto:team@example.com) and [python][py].

[py]: listings/greet.py
";
    let book = book_with("sound", chapter);
    book.write("book/src/ch02.md", "# Two\n\n## The loop\n")
        .write("book/src/img/loop.svg", "<svg/>")
        .write("book/src/listings/greet.py", "print('hello')\n");
    assert_eq!(problems(&book), Vec::<String>::new());
}

#[test]
fn a_missing_include_file_is_reported_at_its_line() {
    let book = book_with(
        "missing-file",
        "# One\n\n{{#include ../../code/gone.rs:greet}}\n",
    );
    assert_eq!(
        problems(&book),
        ["book/src/ch01.md:3: include ../../code/gone.rs: code/gone.rs not found"]
    );
}

#[test]
fn a_missing_anchor_is_reported() {
    let book = book_with(
        "missing-anchor",
        "{{#include ../../code/greet.rs:farewell}}",
    );
    assert_eq!(
        problems(&book),
        [
            "book/src/ch01.md:1: include ../../code/greet.rs: anchor `farewell` not found"
        ]
    );
}

#[test]
fn an_anchor_without_its_end_is_reported() {
    let book = book_with(
        "unended-anchor",
        "{{#rustdoc_include ../../code/greet.rs:unfinished}}",
    );
    assert_eq!(
        problems(&book),
        ["book/src/ch01.md:1: rustdoc_include ../../code/greet.rs: \
             anchor `unfinished` has no `ANCHOR_END: unfinished` after it"]
    );
}

#[test]
fn a_line_range_past_the_end_is_reported() {
    // greet.rs has 7 lines.
    let chapter = "\
{{#include ../../code/greet.rs:8}}
{{#include ../../code/greet.rs:2:9}}
{{#include ../../code/greet.rs:5:3}}
{{#include ../../code/greet.rs:0:3}}
";
    let book = book_with("range", chapter);
    assert_eq!(
        problems(&book),
        [
            "book/src/ch01.md:1: include ../../code/greet.rs: \
             starts at line 8, but the file has 7 lines",
            "book/src/ch01.md:2: include ../../code/greet.rs: \
             ends at line 9, but the file has 7 lines",
            "book/src/ch01.md:3: include ../../code/greet.rs: \
             starts at line 5, after its end at line 3",
            "book/src/ch01.md:4: include ../../code/greet.rs: line numbers start at 1",
        ]
    );
}

#[test]
fn a_broken_link_is_reported() {
    let book = book_with(
        "broken-link",
        "# One\n\nNext: [futures](ch02-futures.md).\n",
    );
    assert_eq!(
        problems(&book),
        [
            "book/src/ch01.md:3: link ch02-futures.md: book/src/ch02-futures.md not found"
        ]
    );
}

#[test]
fn a_missing_image_is_reported() {
    let book = book_with("missing-image", "![the loop](img/loop.svg)");
    assert_eq!(
        problems(&book),
        ["book/src/ch01.md:1: link img/loop.svg: book/src/img/loop.svg not found"]
    );
}

#[test]
fn a_broken_fragment_is_reported() {
    let chapter =
        "# One\n\n## Running it\n\n[here](#run-it) and [there](ch02.md#the-loops)\n";
    let book = book_with("broken-fragment", chapter);
    book.write("book/src/ch02.md", "# Two\n\n## The loop\n");
    assert_eq!(
        problems(&book),
        [
            "book/src/ch01.md:5: link #run-it: no heading has the id `run-it`",
            "book/src/ch01.md:5: link ch02.md#the-loops: no heading has the id `the-loops`",
        ]
    );
}

#[test]
fn a_link_out_of_the_book_source_is_reported() {
    let book = book_with("outside", "[the code](../../code/greet.rs)");
    assert_eq!(
        problems(&book),
        ["book/src/ch01.md:1: link ../../code/greet.rs: \
             leads outside book/src, which the built book leaves out"]
    );
}

#[test]
fn escaped_directives_and_links_in_code_are_ignored() {
    let chapter = "\
Write `\\{{#include file.rs:anchor}}` to include a slice:

```markdown
\\{{#include ../../code/gone.rs:nowhere}}
[a link](nowhere.md)
```

Inline `[a link](nowhere.md)` too. <!-- [draft](later.md) -->
";
    let book = book_with("escaped", chapter);
    assert_eq!(problems(&book), Vec::<String>::new());
}

#[test]
fn a_misspelt_directive_is_reported() {
    let book = book_with("misspelt", "{{#inculde ../../code/greet.rs}}");
    assert_eq!(
        problems(&book),
        [
            "book/src/ch01.md:1: unknown directive `{{#inculde}}`: mdbook leaves it as text"
        ]
    );
}

#[test]
fn every_markdown_file_is_checked() {
    let book = book_with("every-file", "# One\n");
    book.write("book/src/part/ch05.md", "[back](../ch00.md)\n");
    assert_eq!(
        problems(&book),
        ["book/src/part/ch05.md:1: link ../ch00.md: book/src/ch00.md not found"]
    );
}

#[test]
fn a_broken_reference_link_is_reported_once_at_its_definition() {
    let chapter = "\
# One

See [the greeter][py], [again][py], [py][] and [py].

[py]: listings/gone.py
[two]: ch02.md#the-loops
";
    let book = book_with("reference", chapter);
    book.write("book/src/ch02.md", "# Two\n\n## The loop\n");
    assert_eq!(
        problems(&book),
        [
            "book/src/ch01.md:5: link listings/gone.py: \
             book/src/listings/gone.py not found",
            "book/src/ch01.md:6: link ch02.md#the-loops: \
             no heading has the id `the-loops`",
        ]
    );
}

#[test]
fn links_that_mdbook_shows_as_text_are_ignored() {
    let chapter = "\
- A list item with code:

  ```rust
  let link = \"[a link](nowhere.md)\";
  ```

> ```markdown
> [quoted code](nowhere.md)
> ```

    [indented code](nowhere.md)

<div>
[raw HTML](nowhere.md)
</div>

An \\[escaped](nowhere.md) bracket, ``a `tick` and [a link](nowhere.md)``,
<team@example.com>, and a [label]: nowhere.md that continues a paragraph.
";
    let book = book_with("shown-as-text", chapter);
    assert_eq!(problems(&book), Vec::<String>::new());
}

#[test]
fn ids_mdbook_gives_beyond_plain_headings_resolve() {
    let chapter = "\
# One

> ## A quoted heading

Waker
: what wakes a task

See [quoted](#a-quoted-heading), [term](#waker) and [its page](ch02.md#why-pin).
";
    let book = book_with("more-ids", chapter);
    book.write("book/src/ch02.md", "# Two\n\n## Why `Pin`?\n");
    assert_eq!(problems(&book), Vec::<String>::new());
}
