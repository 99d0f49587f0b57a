//! Character classes the source reader decides by.
//!
//! Kept apart from the rules that use them so that the fragment, punctuation
//! and dateline rules agree on what "CJK" means.

/// Characters that set on the CJK em box: ideographs, kana, CJK symbols and
/// full-width forms, and the two dashes/ellipsis Chinese text uses as its
/// own punctuation. Hangul is left out on purpose: Korean is written with
/// ASCII punctuation, so a comma next to Hangul must stay ASCII.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{2014}' | '\u{2015}' | '\u{2026}' | '\u{22EF}'
        | '\u{2E80}'..='\u{2FDF}'   // radicals
        | '\u{3000}'..='\u{303F}'   // CJK symbols and punctuation
        | '\u{3040}'..='\u{30FF}'   // kana
        | '\u{3100}'..='\u{312F}'   // bopomofo
        | '\u{31A0}'..='\u{31FF}'   // bopomofo ext, strokes, kana ext
        | '\u{3200}'..='\u{33FF}'   // enclosed, compatibility
        | '\u{FE30}'..='\u{FE4F}'   // compatibility forms
        | '\u{FF00}'..='\u{FFEF}'   // full-width and half-width forms
    ) || is_han(c)
}

/// Han ideographs only (unified, extensions, compatibility).
pub(crate) fn is_han(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{3FFFF}'
    )
}

/// Curly quotes are shared by Chinese and Western text, so on their own
/// they say nothing about which script surrounds them.
pub(crate) fn is_curly_quote(c: char) -> bool {
    matches!(c, '“' | '”' | '‘' | '’')
}

/// Invisible format characters a writer puts in on purpose: U+200B ZERO
/// WIDTH SPACE (a break opportunity), U+200C/U+200D (non-)joiners and U+2060
/// WORD JOINER (no break). They are kept in the text, but the rules look
/// through them: `好。` followed by U+200B still ends a sentence.
pub(crate) fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}')
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
    let wide = |c: char| is_cjk(c) || is_curly_quote(c);
    !wide(before) && !wide(after)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes() {
        assert!(is_cjk('中') && is_cjk('，') && is_cjk('。') && is_cjk('《') && is_cjk('𠀀'));
        assert!(!is_cjk('a') && !is_cjk('5') && !is_cjk(',') && !is_cjk('“') && !is_cjk('한'));
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
