//! The real book: every include, anchor and internal link in `book/src` resolves.
//! The same check runs inside `mdbook build`; here it makes `cargo test` catch a
//! broken book as well.

use std::path::Path;

#[test]
fn the_book_has_no_broken_includes_anchors_or_links() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../book/src");
    let problems = book_check::check_book(&src);
    let listed: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert!(
        problems.is_empty(),
        "the book has problems:\n{}",
        listed.join("\n")
    );
}
