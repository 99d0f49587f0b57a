//! `commit`: chosen breaks → [`Line`]s of positioned glyphs.
//!
//! Applies each line's [`Fit`]: the adjacent-mark rules inside the line,
//! the line-end / line-start half-width marks, push-in of spaces, brackets
//! and commas, and the stretch (spaces, gaps, then an even spread between
//! characters). Every glyph's `x` is its drawing origin; `x + advance` is
//! the right edge of its cell, so the cells of a justified line end exactly
//! at the measure and the space between two cells is the justification.

use super::linebreak::{Ctx, Fit};
use super::prepare::{Prep, PushIn};
use super::{Compression, Line, LineAdjust, MarkAdjust, PlacedGlyph};
use crate::text::{CharClass, ShapedText};

/// Points of push-in still wanted below which a bracket or comma blank is
/// not cut: blanks are cut whole (typically ½ em each), so anything smaller
/// is float residue of subtracting them from the fit's amount.
const PUSH_IN_DONE: f32 = 1e-4;

/// Points by which a set line may differ from the measure and still count
/// as exactly full: well below anything visible (0.01 pt ≈ 3.5 µm) but
/// above the float error that summing a line's glyph advances builds up.
/// Wider is overfull; within it, a justified line is snapped to the measure.
const MEASURE_TOLERANCE: f32 = 0.01;

/// Set each chosen line `(start, end)` of `breaks`: apply its [`Fit`] and
/// place its glyphs.
pub(crate) fn commit(shaped: &ShapedText, ctx: &Ctx<'_>, breaks: &[(usize, usize)]) -> Vec<Line> {
    let mut lines = Vec::with_capacity(breaks.len());
    let count = breaks.len();
    let mut cuts = Cuts::default();
    for (li, &(i, j)) in breaks.iter().enumerate() {
        let fit = ctx.fit(i, j);
        let last = li + 1 == count;
        lines.push(place(shaped, ctx, i, j, &fit, last, &mut cuts));
    }
    lines
}

/// Per-unit cut flags of the line being placed, kept across the lines of a
/// paragraph so placing a line allocates only its glyphs.
#[derive(Default)]
struct Cuts {
    lcut: Vec<bool>,
    rcut: Vec<bool>,
    rule_l: Vec<Compression>,
    rule_r: Vec<Compression>,
}

/// Which blanks go, per unit of the content `i..e` (and the hung mark):
/// the adjacent-mark rules, the line-start and line-end marks, and push-in
/// of mid-line brackets and commas. Returns how much more the push-in
/// removed than the fit asked for.
fn mark_cuts(p: &Prep, i: usize, e: usize, fit: &Fit, cuts: &mut Cuts) -> f32 {
    let units = &p.units;
    let bounds = &p.bounds;
    let content_end = if fit.hang { e + 1 } else { e };
    let m = content_end - i;
    let Cuts {
        lcut,
        rcut,
        rule_l,
        rule_r,
    } = cuts;
    for v in [&mut *lcut, &mut *rcut] {
        v.clear();
        v.resize(m, false);
    }
    for v in [&mut *rule_l, &mut *rule_r] {
        v.clear();
        v.resize(m, Compression::Adjacent);
    }
    for k in i..content_end {
        let x = k - i;
        if k > i && bounds[k].cut_next_lb {
            lcut[x] = true;
        }
        if k > i && bounds[k].cut_next_rb {
            rcut[x] = true;
        }
        if k + 1 < content_end && bounds[k + 1].cut_prev_rb {
            rcut[x] = true;
        }
    }
    if fit.use_start && units[i].lb > 0.0 {
        lcut[0] = true;
        rule_l[0] = Compression::LineStart;
    }
    if fit.use_end && e > i && units[e - 1].rb > 0.0 && !rcut[e - 1 - i] {
        rcut[e - 1 - i] = true;
        rule_r[e - 1 - i] = Compression::LineEnd;
    }
    if fit.hang {
        // The hung mark keeps only its ink half, past the measure.
        let x = e - i;
        if units[e].rb > 0.0 && !rcut[x] {
            rcut[x] = true;
            rule_r[x] = Compression::LineEnd;
        }
    }
    // Push-in of mid-line brackets and commas: whole blanks, in reading
    // order, until the amount the fit asked for is reached; any overshoot
    // is given back as spread.
    let mut overshoot = 0.0f32;
    for (want, kind) in [(fit.bracket, PushIn::Bracket), (fit.comma, PushIn::Comma)] {
        let mut left = want;
        if left <= 0.0 {
            continue;
        }
        let inner = (i + 1).min(e)..e.saturating_sub(1).max(i + 1).min(e);
        for (k, u) in units[inner.clone()]
            .iter()
            .enumerate()
            .map(|(d, u)| (inner.start + d, u))
        {
            if left <= PUSH_IN_DONE {
                break;
            }
            if u.push_in != kind {
                continue;
            }
            let x = k - i;
            if u.lb > 0.0 && !lcut[x] {
                lcut[x] = true;
                rule_l[x] = Compression::PushIn;
                left -= u.lb;
            }
            if left > PUSH_IN_DONE && u.rb > 0.0 && !rcut[x] {
                rcut[x] = true;
                rule_r[x] = Compression::PushIn;
                left -= u.rb;
            }
        }
        overshoot += (-left).max(0.0);
    }

    overshoot
}

