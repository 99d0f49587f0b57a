//! The search of automatic make-up (issue 15, DESIGN §7): which of the
//! next articles in priority order fill a page, and the guillotine tiling
//! of its free area that holds them, one module per article.
//!
//! Pure: it sees the page only as grid rectangles and each article only
//! through an [`Oracle`] (the grid lines a module of a given span and
//! headline level needs), so property tests drive it with a synthetic one.
//!
//! Exact dynamic programming over guillotine cuts. Articles are placed in
//! reading order (top before bottom, left before right), so the articles
//! of any sub-rectangle are a contiguous run `i..j` of the window; the
//! state is (width, `i`, `j`, the headline level cap coming in) and its
//! value, for each level cap going out, the set of heights the run can
//! tile exactly, as a bit set. A cut across adds heights (a Minkowski sum
//! of the two sets), a cut down intersects them. Headline levels are
//! capped in reading order (an article never gets a larger headline than
//! the one before it), and the lead (the window's first article) is at the
//! top of the first region in the widest module: a run of the search fixes
//! the lead's span and caps every other span at it.
//!
//! The objective, in order: the most articles of the window placed (the
//! rest go to the next page, still in priority order); no hole (a module
//! at most one grid line taller than its text); modules no taller than
//! `max_aspect` times their width; the widest lead (the whole width,
//! three quarters or half of it). A page no tiling fills (the edition's
//! last, or one whose articles leave no exact fit) is packed from the top,
//! leaving its hole at the foot of a region.

use std::rc::Rc;

use super::heights::Heights;
pub use super::regions::free_regions;
#[cfg(test)]
use super::regions::{covers, overlaps};

/// A headline level: 0 is the lead's, then the table's rows from the
/// largest size down. A larger level is a smaller headline.
pub type Level = usize;

/// What the search knows of the articles of a window.
pub trait Oracle {
    /// Grid lines a module of `span` columns needs for article `article`
    /// (0-based in the window) with its headline at `level`: headline
    /// block, balanced body and the blank line for the rule below the
    /// module; `None` when the article may not be set at that span and
    /// level (its headline would take too many lines, a column would hold
    /// too few lines).
    fn module_lines(&self, article: usize, span: u32, level: Level) -> Option<u32>;

    /// The headline level the layout's table gives a span (at least 1).
    fn span_level(&self, span: u32) -> Level;

    /// Grid cells (columns × lines) every module of the article covers at
    /// least, at any span: a lower bound that prunes runs of articles too
    /// large for a rectangle.
    fn least_cells(&self, article: usize) -> u32;
}

/// A rectangle of the grid, 0-based column and line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region {
    /// First column, 0-based.
    pub column: u32,
    /// First line, 0-based from the top of the grid.
    pub line: u32,
    /// Columns across.
    pub columns: u32,
    /// Lines down. A region that reaches the page foot counts one line
    /// more, below the grid, for the rule line the module at the foot
    /// does not need, so every module is its text plus one line.
    pub lines: u32,
}

/// A page to make up.
#[derive(Debug, Clone)]
pub struct Problem {
    /// The free rectangles in reading order; the lead goes at the top of
    /// the first.
    pub regions: Vec<Region>,
    /// Articles in the window, in priority order.
    pub articles: usize,
    /// Headline levels there are, the lead's included.
    pub levels: usize,
    /// The tallest module allowed at each span (index = span), from the
    /// layout's `max_aspect`.
    pub tallest: Vec<u32>,
}

/// One module of the tiling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placed {
    /// 0-based article of the window.
    pub article: usize,
    /// Where it stands (lines may reach the line below the grid; see
    /// [`Region::lines`]).
    pub area: Region,
    /// Its headline level.
    pub level: Level,
}

/// How a page was filled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fill {
    /// Every module as tall as its text (found by the search for
    /// [`Fill::OneLine`] when no module needed its line).
    Exact,
    /// Some module one grid line taller than its text.
    OneLine,
    /// As [`Fill::OneLine`], with a module taller than `max_aspect` allows.
    TallModule,
    /// No tiling fills the page: packed from the top.
    Packed,
}

/// The search's answer for a page.
#[derive(Debug, Clone)]
pub struct Solution {
    /// Articles of the window placed (the first `placed`).
    pub placed: usize,
    /// Their modules, in reading order.
    pub modules: Vec<Placed>,
    /// How the page was filled.
    pub fill: Fill,
    /// What was tried: for each mode in order, the most articles an exact
    /// tiling placed (and with which lead span).
    pub tried: Vec<Tried>,
}

/// One mode of the search and its best result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tried {
    /// The mode.
    pub fill: Fill,
    /// Most articles placed, and the lead's span then.
    pub best: Option<(usize, u32)>,
}

/// For each level cap going out, the heights a run tiles.
type ByCap = Rc<Vec<Heights>>;

