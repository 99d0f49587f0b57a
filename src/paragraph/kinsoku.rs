//! 禁则: how bad a break between two units is (CJK-RULES §1, docs/layout.md
//! "Line-start prohibitions by level").
//!
//! The characters are sorted into rows first ([`line_start`], [`line_end`]),
//! then two kinds of rule apply, both typed data rather than conditions
//! spread over the boundary pass:
//! - [`PAIR_RULES`], the prohibition table: what may not end a line, what
//!   may not start one, and pairs that may not be split, each holding from
//!   a [`Prohibition`] level up. [`prohibited`] is the one place that reads it.
//! - [`binding`]: what holds at every level because it is one word, not
//!   a matter of style (`——`, `……`, a number and its postfix sign).

use super::prepare::Unit;
use super::Prohibition;
use crate::chars::{is_inseparable, is_postfix};
use crate::text::CharClass;

/// How bad a break is; the breaker only uses a non-zero tier when a line
/// cannot be made otherwise (penalties rather than booleans, as LuaTeX-ja).
pub(crate) mod tier {
    /// A break opportunity.
    pub const ALLOWED: u8 = 0;
    /// Breaks a rule of the strict level only (G, H at line start).
    pub const STRICT: u8 = 1;
    /// Breaks a rule of the GB level (F, the solidus).
    pub const GB: u8 = 2;
    /// Breaks a basic rule (A–E, I at line start, C at line end, `）（`).
    pub const BASIC: u8 = 3;
    /// No opportunity at all: inside a Latin word or a number, before a space.
    pub const WORD: u8 = 4;
    /// Splits `——` or `……`.
    pub const ATOMIC: u8 = 5;
}

/// Why a character may not start a line: the line-start rows of the
/// prohibition table (CJK-RULES §1, docs/layout.md "Line-start
/// prohibitions by level"). Which level enforces a row is
/// [`PAIR_RULES`]; this only sorts characters into rows. The rows
/// reach past [`CharClass`], which also decides widths: `‼` or `℃` keep
/// their glyph's own width but still may not start a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LineStart {
    /// A: stop and pause marks, and `‼ ⁇ ⁈ ⁉`, which are `！！ ？？ ？！ ！？`
    /// in one character.
    Stop,
    /// B: closing brackets and quotes.
    Closing,
    /// D: a single connector.
    Connector,
    /// E: interpuncts.
    Interpunct,
    /// F: the solidus.
    Solidus,
    /// G/H: the first half of `——` or `……` (the caller knows the pair).
    Pair,
    /// H: one ellipsis or leader character (UAX #14 IN).
    Ellipsis,
    /// I: iteration marks.
    Iteration,
    /// J: a postfix sign (`% ° ℃ ‰`…); after a number it binds at every level.
    Postfix,
    /// `゠`, the Japanese double hyphen, which CSS Text 3 keeps off the
    /// line start at its strict level only.
    DoubleHyphen,
}

/// The line-start row of a character of class `class` (curly quotes
/// resolved), outside a `——`/`……` pair.
pub(crate) fn line_start(class: CharClass, ch: char) -> Option<LineStart> {
    match ch {
        '‼' | '⁇' | '⁈' | '⁉' => return Some(LineStart::Stop),
        '゠' => return Some(LineStart::DoubleHyphen),
        _ if is_inseparable(ch) => return Some(LineStart::Ellipsis),
        _ if is_postfix(ch) => return Some(LineStart::Postfix),
        _ => {}
    }
    match class {
        CharClass::Stop => Some(LineStart::Stop),
        CharClass::Closing => Some(LineStart::Closing),
        CharClass::Connector => Some(LineStart::Connector),
        CharClass::Interpunct => Some(LineStart::Interpunct),
        CharClass::Solidus => Some(LineStart::Solidus),
        CharClass::Iteration => Some(LineStart::Iteration),
        _ => None,
    }
}

/// Why a character may not end a line: the line-end rows of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LineEnd {
    /// C: opening brackets and quotes.
    Opening,
    /// F: the solidus.
    Solidus,
}

/// The line-end row of a character of class `class` (curly quotes resolved).
pub(crate) fn line_end(class: CharClass) -> Option<LineEnd> {
    match class {
        CharClass::Opening => Some(LineEnd::Opening),
        CharClass::Solidus => Some(LineEnd::Solidus),
        _ => None,
    }
}

/// The last character of a number, which a postfix sign binds to:
/// a digit, the full-width ones included (UAX #14 calls `０`–`９` ID).
pub(crate) fn ends_number(class: CharClass, ch: char) -> bool {
    class == CharClass::Digit || ('０'..='９').contains(&ch)
}

