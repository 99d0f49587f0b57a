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
//! three quarters or half of it). When no tiling fills the page so, a
//! module's box may be two lines taller than its text (the module
//! takes one line more, as in [`Fill::OneLine`], and leaves the other
//! empty below it). A page no tiling fills (the edition's
//! last, or one whose articles leave no exact fit) is packed from the top,
//! leaving its hole at the foot of a region.

pub use super::regions::free_regions;
#[cfg(test)]
use super::regions::{covers, overlaps};
use super::tiling::Run;

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
    /// Some module's box two grid lines taller than its text: the module
    /// one line taller, an empty grid line below it (tried only on a page
    /// that would be packed, not the edition's last).
    TwoLines,
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

/// The best chain a mode found: articles placed, the lead's span, and the
/// chain to build the modules from.
struct Best {
    placed: usize,
    lead_span: u32,
    /// Which of the run's lead spans it is.
    slot: usize,
    layers: Vec<Vec<Step>>,
    end: usize,
}

/// Try each of the run's lead spans (its memo shared by them all), until
/// one places every article if `until_all`: the first chain placing the
/// most articles.
fn best_lead(run: &mut Run<'_>, packed: bool, until_all: bool) -> Option<Best> {
    let mut best: Option<Best> = None;
    for (slot, lead_span) in run.leads().into_iter().enumerate() {
        run.set_lead(slot);
        let layers = chain(run, packed);
        let Some(end) = best_end(&layers) else {
            continue;
        };
        let placed = layers.last().map_or(0, |l| l[end].placed);
        if placed > best.as_ref().map_or(0, |b| b.placed) {
            best = Some(Best {
                placed,
                lead_span,
                slot,
                layers,
                end,
            });
        }
        if until_all && placed == run.problem.articles {
            break;
        }
    }
    best
}

/// Make up a page: the most articles of the window the regions hold, in
/// priority order, and their modules.
pub fn solve(problem: &Problem, oracle: &dyn Oracle) -> Solution {
    let widest = problem.regions.first().map_or(0, |r| r.columns);
    match exact(
        problem,
        oracle,
        &[Fill::OneLine, Fill::TallModule],
        Vec::new(),
    ) {
        Ok(solution) => solution,
        Err(tried) => packed(problem, oracle, widest, tried),
    }
}

/// A page [`solve`] packed, tried again letting a module be two lines
/// taller than its text ([`Fill::TwoLines`]): the tiling if one places an
/// article, else `None` (the packed page stands).
pub fn solve_two_lines(
    problem: &Problem,
    oracle: &dyn Oracle,
    packed: &Solution,
) -> Option<Solution> {
    exact(problem, oracle, &[Fill::TwoLines], packed.tried.clone()).ok()
}

/// The first of `modes` placing the most articles with a tiling that
/// fills the regions, or what each tried when none places one.
fn exact(
    problem: &Problem,
    oracle: &dyn Oracle,
    modes: &[Fill],
    mut tried: Vec<Tried>,
) -> Result<Solution, Vec<Tried>> {
    let widest = problem.regions.first().map_or(0, |r| r.columns);
    let mut best: Option<(Run<'_>, Best, Fill)> = None;
    for &fill in modes {
        let mut run = Run::new(problem, oracle, fill, &lead_spans(widest));
        let mode_best = best_lead(&mut run, false, true);
        tried.push(Tried {
            fill,
            best: mode_best.as_ref().map(|b| (b.placed, b.lead_span)),
        });
        if let Some(mode_best) = mode_best {
            if mode_best.placed > best.as_ref().map_or(0, |b| b.1.placed) {
                best = Some((run, mode_best, fill));
            }
        }
        if best
            .as_ref()
            .is_some_and(|b| b.1.placed == problem.articles)
        {
            break;
        }
    }
    let Some((mut run, best, fill)) = best else {
        return Err(tried);
    };
    run.set_lead(best.slot);
    let modules = modules_of(&mut run, &best.layers, best.end);
    let exact = modules
        .iter()
        .all(|m| oracle.module_lines(m.article, m.area.columns, m.level) == Some(m.area.lines));
    Ok(Solution {
        placed: best.placed,
        modules,
        fill: if exact { Fill::Exact } else { fill },
        tried,
    })
}

/// The lead's spans tried, widest first: the whole width, three quarters
/// and half of it (DESIGN §7: the lead in the widest module).
fn lead_spans(widest: u32) -> Vec<u32> {
    let mut spans = vec![widest, (widest * 3).div_ceil(4), widest.div_ceil(2)];
    spans.dedup();
    spans
}

/// No exact tiling: pack the regions from the top, the most articles
/// first, then the widest lead.
fn packed(problem: &Problem, oracle: &dyn Oracle, widest: u32, tried: Vec<Tried>) -> Solution {
    let spans: Vec<u32> = (1..=widest).rev().collect();
    let mut run = Run::new(problem, oracle, Fill::Packed, &spans);
    let mut solution = Solution {
        placed: 0,
        modules: Vec::new(),
        fill: Fill::Packed,
        tried,
    };
    if let Some(best) = best_lead(&mut run, true, true) {
        run.set_lead(best.slot);
        solution.placed = best.placed;
        solution.modules = modules_of(&mut run, &best.layers, best.end);
    }
    solution
}

#[cfg(test)]
#[path = "guillotine_tests.rs"]
mod tests;
