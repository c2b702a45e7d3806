//! Internal links: `[text](path.md)`, `(path.md#id)`, `(#id)`, images and
//! `[label]: path` definitions, wherever mdBook renders them as links (not in code
//! or HTML). Links with a scheme (`https:`, `mailto:`) are left alone.

use std::fs;
use std::path::Path;

use crate::{Paths, markdown, normalize};

/// A problem for every link in `content` that leads nowhere, with its byte offset.
/// `chapter` is the chapter's file.
pub(crate) fn check(
    paths: &Paths,
    chapter: &Path,
    content: &str,
) -> Vec<(usize, String)> {
    markdown::links(content)
        .into_iter()
        .filter_map(|(offset, dest)| {
            let problem = problem(paths, chapter, content, &dest)?;
            Some((offset, format!("link {dest}: {problem}")))
        })
        .collect()
}

fn problem(paths: &Paths, chapter: &Path, content: &str, dest: &str) -> Option<String> {
    if dest.is_empty() || has_scheme(dest) {
        return None;
    }
    let (path, fragment) = dest.split_once('#').unwrap_or((dest, ""));
    let target = match path {
        "" => chapter.to_path_buf(),
        path => normalize(&chapter.parent()?.join(path)),
    };
    if !target.starts_with(&paths.src) {
        let src = paths.shown(&paths.src);
        return Some(format!(
            "leads outside {}, which the built book leaves out",
            src.display()
        ));
    }
    if !target.exists() {
        return Some(format!("{} not found", paths.shown(&target).display()));
    }
    if fragment.is_empty() || target.extension().is_none_or(|ext| ext != "md") {
        return None;
    }
    let text = match path {
        "" => content.to_string(),
        _ => fs::read_to_string(&target).ok()?,
    };
    let ids = markdown::heading_ids(&text);
    (!ids.contains(fragment)).then(|| format!("no heading has the id `{fragment}`"))
}

/// `https://…`, `mailto:…`: a URL scheme, as opposed to a relative path.
fn has_scheme(dest: &str) -> bool {
    let Some((scheme, _)) = dest.split_once(':') else {
        return dest.starts_with("//");
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
}

#[cfg(test)]
mod tests {
    use super::has_scheme;

    #[test]
    fn urls_have_a_scheme_and_paths_do_not() {
        assert!(has_scheme("https://tokio.rs"));
        assert!(has_scheme("mailto:someone@example.com"));
        assert!(!has_scheme("ch02-future-objects.md#the-promise"));
        assert!(!has_scheme("../images/loop.svg"));
    }
}
