//! Unicode facts about single characters that the source reader, shaping
//! and the paragraph engine must agree on: what is a Han ideograph, what
//! makes a neighbourhood Chinese, which marks both scripts share.
//!
//! Below every stage and using no other module of the crate, so that
//! "CJK" means one thing from the article file to the line breaker. Rules
//! that *use* these classes (sentence ends, folded punctuation, the
//! prohibition table, punctuation widths) stay with their stage.
//!
//! Until issue 13 `is_cjk` existed twice and the two disagreed. Each
//! disagreement was decided here, in the comments of [`is_cjk`]; none of
//! the decisions changes the four reference editions.

use unicode_script::{Script, UnicodeScript};

/// Han ideographs only: the unified blocks and extensions A–H and the
/// compatibility ideographs.
///
/// Explicit ranges rather than `Script::Han`, which also takes in `々 〇 〻`,
/// the Kangxi radicals and the Suzhou numerals: the shaper caches a Han
/// glyph per face on the strength of this answer (no context, no ligature),
/// and the credit and dateline rules count ideographs, not symbols.
pub fn is_han(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{3FFFF}'
    )
}

/// Hangul in any block (jamo, syllables, compatibility and half-width jamo,
/// the parenthesised and circled forms): the script says it, not a range.
pub fn is_hangul(c: char) -> bool {
    c.script() == Script::Hangul
}

/// Curly quotes are shared by Chinese and Western text, so on their own
/// they say nothing about which script surrounds them (CJK-RULES §3).
pub fn is_curly_quote(c: char) -> bool {
    matches!(c, '“' | '”' | '‘' | '’')
}

/// A character that sets on the CJK em box and makes its neighbourhood
/// Chinese: ideographs, kana, bopomofo, CJK symbols and punctuation,
/// full-width forms, and the marks only Chinese and Japanese use.
///
/// Decisions, where the source reader's and the shaper's old copies
/// disagreed:
/// - **Dashes and the ellipsis** (`— ― …`): not CJK. English uses them
///   too, like curly quotes, and the shaper must keep `said—“no”` Latin.
///   The source reader, which reads Chinese prose, adds them back in
///   `source::chars::is_cjk_in_prose`. The midline ellipsis `⋯`, the
///   two-em dash `⸺` and the Taiwanese interpunct `‧` are Chinese only
///   and count.
/// - **Hangul**: not CJK. Korean is written with word spaces and ASCII
///   punctuation: a comma next to Hangul stays ASCII, a space between two
///   Korean words is a word space and not an em cell. (The shaper's copy
///   said yes because UAX #14 calls syllables H2/H3; breaks between
///   syllables still come from UAX #14.)
/// - **Hyphen and en dash** (`‐ –`): not CJK. The shaper's copy said yes
///   only because its connector class, meant for Chinese `～ —`, lists
///   them; in Chinese text the prohibition table still keeps them off a
///   line start.
/// - **Emoji and pictographs, Yi, Tangut, Nüshu, Khitan**: not CJK (the
///   shaper's copy followed UAX #14 class ID, which lists them); none of
///   them is Chinese text.
/// - **Kana outside the main blocks** (the kana supplement and extensions),
///   **kanbun**, **ideographic description characters**, **small form
///   variants** `﹑﹘` and the **full-width signs** `￥ ￦`: CJK, by script or
///   by block, as each copy had some of them.
pub fn is_cjk(c: char) -> bool {
    if is_han(c) {
        return true;
    }
    if (c as u32) < 0x2000 {
        return false;
    }
    let by_block = matches!(c,
        '\u{2027}' | '\u{22EF}' | '\u{2E3A}'
        | '\u{2E80}'..='\u{2FFF}'   // radicals, ideographic description
        | '\u{3000}'..='\u{303F}'   // CJK symbols and punctuation
        | '\u{3040}'..='\u{30FF}'   // kana
        | '\u{3100}'..='\u{33FF}'   // bopomofo, kanbun, strokes, enclosed, compatibility
        | '\u{FE30}'..='\u{FE6F}'   // compatibility and small form variants
        | '\u{FF00}'..='\u{FFEF}'   // full-width and half-width forms
    );
    if by_block {
        return !is_hangul(c);
    }
    matches!(
        c.script(),
        Script::Hiragana | Script::Katakana | Script::Bopomofo
    )
}

/// Ellipses and leaders, UAX #14 class IN: `․ ‥ … ⋯ ︙` and the
/// Manichaean line filler. Two in a row are one mark and never split.
pub fn is_inseparable(ch: char) -> bool {
    matches!(
        ch,
        '\u{2024}' | '\u{2025}' | '\u{2026}' | '\u{22EF}' | '\u{FE19}' | '\u{10AF6}'
    )
}

/// Postfix signs: UAX #14 PO of East Asian width A, F or W (the W3C
/// `line-break: strict` list), with the ASCII `%` and `¢`.
pub fn is_postfix(ch: char) -> bool {
    matches!(
        ch,
        '%' | '¢' | '°' | '‰' | '′' | '″' | '‵' | '℃' | '℉' | '﹪' | '％' | '￠'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn han_is_ideographs_only() {
        assert!(is_han('运') && is_han('𠀀') && is_han('﨑'));
        assert!(!is_han('，') && !is_han('々') && !is_han('〇') && !is_han('⺀'));
    }

    #[test]
    fn cjk_decisions() {
        for c in "中，。《》、（）「」々〇ぁアㄅ⺀⿰㈠㌀﹑￥Ａ１⋯⸺‧𛀁".chars()
        {
            assert!(is_cjk(c), "{c} is CJK");
        }
        // Shared with Western text, Korean, pictographs, other scripts.
        for c in "a5,“”‘’—―…·‐–한ㄱ㈀ﾡ😀☀ꀀ𗀀".chars() {
            assert!(!is_cjk(c), "{c} is not CJK");
        }
    }

    #[test]
    fn hangul_by_script() {
        assert!(is_hangul('한') && is_hangul('ㄱ') && is_hangul('ᄀ') && is_hangul('ﾡ'));
        assert!(!is_hangul('中') && !is_hangul('ア'));
    }
}
