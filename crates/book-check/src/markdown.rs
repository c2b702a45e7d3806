//! The chapters read as mdBook reads them: where the links are and which ids mdBook
//! gives the headings.
//!
//! mdBook 0.5 renders Markdown with `pulldown-cmark` 0.13; this module parses with
//! the same crate and the same options, so a link counts exactly when mdBook
//! renders it as one. Code (fenced, indented or inline), HTML and comments hold no
//! links; a `[label]: dest` definition is one only where CommonMark allows it.

use std::collections::HashSet;

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};

/// A parser with the options mdBook 0.5 turns on by default
/// (`mdbook_markdown::new_cmark_parser`): smart punctuation, definition lists and
/// GFM admonitions included.
fn parser(text: &str) -> Parser<'_> {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_DEFINITION_LIST
        | Options::ENABLE_GFM;
    Parser::new_ext(text, options)
}

/// The destination of every link and image in `text` that could lead into the
/// book, with the byte offset where it is written, in order.
///
/// An inline link (`[text](dest)`) is found where it starts. A reference link
/// (`[text][label]`, `[label][]`, `[label]`) is found at its definition
/// (`[label]: dest`), once however often it is used, since that is where a fix
/// goes; a definition nothing uses is still checked. Autolinks (`<https://…>`,
/// `<team@example.com>`) always lead out of the book and are left out.
pub(crate) fn links(text: &str) -> Vec<(usize, String)> {
    let parser = parser(text).into_offset_iter();
    let mut found: Vec<(usize, String)> = parser
        .reference_definitions()
        .iter()
        .map(|(_, definition)| (definition.span.start, definition.dest.to_string()))
        .collect();
    for (event, range) in parser {
        let (Event::Start(Tag::Link {
            link_type,
            dest_url,
            ..
        })
        | Event::Start(Tag::Image {
            link_type,
            dest_url,
            ..
        })) = event
        else {
            continue;
        };
        if link_type == LinkType::Inline {
            found.push((range.start, dest_url.to_string()));
        }
    }
    found.sort_by_key(|&(at, _)| at);
    found
}

/// The ids mdBook 0.5 gives a chapter's headings and definition-list terms: a
/// `{#id}` written in the heading, or one made from the text a reader sees, with
/// `-1`, `-2` added to repeats.
pub(crate) fn heading_ids(text: &str) -> HashSet<String> {
    let mut ids = HashSet::new();
    let mut made = HashSet::new();
    // The heading being read: its written id, its text so far.
    let mut heading: Option<(Option<String>, String)> = None;
    let mut in_image = false;
    for event in parser(text) {
        match (&mut heading, event) {
            (_, Event::Start(Tag::Heading { id, .. })) => {
                heading = Some((id.map(|id| id.to_string()), String::new()));
            }
            (_, Event::Start(Tag::DefinitionListTitle)) => {
                heading = Some((None, String::new()));
            }
            (Some(_), Event::End(TagEnd::Heading(_) | TagEnd::DefinitionListTitle)) => {
                let id = match heading.take() {
                    Some((Some(written), _)) => written,
                    Some((None, text)) => unique_id(&id_from_text(&text), &mut made),
                    None => continue,
                };
                ids.insert(id);
            }
            // An image's alt text is an attribute in the page, not heading text.
            (Some(_), Event::Start(Tag::Image { .. })) => in_image = true,
            (Some(_), Event::End(TagEnd::Image)) => in_image = false,
            (Some((_, seen)), Event::Text(part) | Event::Code(part)) if !in_image => {
                seen.push_str(&part);
            }
            (Some((_, seen)), Event::SoftBreak) => seen.push('\n'),
            _ => {}
        }
    }
    ids
}

/// mdBook's rule (`id_from_content`): lowercase; keep letters, digits, `-` and
/// `_`; whitespace becomes `-`; everything else goes.
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

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(text: &str) -> Vec<String> {
        let mut ids: Vec<String> = heading_ids(text).into_iter().collect();
        ids.sort();
        ids
    }

    fn destinations(text: &str) -> Vec<String> {
        links(text).into_iter().map(|(_, dest)| dest).collect()
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
    fn heading_ids_leave_out_tags_and_image_text() {
        let text = "## <em>Two</em> loops ![a picture](loop.svg)\n\n## `a_b` \\_c\\_\n";
        assert_eq!(ids(text), ["a_b-_c_", "two-loops"]);
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
    fn headings_in_quotes_and_list_items_count() {
        let text = "> ## Quoted\n\n- ## Listed\n";
        assert_eq!(ids(text), ["listed", "quoted"]);
    }

    #[test]
    fn definition_list_terms_get_ids_like_headings() {
        let text = "## Waker\n\nWaker\n: what wakes a task\n";
        assert_eq!(ids(text), ["waker", "waker-1"]);
    }

    #[test]
    fn headings_inside_code_blocks_do_not_count() {
        let text =
            "```python\n# a comment\n```\n\n~~~\n## not either\n~~~\n\n    # nor\n";
        assert!(ids(text).is_empty());
    }

    #[test]
    fn links_are_found_where_they_start() {
        let text =
            "a `[x](y.md)` b\n```\n[z](w.md)\n```\n<!-- [v](u.md) -->\n[t](s.md)";
        assert_eq!(links(text), [(text.find("[t]").unwrap(), "s.md".into())]);
    }

    #[test]
    fn destinations_of_every_link_form() {
        let text = "[a](a.md#x \"title\") ![b](img/b.png) [c](<c d.md>) [e] \
                    <https://tokio.rs>\n\n[e]: e.md\n[^1]: note\n";
        assert_eq!(
            destinations(text),
            ["a.md#x", "img/b.png", "c d.md", "e.md"]
        );
    }

    #[test]
    fn a_reference_is_found_once_at_its_definition() {
        let text = "[one][py], [two][py] and [py][]\n\n[py]: greet.py\n";
        assert_eq!(
            links(text),
            [(text.find("[py]:").unwrap(), "greet.py".into())]
        );
    }

    #[test]
    fn what_mdbook_shows_as_text_holds_no_link() {
        let text = "\\[not a link](x.md), ``a ` [code](y.md)``\n\
                    [not a definition]: z.md\n\n    [indented](w.md)\n\n\
                    <div>\n[html](v.md)\n</div>\n";
        assert!(destinations(text).is_empty(), "{:?}", destinations(text));
    }
}
