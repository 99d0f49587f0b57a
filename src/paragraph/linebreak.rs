//! `linebreak`: choose the breaks of a whole paragraph (total fit).
//!
//! Knuth–Plass style dynamic programming over unit boundaries: the cost of a
//! paragraph is the sum over its lines of `(1 + badness)²` plus break
//! penalties, so one badly spread line costs more than several slightly
//! spread ones (CJK-RULES §4: every line of a newspaper column is
//! justified, one bad break shows). A line's badness comes from [`fit`],
//! which absorbs the slack in the order of §4: shrink line-end mark →
//! word spaces → brackets → commas → Han–Latin gaps; stretch word spaces →
//! Han–Latin gaps → an even spread between characters. Push-in (shrinking)
//! is tried before push-out (stretching) only where it costs nothing
//! visible — line-end and line-start blanks and spaces — because squeezing
//! mid-line marks to uneven widths is exactly what we refuse to do (issue 3).
//!
//! The lookback is bounded by the measure (a line holds at most as many
//! units as fit after every shrink), so the pass is linear in the paragraph
//! length times the units per line.

use super::prepare::{tier, Prep, PushIn};
use super::{Align, ParagraphSettings};

/// CJK-RULES §2 rule 3: an opening mark at a line start *may* drop its
/// leading ½ em. It is a house setting; [`ParagraphSettings`] has no field
/// for it yet, and Mainland newspapers keep line-start marks full width so
/// the Han characters after them stay on the grid (and the mark's glyph
/// origin stays inside the column), so it is off.
pub(crate) const LINE_START_TRIM: bool = false;

/// Widths within this many points are equal.
const EPS: f32 = 1e-3;

/// Fit cost of a line that still overruns the measure after every shrink:
/// above anything a fitting line reaches (push-in costs a few thousand,
/// ugly spacing [`UGLY_SPREAD_COST`]), so such a line is taken only when
/// nothing else fits. The breaker squares line costs, making it `1e18`
/// there, above any [`TIER_PENALTY`] a real paragraph adds up.
const OVERFULL_FIT_COST: f64 = 1e9;

/// Fit cost of a justified line that can be filled only by ugly spacing:
/// gaps between characters wider than [`MAX_SPREAD_EM`], letter-spaced
/// words, or a single unit left short. Far above ordinary stretch (`100·r²`
/// with `r ≤ ½`) and push-in, so a line with reasonable gaps always wins;
/// below [`OVERFULL_FIT_COST`], so a loose line beats an overset one.
const UGLY_SPREAD_COST: f64 = 1e6;

/// Widest even spread between characters, in em, before a line counts as
/// ugly (CJK-RULES §4); the `1e-6` lets a spread of exactly ½ em, which
/// the division may land a hair above, pass.
const MAX_SPREAD_EM: f64 = 0.5 + 1e-6;

/// Penalty per kinsoku tier of a break (`tier × TIER_PENALTY`). An ugly
/// line costs about `UGLY_SPREAD_COST² = 1e12` in the breaker, so bending
/// a rule costs more than a hundred loose lines and the breaker spreads
/// before it bends; an overrunning line (`OVERFULL_FIT_COST² = 1e18`) still
/// costs more than bending a rule. A higher tier costs more than a lower.
const TIER_PENALTY: f64 = 1e14;

/// Added to a line that overruns the measure (it is a candidate only as a
/// single unit or in the last-resort pass): together with its squared fit
/// cost, overset stays the very last choice, behind any tier of rule.
const OVERSET_PENALTY: f64 = 1e18;

/// Added for 孤字, a last line of a single character, when the settings ask
/// to avoid it: above the cost differences of ordinary spacing (a push-in
/// line costs a few `1e7` at most once squared), so another break wins when the
/// lines around it set normally; below an ugly line (`1e12`) or a kinsoku
/// tier, so no line is letter-spaced and no rule bent to avoid it.
const ORPHAN_CHAR_PENALTY: f64 = 1e9;

/// How far short of the measure, in em, a justified line may fall before
/// the first pass skips it: pushing out more than two characters' worth
/// (gaps of ~0.2 em at 13 characters) is never the best choice when
/// anything else fits, and skipping such starts keeps the pass at a few
/// fits per boundary.
const SHORT_LINE_EM: f64 = 2.5;

