//! Automatic make-up (issue 15, DESIGN §7): articles no module names fill
//! pages made of modules, a guillotine tiling of the type area (or of what
//! a page's fixed modules leave) chosen by `guillotine`, each article's
//! height at each span measured by `oracle`. The modules chosen are set as
//! planned modules are (`set_module`), so balancing, headlines, copyfit,
//! the fit report and the dump treat them alike; `[auto] flow = "galley"`
//! keeps the old flow down single columns instead.
//!
//! Pages are made one at a time from the articles left, in priority
//! (source) order: the search takes a window of the next articles, places
//! the most of them it can tile the page with, and leaves the rest, in
//! order, to the next page.
//!
//! `BROADSHEET_MAKEUP_TIMES=1` prints each page's search time on stderr
//! (profiling only; nothing in any output file changes).

pub(super) mod guillotine;
mod heights;
mod oracle;
mod regions;
mod report;
mod tiling;

use std::collections::{HashMap, VecDeque};

use guillotine::{Fill, Problem, Region};
use oracle::{Answers, Body, ComposerOracle, Measured};

use super::fill::Cursor;
use super::flow::MAX_AUTO_PAGES;
use super::module::Setting;
use super::report::FlowStopped;
use super::Composer;
use crate::layout::{ArticleRef, ContinueTo, ModuleSpec};

pub use report::{MakeupModule, MakeupPage};

/// Most articles the search weighs for one page: enough for a broadsheet
/// page of short stories, few enough for the search to stay within its
/// time (issue 15: 50 ms a page).
const MAX_WINDOW: usize = 12;
/// The most a window is widened to when its articles all fit and leave
/// the page unfilled (short stories).
const MAX_WINDOW_WIDENED: usize = 24;
/// Articles a window is widened by at a time.
const WINDOW_STEP: usize = 4;
/// Grid lines a headline block takes, about, when sizing the window.
const HEAD_ESTIMATE_LINES: u32 = 3;
/// How much more text than the page holds the window may weigh, in
/// percent: the search needs choice to fill the page exactly.
const WINDOW_SLACK_PERCENT: u32 = 130;

/// What make-up carries from page to page.
pub(super) struct Queue {
    /// Articles left, in priority order.
    left: VecDeque<usize>,
    /// Bodies measured and not yet set.
    bodies: HashMap<usize, Body>,
    /// An article longer than a page, running on to the next: where its
    /// text stands.
    carry: Option<(usize, Cursor)>,
    /// The oracle's answers so far.
    answers: Answers,
}

impl<'a> Composer<'a> {
    /// Fill the planned pages marked `auto = true` with articles from
    /// `unplaced`, in order; returns the articles still left.
    pub(super) fn make_up_planned(&mut self, unplaced: &[usize]) -> Queue {
        let mut queue = Queue {
            left: unplaced.iter().copied().collect(),
            bodies: HashMap::new(),
            carry: None,
            answers: Answers::default(),
        };
        for (pi, spec) in self.layout.pages.iter().enumerate() {
            if spec.auto && !queue.left.is_empty() {
                self.make_up_page(pi, &mut queue);
            }
        }
        queue
    }

    /// Make up new pages after the last with the articles left, until none
    /// is (or the page limit stops it).
    pub(super) fn make_up_pages(&mut self, mut queue: Queue) {
        while let Some(next) = queue.carry.map(|c| c.0).or(queue.left.front().copied()) {
            let pi = self.pages.len();
            if pi >= MAX_AUTO_PAGES {
                self.report.flow_stopped = Some(FlowStopped {
                    pages: MAX_AUTO_PAGES,
                    article: next + 1,
                    at: self.headline_line(next),
                });
                return;
            }
            self.hand_off(pi);
            let section = if pi == 0 { "要闻" } else { "" };
            self.new_page(pi, section);
            if let Some((article, cursor)) = queue.carry.take() {
                queue.carry = self.run_on(pi, article, cursor);
            }
            if queue.carry.is_none() && !queue.left.is_empty() {
                self.make_up_page(pi, &mut queue);
            }
        }
    }

