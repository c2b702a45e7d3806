//! Just enough Markdown for the checks: where the code is, where the links are and
//! which ids mdBook gives the headings.
//!
//! This is not a Markdown parser. It knows fenced code blocks, inline code, HTML
//! comments, ATX (`## Title`) and setext (`Title` over `---`) headings, and
//! `{#id}` heading attributes: what a book like this one uses. Blanking replaces
//! every byte but `\n` with a space, so offsets still point into the original.

use std::collections::HashSet;
use std::ops::Range;

/// `text` with fenced code blocks and HTML comments blanked out.
pub(crate) fn without_code_blocks(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut fence: Option<&str> = None;
    for line in text.split_inclusive('\n') {
        let run = fence_run(line.trim_start());
        match fence {
            None if run.is_none() => out.push_str(line),
            None => {
                fence = run;
                out.push_str(&blank(line));
            }
            Some(open) => {
                let closes = run.is_some_and(|run| {
                    run.starts_with(open)
                        && line.trim_start()[run.len()..].trim().is_empty()
                });
                if closes {
                    fence = None;
                }
                out.push_str(&blank(line));
            }
        }
    }
    blank_comments(&out)
}

/// `text` with all code blanked out, inline code too: what is left is prose.
pub(crate) fn prose(text: &str) -> String {
    let mut out = without_code_blocks(text);
    for span in code_spans(&out) {
        out.replace_range(span.clone(), &" ".repeat(span.len()));
    }
    out
}

/// The destination of every inline link or image (`](dest)`) and every link
/// definition (`[label]: dest`) in `prose`, with the byte offset where it is.
pub(crate) fn link_destinations(prose: &str) -> Vec<(usize, &str)> {
    let inline = prose
        .match_indices("](")
        .map(|(at, _)| (at, destination(&prose[at + 2..])));
    let mut line_start = 0;
    let mut definitions = Vec::new();
    for line in prose.split_inclusive('\n') {
        if let Some(dest) = definition(line) {
            definitions.push((line_start, dest));
        }
        line_start += line.len();
    }
    let mut found: Vec<_> = inline.chain(definitions).collect();
    found.sort_by_key(|&(at, _)| at);
    found
}

/// The ids mdBook 0.5 gives the headings of a chapter: a `{#id}` written in the
/// heading, or one made from its text, with `-1`, `-2` added to repeats.
pub(crate) fn heading_ids(text: &str) -> HashSet<String> {
    let mut ids = HashSet::new();
    let mut made = HashSet::new();
    for heading in headings(&without_code_blocks(text)) {
        let id = match split_attributes(&heading) {
            (_, Some(id)) => id.to_string(),
            (heading, None) => {
                unique_id(&id_from_text(&plain_text(heading)), &mut made)
            }
        };
        ids.insert(id);
    }
    ids
}

/// mdBook's rule: lowercase; keep letters, digits, `-` and `_`; whitespace becomes
/// `-`; everything else goes.
fn id_from_text(text: &str) -> String {
    let keep = |c: char| c.is_alphanumeric() || c == '_' || c == '-';
    text.trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            c if keep(c) => Some(c),
            c if c.is_whitespace() => Some('-'),
            _ => None,
        })
        .collect()
}

/// `id`, or `id-1`, `id-2`… when an earlier heading already took it.
fn unique_id(id: &str, made: &mut HashSet<String>) -> String {
    let mut candidate = id.to_string();
    let mut n = 0;
    while !made.insert(candidate.clone()) {
        n += 1;
        candidate = format!("{id}-{n}");
    }
    candidate
}

/// The text of every heading, in order, Markdown and all.
fn headings(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut paragraph: Vec<&str> = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if let Some(heading) = atx_heading(line) {
            found.push(heading.to_string());
            paragraph.clear();
        } else if is_setext_underline(trimmed) && !paragraph.is_empty() {
            found.push(paragraph.join(" "));
            paragraph.clear();
        } else if trimmed.is_empty() || starts_other_block(trimmed) {
            paragraph.clear();
        } else {
            paragraph.push(trimmed);
        }
    }
    found
}

/// `## Title ##` gives `Title`.
fn atx_heading(line: &str) -> Option<&str> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    let rest = (indent <= 3).then(|| &line[indent..])?;
    let level = rest.len() - rest.trim_start_matches('#').len();
    let content = &rest[level..];
    if !(1..=6).contains(&level)
        || !(content.is_empty() || content.starts_with([' ', '\t']))
    {
        return None;
    }
    let content = content.trim();
    let unclosed = content.trim_end_matches('#');
    Some(match unclosed {
        "" => "",
        _ if unclosed.ends_with([' ', '\t']) => unclosed.trim_end(),
        _ => content,
    })
}