/// How a candidate line is made to fit; shared by the breaker (which
/// only reads `cost`) and the committer (which applies the rest).
#[derive(Debug, Clone, Default)]
pub(crate) struct Fit {
    /// Badness of the line before squaring: 0 for a line set at its
    /// natural width, more for every adjustment (see the cost constants).
    pub cost: f64,
    /// Points over the measure after every shrink (0 when it fits).
    pub over: f32,
    /// Width of the content before adjustment (pair rules applied).
    pub natural: f32,
    /// Line-end mark set to ½ em.
    pub use_end: bool,
    /// Line-start opening mark drops its leading ½ em.
    pub use_start: bool,
    /// Total change to word spaces, pt (negative: shrunk).
    pub spaces: f32,
    /// Total change to Han–Latin/digit gaps, pt.
    pub gaps: f32,
    /// Mid-line bracket blanks removed (push-in), pt.
    pub bracket: f32,
    /// Mid-line comma blanks removed (push-in), pt.
    pub comma: f32,
    /// Space added at each spread boundary, pt.
    pub spread: f32,
    /// Spread over every inner boundary (no eligible one exists).
    pub spread_all: bool,
    /// The line's last mark hangs into the margin.
    pub hang: bool,
    /// Units `i..end` are the content; `end..j` are trailing spaces.
    pub end: usize,
}

/// A paragraph being broken: its units and the measure and settings its
/// lines are set to.
pub(crate) struct Ctx<'a> {
    /// The paragraph's units and boundaries.
    pub prep: &'a Prep,
    /// Width of a line, pt.
    pub measure: f32,
    /// Alignment, hanging, 孤字 avoidance.
    pub settings: &'a ParagraphSettings,
    /// First-line indent in pt.
    pub indent: f32,
}

