//! `{{#include}}`-style directives: find them as mdBook's `links` preprocessor
//! does, then check the file, the anchor or the line range each one names.
//!
//! mdBook expands directives everywhere, code blocks included (that is how a
//! listing gets into a fenced block), so the whole text is scanned. A directive
//! written with a backslash, `\{{#include file}}`, is shown literally and skipped.

use std::fs;
use std::io;
use std::path::Path;

use crate::Paths;

/// A problem for every directive in `content` that would not expand as meant, with
/// the byte offset of the directive. `chapter` is the chapter's file.
pub(crate) fn check(
    paths: &Paths,
    chapter: &Path,
    content: &str,
) -> Vec<(usize, String)> {
    let dir = chapter.parent().unwrap_or(Path::new(""));
    directives(content)
        .into_iter()
        .filter_map(|d| d.problem(paths, dir).map(|message| (d.offset, message)))
        .collect()
}

/// One `{{#name args}}` in a chapter.
#[derive(Debug, PartialEq)]
struct Directive<'a> {
    offset: usize,
    name: &'a str,
    args: &'a str,
}

impl Directive<'_> {
    fn problem(&self, paths: &Paths, dir: &Path) -> Option<String> {
        let target = self.args.split_whitespace().next()?;
        // `{{#playground}}` takes a plain path; the others may add `:anchor` or lines.
        let (path, spec) = match self.name {
            "include" | "rustdoc_include" => {
                target.split_once(':').unwrap_or((target, ""))
            }
            "playground" | "playpen" => (target, ""),
            "title" => return None,
            other => {
                return Some(format!(
                    "unknown directive `{{{{#{other}}}}}`: mdbook leaves it as text"
                ));
            }
        };
        let file = dir.join(path);
        let problem = match fs::read_to_string(&file) {
            Ok(text) if path.ends_with(".snap") => snapshot_problem(&text, spec)?,
            Ok(text) => Spec::parse(spec).problem(&text)?,
            Err(error) if error.kind() == io::ErrorKind::NotFound => {
                format!("{} not found", paths.shown(&file).display())
            }
            Err(error) => {
                format!("cannot read {}: {error}", paths.shown(&file).display())
            }
        };
        Some(format!("{} {path}: {problem}", self.name))
    }
}

/// What part of a file a directive takes, written after the path's `:`.
#[derive(Debug, PartialEq)]
enum Spec<'a> {
    /// The lines between `ANCHOR: name` and `ANCHOR_END: name`.
    Anchor(&'a str),
    /// Lines `first..=last`, counted from 1; `None` is the file's start or end.
    Lines(Option<usize>, Option<usize>),
}

impl<'a> Spec<'a> {
    /// Reads `N`, `N:M`, `N:`, `:M`, `name` or nothing, as mdBook does: a first
    /// part that is not a number is an anchor, a second one is an open end.
    fn parse(spec: &'a str) -> Spec<'a> {
        let mut parts = spec.splitn(3, ':');
        let first = parts.next().unwrap_or("");
        let start = match first.parse() {
            Ok(n) => Some(n),
            Err(_) if first.is_empty() => None,
            Err(_) => return Spec::Anchor(first),
        };
        let end = match parts.next() {
            None => start, // `path:N` is the one line N
            Some(end) => end.parse().ok(),
        };
        Spec::Lines(start, end)
    }

    fn problem(&self, text: &str) -> Option<String> {
        match *self {
            Spec::Anchor(name) => anchor_problem(text, name),
            Spec::Lines(first, last) => {
                range_problem(text.lines().count(), first, last)
            }
        }
    }
}

fn anchor_problem(text: &str, name: &str) -> Option<String> {
    let mut lines = text.lines();
    if !lines.any(|line| marker(line, "ANCHOR:") == Some(name)) {
        return Some(format!("anchor `{name}` not found"));
    }
    if !lines.any(|line| marker(line, "ANCHOR_END:") == Some(name)) {
        return Some(format!(
            "anchor `{name}` has no `ANCHOR_END: {name}` after it"
        ));
    }
    None
}

/// The name after `marker` in `line`, read as mdBook's `ANCHOR:\s*([\w_-]+)` does.
fn marker<'a>(line: &'a str, marker: &str) -> Option<&'a str> {
    let (_, rest) = line.split_once(marker)?;
    let rest = rest.trim_start();
    let is_name = |c: char| c.is_alphanumeric() || c == '_' || c == '-';
    let end = rest.find(|c| !is_name(c)).unwrap_or(rest.len());
    (end > 0).then(|| &rest[..end])
}

/// An insta snapshot opens with a header between two `---` lines, whose length
/// changes when insta writes it again (an `expression:` line comes or goes).
/// So a snapshot is included from the first line after the header to its
/// end, and the line the directive names must be that one.
fn snapshot_problem(text: &str, spec: &str) -> Option<String> {
    let mut dashes = text.lines().enumerate().filter(|(_, line)| *line == "---");
    let body = match (dashes.next(), dashes.next()) {
        (Some((0, _)), Some((end, _))) => end + 2,
        _ => return Some("not an insta snapshot: no `---` header".to_string()),
    };
    if Spec::parse(spec) == Spec::Lines(Some(body), None) {
        return None;
    }
    Some(format!(
        "a snapshot's body starts at line {body}, after its header: \
         include it as `:{body}:`"
    ))
}

