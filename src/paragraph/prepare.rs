//! `prepare`: shaped clusters → the widths, blanks, gaps and break penalties
//! the breaker works on.
//!
//! One unit per cluster. Each unit has a natural box width and the
//! removable half-em blanks of a full-width mark (CJK-RULES §2); each
//! boundary between two units has the compression that applies when both
//! sit on the same line (§2 rule 1), the Han–Latin / Han–digit gap (§3), a
//! break penalty tier from the prohibition table (§1) and whether
//! justification may spread there (§4). Prefix sums make the width of any
//! candidate line an O(1) question for the total-fit pass.

use unicode_linebreak::linebreaks;

use super::{ParagraphSettings, Prohibition, PunctStyle};
use crate::text::class::{
    ends_number, is_cjk, is_inseparable, is_postfix, line_end, line_start, LineEnd, LineStart,
};
use crate::text::{CharClass, ShapedText};

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

/// The prohibition table (CJK-RULES §1, docs/layout.md "Line-start
/// prohibitions by level"): from which level each row holds and what the
/// report says when a line had to break it. Levels are cumulative, and
/// breaking a row costs the tier of its level. Rules that are not about
/// one character at a line edge stay in `prepare`: `——`/`……` and numbers
/// never split (any level), no break inside `）（` (basic).
#[rustfmt::skip]
const LINE_START_RULES: [(LineStart, Prohibition, &str); 10] = [
    (LineStart::Stop, Prohibition::Basic, "group A mark at line start"),
    (LineStart::Closing, Prohibition::Basic, "group B closing mark at line start"),
    (LineStart::Connector, Prohibition::Basic, "group D connector at line start"),
    (LineStart::Interpunct, Prohibition::Basic, "group E interpunct at line start"),
    (LineStart::Iteration, Prohibition::Basic, "group I iteration mark at line start"),
    (LineStart::Solidus, Prohibition::Gb, "group F solidus at line start or end"),
    (LineStart::Pair, Prohibition::Strict, "group G/H —— or …… at line start"),
    (LineStart::Ellipsis, Prohibition::Strict, "group H ellipsis or leader at line start"),
    (LineStart::Postfix, Prohibition::Strict, "group J postfix sign at line start"),
    (LineStart::DoubleHyphen, Prohibition::Strict, "double hyphen ゠ at line start"),
];

#[rustfmt::skip]
const LINE_END_RULES: [(LineEnd, Prohibition, &str); 2] = [
    (LineEnd::Opening, Prohibition::Basic, "group C opening mark at line end"),
    (LineEnd::Solidus, Prohibition::Gb, "group F solidus at line start or end"),
];

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

/// A mid-line blank that push-in may remove (CJK-RULES §4 shrink order).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PushIn {
    None,
    /// Brackets and quotes to ½ em.
    Bracket,
    /// `，、；：` to ½ em.
    Comma,
}

#[derive(Debug, Clone)]
pub(crate) struct Unit {
    pub class: CharClass,
    /// First character of the cluster.
    pub ch: char,
    /// Natural box width in pt (after the punctuation style).
    pub w: f32,
    /// Removable blank on the left (opening marks), pt.
    pub lb: f32,
    /// Removable blank on the right (stops, closing marks), pt.
    pub rb: f32,
    /// Offset from the box start to the cluster's pen position, pt (an
    /// opening mark whose left blank the style removed draws ½ em earlier).
    pub dx: f32,
    /// For spaces: the narrowest and widest the space may be set.
    pub min: f32,
    pub max: f32,
    /// A character that counts for 孤字 (not a mark, space or control).
    pub counts: bool,
    pub push_in: PushIn,
    /// Push-in capacity left after the adjacent-mark rule, pt.
    pub push_cap: f32,
    /// The unit's em (its font size), pt.
    pub em: f32,
    /// Chinese for break purposes (see [`cjk_side`]).
    pub cjk: bool,
}

/// The boundary before unit `b` (between `b-1` and `b`).
#[derive(Debug, Clone, Default)]
pub(crate) struct Bound {
    /// Unit `b-1` loses its right blank when both are on one line.
    pub cut_prev_rb: bool,
    /// Unit `b` loses its left blank when both are on one line.
    pub cut_next_lb: bool,
    /// Unit `b` loses its right blank as well (`？！` pairs take one em).
    pub cut_next_rb: bool,
    /// Width removed by the cuts above, pt.
    pub cut: f32,
    /// Han–Latin / Han–digit gap: natural, narrowest, widest (pt).
    pub gap: f32,
    pub gap_min: f32,
    pub gap_max: f32,
    /// Justification may add space here.
    pub spread: bool,
    pub tier: u8,
    /// A rule that forbids breaking here (for the report).
    pub rule: Option<&'static str>,
    /// A line must end here (after a newline).
    pub mandatory: bool,
}