    /// The type area of page `pi` (below the masthead on page 1), with the
    /// line below the grid that the modules at the foot do not use.
    fn auto_area(&self, pi: usize) -> Region {
        let g = self.grid();
        let first = if pi == 0 {
            self.layout.masthead_lines
        } else {
            0
        };
        Region {
            column: 0,
            line: first,
            columns: g.columns,
            lines: g.lines - first + 1,
        }
    }

    /// The modules already on page `pi` (fixed by the layout), as grid
    /// rectangles; one that reaches the foot takes the line below it too.
    fn fixed_regions(&self, pi: usize) -> Vec<Region> {
        let g = self.grid();
        let step = g.column_width() + g.gutter();
        self.pages[pi]
            .modules
            .iter()
            .filter(|m| m.height > 0.0)
            .map(|m| {
                let line = ((m.y - g.top) / g.pitch).round() as u32;
                let lines = (m.height / g.pitch).round() as u32;
                Region {
                    column: ((m.x - g.left) / step).round() as u32,
                    line,
                    columns: ((m.width + g.gutter()) / step).round() as u32,
                    lines: if line + lines >= g.lines {
                        lines + 1
                    } else {
                        lines
                    },
                }
            })
            .collect()
    }

    /// The next articles the search weighs, each measured: as many as the
    /// free area could hold with some to spare, at least one.
    fn window(&mut self, queue: &mut Queue, cells: u32, limit: usize) -> (Vec<usize>, Measured) {
        // A wider window weighs proportionally more text.
        let budget = (cells * WINDOW_SLACK_PERCENT / 100) as usize * limit / MAX_WINDOW;
        let budget = budget as u32;
        let g_columns = self.grid().columns;
        let (mut articles, mut lines, mut keeps, mut used) =
            (Vec::new(), Vec::new(), Vec::new(), 0);
        for &a in queue.left.iter().take(limit) {
            if let std::collections::hash_map::Entry::Vacant(e) = queue.bodies.entry(a) {
                e.insert(self.measure_body(a));
            }
            let body = queue.bodies[&a].lines;
            if !articles.is_empty() && used + body > budget {
                break;
            }
            used += body + HEAD_ESTIMATE_LINES * g_columns.min(2);
            articles.push(a);
            lines.push(body);
            keeps.push(queue.bodies[&a].keeps.clone());
        }
        (articles, (lines, keeps))
    }

    /// Make up page `pi` with the next articles of the queue.
    fn make_up_page(&mut self, pi: usize, queue: &mut Queue) {
        let layout = self.layout;
        let area = self.auto_area(pi);
        let fixed = self.fixed_regions(pi);
        let Some(regions) = guillotine::free_regions(area, &fixed) else {
            self.report.warnings.push(format!(
                "page {}: its fixed modules cannot be cut round (no guillotine cut passes them); no article was made up on it",
                pi + 1
            ));
            return;
        };
        let cells: u32 = regions.iter().map(|r| r.columns * r.lines).sum();
        if cells == 0 {
            return;
        }
        let mut searched = std::time::Duration::ZERO;
        let (articles, solution, relaxed) = self.search(&regions, queue, cells, &mut searched);
        if std::env::var_os("BROADSHEET_MAKEUP_TIMES").is_some() {
            eprintln!("page {} search {:?}", pi + 1, searched);
        }
        let mut placed: Vec<(usize, guillotine::Placed)> = solution
            .modules
            .iter()
            .map(|m| (articles[m.article], *m))
            .collect();
        if solution.placed == 0 {
            if regions != [area] {
                // Nothing fits what the page's other modules leave: the
                // articles wait, in order, for an empty page.
                let deferred = articles.clone();
                self.report_makeup(pi, Vec::new(), &solution, &deferred, searched);
                return;
            }
            // Longer than a whole page: across it, running on to the next
            // (or overset, reported as for any module).
            placed.push((
                articles[0],
                guillotine::Placed {
                    article: 0,
                    area,
                    level: 0,
                },
            ));
        }
        let count = placed.len();
        let mut modules = Vec::new();
        for (article, m) in placed {
            // Only an article longer than the page is placed when the
            // search placed none: it runs on to the next page.
            let runs_on = solution.placed == 0
                && layout.auto.allow_jumps
                && !layout.pages.get(pi).is_some_and(|p| p.auto);
            let how = How { runs_on, relaxed };
            let (module, rest) = self.set_auto_module(pi, article, m, queue, how);
            modules.push(module);
            if let (true, Some(rest)) = (runs_on, rest) {
                queue.carry = Some((article, rest));
            }
        }
        for _ in 0..count {
            queue.left.pop_front();
        }
        let deferred: Vec<usize> = articles[count.min(articles.len())..].to_vec();
        self.report_makeup(pi, modules, &solution, &deferred, searched);
    }