/// What a rule looks at before the break: the last visible unit, since
/// trailing spaces and zero-width controls vanish at a line end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Before {
    /// Anything.
    Any,
    /// A character of this line-end row.
    Row(LineEnd),
    /// A character of this class (curly quotes resolved).
    Class(CharClass),
}

/// What a rule looks at after the break: the unit that would start the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum After {
    /// Anything.
    Any,
    /// A character of this line-start row.
    Row(LineStart),
    /// A character of this class (curly quotes resolved).
    Class(CharClass),
}

/// One row of the prohibition table: no break between `before` and
/// `after` from level `from` up; breaking it costs that level's tier and
/// the report names it by `why`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PairRule {
    /// The line end the rule forbids.
    pub before: Before,
    /// The line start the rule forbids.
    pub after: After,
    /// The lowest level at which the rule holds; levels are cumulative.
    pub from: Prohibition,
    /// What the report says when a line had to break the rule.
    pub why: &'static str,
}

const fn rule(before: Before, after: After, from: Prohibition, why: &'static str) -> PairRule {
    PairRule {
        before,
        after,
        from,
        why,
    }
}

/// The prohibition table. Where two rows forbid the same break, the one of
/// the higher tier names it, and among equals the earlier row.
#[rustfmt::skip]
pub(crate) const PAIR_RULES: [PairRule; 13] = {
    use After::Row as Starts;
    use Before::Row as Ends;
    use Prohibition::{Basic, Gb, Strict};
    [
        rule(Before::Any, Starts(LineStart::Stop), Basic, "group A mark at line start"),
        rule(Before::Any, Starts(LineStart::Closing), Basic, "group B closing mark at line start"),
        rule(Before::Any, Starts(LineStart::Connector), Basic, "group D connector at line start"),
        rule(Before::Any, Starts(LineStart::Interpunct), Basic, "group E interpunct at line start"),
        rule(Before::Any, Starts(LineStart::Iteration), Basic, "group I iteration mark at line start"),
        rule(Before::Any, Starts(LineStart::Solidus), Gb, "group F solidus at line start or end"),
        rule(Before::Any, Starts(LineStart::Pair), Strict, "group G/H —— or …… at line start"),
        rule(Before::Any, Starts(LineStart::Ellipsis), Strict, "group H ellipsis or leader at line start"),
        rule(Before::Any, Starts(LineStart::Postfix), Strict, "group J postfix sign at line start"),
        rule(Before::Any, Starts(LineStart::DoubleHyphen), Strict, "double hyphen ゠ at line start"),
        rule(Ends(LineEnd::Opening), After::Any, Basic, "group C opening mark at line end"),
        rule(Ends(LineEnd::Solidus), After::Any, Gb, "group F solidus at line start or end"),
        rule(Before::Class(CharClass::Closing), After::Class(CharClass::Opening), Basic,
            "break between a closing and an opening mark"),
    ]
};

/// Levels in order, so that a row of level `l` holds at every level ≥ `l`.
fn rank(level: Prohibition) -> u8 {
    match level {
        Prohibition::None => 0,
        Prohibition::Basic => 1,
        Prohibition::Gb => 2,
        Prohibition::Strict => 3,
    }
}

/// The tier of breaking a rule of `level`.
fn tier_of(level: Prohibition) -> u8 {
    match level {
        Prohibition::None => tier::ALLOWED,
        Prohibition::Basic => tier::BASIC,
        Prohibition::Gb => tier::GB,
        Prohibition::Strict => tier::STRICT,
    }
}

/// The two sides of a break as the table sees them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Edge {
    /// Class of the last visible unit before the break.
    pub end_class: CharClass,
    /// Its line-end row.
    pub end_row: Option<LineEnd>,
    /// Class of the unit after the break.
    pub start_class: CharClass,
    /// Its line-start row (`Pair` when it begins `——` or `……`).
    pub start_row: Option<LineStart>,
}

impl Edge {
    /// The edge between `end` (the last visible unit before the break) and
    /// `start`; `starts_pair` says `start` begins `——`, `……` or is `⸺`.
    pub fn new(end: &Unit, start: &Unit, starts_pair: bool) -> Self {
        Edge {
            end_class: end.class,
            end_row: line_end(end.class),
            start_class: start.class,
            start_row: if starts_pair {
                Some(LineStart::Pair)
            } else {
                line_start(start.class, start.ch)
            },
        }
    }

    fn matches(&self, r: &PairRule) -> bool {
        let before = match r.before {
            Before::Any => true,
            Before::Row(row) => self.end_row == Some(row),
            Before::Class(class) => self.end_class == class,
        };
        let after = match r.after {
            After::Any => true,
            After::Row(row) => self.start_row == Some(row),
            After::Class(class) => self.start_class == class,
        };
        before && after
    }
}

