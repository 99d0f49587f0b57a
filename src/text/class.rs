//! Character classes for Chinese composition: the punctuation groups of
//! CJK-RULES §1–3 (clreq §3.1 "Punctuation marks", GB/T 15834-2011),
//! shared by shaping (which marks get a forced width) and the paragraph
//! engine (breaks, compression, spacing). What a character is on its own
//! (Han, CJK, a curly quote) comes from [`crate::chars`]; which group may
//! not start or end a line is `paragraph::kinsoku`'s table.
//!
//! Classes are decided per character from a small override table on top of
//! the UAX #14 line-break class: unicode-linebreak 0.1.5 calls `“”‘’` QU,
//! `·` AI and `～` ID, which is wrong for Chinese text (DESIGN §5).

use unicode_linebreak::{break_property, BreakClass};

/// Whether a character is simple enough to take its glyph from a per-face
/// cache instead of a shaping call: a Han ideograph (no ligatures, no
/// context in horizontal text). Callers must also check that no variation
/// selector follows.
pub use crate::chars::is_han as is_simple_han;
pub use crate::chars::{is_cjk, is_curly_quote};

/// What a character is for Chinese line composition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CharClass {
    /// Ideographs, kana, hangul and other characters set solid on the grid.
    Han,
    /// Group A: `、，。．；：？！` — ink at the left, never start a line.
    Stop,
    /// Group B: closing brackets and quotes — ink at the left, never start a line.
    Closing,
    /// Group C: opening brackets and quotes — ink at the right, never end a line.
    Opening,
    /// Group D: `– ‐ - —`(single) `～` — never start a line.
    Connector,
    /// Group E: `· ‧ ・` — never start a line; ½ em centred.
    Interpunct,
    /// Group F: `／ /` — neither start nor end a line (GB level).
    Solidus,
    /// Group H: `…` `⋯` — paired into an atomic two-em unit.
    Ellipsis,
    /// Group I: `々 〃` — never start a line.
    Iteration,
    /// Latin letters and every other non-CJK character.
    Latin,
    /// Digits (and the separators/affixes UAX #14 binds to numbers).
    Digit,
    /// A breaking space.
    Space,
    /// A mandatory line break or another control character (no glyph).
    Control,
    /// A combining mark, variation selector or joiner: belongs to the previous character.
    Mark,
}

impl CharClass {
    /// Full-width punctuation with a removable half-em blank (CJK-RULES §2).
    pub fn is_compressible(self) -> bool {
        matches!(
            self,
            CharClass::Stop | CharClass::Closing | CharClass::Opening
        )
    }

    /// Chinese punctuation (anything of groups A–I).
    pub fn is_cjk_punct(self) -> bool {
        matches!(
            self,
            CharClass::Stop
                | CharClass::Closing
                | CharClass::Opening
                | CharClass::Connector
                | CharClass::Interpunct
                | CharClass::Solidus
                | CharClass::Ellipsis
                | CharClass::Iteration
        )
    }
}

/// The class of a character on its own. Curly quotes come out as
/// [`CharClass::Latin`]; call [`class_in_context`] to resolve them.
pub fn class_of(ch: char) -> CharClass {
    match ch {
        '、' | '，' | '。' | '．' | '；' | '：' | '？' | '！' | '｡' | '､' => {
            CharClass::Stop
        }
        '）' | '〕' | '］' | '｝' | '】' | '〗' | '》' | '〉' | '」' | '』' | '〙' | '〛'
        | '〞' | '〟' | '｠' | '｣' => CharClass::Closing,
        '（' | '〔' | '［' | '｛' | '【' | '〖' | '《' | '〈' | '「' | '『' | '〘' | '〚'
        | '〝' | '｟' | '｢' => CharClass::Opening,
        '–' | '‐' | '-' | '—' | '～' | '〜' | '－' => CharClass::Connector,
        '·' | '‧' | '・' | '･' => CharClass::Interpunct,
        '／' | '/' => CharClass::Solidus,
        '…' | '⋯' | '⸺' => CharClass::Ellipsis,
        '々' | '〃' | '〻' | 'ゝ' | 'ゞ' | 'ヽ' | 'ヾ' => CharClass::Iteration,
        '\u{3000}' => CharClass::Han,
        _ => class_from_uax14(ch),
    }
}