fn is_setext_underline(trimmed: &str) -> bool {
    let mut chars = trimmed.chars();
    let first = chars.next();
    matches!(first, Some('=' | '-')) && chars.all(|c| Some(c) == first)
}

/// A line that starts a list item, a quote, a table row or HTML, not paragraph text.
fn starts_other_block(trimmed: &str) -> bool {
    let digits = trimmed.len()
        - trimmed
            .trim_start_matches(|c: char| c.is_ascii_digit())
            .len();
    let after_digits = &trimmed[digits..];
    trimmed.starts_with(['>', '|', '<', '#'])
        || ["- ", "* ", "+ "]
            .iter()
            .any(|marker| trimmed.starts_with(marker))
        || (digits > 0
            && (after_digits.starts_with(". ") || after_digits.starts_with(") ")))
}

/// `Title {#id .class}` gives `("Title", Some("id"))`.
fn split_attributes(heading: &str) -> (&str, Option<&str>) {
    let Some((text, attributes)) =
        heading.strip_suffix('}').and_then(|h| h.rsplit_once('{'))
    else {
        return (heading, None);
    };
    let id = attributes
        .split_whitespace()
        .find_map(|word| word.strip_prefix('#'));
    (text.trim_end(), id)
}

/// The text a reader sees in a heading: inline code kept as written, link targets,
/// HTML tags, emphasis `_` and `--` (which smart punctuation makes a dash) gone.
fn plain_text(heading: &str) -> String {
    let mut out = String::new();
    let mut last = 0;
    for span in code_spans(heading) {
        out.push_str(&inline_text(&heading[last..span.start]));
        out.push_str(code_text(&heading[span.clone()]));
        last = span.end;
    }
    out + &inline_text(&heading[last..])
}

fn inline_text(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        let run = chars[i..].iter().take_while(|&&next| next == c).count();
        let before = i.checked_sub(1).map(|j| chars[j]);
        let after = chars.get(i + run).copied();
        let skip = match c {
            '\\' if after.is_some() => {
                out.push(chars[i + 1]);
                2
            }
            ']' if after == Some('(') => skip_past(&chars[i..], ')'),
            '<' if after.is_some_and(|a| a.is_ascii_alphabetic() || a == '/') => {
                skip_past(&chars[i..], '>')
            }
            '-' if run >= 2 => run,
            '_' if is_emphasis(before, after) => run,
            _ => {
                out.extend(&chars[i..i + run]);
                run
            }
        };
        i += skip;
    }
    out
}

/// How many characters up to and including the first `end`.
fn skip_past(chars: &[char], end: char) -> usize {
    chars
        .iter()
        .position(|&c| c == end)
        .map_or(chars.len(), |at| at + 1)
}

/// Whether a run of `_` between `before` and `after` opens or closes emphasis
/// rather than standing inside a word like `snake_case`.
fn is_emphasis(before: Option<char>, after: Option<char>) -> bool {
    let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    let space = |c: Option<char>| c.is_none_or(char::is_whitespace);
    let opens = !word(before) && !space(after);
    let closes = !word(after) && !space(before);
    opens || closes
}

/// The text of a code span: without its backticks, and without one space on each
/// side when both sides have one.
fn code_text(span: &str) -> &str {
    let inner = span.trim_matches('`');
    match inner.strip_prefix(' ').and_then(|s| s.strip_suffix(' ')) {
        Some(stripped) if !inner.trim().is_empty() => stripped,
        _ => inner,
    }
}

/// Where each inline code span is: a run of backticks up to the next run of the
/// same length.
fn code_spans(text: &str) -> Vec<Range<usize>> {
    let mut spans = Vec::new();
    let mut from = 0;
    while let Some(start) = text[from..].find('`').map(|i| from + i) {
        let open = backtick_run(&text[start..]);
        let after = start + open;
        match closing_run(&text[after..], open) {
            Some(close) => {
                spans.push(start..after + close + open);
                from = after + close + open;
            }
            None => from = after,
        }
    }
    spans
}

/// Where a run of exactly `len` backticks starts in `text`.
fn closing_run(text: &str, len: usize) -> Option<usize> {
    let mut from = 0;
    while let Some(at) = text[from..].find('`').map(|i| from + i) {
        let run = backtick_run(&text[at..]);
        if run == len {
            return Some(at);
        }
        from = at + run;
    }
    None
}