/// Everything the breaker and the committer need, with prefix sums.
pub(crate) struct Prep {
    pub units: Vec<Unit>,
    /// `bounds[b]` for `b` in `0..=n`; 0 and n are the paragraph edges.
    pub bounds: Vec<Bound>,
    /// The paragraph's em (first cluster's size), for the indent and costs.
    pub em: f32,
    /// Prefix sums, `n + 1` rows.
    pub rows: Vec<Row>,
    /// `trail[j]`: the first unit of the run of spaces ending at `j-1`
    /// (== j when unit j-1 is not a space).
    pub trail: Vec<u32>,
}

/// One row of prefix sums: unit quantities summed over units `0..k`,
/// boundary quantities over bounds `1..=k`. One row per index keeps the
/// breaker's inner loop on one or two cache lines.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Row {
    pub w: f64,
    pub sp_shrink: f64,
    pub sp_stretch: f64,
    pub bracket: f64,
    pub comma: f64,
    pub cut: f64,
    pub gap: f64,
    pub gap_shrink: f64,
    pub gap_stretch: f64,
    pub counts: u32,
    pub spread: u32,
}

/// Totals over a candidate line `i..j`: unit quantities over units `i..j`,
/// boundary quantities over the bounds strictly inside (`i+1..=j-1`).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Totals {
    /// Natural width: unit widths − adjacent-mark cuts + gaps.
    pub natural: f64,
    pub sp_shrink: f64,
    pub sp_stretch: f64,
    pub bracket: f64,
    pub comma: f64,
    pub gap_shrink: f64,
    pub gap_stretch: f64,
    pub spread: u32,
    pub counts: u32,
}

impl Prep {
    #[inline]
    pub fn totals(&self, i: usize, j: usize) -> Totals {
        let (a, b) = (&self.rows[i], &self.rows[j]);
        let inner = if j > i + 1 { self.rows[j - 1] } else { *a };
        Totals {
            natural: (b.w - a.w) - (inner.cut - a.cut) + (inner.gap - a.gap),
            sp_shrink: b.sp_shrink - a.sp_shrink,
            sp_stretch: b.sp_stretch - a.sp_stretch,
            bracket: b.bracket - a.bracket,
            comma: b.comma - a.comma,
            gap_shrink: inner.gap_shrink - a.gap_shrink,
            gap_stretch: inner.gap_stretch - a.gap_stretch,
            spread: inner.spread - a.spread,
            counts: b.counts - a.counts,
        }
    }
}

fn is_full_stop(ch: char) -> bool {
    matches!(ch, '。' | '？' | '！' | '．' | '｡')
}

fn is_glue(ch: char) -> bool {
    matches!(
        ch,
        '\u{A0}' | '\u{202F}' | '\u{2007}' | '\u{2060}' | '\u{FEFF}' | '\u{2011}' | '\u{180E}'
    )
}

fn is_qe(ch: char) -> bool {
    matches!(ch, '？' | '！')
}

/// Side of a boundary that makes it Chinese (so breaks are allowed by
/// default and only the prohibition table removes them).
fn cjk_side(u: &Unit) -> bool {
    is_cjk(u.ch)
        || matches!(
            u.class,
            CharClass::Opening
                | CharClass::Closing
                | CharClass::Stop
                | CharClass::Iteration
                | CharClass::Ellipsis
                | CharClass::Interpunct
        )
        || matches!(u.ch, '—' | '～' | '／')
}