/// mdBook clamps a range to the file without a word, leaving a short or empty
/// listing; here it is an error.
fn range_problem(
    count: usize,
    first: Option<usize>,
    last: Option<usize>,
) -> Option<String> {
    if first == Some(0) || last == Some(0) {
        return Some("line numbers start at 1".to_string());
    }
    if let Some(first) = first.filter(|&first| first > count) {
        return Some(format!(
            "starts at line {first}, but the file has {count} lines"
        ));
    }
    if let Some(last) = last.filter(|&last| last > count) {
        return Some(format!(
            "ends at line {last}, but the file has {count} lines"
        ));
    }
    match (first, last) {
        (Some(first), Some(last)) if first > last => Some(format!(
            "starts at line {first}, after its end at line {last}"
        )),
        _ => None,
    }
}

/// Every directive in `text`, found as mdBook's pattern finds them: an escaped one
/// (`\{{#` up to the last `}}` on its line) is skipped, and `{{ #name args }}` is
/// a directive when `args` holds no `}`.
fn directives(text: &str) -> Vec<Directive<'_>> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = text[from..].find("{{").map(|i| from + i) {
        if let Some(end) = escaped_end(text, at) {
            from = end;
        } else if let Some((directive, end)) = directive_at(text, at) {
            found.push(directive);
            from = end;
        } else {
            from = at + 1;
        }
    }
    found
}

/// Where an escaped directive whose `{{` is at `at` ends.
fn escaped_end(text: &str, at: usize) -> Option<usize> {
    if !text[..at].ends_with('\\') || !text[at + 2..].starts_with('#') {
        return None;
    }
    let line = text[at..].split('\n').next().unwrap_or("");
    line.rfind("}}").map(|end| at + end + 2)
}

/// The directive whose `{{` is at `at`, and where it ends.
fn directive_at(text: &str, at: usize) -> Option<(Directive<'_>, usize)> {
    let rest = text[at + 2..].trim_start().strip_prefix('#')?;
    let is_name = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let (name, rest) = rest.split_at(rest.find(|c| !is_name(c)).unwrap_or(rest.len()));
    if name.is_empty() || !rest.starts_with(char::is_whitespace) {
        return None;
    }
    let close = rest.find('}')?;
    let args = rest[..close].trim();
    if args.is_empty() || !rest[close..].starts_with("}}") {
        return None;
    }
    let end = text.len() - rest.len() + close + 2;
    Some((
        Directive {
            offset: at,
            name,
            args,
        },
        end,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(&str, &str)> {
        directives(text).iter().map(|d| (d.name, d.args)).collect()
    }

    #[test]
    fn directives_are_found_with_their_arguments() {
        let text =
            "a {{#include x.rs:greet}} b\n```\n{{ #rustdoc_include y.rs:2:5 }}\n```";
        assert_eq!(
            found(text),
            [("include", "x.rs:greet"), ("rustdoc_include", "y.rs:2:5")]
        );
    }

    #[test]
    fn escaped_directives_are_skipped() {
        assert_eq!(
            found(r"shown as \{{#include x.rs}} and {{#include y.rs}}"),
            []
        );
        assert_eq!(
            found("\\{{#include x.rs}}\n{{#include y.rs}}"),
            [("include", "y.rs")]
        );
    }

    #[test]
    fn text_that_only_looks_like_a_directive_is_not_one() {
        assert_eq!(found("{{#include}} {{ include x }} {{#}} {{#include x"), []);
    }

    #[test]
    fn line_specs_read_as_mdbook_reads_them() {
        assert_eq!(Spec::parse(""), Spec::Lines(None, None));
        assert_eq!(Spec::parse("4"), Spec::Lines(Some(4), Some(4)));
        assert_eq!(Spec::parse("4:9"), Spec::Lines(Some(4), Some(9)));
        assert_eq!(Spec::parse("4:"), Spec::Lines(Some(4), None));
        assert_eq!(Spec::parse(":9"), Spec::Lines(None, Some(9)));
        assert_eq!(Spec::parse("greet"), Spec::Anchor("greet"));
    }

    #[test]
    fn a_snapshot_is_included_from_the_line_after_its_header() {
        let snap = "---\nsource: tests/a.rs\nexpression: x\n---\nbody\n";
        assert_eq!(snapshot_problem(snap, "5:"), None);
        for wrong in ["4:", "5", "5:6", "", "name"] {
            let problem = snapshot_problem(snap, wrong).expect("a problem");
            assert!(problem.contains("`:5:`"), "{wrong}: {problem}");
        }
        assert!(snapshot_problem("body only\n", "1:").is_some());
    }

    #[test]
    fn anchors_match_whole_names() {
        let text = "// ANCHOR: greet_all\n// ANCHOR_END: greet_all\n";
        assert!(anchor_problem(text, "greet_all").is_none());
        assert!(anchor_problem(text, "greet").is_some());
    }
}