/// The share of their stretch (or shrink) capacity that every word space
/// and every Han–Latin gap of the content `i..e` takes.
fn stretch_ratios(p: &Prep, i: usize, e: usize, fit: &Fit) -> (f32, f32) {
    let units = &p.units;
    let bounds = &p.bounds;
    // Stretch or shrink amounts per space and per gap, by capacity.
    let (mut sp_cap, mut gap_cap) = (0.0f32, 0.0f32);
    for k in i..e {
        let u = &units[k];
        if u.class == CharClass::Space {
            sp_cap += if fit.spaces >= 0.0 {
                u.max - u.w
            } else {
                u.w - u.min
            };
        }
        if k > i {
            let b = &bounds[k];
            gap_cap += if fit.gaps >= 0.0 {
                b.gap_max - b.gap
            } else {
                b.gap - b.gap_min
            };
        }
    }
    let sp_ratio = if sp_cap > 0.0 {
        fit.spaces / sp_cap
    } else {
        0.0
    };
    let gap_ratio = if gap_cap > 0.0 {
        fit.gaps / gap_cap
    } else {
        0.0
    };
    (sp_ratio, gap_ratio)
}

/// Set the line `i..j` by its fit: the blanks cut, the stretch shared
/// out, every glyph placed. The placing is one pass over the units, kept
/// whole (over 80 lines) because each glyph's `x` is the pen the previous
/// unit left and the mark adjustments are recorded on the way.
fn place(
    shaped: &ShapedText,
    ctx: &Ctx<'_>,
    i: usize,
    j: usize,
    fit: &Fit,
    last: bool,
    cuts: &mut Cuts,
) -> Line {
    let p: &Prep = ctx.prep;
    let units = &p.units;
    let bounds = &p.bounds;
    let clusters = &shaped.clusters;
    let e = fit.end.clamp(i, j);
    let mut adjust = LineAdjust {
        natural: fit.natural,
        spaces: fit.spaces,
        gaps: fit.gaps,
        hung: fit.hang,
        ..LineAdjust::default()
    };

    let content_end = if fit.hang { e + 1 } else { e };
    let m = content_end - i;
    let overshoot = mark_cuts(p, i, e, fit, cuts);
    let (sp_ratio, gap_ratio) = stretch_ratios(p, i, e, fit);
    let Cuts {
        lcut,
        rcut,
        rule_l,
        rule_r,
    } = cuts;
    let mut spread = fit.spread;
    let justify = ctx.justified(j);
    if overshoot > 0.0 && justify {
        let n = (i + 1..e)
            .filter(|&b| bounds[b].spread || fit.spread_all)
            .count();
        if n > 0 {
            spread += overshoot / n as f32;
        }
    }
    adjust.spread = spread;

    // Place.
    let start = if i == 0 { ctx.indent } else { 0.0 };
    let mut pen = start;
    let mut glyphs = Vec::with_capacity(j - i);
    let mut width = start;
    for k in i..j {
        let u = &units[k];
        let c = &clusters[k];
        let trailing = k >= content_end;
        if k > i && k < e {
            let b = &bounds[k];
            let gap = b.gap
                + gap_ratio
                    * if gap_ratio >= 0.0 {
                        b.gap_max - b.gap
                    } else {
                        b.gap - b.gap_min
                    };
            pen += gap;
            if b.spread || fit.spread_all {
                pen += spread;
            }
        }
        let x = k - i;
        let (lc, rc) = if x < m {
            (lcut[x], rcut[x])
        } else {
            (false, false)
        };
        let mut box_w = u.w - if lc { u.lb } else { 0.0 } - if rc { u.rb } else { 0.0 };
        if u.class == CharClass::Space && !trailing {
            box_w += sp_ratio
                * if sp_ratio >= 0.0 {
                    u.max - u.w
                } else {
                    u.w - u.min
                };
        }
        if trailing {
            // Spaces at the line end take no room (and a break after them).
            box_w = 0.0;
        }
        if lc {
            adjust.marks.push(MarkAdjust {
                byte: c.range.start,
                rule: rule_l[x],
                amount: u.lb,
            });
        }
        if rc {
            adjust.marks.push(MarkAdjust {
                byte: c.range.start,
                rule: rule_r[x],
                amount: u.rb,
            });
        }
        let origin = pen + u.dx - if lc { u.lb } else { 0.0 };
        let box_end = pen + box_w;
        let mut gx = origin;
        let ng = c.glyphs.len();
        for (gi, g) in c.glyphs.iter().enumerate() {
            let x = gx + g.x_offset;
            let advance = if gi + 1 == ng { box_end - x } else { g.advance };
            glyphs.push(PlacedGlyph {
                face: g.face,
                glyph_id: g.glyph_id,
                size: g.size,
                x,
                y_offset: g.y_offset,
                advance,
                range: c.range.clone(),
                missing: c.missing,
            });
            gx += g.advance;
        }
        pen = box_end;
        if k + 1 == e {
            // The content ends here; a hung mark and trailing spaces lie
            // past the set width.
            width = pen;
        }
    }

    let n = units.len();
    let text_end = shaped.text.len();
    let range_start = if i == 0 { 0 } else { clusters[i].range.start };
    let range_end = if j == n {
        text_end
    } else {
        clusters[j].range.start
    };
    let overfull = fit.over > 0.0 || width > ctx.measure + MEASURE_TOLERANCE;
    let broken_rule = if j < n && bounds[j].tier > 0 {
        bounds[j].rule.map(|r| {
            let a = units[j - 1].ch;
            let b = units[j].ch;
            format!("{r} (break between '{a}' and '{b}')")
        })
    } else {
        None
    };
    // A justified line whose width drifted by float error is snapped: the
    // composer reads `width` for the measure.
    if justify && !overfull && (width - ctx.measure).abs() < MEASURE_TOLERANCE {
        width = ctx.measure;
    }
    Line {
        range: range_start..range_end,
        glyphs,
        width,
        last,
        overfull,
        broken_rule,
        adjust,
    }
}
