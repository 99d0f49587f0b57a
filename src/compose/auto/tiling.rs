//! The dynamic programme of the search (`guillotine`): for a rectangle of
//! `w` columns and a run `i..j` of the window's articles after a headline
//! level cap, the set of heights the run tiles exactly, for each cap going
//! out; and one tiling of a rectangle the sets say exists.
//!
//! One [`Run`] serves every lead span the search tries in a mode: a state
//! whose articles are not the lead's and whose rectangle is no wider than
//! the lead's module tiles the same whatever the lead's span (all its
//! modules are narrower than the lead's anyway), so its answer is kept
//! once for all of them; only the states holding the lead, or wider than
//! it, are kept per lead span.

use std::rc::Rc;

use super::guillotine::{Fill, Level, Oracle, Placed, Problem, Region};
use super::heights::Heights;

/// Grid lines the box of a module may be taller than its text in
/// [`Fill::TwoLines`]: the module takes one of them, the other stays an
/// empty grid line below it (a hole the acceptance allows).
const TWO_LINES_SLACK: u32 = 2;

/// For each level cap going out, the heights a run tiles.
type ByCap = Rc<Vec<Heights>>;

/// The search in one mode, with its memo; `lead_span` is set before each
/// lead span is tried.
pub(super) struct Run<'p> {
    pub(super) problem: &'p Problem,
    oracle: &'p dyn Oracle,
    /// Grid lines a module may be taller than its text.
    slack: u32,
    /// Packing from the top: a module may be as tall as the region, and a
    /// rectangle may leave columns on its right empty.
    packed: bool,
    /// Keep modules within `tallest`.
    aspect: bool,
    /// The lead's span; no other module is wider. Set with
    /// [`Run::set_lead`].
    lead_span: u32,
    /// The lead spans the run tries, in order.
    leads: Vec<u32>,
    /// Which of them `lead_span` is, from 1 (0 is the memo's slot of the
    /// states alike for every lead span).
    lead_slot: usize,
    /// Widest region, the limit of every width.
    widest: u32,
    /// Tallest region, the limit of every height set.
    max_lines: u32,
    /// [`Oracle::least_cells`] summed: `cells_before[i]` over articles `..i`.
    cells_before: Vec<u32>,
    /// For each width, the lowest level a module that narrow or narrower
    /// takes: a cap no higher changes nothing in a rectangle that wide.
    floor: Vec<Level>,
    /// Answers by (lead slot, width, first, end, cap), densely indexed.
    memo: Vec<Option<ByCap>>,
}

impl<'p> Run<'p> {
    pub(super) fn new(
        problem: &'p Problem,
        oracle: &'p dyn Oracle,
        fill: Fill,
        leads: &[u32],
    ) -> Self {
        let max_lines = problem.regions.iter().map(|r| r.lines).max().unwrap_or(0);
        let widest = problem.regions.iter().map(|r| r.columns).max().unwrap_or(0);
        let n = problem.articles;
        let slots = leads.len() + 1;
        let memo_len = slots * (widest as usize + 1) * (n + 1) * (n + 1) * problem.levels.max(1);
        Run {
            problem,
            oracle,
            slack: match fill {
                Fill::Exact | Fill::OneLine | Fill::TallModule => 1,
                Fill::TwoLines => TWO_LINES_SLACK,
                Fill::Packed => max_lines,
            },
            packed: fill == Fill::Packed,
            aspect: matches!(fill, Fill::Exact | Fill::OneLine | Fill::TwoLines),
            lead_span: leads.first().copied().unwrap_or(widest),
            leads: leads.to_vec(),
            lead_slot: 1,
            widest,
            max_lines,
            cells_before: std::iter::once(0)
                .chain((0..n).scan(0, |sum, a| {
                    *sum += oracle.least_cells(a);
                    Some(*sum)
                }))
                .collect(),
            floor: (0..=widest)
                .map(|w| (1..=w).map(|s| oracle.span_level(s)).min().unwrap_or(0))
                .collect(),
            memo: vec![None; memo_len],
        }
    }

    /// Try the lead span at `slot` of the spans the run was made with.
    pub(super) fn set_lead(&mut self, slot: usize) {
        self.lead_slot = slot + 1;
        self.lead_span = self.leads[slot];
    }

    /// The lead spans the run was made with.
    pub(super) fn leads(&self) -> Vec<u32> {
        self.leads.clone()
    }

    fn memo_index(&self, w: u32, i: usize, j: usize, cap: Level) -> usize {
        let n = self.problem.articles;
        // Only the lead's states and those wider than its module depend
        // on its span.
        let lead = if i > 0 && w <= self.lead_span {
            0
        } else {
            self.lead_slot
        };
        let wide = self.widest as usize + 1;
        (((lead * wide + w as usize) * (n + 1) + i) * (n + 1) + j) * self.problem.levels + cap
    }

    /// The level and lines of article `i` alone at span `w` after `cap`.
    fn leaf(&self, w: u32, i: usize, cap: Level) -> Option<(Level, u32)> {
        let allowed = if i == 0 {
            w == self.lead_span
        } else {
            w <= self.lead_span
        };
        if !allowed {
            return None;
        }
        let level = if i == 0 {
            0
        } else {
            self.oracle.span_level(w).max(cap)
        };
        if level >= self.problem.levels {
            return None;
        }
        let need = self.oracle.module_lines(i, w, level)?;
        let tallest = self.problem.tallest.get(w as usize).copied().unwrap_or(0);
        if need == 0 || need > self.max_lines || (self.aspect && need > tallest) {
            return None;
        }
        Some((level, need))
    }