pub(crate) fn prepare(shaped: &ShapedText, settings: &ParagraphSettings) -> Prep {
    let text = shaped.text.as_str();
    let clusters = &shaped.clusters;
    let n = clusters.len();
    let em = clusters
        .iter()
        .find(|c| c.class != CharClass::Control)
        .map_or(10.0, |c| c.size);
    let style = settings.punct;

    // --- units ---------------------------------------------------------
    let mut units: Vec<Unit> = Vec::with_capacity(n);
    for c in clusters {
        let ch = text[c.range.start..].chars().next().unwrap_or(' ');
        let uem = if c.size > 0.0 { c.size } else { em };
        let mut u = Unit {
            class: c.class,
            ch,
            w: c.advance.max(0.0),
            lb: 0.0,
            rb: 0.0,
            dx: 0.0,
            min: 0.0,
            max: 0.0,
            counts: !c.class.is_cjk_punct()
                && !matches!(
                    c.class,
                    CharClass::Space | CharClass::Control | CharClass::Mark
                ),
            push_in: PushIn::None,
            push_cap: 0.0,
            em: uem,
            cjk: false,
        };
        u.cjk = cjk_side(&u);
        if c.missing {
            u.class = CharClass::Han;
            u.counts = true;
        } else if c.class.is_compressible() && (c.advance - uem).abs() <= 0.1 * uem {
            // A full-width mark: is half of its cell really blank? Fonts that
            // centre 、，。 (Taiwan, Hong Kong) must not be compressed.
            let half = 0.5 * c.advance;
            let (lo, hi) = c.ink.map_or((half, half), |[l, r]| (l, r));
            let tol = 0.05 * uem;
            let (lb, rb) = match c.class {
                CharClass::Opening if lo >= half - tol => (half, 0.0),
                CharClass::Closing | CharClass::Stop if hi <= half + tol => (0.0, half),
                _ => (0.0, 0.0),
            };
            let permanent = match style {
                PunctStyle::Plain => false,
                PunctStyle::Quanjiao => false,
                PunctStyle::Kaiming => !is_full_stop(ch),
                PunctStyle::Banjiao => true,
            };
            if style == PunctStyle::Plain {
                // no adjustment at all
            } else if permanent {
                u.w -= lb + rb;
                u.dx = -lb;
            } else {
                u.lb = lb;
                u.rb = rb;
            }
            if style == PunctStyle::Quanjiao {
                u.push_in = match c.class {
                    CharClass::Opening | CharClass::Closing => PushIn::Bracket,
                    CharClass::Stop if matches!(ch, '，' | '、' | '；' | '：') => PushIn::Comma,
                    _ => PushIn::None,
                };
            }
        }
        units.push(u);
    }

    // Spaces: a word space between Latin words is ⅓ em (¼–½, CJK-RULES §4);
    // a space between two Chinese characters (`记者 李婷`) is a full cell
    // that may shrink to ½ em, so the line stays on the grid.
    // Neighbours of each run of spaces, found in two linear passes.
    let mut prev_cjk = vec![false; n];
    let mut last = None;
    for (k, u) in units.iter().enumerate() {
        prev_cjk[k] = last.unwrap_or(false);
        if u.class != CharClass::Space {
            last = Some(u.cjk);
        }
    }
    let mut next = None;
    for k in (0..n).rev() {
        let u = &mut units[k];
        if u.class == CharClass::Space {
            let chinese = prev_cjk[k] && next.unwrap_or(false);
            let uem = u.em;
            let (w, min, max) = if chinese {
                (uem, 0.5 * uem, uem)
            } else {
                (uem / 3.0, uem / 4.0, uem / 2.0)
            };
            u.w = w;
            u.min = min;
            u.max = max;
        } else {
            next = Some(u.cjk);
        }
    }

    // --- bounds ----------------------------------------------------------
    let mut bounds: Vec<Bound> = vec![Bound::default(); n + 1];
    // UAX #14 opportunities at cluster starts, needed only between two
    // non-Chinese units: run it over each stretch of such units alone.
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
    let level = settings.prohibition;
    let basic = level != Prohibition::None;
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
        let bd = &mut bounds[b];
        // Pair dashes and ellipses: `——` may be one cluster (Noto joins
        // them) or two (other fonts).
        let c_text = &text[clusters[b].range.clone()];
        let dash_pair = a.ch == '—' && c.ch == '—';
        let ellipsis_pair = is_inseparable(a.ch) && is_inseparable(c.ch);
        let c_starts_pair = (c.ch == '—'
            && (c_text.chars().count() > 1 || units.get(b + 1).is_some_and(|u| u.ch == '—')))
            || (is_inseparable(c.ch) && units.get(b + 1).is_some_and(|u| is_inseparable(u.ch)))
            || c.ch == '⸺';

        // Base opportunity.
        let (mut t, mut rule) = if is_glue(a.ch) || is_glue(c.ch) {
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
        } else if a.class == CharClass::Control {
            (tier::ALLOWED, None)
        } else if a.class == CharClass::Space || a.cjk || c.cjk || ulb[b] {
            // Chinese text breaks anywhere the prohibition table allows;
            // elsewhere UAX #14 decides.
            (tier::ALLOWED, None)
        } else {
            (tier::WORD, Some("inside a word or number"))
        };
        let mut raise = |level: u8, why: &'static str| {
            if level > t {
                t = level;
                rule = Some(why);
            }
        };
        if dash_pair || ellipsis_pair {
            raise(tier::ATOMIC, "splits —— or ……");
        }
        // J: a number and its postfix sign are one word (GB/T 15835); so
        // are full-width digits, which UAX #14 would break like ideographs.
        if ends_number(a.class, a.ch) && is_postfix(c.ch) {
            raise(tier::WORD, "postfix sign after its number");
        } else if ends_number(a.class, a.ch) && ends_number(c.class, c.ch) {
            raise(tier::WORD, "inside a word or number");
        }
        // A zero-width break opportunity the author typed (U+200B) lifts
        // the edge rules below; the pair and number rules above still hold.
        if a.class != CharClass::Control {
            let start = if c_starts_pair {
                Some(LineStart::Pair)
            } else {
                line_start(c.class, c.ch)
            };
            let end_row = line_end(end.class);
            let starts = LINE_START_RULES
                .iter()
                .filter(|r| Some(r.0) == start)
                .map(|r| (r.1, r.2));
            let ends = LINE_END_RULES
                .iter()
                .filter(|r| Some(r.0) == end_row)
                .map(|r| (r.1, r.2));
            for (from, why) in starts.chain(ends) {
                if rank(level) >= rank(from) {
                    raise(tier_of(from), why);
                }
            }
            if basic && end.class == CharClass::Closing && c.class == CharClass::Opening {
                raise(tier::BASIC, "break between a closing and an opening mark");
            }
        }
        bd.tier = t;
        bd.rule = rule;
        // A line feed, paragraph/line separator, or a CR not before LF
        // forces a break after it (UAX #14 BK, CR, LF, NL).
        bd.mandatory = a.class == CharClass::Control
            && (matches!(
                a.ch,
                '\n' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}'
            ) || (a.ch == '\r' && c.ch != '\n'));
        if bd.mandatory {
            bd.tier = tier::ALLOWED;
            bd.rule = None;
        }

        // Adjacent marks (§2 rule 1), quanjiao only: kaiming and banjiao
        // have already removed every removable blank but those of 。？！.
        if style == PunctStyle::Quanjiao {
            let c_ink_left = matches!(c.class, CharClass::Stop | CharClass::Closing);
            // In `！？」` the pair rule already took `？`'s blank: the closing
            // mark after it finds none to share, and counting it twice made
            // the line half an em wider than the breaker thought (issue 12
            // item 15).
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

        // Han–Latin and Han–digit gaps (§3).
        let han =
            |u: &Unit| matches!(u.class, CharClass::Han | CharClass::Iteration) && is_cjk(u.ch);
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

        // Justification spreads between characters, never inside `——`,
        // `……`, a Latin word or a number, nor next to a space (the space
        // itself stretches).
        bd.spread = !(dash_pair
            || ellipsis_pair
            || t == tier::WORD
            || a.class == CharClass::Control
            || c.class == CharClass::Control
            || a.class == CharClass::Space
            || c.class == CharClass::Space);
    }

    // Mid-line push-in capacity: blanks left after the pair rules.
    for k in 0..n {
        if units[k].push_in == PushIn::None {
            continue;
        }
        let lcut = k > 0 && bounds[k].cut_next_lb;
        let rcut = (k + 1 < n && bounds[k + 1].cut_prev_rb) || (k > 0 && bounds[k].cut_next_rb);
        let u = &mut units[k];
        u.push_cap = (if lcut { 0.0 } else { u.lb }) + (if rcut { 0.0 } else { u.rb });
    }

    // --- prefix sums ------------------------------------------------------
    let mut rows = Vec::with_capacity(n + 1);
    let mut acc = Row::default();
    rows.push(acc);
    for k in 0..n {
        let u = &units[k];
        acc.w += u.w as f64;
        if u.class == CharClass::Space {
            acc.sp_shrink += (u.w - u.min) as f64;
            acc.sp_stretch += (u.max - u.w) as f64;
        }
        match u.push_in {
            PushIn::Bracket => acc.bracket += u.push_cap as f64,
            PushIn::Comma => acc.comma += u.push_cap as f64,
            PushIn::None => {}
        }
        acc.counts += u.counts as u32;
        // bounds[0] is an edge and contributes nothing.
        let bd = &bounds[k + 1];
        acc.cut += bd.cut as f64;
        acc.gap += bd.gap as f64;
        acc.gap_shrink += (bd.gap - bd.gap_min) as f64;
        acc.gap_stretch += (bd.gap_max - bd.gap) as f64;
        acc.spread += bd.spread as u32;
        rows.push(acc);
    }

    let mut trail = vec![0u32; n + 1];
    for j in 0..=n {
        trail[j] = if j > 0 && units[j - 1].class == CharClass::Space {
            trail[j - 1]
        } else {
            j as u32
        };
    }

    Prep {
        units,
        bounds,
        em,
        rows,
        trail,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fonts::FontDb;
    use crate::text::{shape, FontChain, StyleSpan};

    fn prep(text: &str, settings: &ParagraphSettings) -> Prep {
        let mut db = FontDb::new();
        db.load_dir(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts"))
            .unwrap();
        let chain = FontChain {
            faces: vec![db.find("Noto Serif CJK SC", 400).unwrap()],
            size: 10.0,
        };
        let shaped = shape(
            text,
            &[StyleSpan {
                range: 0..text.len(),
                chain,
            }],
            &db,
        );
        prepare(&shaped, settings)
    }

    #[test]
    fn kinsoku_tiers_follow_the_table() {
        let p = prep("甲，乙“丙”丁ab——戊", &ParagraphSettings::default());
        let t: Vec<u8> = p.bounds.iter().map(|b| b.tier).collect();
        // 甲|，  ，|乙  乙|“  “|丙  丙|”  ”|丁  丁|a  a|b  b|——  ——|戊
        assert_eq!(t[1], tier::BASIC, "no comma at a line start");
        assert_eq!(t[2], tier::ALLOWED);
        assert_eq!(t[3], tier::ALLOWED, "break before an opening quote");
        assert_eq!(t[4], tier::BASIC, "no opening quote at a line end");
        assert_eq!(t[5], tier::BASIC, "no closing quote at a line start");
        assert_eq!(t[6], tier::ALLOWED, "break after a closing quote");
        assert_eq!(t[7], tier::ALLOWED, "Han then Latin");
        assert_eq!(t[8], tier::WORD, "inside a Latin word");
        assert_eq!(
            t[9],
            tier::STRICT,
            "—— never starts a line at the strict level"
        );
        let gb = ParagraphSettings {
            prohibition: Prohibition::Gb,
            ..ParagraphSettings::default()
        };
        assert_eq!(prep("甲——乙", &gb).bounds[1].tier, tier::ALLOWED);
    }

    #[test]
    fn adjacent_marks_cut_one_blank() {
        let p = prep("甲。”乙（（丙", &ParagraphSettings::default());
        assert!(p.bounds[2].cut_prev_rb, "。 before ” loses its right blank");
        assert!((p.bounds[2].cut - 5.0).abs() < 0.01);
        assert!(p.bounds[5].cut_next_lb, "（ after （ loses its left blank");
        let plain = ParagraphSettings {
            punct: PunctStyle::Plain,
            ..ParagraphSettings::default()
        };
        assert!(prep("甲。”乙", &plain).bounds.iter().all(|b| b.cut == 0.0));
    }

    #[test]
    fn spaces_between_chinese_are_a_cell_between_latin_a_third() {
        let p = prep("记者 李婷 and me", &ParagraphSettings::default());
        let space = |k: usize| &p.units[k];
        assert_eq!(space(2).class, CharClass::Space);
        assert!((space(2).w - 10.0).abs() < 0.01);
        let latin = p
            .units
            .iter()
            .rposition(|u| u.class == CharClass::Space)
            .unwrap();
        assert!((p.units[latin].w - 10.0 / 3.0).abs() < 0.01);
    }

    #[test]
    fn prefix_sums_give_line_totals() {
        let p = prep("一二，三四", &ParagraphSettings::default());
        let t = p.totals(0, 5);
        assert!((t.natural - 50.0).abs() < 0.01);
        assert_eq!(t.counts, 4);
        assert_eq!(p.totals(1, 3).spread, 1);
    }
}