fn backtick_run(text: &str) -> usize {
    text.len() - text.trim_start_matches('`').len()
}

/// The run of three or more backticks or tildes that opens a fence.
fn fence_run(line: &str) -> Option<&str> {
    let mark = line.chars().next().filter(|&c| c == '`' || c == '~')?;
    let len = line.len() - line.trim_start_matches(mark).len();
    (len >= 3).then(|| &line[..len])
}

/// The destination at the start of `text`, just after `](`.
fn destination(text: &str) -> &str {
    let text = text.trim_start_matches([' ', '\t']);
    if let Some(inside) = text.strip_prefix('<') {
        return inside.split(['>', '\n']).next().unwrap_or("");
    }
    let mut depth = 0;
    for (at, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' if depth == 0 => return &text[..at],
            ')' => depth -= 1,
            c if c.is_whitespace() => return &text[..at],
            _ => {}
        }
    }
    text
}

/// The destination of a `[label]: dest` line; footnotes (`[^1]:`) have none.
fn definition(line: &str) -> Option<&str> {
    let trimmed = line.trim_start();
    if line.len() - trimmed.len() > 3 || trimmed.starts_with("[^") {
        return None;
    }
    let (label, rest) = trimmed.strip_prefix('[')?.split_once("]:")?;
    if label.is_empty() || label.contains(['[', ']']) {
        return None;
    }
    let dest = rest.split_whitespace().next()?;
    Some(
        dest.strip_prefix('<')
            .and_then(|d| d.strip_suffix('>'))
            .unwrap_or(dest),
    )
}

fn blank_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("<!--") {
        let end = rest[start..]
            .find("-->")
            .map_or(rest.len(), |i| start + i + 3);
        out.push_str(&rest[..start]);
        out.push_str(&blank(&rest[start..end]));
        rest = &rest[end..];
    }
    out + rest
}

fn blank(text: &str) -> String {
    text.bytes()
        .map(|b| if b == b'\n' { '\n' } else { ' ' })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(text: &str) -> Vec<String> {
        let mut ids: Vec<String> = heading_ids(text).into_iter().collect();
        ids.sort();
        ids
    }

    #[test]
    fn ids_follow_mdbooks_rule() {
        assert_eq!(id_from_text("From asyncio to Rust"), "from-asyncio-to-rust");
        assert_eq!(id_from_text("What's `block_on`?"), "whats-block_on");
        assert_eq!(
            id_from_text("  Über 1.0: tokio & smol "),
            "über-10-tokio--smol"
        );
    }

    #[test]
    fn heading_ids_see_the_text_a_reader_sees() {
        let text = "# The `poll` method\n\n## __Why__ [wakers](waker.md) -- matter\n";
        assert_eq!(ids(text), ["the-poll-method", "why-wakers--matter"]);
    }

    #[test]
    fn repeated_headings_get_numbered_ids() {
        let text = "## Tokio\n\n## Tokio\n\n## Tokio\n";
        assert_eq!(ids(text), ["tokio", "tokio-1", "tokio-2"]);
    }

    #[test]
    fn written_ids_and_setext_headings_count() {
        let text = "# Running it {#run}\n\nThe loop\n--------\n\nText\n\n---\n";
        assert_eq!(ids(text), ["run", "the-loop"]);
    }

    #[test]
    fn headings_inside_code_blocks_do_not_count() {
        let text = "```python\n# a comment\n```\n\n~~~\n## not either\n~~~\n";
        assert!(ids(text).is_empty());
    }

    #[test]
    fn prose_hides_code_and_comments_but_keeps_offsets() {
        let text =
            "a `[x](y.md)` b\n```\n[z](w.md)\n```\n<!-- [v](u.md) -->\n[t](s.md)";
        let prose = prose(text);
        assert_eq!(prose.len(), text.len());
        assert_eq!(
            link_destinations(&prose),
            [(text.find("](s").unwrap(), "s.md")]
        );
    }

    #[test]
    fn destinations_of_every_link_form() {
        let text = "[a](a.md#x \"title\") ![b](img/b.png) [c](<c d.md>)\n[e]: e.md\n[^1]: note\n";
        let dests: Vec<&str> = link_destinations(text)
            .into_iter()
            .map(|(_, d)| d)
            .collect();
        assert_eq!(dests, ["a.md#x", "img/b.png", "c d.md", "e.md"]);
    }
}