/// The worst rule of the table that a break at `edge` breaks at `level`:
/// its tier and its name. `None` when the table allows the break.
pub(crate) fn prohibited(level: Prohibition, edge: &Edge) -> Option<(u8, &'static str)> {
    let mut worst: Option<(u8, &'static str)> = None;
    for r in PAIR_RULES.iter().filter(|r| edge.matches(r)) {
        if rank(level) >= rank(r.from) && worst.is_none_or(|(t, _)| tier_of(r.from) > t) {
            worst = Some((tier_of(r.from), r.why));
        }
    }
    worst
}

/// What holds at every level between the unit `a` just before a break and
/// `c` just after it: `——` and `……` are one mark (ATOMIC), and a number
/// is one word with its digits and its postfix sign (GB/T 15835; full-width
/// digits too, which UAX #14 would break like ideographs).
pub(crate) fn binding(a: &Unit, c: &Unit) -> Option<(u8, &'static str)> {
    let dash_pair = a.ch == '—' && c.ch == '—';
    let ellipsis_pair = is_inseparable(a.ch) && is_inseparable(c.ch);
    if dash_pair || ellipsis_pair {
        Some((tier::ATOMIC, "splits —— or ……"))
    } else if ends_number(a.class, a.ch) && is_postfix(c.ch) {
        Some((tier::WORD, "postfix sign after its number"))
    } else if ends_number(a.class, a.ch) && ends_number(c.class, c.ch) {
        Some((tier::WORD, "inside a word or number"))
    } else {
        None
    }
}

/// Whether `c` begins `——` or `……` (or is `⸺`), which may not start a
/// line at the strict level. `——` may be one cluster (Noto joins the
/// dashes, so `c_text` holds both) or two (other fonts).
pub(crate) fn starts_pair(c: &Unit, c_text: &str, next: Option<&Unit>) -> bool {
    (c.ch == '—' && (c_text.chars().count() > 1 || next.is_some_and(|u| u.ch == '—')))
        || (is_inseparable(c.ch) && next.is_some_and(|u| is_inseparable(u.ch)))
        || c.ch == '⸺'
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edge(end: CharClass, start: CharClass, start_row: Option<LineStart>) -> Edge {
        Edge {
            end_class: end,
            end_row: line_end(end),
            start_class: start,
            start_row,
        }
    }

    #[test]
    fn every_row_has_a_rule() {
        use LineStart::*;
        for row in [
            Stop,
            Closing,
            Connector,
            Interpunct,
            Solidus,
            Pair,
            Ellipsis,
            Iteration,
            Postfix,
            DoubleHyphen,
        ] {
            assert!(
                PAIR_RULES.iter().any(|r| r.after == After::Row(row)),
                "{row:?}"
            );
        }
        for row in [LineEnd::Opening, LineEnd::Solidus] {
            assert!(PAIR_RULES.iter().any(|r| r.before == Before::Row(row)));
        }
    }

    #[test]
    fn rules_hold_from_their_level_up() {
        let comma = edge(CharClass::Han, CharClass::Stop, Some(LineStart::Stop));
        assert_eq!(prohibited(Prohibition::None, &comma), None);
        for level in [Prohibition::Basic, Prohibition::Gb, Prohibition::Strict] {
            assert_eq!(
                prohibited(level, &comma),
                Some((tier::BASIC, "group A mark at line start"))
            );
        }
        let dashes = edge(CharClass::Han, CharClass::Connector, Some(LineStart::Pair));
        assert_eq!(prohibited(Prohibition::Gb, &dashes), None);
        assert_eq!(
            prohibited(Prohibition::Strict, &dashes).map(|r| r.0),
            Some(tier::STRICT)
        );
        let solidus = edge(CharClass::Han, CharClass::Solidus, Some(LineStart::Solidus));
        assert_eq!(prohibited(Prohibition::Basic, &solidus), None);
        assert_eq!(
            prohibited(Prohibition::Gb, &solidus).map(|r| r.0),
            Some(tier::GB)
        );
    }

    #[test]
    fn the_worst_rule_names_the_break() {
        // `（` at a line end (basic) before `——` (strict): the basic rule.
        let e = edge(
            CharClass::Opening,
            CharClass::Connector,
            Some(LineStart::Pair),
        );
        assert_eq!(
            prohibited(Prohibition::Strict, &e),
            Some((tier::BASIC, "group C opening mark at line end"))
        );
        // `）（`: neither mark alone forbids the break, the pair does.
        let e = edge(CharClass::Closing, CharClass::Opening, None);
        assert_eq!(
            prohibited(Prohibition::Basic, &e),
            Some((tier::BASIC, "break between a closing and an opening mark"))
        );
        assert_eq!(prohibited(Prohibition::None, &e), None);
    }
}