/// One run of the search: a mode and the lead's span, with its memo.
struct Run<'p> {
    problem: &'p Problem,
    oracle: &'p dyn Oracle,
    /// Grid lines a module may be taller than its text.
    slack: u32,
    /// Packing from the top: a module may be as tall as the region, and a
    /// rectangle may leave columns on its right empty.
    packed: bool,
    /// Keep modules within `tallest`.
    aspect: bool,
    /// The lead's span; no other module is wider.
    lead_span: u32,
    /// Tallest region, the limit of every height set.
    max_lines: u32,
    /// [`Oracle::least_cells`] summed: `cells_before[i]` over articles `..i`.
    cells_before: Vec<u32>,
    /// Answers by (width, first, end, cap), densely indexed.
    memo: Vec<Option<ByCap>>,
}

impl<'p> Run<'p> {
    fn new(problem: &'p Problem, oracle: &'p dyn Oracle, fill: Fill, lead_span: u32) -> Self {
        let max_lines = problem.regions.iter().map(|r| r.lines).max().unwrap_or(0);
        Run {
            problem,
            oracle,
            slack: match fill {
                Fill::Exact | Fill::OneLine | Fill::TallModule => 1,
                Fill::Packed => max_lines,
            },
            packed: fill == Fill::Packed,
            aspect: matches!(fill, Fill::Exact | Fill::OneLine),
            lead_span,
            max_lines,
            cells_before: std::iter::once(0)
                .chain((0..problem.articles).scan(0, |sum, a| {
                    *sum += oracle.least_cells(a);
                    Some(*sum)
                }))
                .collect(),
            memo: vec![None; Self::memo_len(problem)],
        }
    }

    fn memo_len(problem: &Problem) -> usize {
        let widest = problem.regions.iter().map(|r| r.columns).max().unwrap_or(0) as usize;
        let n = problem.articles;
        (widest + 1) * (n + 1) * (n + 1) * problem.levels.max(1)
    }

