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

use super::{bounds, units, ParagraphSettings};
use crate::text::{CharClass, ShapedText};

/// Break penalty tiers; they live with the prohibition table.
pub(crate) use super::kinsoku::tier;

/// A mid-line blank that push-in may remove (CJK-RULES §4 shrink order).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PushIn {
    /// Nothing to push in (quanjiao only pushes in; other marks keep theirs).
    None,
    /// Brackets and quotes to ½ em.
    Bracket,
    /// `，、；：` to ½ em.
    Comma,
}

/// One shaped cluster as the breaker sees it.
#[derive(Debug, Clone)]
pub(crate) struct Unit {
    /// The cluster's class (a missing glyph counts as Han).
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
    /// For spaces: the narrowest the space may be set, pt.
    pub min: f32,
    /// For spaces: the widest the space may be set, pt.
    pub max: f32,
    /// A character that counts for 孤字 (not a mark, space or control).
    pub counts: bool,
    /// Which mid-line blank push-in may remove.
    pub push_in: PushIn,
    /// Push-in capacity left after the adjacent-mark rule, pt.
    pub push_cap: f32,
    /// The unit's em (its font size), pt.
    pub em: f32,
    /// Chinese for break purposes (see `units::cjk_side`).
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
    /// Han–Latin / Han–digit gap, natural width (pt).
    pub gap: f32,
    /// The gap's narrowest width (pt).
    pub gap_min: f32,
    /// The gap's widest width (pt).
    pub gap_max: f32,
    /// Justification may add space here.
    pub spread: bool,
    /// How bad a break here is (see [`tier`]).
    pub tier: u8,
    /// A rule that forbids breaking here (for the report).
    pub rule: Option<&'static str>,
    /// A line must end here (after a newline).
    pub mandatory: bool,
}

/// Everything the breaker and the committer need, with prefix sums.
pub(crate) struct Prep {
    /// One unit per cluster.
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
    /// Unit widths.
    pub w: f64,
    /// How much the spaces may shrink.
    pub sp_shrink: f64,
    /// How much the spaces may stretch.
    pub sp_stretch: f64,
    /// Push-in capacity of brackets and quotes.
    pub bracket: f64,
    /// Push-in capacity of `，、；：`.
    pub comma: f64,
    /// Adjacent-mark cuts.
    pub cut: f64,
    /// Han–Latin / Han–digit gaps, natural.
    pub gap: f64,
    /// How much the gaps may shrink.
    pub gap_shrink: f64,
    /// How much the gaps may stretch.
    pub gap_stretch: f64,
    /// Units that count for 孤字.
    pub counts: u32,
    /// Boundaries where justification may spread.
    pub spread: u32,
}

/// Totals over a candidate line `i..j`: unit quantities over units `i..j`,
/// boundary quantities over the bounds strictly inside (`i+1..=j-1`).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Totals {
    /// Natural width: unit widths − adjacent-mark cuts + gaps.
    pub natural: f64,
    /// How much the spaces may shrink.
    pub sp_shrink: f64,
    /// How much the spaces may stretch.
    pub sp_stretch: f64,
    /// Push-in capacity of brackets and quotes.
    pub bracket: f64,
    /// Push-in capacity of `，、；：`.
    pub comma: f64,
    /// How much the gaps inside the line may shrink.
    pub gap_shrink: f64,
    /// How much the gaps inside the line may stretch.
    pub gap_stretch: f64,
    /// Spread points inside the line.
    pub spread: u32,
    /// Units that count for 孤字.
    pub counts: u32,
}

impl Prep {
    /// The totals of a candidate line of units `i..j`, in O(1).
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

/// The passes, in order: units (widths, the style's blanks, spaces),
/// boundaries (break tiers, adjacent marks, gaps, spread), push-in
/// capacity, then the prefix sums the breaker reads.
pub(crate) fn prepare(shaped: &ShapedText, settings: &ParagraphSettings) -> Prep {
    let text = shaped.text.as_str();
    let clusters = &shaped.clusters;
    let em = clusters
        .iter()
        .find(|c| c.class != CharClass::Control)
        .map_or(10.0, |c| c.size);
    let mut units = units::units(text, clusters, em, settings.punct);
    let bounds = bounds::bounds(text, clusters, &units, settings);
    bounds::push_in_capacity(&mut units, &bounds);
    let rows = prefix_sums(&units, &bounds);
    let trail = trailing_spaces(&units);
    Prep {
        units,
        bounds,
        em,
        rows,
        trail,
    }
}

/// Row `k` sums units `0..k` and bounds `1..=k`.
fn prefix_sums(units: &[Unit], bounds: &[Bound]) -> Vec<Row> {
    let mut rows = Vec::with_capacity(units.len() + 1);
    let mut acc = Row::default();
    rows.push(acc);
    for (u, bd) in units.iter().zip(&bounds[1..]) {
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
        acc.cut += bd.cut as f64;
        acc.gap += bd.gap as f64;
        acc.gap_shrink += (bd.gap - bd.gap_min) as f64;
        acc.gap_stretch += (bd.gap_max - bd.gap) as f64;
        acc.spread += bd.spread as u32;
        rows.push(acc);
    }
    rows
}

/// `trail[j]`: the first unit of the run of spaces ending at `j-1`.
fn trailing_spaces(units: &[Unit]) -> Vec<u32> {
    let n = units.len();
    let mut trail = vec![0u32; n + 1];
    for j in 0..=n {
        trail[j] = if j > 0 && units[j - 1].class == CharClass::Space {
            trail[j - 1]
        } else {
            j as u32
        };
    }
    trail
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fonts::FontDb;
    use crate::paragraph::{Prohibition, PunctStyle};
    use crate::text::{shape, FontChain, StyleSpan};

    fn prep(text: &str, settings: &ParagraphSettings) -> Prep {
        let mut db = FontDb::new();
        db.load_dir(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts"))
            .unwrap();
        let chain = FontChain {
            faces: vec![db.find("Noto Serif CJK SC", 400).unwrap()],
            size: 10.0,
            locale: Default::default(),
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