fn class_from_uax14(ch: char) -> CharClass {
    let cp = ch as u32;
    // Variation selectors and joiners ride on the previous character.
    if matches!(cp, 0xFE00..=0xFE0F | 0xE0100..=0xE01EF | 0x200C | 0x200D) {
        return CharClass::Mark;
    }
    match break_property(cp) {
        BreakClass::Mandatory
        | BreakClass::CarriageReturn
        | BreakClass::LineFeed
        | BreakClass::NextLine => CharClass::Control,
        BreakClass::CombiningMark | BreakClass::ZeroWidthJoiner => {
            if ch.is_control() {
                CharClass::Control
            } else {
                CharClass::Mark
            }
        }
        BreakClass::Space => CharClass::Space,
        BreakClass::ZeroWidthSpace | BreakClass::WordJoiner => CharClass::Control,
        BreakClass::Numeric => CharClass::Digit,
        BreakClass::Ideographic
        | BreakClass::ConditionalJapaneseStarter
        | BreakClass::HangulLvSyllable
        | BreakClass::HangulLvtSyllable
        | BreakClass::HangulLJamo
        | BreakClass::HangulVJamo
        | BreakClass::HangulTJamo => CharClass::Han,
        // Full-width forms of opening/closing punctuation not listed above.
        BreakClass::OpenPunctuation if is_wide(cp) => CharClass::Opening,
        BreakClass::ClosePunctuation | BreakClass::CloseParenthesis if is_wide(cp) => {
            CharClass::Closing
        }
        _ if ch.is_control() => CharClass::Control,
        _ => CharClass::Latin,
    }
}

fn is_wide(cp: u32) -> bool {
    matches!(cp, 0x2E80..=0x9FFF | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6)
}

/// The class of `text[at]` given its neighbours: curly quotes between
/// Chinese text are opening/closing marks (DESIGN §5, as Typst does), inside
/// Latin text they stay Latin.
pub fn class_in_context(text: &str, at: usize, ch: char) -> CharClass {
    if is_curly_quote(ch) {
        if quote_is_cjk(text, at, ch) {
            return if matches!(ch, '“' | '‘') {
                CharClass::Opening
            } else {
                CharClass::Closing
            };
        }
        return CharClass::Latin;
    }
    class_of(ch)
}

/// A curly quote is Chinese when the nearest non-quote character on either
/// side is Chinese; `“hello”` inside a Chinese sentence therefore gets
/// full-width quotes, `don’t` keeps the Latin apostrophe.
pub fn quote_is_cjk(text: &str, at: usize, ch: char) -> bool {
    let before = text[..at].chars().rev().find(|&c| !is_curly_quote(c));
    let after = text[at + ch.len_utf8()..]
        .chars()
        .find(|&c| !is_curly_quote(c));
    before.is_some_and(is_cjk) || after.is_some_and(is_cjk)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_of_the_prohibition_table() {
        for ch in "、，。．；：？！".chars() {
            assert_eq!(class_of(ch), CharClass::Stop, "{ch}");
        }
        for ch in "）〕］｝】〗》〉」』".chars() {
            assert_eq!(class_of(ch), CharClass::Closing, "{ch}");
        }
        for ch in "（〔［｛【〖《〈「『".chars() {
            assert_eq!(class_of(ch), CharClass::Opening, "{ch}");
        }
        assert_eq!(class_of('～'), CharClass::Connector);
        assert_eq!(class_of('·'), CharClass::Interpunct);
        assert_eq!(class_of('々'), CharClass::Iteration);
        assert_eq!(class_of('〃'), CharClass::Iteration);
        assert_eq!(class_of('中'), CharClass::Han);
        assert_eq!(class_of('7'), CharClass::Digit);
        assert_eq!(class_of('a'), CharClass::Latin);
        assert_eq!(class_of(' '), CharClass::Space);
        assert_eq!(class_of('\n'), CharClass::Control);
    }

    #[test]
    fn curly_quotes_follow_their_neighbours() {
        let s = "说“好”。";
        let open = s.find('“').unwrap();
        let close = s.find('”').unwrap();
        assert_eq!(class_in_context(s, open, '“'), CharClass::Opening);
        assert_eq!(class_in_context(s, close, '”'), CharClass::Closing);
        let s = "don’t";
        assert_eq!(class_in_context(s, 3, '’'), CharClass::Latin);
        let s = "他说“‘绿’”";
        let q = s.find('‘').unwrap();
        assert_eq!(class_in_context(s, q, '‘'), CharClass::Opening);
    }
}