    fn memo_index(&self, w: u32, i: usize, j: usize, cap: Level) -> usize {
        let n = self.problem.articles;
        ((w as usize * (n + 1) + i) * (n + 1) + j) * self.problem.levels + cap
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
    fn tile(&mut self, w: u32, i: usize, j: usize, cap: Level) -> ByCap {
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
                let top = self.tile(w, i, k, cap);
                for (c1, a) in top.iter().enumerate().filter(|(_, a)| !a.is_empty()) {
                    let bottom = self.tile(w, k, j, c1);
                    for (c2, b) in bottom.iter().enumerate() {
                        if !b.is_empty() {
                            a.sums_into(b, &mut out[c2]);
                        }
                    }
                }
                for w1 in 1..w {
                    let left = self.tile(w1, i, k, cap);
                    for (c1, a) in left.iter().enumerate().filter(|(_, a)| !a.is_empty()) {
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
    fn build(
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
                    // stays below it, never inside.
                    let lines = if self.packed { need } else { h };
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
            let top = self.tile(w, i, k, cap);
            for c1 in 0..top.len() {
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

/// Where a run reached after some regions: articles placed, level cap,
/// and how (the region's articles, cap and height, and the state before).
#[derive(Debug, Clone, Copy)]
struct Step {
    placed: usize,
    cap: Level,
    /// (state index before, cap out, height used) of the region.
    from: Option<(usize, usize, Level, u32)>,
}

/// Fill the regions in turn with runs of articles: every state reachable
/// after each region, and back-pointers. `packed` lets a region hold less
/// than its height (its hole at the foot) or nothing.
fn chain(run: &mut Run<'_>, packed: bool) -> Vec<Vec<Step>> {
    let n = run.problem.articles;
    let mut layers = vec![vec![Step {
        placed: 0,
        cap: 0,
        from: None,
    }]];
    for r in run.problem.regions.clone() {
        let mut next: Vec<Step> = Vec::new();
        let before = layers.last().cloned().unwrap_or_default();
        for (si, s) in before.iter().enumerate() {
            if packed {
                next.push(Step {
                    from: Some((si, s.placed, s.cap, 0)),
                    ..*s
                });
            }
            for j in s.placed + 1..=n {
                let sets = run.tile(r.columns, s.placed, j, s.cap);
                for (c2, set) in sets.iter().enumerate() {
                    let height = if packed {
                        (1..=r.lines).find(|&h| set.contains(h))
                    } else {
                        set.contains(r.lines).then_some(r.lines)
                    };
                    if let Some(h) = height {
                        next.push(Step {
                            placed: j,
                            cap: c2,
                            from: Some((si, s.placed, s.cap, h)),
                        });
                    }
                }
            }
        }
        // One state per (placed, cap): the first found, which filled the
        // earlier regions most (they are tried from the top down).
        let mut seen = std::collections::HashSet::new();
        next.retain(|s| seen.insert((s.placed, s.cap)));
        layers.push(next);
    }
    layers
}

/// The best end state of a chain: most articles, then the first found.
fn best_end(layers: &[Vec<Step>]) -> Option<usize> {
    let last = layers.last()?;
    (0..last.len()).max_by_key(|&s| (last[s].placed, std::cmp::Reverse(s)))
}

/// The modules of the chain ending at state `end` of the last layer.
fn modules_of(run: &mut Run<'_>, layers: &[Vec<Step>], end: usize) -> Vec<Placed> {
    let mut per_region = Vec::new();
    let mut s = end;
    for (ri, layer) in layers.iter().enumerate().skip(1).rev() {
        let step = layer[s];
        let Some((before, i, cap, h)) = step.from else {
            break;
        };
        per_region.push((ri - 1, i, step.placed, cap, step.cap, h));
        s = before;
    }
    let mut modules = Vec::new();
    for (ri, i, j, cap, out, h) in per_region.into_iter().rev() {
        if j == i || h == 0 {
            continue;
        }
        let at = Region {
            lines: h,
            ..run.problem.regions[ri]
        };
        let built = run.build(at, i, j, cap, out, &mut modules);
        debug_assert!(built, "a tiling the search found can be built");
    }
    modules
}

/// Make up a page: the most articles of the window the regions hold, in
/// priority order, and their modules.
pub fn solve(problem: &Problem, oracle: &dyn Oracle) -> Solution {
    let widest = problem.regions.first().map_or(0, |r| r.columns);
    let mut tried = Vec::new();
    let mut best: Option<(usize, Fill, u32)> = None;
    for fill in [Fill::OneLine, Fill::TallModule] {
        let mut mode_best: Option<(usize, u32)> = None;
        for lead_span in lead_spans(widest) {
            let mut run = Run::new(problem, oracle, fill, lead_span);
            let layers = chain(&mut run, false);
            let Some(end) = best_end(&layers) else {
                continue;
            };
            let placed = layers.last().map_or(0, |l| l[end].placed);
            if placed > mode_best.map_or(0, |b| b.0) {
                mode_best = Some((placed, lead_span));
            }
            if placed == problem.articles {
                break;
            }
        }
        tried.push(Tried {
            fill,
            best: mode_best,
        });
        if let Some((placed, span)) = mode_best {
            if placed > best.map_or(0, |b| b.0) {
                best = Some((placed, fill, span));
            }
        }
        if best.is_some_and(|b| b.0 == problem.articles) {
            break;
        }
    }
    if let Some((_, fill, lead_span)) = best {
        let mut run = Run::new(problem, oracle, fill, lead_span);
        let layers = chain(&mut run, false);
        if let Some(end) = best_end(&layers) {
            let placed = layers.last().map_or(0, |l| l[end].placed);
            let modules = modules_of(&mut run, &layers, end);
            let exact = modules.iter().all(|m| {
                oracle.module_lines(m.article, m.area.columns, m.level) == Some(m.area.lines)
            });
            return Solution {
                placed,
                modules,
                fill: if exact { Fill::Exact } else { fill },
                tried,
            };
        }
    }
    packed(problem, oracle, widest, tried)
}

/// The lead's spans tried, widest first: the whole width, three quarters
/// and half of it (DESIGN §7: the lead in the widest module); each is a
/// run of the search, so they are few.
fn lead_spans(widest: u32) -> Vec<u32> {
    let mut spans = vec![widest, (widest * 3).div_ceil(4), widest.div_ceil(2)];
    spans.dedup();
    spans
}

/// No exact tiling: pack the regions from the top, the most articles
/// first, then the widest lead.
fn packed(problem: &Problem, oracle: &dyn Oracle, widest: u32, tried: Vec<Tried>) -> Solution {
    let mut best: Option<(usize, u32)> = None;
    for lead_span in (1..=widest).rev() {
        let mut run = Run::new(problem, oracle, Fill::Packed, lead_span);
        let layers = chain(&mut run, true);
        if let Some(end) = best_end(&layers) {
            let placed = layers.last().map_or(0, |l| l[end].placed);
            if placed > best.map_or(0, |b| b.0) {
                best = Some((placed, lead_span));
            }
        }
    }
    let mut solution = Solution {
        placed: 0,
        modules: Vec::new(),
        fill: Fill::Packed,
        tried,
    };
    if let Some((_, lead_span)) = best {
        let mut run = Run::new(problem, oracle, Fill::Packed, lead_span);
        let layers = chain(&mut run, true);
        if let Some(end) = best_end(&layers) {
            solution.placed = layers.last().map_or(0, |l| l[end].placed);
            solution.modules = modules_of(&mut run, &layers, end);
        }
    }
    solution
}

#[cfg(test)]
#[path = "guillotine_tests.rs"]
mod tests;
