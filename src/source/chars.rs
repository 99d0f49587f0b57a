//! Character rules the source reader decides by: what Chinese prose is,
//! where a sentence ends, when a source line break is a space.
//!
//! The classes underneath (Han, CJK, curly quotes) are the crate's one
//! table in [`crate::chars`]; kept apart from the rules that use them so
//! that the fragment, punctuation and dateline rules agree.

use crate::chars::is_cjk;
pub(crate) use crate::chars::{is_curly_quote, is_han};

/// Whether a character of Chinese prose is Chinese: [`is_cjk`], and the
/// dashes and ellipsis Chinese writes as its own punctuation (`——`, `……`).
///
/// The shaper does not count `— ― …` as CJK, because English uses them
/// too (`said—“no”`); an article is Chinese prose, so here a comma after
/// `……` is folded to `，` and a line break after `——` is not a space.
pub(crate) fn is_cjk_in_prose(c: char) -> bool {
    is_cjk(c) || matches!(c, '\u{2014}' | '\u{2015}' | '\u{2026}')
}

/// Invisible format characters a writer puts in on purpose: U+200B ZERO
/// WIDTH SPACE (a break opportunity), U+200C/U+200D (non-)joiners and U+2060
/// WORD JOINER (no break). They are kept in the text, but the rules look
/// through them: `好。` followed by U+200B still ends a sentence. So do
/// the markers standing for `**` until the spans are read off
/// ([`super::emphasis`]): `**好。**` ends a sentence too.
pub(crate) fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}') || super::emphasis::is_marker(c)
}

/// Characters a sentence may end with.
///
/// The format lists `。！？!?…`; ASCII and full-width full stops are added
/// because a Latin sentence ends with `.`, while a print fragment (cut at a
/// column end) practically never does.
pub(crate) fn is_sentence_final(c: char) -> bool {
    matches!(
        c,
        '。' | '！' | '？' | '!' | '?' | '…' | '⋯' | '．' | '.' | '‼' | '⁇' | '⁈' | '⁉'
    )
}

/// Closing quotes and brackets that may follow the sentence-final mark
/// (`……得心应手。”`).
pub(crate) fn is_trailing_closer(c: char) -> bool {
    matches!(
        c,
        '”' | '’'
            | '"'
            | '\''
            | '）'
            | ')'
            | '】'
            | '》'
            | '」'
            | '』'
            | '〕'
            | '〉'
            | '］'
            | ']'
            | '〗'
            | '〙'
    )
}

/// Whether a block of body text ends a sentence, i.e. is a real paragraph
/// and not a print fragment to be continued by the next block.
pub(crate) fn ends_sentence(text: &str) -> bool {
    // Bounded so that checking a growing paragraph stays linear overall.
    const MAX_CLOSERS: usize = 16;
    match text
        .chars()
        .rev()
        .take(MAX_CLOSERS)
        .find(|&c| !is_trailing_closer(c) && !c.is_whitespace() && !is_invisible(c))
    {
        Some(c) => is_sentence_final(c),
        // Only closers (or nothing): there is no sentence to continue.
        None => true,
    }
}

/// Source-line joining inside one block: a line break between two Han
/// characters is not a space in Chinese, but one between two Latin words is.
pub(crate) fn soft_break_needs_space(before: char, after: char) -> bool {
    let wide = |c: char| is_cjk_in_prose(c) || is_curly_quote(c);
    !wide(before) && !wide(after)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes() {
        let cjk = is_cjk_in_prose;
        assert!(cjk('中') && cjk('，') && cjk('。') && cjk('《') && cjk('𠀀'));
        assert!(cjk('—') && cjk('―') && cjk('…') && cjk('⋯'));
        assert!(!cjk('a') && !cjk('5') && !cjk(',') && !cjk('“') && !cjk('한'));
        assert!(is_han('运') && !is_han('，'));
    }

    #[test]
    fn sentence_end_skips_closers() {
        assert!(ends_sentence("得心应手。”"));
        assert!(ends_sentence("有“温度”。"));
        assert!(ends_sentence("“及时雨”。 "));
        assert!(ends_sentence("好！）"));
        assert!(!ends_sentence("推进“绿色家庭”创建工作"));
        assert!(!ends_sentence("面对群众的诉求,"));
        assert!(!ends_sentence("感慨地说："));
        assert!(!ends_sentence("专项行动方案》"));
        assert!(ends_sentence("”"));
        assert!(ends_sentence("好。\u{200B}"));
        assert!(ends_sentence("好。”\u{2060}"));
        assert!(!ends_sentence("好\u{200B}"));
    }

    #[test]
    fn soft_breaks() {
        assert!(!soft_break_needs_space('进', '行'));
        assert!(!soft_break_needs_space('”', '“'));
        assert!(!soft_break_needs_space('a', '中'));
        assert!(soft_break_needs_space('s', 'P'));
        assert!(soft_break_needs_space('5', 'i'));
    }
}