    /// Heights a `w`-column rectangle tiles with articles `i..j` after
    /// headline level `cap`, for each cap going out.
    pub(super) fn tile(&mut self, w: u32, i: usize, j: usize, cap: Level) -> ByCap {
        // Every module in the rectangle takes its span's level or more
        // and the first sets the cap for the rest: a cap below them all
        // is no cap.
        let cap = if cap <= self.floor[w as usize] {
            0
        } else {
            cap
        };
        let index = self.memo_index(w, i, j, cap);
        if let Some(done) = &self.memo[index] {
            return done.clone();
        }
        let levels = self.problem.levels;
        let mut out = vec![Heights::empty(self.max_lines); levels];
        let too_large = self.cells_before[j] - self.cells_before[i] > w * self.max_lines;
        if too_large {
            // No text of these articles fits: nothing to tile.
        } else if j == i + 1 {
            if let Some((level, need)) = self.leaf(w, i, cap) {
                for h in need..=need + self.slack {
                    out[level].insert(h);
                }
            }
        } else {
            for k in i + 1..j {
                // Whatever tiles `w1` columns `h` lines tall with articles
                // `k..j` covers their least cells: rectangles that cannot
                // are never asked about.
                let rest = self.cells_before[j] - self.cells_before[k];
                let top = self.tile(w, i, k, cap);
                for (c1, a) in top.iter().enumerate() {
                    let Some(low) = a.min() else { continue };
                    if low + rest.div_ceil(w) > self.max_lines {
                        continue;
                    }
                    let bottom = self.tile(w, k, j, c1);
                    for (c2, b) in bottom.iter().enumerate() {
                        if !b.is_empty() {
                            a.sums_into(b, &mut out[c2]);
                        }
                    }
                }
                for w1 in 1..w {
                    let left = self.tile(w1, i, k, cap);
                    for (c1, a) in left.iter().enumerate() {
                        let Some(high) = a.max() else { continue };
                        if high * (w - w1) < rest {
                            continue;
                        }
                        let right = self.tile(w - w1, k, j, c1);
                        for (c2, b) in right.iter().enumerate() {
                            a.intersects_into(b, &mut out[c2]);
                        }
                    }
                }
            }
        }
        if self.packed && w > 1 {
            let narrower = self.tile(w - 1, i, j, cap);
            for (o, n) in out.iter_mut().zip(narrower.iter()) {
                n.intersects_into(n, o);
            }
        }
        let out = Rc::new(out);
        self.memo[index] = Some(out.clone());
        out
    }

    /// The modules of one tiling of a `w` × `h` rectangle at (`column`,
    /// `line`) with articles `i..j` after `cap`, ending at cap `out`; the
    /// search found it exists. Cuts across are tried before cuts down, and
    /// the shorter top first, so the lead stands alone across the top
    /// where it can.
    pub(super) fn build(
        &mut self,
        at: Region,
        i: usize,
        j: usize,
        cap: Level,
        out: Level,
        modules: &mut Vec<Placed>,
    ) -> bool {
        let (w, h) = (at.columns, at.lines);
        if j == i + 1 {
            if let Some((level, need)) = self.leaf(w, i, cap) {
                if level == out && (need..=need + self.slack).contains(&h) {
                    // Packed, a module is as tall as its text: the hole
                    // stays below it, never inside. With two lines of
                    // slack it takes one more at most (its columns stay
                    // balanced) and leaves a grid line empty below it.
                    let lines = if self.packed { need } else { h.min(need + 1) };
                    modules.push(Placed {
                        article: i,
                        area: Region { lines, ..at },
                        level,
                    });
                    return true;
                }
            }
        }
        for k in i + 1..j {
            let rest = self.cells_before[j] - self.cells_before[k];
            let top = self.tile(w, i, k, cap);
            for c1 in 0..top.len() {
                // As `tile` prunes: a bottom too short for its articles.
                if top[c1].min().is_none_or(|low| low + rest.div_ceil(w) > h) {
                    continue;
                }
                let bottom = self.tile(w, k, j, c1);
                let Some(a) = top[c1]
                    .iter()
                    .find(|&a| a < h && bottom[out].contains(h - a))
                else {
                    continue;
                };
                let upper = Region { lines: a, ..at };
                let lower = Region {
                    line: at.line + a,
                    lines: h - a,
                    ..at
                };
                return self.build(upper, i, k, cap, c1, modules)
                    && self.build(lower, k, j, c1, out, modules);
            }
        }
        for w1 in 1..w {
            for k in i + 1..j {
                let left = self.tile(w1, i, k, cap);
                for c1 in 0..left.len() {
                    if !left[c1].contains(h) || !self.tile(w - w1, k, j, c1)[out].contains(h) {
                        continue;
                    }
                    let l = Region { columns: w1, ..at };
                    let r = Region {
                        column: at.column + w1,
                        columns: w - w1,
                        ..at
                    };
                    return self.build(l, i, k, cap, c1, modules)
                        && self.build(r, k, j, c1, out, modules);
                }
            }
        }
        if self.packed && w > 1 && self.tile(w - 1, i, j, cap)[out].contains(h) {
            let narrower = Region {
                columns: w - 1,
                ..at
            };
            return self.build(narrower, i, j, cap, out, modules);
        }
        false
    }
}