    /// Search the page's regions with a window of the next articles,
    /// widened while the page is not filled and the whole window fits:
    /// the window, the search's answer, and whether it is the last resort;
    /// the time the search took (measuring the articles' bodies, which
    /// composition does anyway, apart) is added to `searched`.
    fn search(
        &mut self,
        regions: &[Region],
        queue: &mut Queue,
        cells: u32,
        searched: &mut std::time::Duration,
    ) -> (Vec<usize>, guillotine::Solution, bool) {
        let layout = self.layout;
        let g = self.grid();
        let mut limit = MAX_WINDOW;
        loop {
            let (articles, body_lines) = self.window(queue, cells, limit);
            let problem = Problem {
                regions: regions.to_vec(),
                articles: articles.len(),
                levels: layout.auto.levels(),
                tallest: (0..=g.columns)
                    .map(|span| {
                        let width = g.span_chars(span) as f32 * g.body_size;
                        (layout.auto.max_aspect * width / g.pitch).floor() as u32
                    })
                    .collect(),
            };
            let mut oracle = ComposerOracle::new(
                self,
                &layout.auto,
                articles.clone(),
                body_lines,
                &queue.answers,
            );
            let started = std::time::Instant::now();
            let widen = queue.left.len() > articles.len() && limit < MAX_WINDOW_WIDENED;
            let first = guillotine::solve(&problem, &oracle);
            *searched += started.elapsed();
            let unfilled = first.fill == Fill::Packed && first.placed == articles.len();
            if unfilled && widen {
                limit += WINDOW_STEP;
                continue;
            }
            // A packed page short of the edition's end leaves holes: a
            // tiling two lines of slack allow, if one places an article,
            // fills it instead.
            let last = first.placed == queue.left.len();
            if first.fill == Fill::Packed && !last {
                let started = std::time::Instant::now();
                let looser = guillotine::solve_two_lines(&problem, &oracle, &first);
                *searched += started.elapsed();
                if let Some(mut looser) = looser {
                    // A module whose box reached the foot (its line below
                    // the grid included) and lost a line ends on the last
                    // grid line, where it would take no rule line and so
                    // one body line more: it leaves that last line empty.
                    for m in &mut looser.modules {
                        if m.area.line + m.area.lines == g.lines && m.area.lines > 1 {
                            m.area.lines -= 1;
                        }
                    }
                    return (articles, looser, false);
                }
            }
            if first.placed > 0 {
                return (articles, first, false);
            }
            // The lead suits no span within the table's bounds (a long
            // headline on a narrow grid): the last resort passes them.
            oracle.relax();
            let started = std::time::Instant::now();
            let relaxed = guillotine::solve(&problem, &oracle);
            *searched += started.elapsed();
            return (articles, relaxed, true);
        }
    }

