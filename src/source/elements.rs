//! The elements of issue 19 as the source reads them. The byline (作者行):
//! a one-line block directly under an article's headline block that starts
//! with one of the configured prefixes (`作者：本报记者 张三`, `文/李四`),
//! kept whole, prefix included, as `Article::byline` (the trailing credit,
//! `记者 刘凯华`, is another thing: `credit`). And the checks on an
//! article's 小标题 and 引语 once its blocks are collected.

use std::path::Path;

use super::chars::ends_sentence;
use super::{error, excerpt, Body, ParagraphKind, SourceError};

/// A subhead heads the text after it, and an article needs body text
/// besides its pull quotes.
pub(super) fn check(
    body: &[Body],
    file: &Path,
    headline: &str,
    headline_line: usize,
) -> Result<(), SourceError> {
    if let Some(last) = body.last().filter(|b| b.kind == ParagraphKind::Subhead) {
        return Err(error(
            file,
            last.line,
            1,
            format!(
                "the 小标题 `### {}` ends its article: a subhead stands before the paragraphs it heads",
                excerpt(&last.text)
            ),
        ));
    }
    if body.iter().all(|b| b.kind != ParagraphKind::Body) {
        return Err(error(
            file,
            headline_line,
            1,
            format!(
                "headline “{}” has only a pull quote: every headline needs at least one paragraph",
                excerpt(headline)
            ),
        ));
    }

    Ok(())
}

/// Prefixes that open a byline when the layout names none (`[source]
/// byline_prefixes`): the 作者 label and the 文/ 文｜ of features, in both
/// the full-width and the folded ASCII forms an extraction leaves.
pub const DEFAULT_BYLINE_PREFIXES: &[&str] = &["作者：", "作者:", "文/", "文／", "文｜", "文|"];

/// A byline holds a name or two, never a paragraph.
const MAX_BYLINE_CHARS: usize = 40;

/// Whether a block of one source line reads as a byline: it opens with a
/// prefix, is short and ends no sentence (a first paragraph that happens
/// to open with `文/` goes on to say something).
pub(super) fn is_byline(text: &str, prefixes: &[String]) -> bool {
    let text = text.trim();
    prefixes
        .iter()
        .any(|p| !p.is_empty() && text.starts_with(p.as_str()) && text.len() > p.len())
        && text.chars().count() <= MAX_BYLINE_CHARS
        && !ends_sentence(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn defaults() -> Vec<String> {
        DEFAULT_BYLINE_PREFIXES
            .iter()
            .map(|p| p.to_string())
            .collect()
    }

    #[test]
    fn a_prefixed_short_line_is_a_byline() {
        let p = defaults();
        assert!(is_byline("作者：本报记者 张三", &p));
        assert!(is_byline("作者:本报记者 张三 通讯员 李四", &p));
        assert!(is_byline("文/王五", &p));
        for not in [
            "作者：",
            "本报记者 张三",
            "文/图 王五说,这是一个很长的句子。",
            "清河晚报讯(记者 王晓岚)11月20日,市政府召开发布会。",
        ] {
            assert!(!is_byline(not, &p), "{not}");
        }
        assert!(!is_byline("作者：张三", &[]), "no prefixes, no byline");
    }
}
