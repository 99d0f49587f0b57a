//! The boundaries pass of `prepare`: for each pair of neighbouring units,
//! the tier of breaking there (UAX #14 and [`super::kinsoku`]), whether a
//! line must end there, the blank two adjacent marks share (CJK-RULES §2
//! rule 1), the Han–Latin / Han–digit gap (§3) and whether justification
//! may spread there (§4).

use unicode_linebreak::linebreaks;

use super::kinsoku::{self, tier, Edge};
use super::prepare::{Bound, PushIn, Unit};
use super::{ParagraphSettings, Prohibition, PunctStyle};
use crate::chars::is_cjk;
use crate::text::{CharClass, Cluster};

/// `bounds[b]` for `b` in `0..=n`; 0 and n, the paragraph's edges, stay
/// at their defaults.
pub(super) fn bounds(
    text: &str,
    clusters: &[Cluster],
    units: &[Unit],
    settings: &ParagraphSettings,
) -> Vec<Bound> {
    let n = units.len();
    let mut bounds: Vec<Bound> = vec![Bound::default(); n + 1];
    let uax14 = uax14_opportunities(text, clusters, units);
    // The last visible unit before a boundary: trailing spaces (and
    // zero-width controls) vanish at a line end, so the line-end rules look
    // through them.
    let mut before_spaces = 0usize;
    for b in 1..n {
        let a = &units[b - 1];
        let c = &units[b];
        if !matches!(a.class, CharClass::Space | CharClass::Control) {
            before_spaces = b - 1;
        }
        let end = &units[before_spaces];
        // The boundary before `a` already removed `a`'s trailing blank.
        let a_rb_taken = b >= 2 && bounds[b - 1].cut_next_rb;
        let starts_pair =
            kinsoku::starts_pair(c, &text[clusters[b].range.clone()], units.get(b + 1));
        let bd = &mut bounds[b];
        let (t, rule) = break_tier(a, c, end, starts_pair, uax14[b], settings.prohibition);
        bd.tier = t;
        bd.rule = rule;
        bd.mandatory = is_mandatory(a, c);
        if bd.mandatory {
            bd.tier = tier::ALLOWED;
            bd.rule = None;
        }
        // Kaiming and banjiao have already removed every removable blank
        // but those of 。？！.
        if settings.punct == PunctStyle::Quanjiao {
            adjacent_marks(bd, a, c, a_rb_taken);
        }
        gap(bd, a, c, settings);
        // Justification spreads between characters, never inside `——`,
        // `……` (ATOMIC), a Latin word or a number (WORD), nor next to a
        // space (the space itself stretches).
        bd.spread = !(t >= tier::WORD
            || a.class == CharClass::Control
            || c.class == CharClass::Control
            || a.class == CharClass::Space
            || c.class == CharClass::Space);
    }
    bounds
}

/// UAX #14 opportunities at cluster starts, needed only between two
/// non-Chinese units: run it over each stretch of such units alone.
fn uax14_opportunities(text: &str, clusters: &[Cluster], units: &[Unit]) -> Vec<bool> {
    let n = units.len();
    let mut ulb = vec![false; n + 1];
    let mut k = 0usize;
    while k < n {
        if units[k].cjk {
            k += 1;
            continue;
        }
        let first = k;
        while k < n && !units[k].cjk {
            k += 1;
        }
        if k - first < 2 {
            continue;
        }
        let base = clusters[first].range.start;
        let stretch = &text[base..clusters[k - 1].range.end];
        let mut u = first;
        for (pos, _) in linebreaks(stretch) {
            let pos = base + pos;
            while u < k && clusters[u].range.start < pos {
                u += 1;
            }
            if u < k && clusters[u].range.start == pos {
                ulb[u] = true;
            }
        }
    }
    ulb
}

/// The tier of a break between `a` and `c` and the rule it breaks: the
/// base opportunity, raised by what binds at every level, then by the
/// prohibition table. `end` is the last visible unit before the break.
fn break_tier(
    a: &Unit,
    c: &Unit,
    end: &Unit,
    starts_pair: bool,
    uax14: bool,
    level: Prohibition,
) -> (u8, Option<&'static str>) {
    let (mut t, mut rule) = opportunity(a, c, uax14);
    let mut raise = |found: Option<(u8, &'static str)>| {
        if let Some((level, why)) = found {
            if level > t {
                t = level;
                rule = Some(why);
            }
        }
    };
    raise(kinsoku::binding(a, c));
    // A zero-width break opportunity the author typed (U+200B) lifts the
    // table; what binds at every level still holds.
    if a.class != CharClass::Control {
        raise(kinsoku::prohibited(level, &Edge::new(end, c, starts_pair)));
    }
    (t, rule)
}