    /// Set one module the search placed (running on to the next page
    /// with `runs_on`); what the report says of it, and where the text
    /// stands if it did not all fit.
    fn set_auto_module(
        &mut self,
        pi: usize,
        article: usize,
        m: guillotine::Placed,
        queue: &mut Queue,
        how: How,
    ) -> (MakeupModule, Option<Cursor>) {
        let g = self.grid();
        let row = self.layout.auto.level_row(m.level);
        let a = m.area;
        let spec = ModuleSpec {
            article: Some(ArticleRef::Number(article + 1)),
            columns: (a.column + 1, a.column + a.columns),
            lines: (a.line + 1, (a.line + a.lines).min(g.lines)),
            auto_top: false,
            auto_bottom: false,
            headline_columns: a.columns,
            headline_size: (!how.relaxed).then_some(row.size),
            vertical_headline: None,
            body_columns: a.columns,
            continue_to: how.runs_on.then_some(ContinueTo {
                page: pi + 2,
                module: 1,
            }),
            continuation_headline: None,
            boxed: false,
            boxing: Default::default(),
            placeholder: None,
            picture_columns: a.columns,
            anchor: Default::default(),
            media: None,
            span: 0..0,
            article_span: 0..0,
            lines_span: 0..0,
        };
        if let Some(body) = queue.bodies.remove(&article) {
            self.keep_body(article, &body);
        }
        let module = self.pages[pi].modules.len();
        let setting = Setting {
            page: pi,
            module,
            spec: &spec,
            article,
        };
        self.making_up = true;
        let set = self.set_module(setting, Cursor::default());
        self.making_up = false;
        let module = MakeupModule {
            module: module + 1,
            article: article + 1,
            columns: [spec.columns.0, spec.columns.1],
            lines: [spec.lines.0, spec.lines.1],
            headline_size: spec.headline_size.unwrap_or_else(|| {
                let level = self.edition.articles[article].level;
                self.styles.level(level).headline.chain.size
            }),
        };
        (module, set.rest)
    }

    /// The rest of an article longer than a page, from `cursor`, at the
    /// top of page `pi` across the type area, as tall as it needs; it runs
    /// on again if it still does not fit. Returns where it stands then.
    fn run_on(&mut self, pi: usize, article: usize, cursor: Cursor) -> Option<(usize, Cursor)> {
        let g = self.grid();
        let area = self.auto_area(pi);
        let spec = ModuleSpec {
            article: None,
            columns: (1, g.columns),
            lines: (area.line + 1, g.lines),
            auto_top: false,
            auto_bottom: true,
            headline_columns: g.columns,
            headline_size: None,
            vertical_headline: None,
            body_columns: g.columns,
            continue_to: Some(ContinueTo {
                page: pi + 2,
                module: 1,
            }),
            continuation_headline: None,
            boxed: false,
            boxing: Default::default(),
            placeholder: None,
            picture_columns: g.columns,
            anchor: Default::default(),
            media: None,
            span: 0..0,
            article_span: 0..0,
            lines_span: 0..0,
        };
        let setting = Setting {
            page: pi,
            module: self.pages[pi].modules.len(),
            spec: &spec,
            article,
        };
        self.making_up = true;
        let set = self.set_module(setting, cursor);
        self.making_up = false;
        match set.rest {
            // Its 接题 alone fills the page: running on again would never
            // end. What is left is overset, reported in lines.
            Some(rest) if rest == cursor => {
                let measure = g.column_width();
                let lines = self.count_remaining_lines(article, rest, measure);
                if let Some(row) = self.report.modules.last_mut() {
                    row.overset += lines;
                    row.continued = false;
                    row.continued_on = None;
                }
                None
            }
            rest => rest.map(|rest| (article, rest)),
        }
    }
}

/// How a module make-up placed is set.
#[derive(Debug, Clone, Copy)]
struct How {
    /// Its text runs on to the next page (it is longer than a page).
    runs_on: bool,
    /// The headline at its style's size: the last resort placed it.
    relaxed: bool,
}

impl Queue {
    /// The articles left, in priority order.
    pub(super) fn articles_left(&self) -> Vec<usize> {
        self.left.iter().copied().collect()
    }
}

/// The words the report uses for how a page was filled.
fn fill_name(fill: Fill) -> &'static str {
    match fill {
        Fill::Exact => "exact",
        Fill::OneLine => "one_line",
        Fill::TallModule => "tall_module",
        Fill::TwoLines => "two_lines",
        Fill::Packed => "packed",
    }
}