impl Ctx<'_> {
    /// Available width for a line starting at unit `i`.
    pub fn avail(&self, i: usize) -> f32 {
        if i == 0 {
            self.measure - self.indent
        } else {
            self.measure
        }
    }

    /// Whether the line `i..j` is justified to the measure.
    pub fn justified(&self, j: usize) -> bool {
        let n = self.prep.units.len();
        self.settings.align == Align::Justify && j < n && !self.prep.bounds[j].mandatory
    }

    /// Fit the line `i..j`.
    pub fn fit(&self, i: usize, j: usize) -> Fit {
        let p = self.prep;
        let t = p.trail[j] as usize;
        let e = if t > i { t } else { j };
        let mut best = self.fit_content(i, e, j);
        best.end = e;
        // Hanging punctuation: 、，。 may sit past the measure (CJK-RULES §1).
        if self.settings.hanging
            && e >= i + 2
            && matches!(p.units[e - 1].ch, '、' | '，' | '。')
            && best.cost > 0.0
        {
            let mut hung = self.fit_content(i, e - 1, j);
            if hung.over <= best.over && hung.cost < best.cost {
                hung.hang = true;
                hung.end = e - 1;
                best = hung;
            }
        }
        best
    }

    /// Fit the content `i..e` of the line ending at boundary `j`.
    ///
    /// Kept whole (over 80 lines): the push-in steps, then the push-out
    /// steps, of CJK-RULES §4 run in that order on one running `need` and
    /// `cost`; split, each step would pass both back and forth.
    fn fit_content(&self, i: usize, e: usize, j: usize) -> Fit {
        let p = self.prep;
        let u = &p.units;
        let em = p.em as f64;
        let avail = self.avail(i) as f64;
        let mut f = Fit::default();
        if e <= i {
            return f;
        }
        let t = p.totals(i, e);
        let natural = t.natural;
        f.natural = natural as f32;
        let last = e - 1;
        let p1_end = if u[last].rb > 0.0 && !(last > i && p.bounds[last].cut_next_rb) {
            u[last].rb as f64
        } else {
            0.0
        };
        let p1_start = if LINE_START_TRIM && u[i].lb > 0.0 && !(i == 0 && self.indent > 0.0) {
            u[i].lb as f64
        } else {
            0.0
        };
        let sp_shrink = t.sp_shrink;
        let sp_stretch = t.sp_stretch;
        // Push-in capacity of the marks strictly inside the line (the edge
        // marks have their own rules).
        let edge = |k: usize, kind: PushIn| {
            if u[k].push_in == kind {
                u[k].push_cap as f64
            } else {
                0.0
            }
        };
        let (bracket, comma) = if e > i + 2 {
            (
                t.bracket - edge(i, PushIn::Bracket) - edge(last, PushIn::Bracket),
                t.comma - edge(i, PushIn::Comma) - edge(last, PushIn::Comma),
            )
        } else {
            (0.0, 0.0)
        };
        let gap_shrink = t.gap_shrink;
        let gap_stretch = t.gap_stretch;
        let justify = self.justified(j);

        let mut cost = 0.0f64;
        let mut need = natural - avail; // > 0: shrink, < 0: stretch
        if need > EPS as f64 {
            // Push-in, in the order of CJK-RULES §4.
            if p1_end > 0.0 {
                need -= p1_end;
                f.use_end = true;
            }
            if need > EPS as f64 && p1_start > 0.0 {
                need -= p1_start;
                f.use_start = true;
                cost += 0.1;
            }
            if need > EPS as f64 && sp_shrink > 0.0 {
                let t = need.min(sp_shrink);
                need -= t;
                f.spaces = -(t as f32);
                cost += (t / sp_shrink).powi(2);
            }
            if need > EPS as f64 && bracket > 0.0 {
                let t = need.min(bracket);
                need -= t;
                f.bracket = t as f32;
                cost += 1000.0 + 1000.0 * t / em;
            }
            if need > EPS as f64 && comma > 0.0 {
                let t = need.min(comma);
                need -= t;
                f.comma = t as f32;
                cost += 1000.0 + 1000.0 * t / em;
            }
            if need > EPS as f64 && gap_shrink > 0.0 {
                let t = need.min(gap_shrink);
                need -= t;
                f.gaps = -(t as f32);
                cost += 2000.0 + 1000.0 * t / em;
            }
            if need > EPS as f64 {
                f.over = need as f32;
                f.cost = OVERFULL_FIT_COST;
                return f;
            }
        }
        if need < -(EPS as f64) {
            let mut rest = -need;
            if justify {
                // Push-out: stretch in the order of §4.
                if sp_stretch > 0.0 {
                    let t = rest.min(sp_stretch);
                    rest -= t;
                    f.spaces += t as f32;
                    cost += (t / sp_stretch).powi(2);
                }
                if rest > EPS as f64 && gap_stretch > 0.0 {
                    let t = rest.min(gap_stretch);
                    rest -= t;
                    f.gaps += t as f32;
                    cost += (t / gap_stretch).powi(2);
                }
                if rest > EPS as f64 {
                    let n_spread = t.spread;
                    let (n, all) = if n_spread > 0 {
                        (n_spread, false)
                    } else {
                        ((e - i - 1) as u32, true)
                    };
                    if n == 0 {
                        // One unit cannot be spread: the line stays short.
                        cost += UGLY_SPREAD_COST;
                    } else {
                        let per = rest / n as f64;
                        f.spread = per as f32;
                        f.spread_all = all;
                        let r = per / em;
                        cost += 100.0 * r * r;
                        if r > MAX_SPREAD_EM || all {
                            // Gaps wider than ½ em, or letter-spaced words.
                            cost += UGLY_SPREAD_COST;
                        }
                    }
                }
            } else if match self.settings.align {
                Align::Justify => false,
                // Flush-start text fills its lines; the last may be short.
                Align::Start => j < p.units.len(),
                // Centred and flush-end lines (headlines) are balanced,
                // the last one included.
                Align::Center | Align::End => true,
            } {
                let r = rest / em;
                cost += r * r;
            }
        }
        f.cost = cost;
        f
    }
}

/// The chosen lines as `(start, end)` unit ranges.
pub(crate) fn total_fit(ctx: &Ctx<'_>) -> Vec<(usize, usize)> {
    let n = ctx.prep.units.len();
    if n == 0 {
        return Vec::new();
    }
    if let Some(b) = run(ctx, false) {
        return b;
    }
    // Nothing fits without breaking a rule somewhere: every boundary becomes
    // a candidate, priced by the rule it breaks.
    run(ctx, true).unwrap_or_else(|| (0..n).map(|k| (k, k + 1)).collect())
}

/// Hard cap on a line's length in units, whatever their widths (zero-width
/// controls or marks must not make the pass quadratic).
const MAX_UNITS_PER_LINE: usize = 2000;