/// Whether a break between `a` and `c` is possible before any rule of
/// style: Chinese text breaks anywhere the prohibition table allows;
/// elsewhere UAX #14 (`uax14`) decides.
fn opportunity(a: &Unit, c: &Unit, uax14: bool) -> (u8, Option<&'static str>) {
    if is_glue(a.ch) || is_glue(c.ch) {
        // No-break space, word joiner: never a break (UAX #14 GL, WJ).
        (tier::WORD, Some("no-break space or word joiner"))
    } else if matches!(
        c.class,
        CharClass::Space | CharClass::Mark | CharClass::Control
    ) {
        (
            tier::WORD,
            Some("no break before a space, control or combining mark"),
        )
    } else if a.class == CharClass::Control
        || a.class == CharClass::Space
        || a.cjk
        || c.cjk
        || uax14
    {
        (tier::ALLOWED, None)
    } else {
        (tier::WORD, Some("inside a word or number"))
    }
}

fn is_glue(ch: char) -> bool {
    matches!(
        ch,
        '\u{A0}' | '\u{202F}' | '\u{2007}' | '\u{2060}' | '\u{FEFF}' | '\u{2011}' | '\u{180E}'
    )
}

/// A line feed, paragraph/line separator, or a CR not before LF forces a
/// break after it (UAX #14 BK, CR, LF, NL).
fn is_mandatory(a: &Unit, c: &Unit) -> bool {
    a.class == CharClass::Control
        && (matches!(
            a.ch,
            '\n' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}'
        ) || (a.ch == '\r' && c.ch != '\n'))
}

/// Adjacent marks share one blank (CJK-RULES §2 rule 1), quanjiao only.
fn adjacent_marks(bd: &mut Bound, a: &Unit, c: &Unit, a_rb_taken: bool) {
    let c_ink_left = matches!(c.class, CharClass::Stop | CharClass::Closing);
    // In `！？」` the pair rule already took `？`'s blank: the closing mark
    // after it finds none to share, and counting it twice made the line
    // half an em wider than the breaker thought (issue 12 item 15).
    let a_rb = if a_rb_taken { 0.0 } else { a.rb };
    if a_rb > 0.0 && is_qe(a.ch) && is_qe(c.ch) && c.rb > 0.0 {
        bd.cut_prev_rb = true;
        bd.cut_next_rb = true;
    } else if a_rb > 0.0 && (c_ink_left || c.lb > 0.0) {
        bd.cut_prev_rb = true;
    } else if a.class == CharClass::Opening && c.lb > 0.0 {
        bd.cut_next_lb = true;
    }
    bd.cut = (if bd.cut_prev_rb { a.rb } else { 0.0 })
        + (if bd.cut_next_lb { c.lb } else { 0.0 })
        + (if bd.cut_next_rb { c.rb } else { 0.0 });
}

fn is_qe(ch: char) -> bool {
    matches!(ch, '？' | '！')
}

/// Han–Latin and Han–digit gaps (CJK-RULES §3).
fn gap(bd: &mut Bound, a: &Unit, c: &Unit, settings: &ParagraphSettings) {
    let han = |u: &Unit| matches!(u.class, CharClass::Han | CharClass::Iteration) && is_cjk(u.ch);
    let latin = |u: &Unit| u.class == CharClass::Latin && u.ch.is_alphabetic();
    let digit = |u: &Unit| u.class == CharClass::Digit;
    let gap_em = if (han(a) && latin(c)) || (latin(a) && han(c)) {
        settings.han_latin_gap
    } else if (han(a) && digit(c)) || (digit(a) && han(c)) {
        settings.han_digit_gap
    } else {
        0.0
    };
    if gap_em > 0.0 {
        let g = gap_em.max(0.0) * a.em.max(c.em);
        bd.gap = g;
        bd.gap_min = g * 0.5;
        bd.gap_max = g * 4.0 / 3.0;
    }
}

/// Mid-line push-in capacity: the blanks left after the adjacent-mark rule.
pub(super) fn push_in_capacity(units: &mut [Unit], bounds: &[Bound]) {
    let n = units.len();
    for k in 0..n {
        if units[k].push_in == PushIn::None {
            continue;
        }
        let lcut = k > 0 && bounds[k].cut_next_lb;
        let rcut = (k + 1 < n && bounds[k + 1].cut_prev_rb) || (k > 0 && bounds[k].cut_next_rb);
        let u = &mut units[k];
        u.push_cap = (if lcut { 0.0 } else { u.lb }) + (if rcut { 0.0 } else { u.rb });
    }
}