/// One Knuth–Plass pass over the boundaries: the cheapest way to end a
/// line at each boundary, then the chosen breaks read back from the end.
/// `None` if no set of breaks reaches the end (in practice only without
/// `last_resort`).
///
/// Kept whole (over 80 lines): the pruning bounds (`i0`, `too_short`,
/// `hopeless`) share the totals of the line being tried, and their order is
/// what keeps the pass linear and its ties stable.
fn run(ctx: &Ctx<'_>, last_resort: bool) -> Option<Vec<(usize, usize)>> {
    let p = ctx.prep;
    let n = p.units.len();
    let em = p.em as f64;
    let mut best = vec![f64::INFINITY; n + 1];
    let mut from = vec![usize::MAX; n + 1];
    best[0] = 0.0;
    let mut i0 = 0usize;
    // The latest boundary before `j` where a line must end.
    let mut last_forced = 0usize;
    for j in 1..=n {
        if j >= 2 && p.bounds[j - 1].mandatory {
            last_forced = j - 1;
        }
        let bj = &p.bounds[j];
        let end_ok = j == n || bj.mandatory || bj.tier == tier::ALLOWED || last_resort;
        if !end_ok {
            continue;
        }
        let penalty = if j == n || bj.mandatory {
            0.0
        } else {
            bj.tier as f64 * TIER_PENALTY
        };
        let justify = ctx.justified(j);
        let lo = j.saturating_sub(MAX_UNITS_PER_LINE);
        let mut i = j;
        if justify && !last_resort {
            // Jump over the starts whose lines would be too short even at
            // their widest (see `too_short`): `i0` only moves forward as `j`
            // grows, so this costs O(1) amortised per boundary.
            let widest = |i: usize| {
                let t = p.totals(i, j);
                t.natural + t.sp_stretch + t.gap_stretch
            };
            let threshold = ctx.measure as f64 - SHORT_LINE_EM * em;
            while i0 + 1 < j && widest(i0 + 1) >= threshold {
                i0 += 1;
            }
            // Never jump over a forced break: no line may cross it.
            i0 = i0.max(last_forced);
            i = i.min(i0 + 1).max(lo + 1);
        }
        while i > lo {
            i -= 1;
            if best[i].is_finite() {
                // Quick bound: the narrowest this line can be set.
                let t = p.totals(i, j);
                let natural = t.natural;
                let caps = t.sp_shrink + t.bracket + t.comma + t.gap_shrink + 2.0 * em;
                let avail = ctx.avail(i) as f64;
                if natural - caps > avail && j - i > 1 {
                    break;
                }
                // Lines more than `SHORT_LINE_EM` short of the measure are
                // left to the last-resort pass.
                let too_short = justify
                    && !last_resort
                    && avail - natural > SHORT_LINE_EM * em + t.sp_stretch + t.gap_stretch;
                // A line costs at least `(1 + 0)²`, and float addition is
                // monotone, so this bounds `c` below exactly: a start that
                // cannot beat the best so far needs no fit (about half of
                // them; the order of starts, hence ties, is unchanged).
                let hopeless = best[i] + 1.0 + penalty >= best[j];
                if !too_short && !hopeless {
                    let fit = ctx.fit(i, j);
                    let single = j - i == 1;
                    if fit.over <= 0.0 || single || last_resort {
                        let mut c = best[i] + (1.0 + fit.cost).powi(2) + penalty;
                        if fit.over > 0.0 {
                            c += OVERSET_PENALTY;
                        }
                        if j == n && i > 0 && ctx.settings.avoid_orphan_char && t.counts <= 1 {
                            // 孤字: a last line of one character (and its marks).
                            c += ORPHAN_CHAR_PENALTY;
                        }
                        if c < best[j] {
                            best[j] = c;
                            from[j] = i;
                        }
                    }
                }
            }
            if p.bounds[i].mandatory {
                break;
            }
        }
    }
    if !best[n].is_finite() {
        return None;
    }
    let mut out = Vec::new();
    let mut j = n;
    while j > 0 {
        let i = from[j];
        if i == usize::MAX || i >= j {
            return None;
        }
        out.push((i, j));
        j = i;
    }
    out.reverse();
    Some(out)
}
