//! The search on a synthetic oracle: the tiling invariants of issue 15
//! checked on random windows of articles (property tests, fast because no
//! text is set), and a few named cases.

use super::*;
use proptest::prelude::*;

/// Fewest body lines a column may hold (as composition asks).
const MIN_COLUMN_LINES: u32 = 3;

/// Articles as a desk sees them: body lines at one column's measure, and
/// headline lines by level (lead first, then the table's rows).
struct Synthetic {
    body: Vec<u32>,
    head: Vec<u32>,
}

impl Oracle for Synthetic {
    fn module_lines(&self, article: usize, span: u32, level: Level) -> Option<u32> {
        let body = *self.body.get(article)?;
        if body < MIN_COLUMN_LINES * span {
            return None;
        }
        Some(self.head.get(level)? + body.div_ceil(span) + 1)
    }

    fn least_cells(&self, article: usize) -> u32 {
        self.body.get(article).map_or(0, |b| b + 1)
    }

    fn span_level(&self, span: u32) -> Level {
        match span {
            1 => 4,
            2 => 3,
            3 => 2,
            _ => 1,
        }
    }
}

fn synthetic(body: Vec<u32>) -> Synthetic {
    Synthetic {
        body,
        head: vec![5, 4, 3, 3, 2],
    }
}

fn page(columns: u32, lines: u32, articles: usize) -> Problem {
    Problem {
        regions: vec![Region {
            column: 0,
            line: 0,
            columns,
            lines,
        }],
        articles,
        levels: 5,
        tallest: (0..=columns).map(|s| s * 12).collect(),
    }
}

/// Every invariant of a solution, as a message when one breaks.
fn check(problem: &Problem, oracle: &Synthetic, s: &Solution) -> Result<(), String> {
    let ids: Vec<usize> = s.modules.iter().map(|m| m.article).collect();
    if ids != (0..s.placed).collect::<Vec<_>>() {
        return Err(format!(
            "articles {ids:?} are not 0..{} in reading order",
            s.placed
        ));
    }
    let mut cells = std::collections::HashSet::new();
    for m in &s.modules {
        let a = m.area;
        if !problem.regions.iter().any(|r| covers(*r, a)) {
            return Err(format!("module {a:?} outside the free regions"));
        }
        for c in a.column..a.column + a.columns {
            for l in a.line..a.line + a.lines {
                if !cells.insert((c, l)) {
                    return Err(format!("module {a:?} overlaps another"));
                }
            }
        }
        let need = oracle
            .module_lines(m.article, a.columns, m.level)
            .ok_or_else(|| format!("module {m:?} at a span its article may not take"))?;
        let slack = match s.fill {
            Fill::Exact => 0,
            Fill::TwoLines => 2,
            _ => 1,
        };
        if a.lines < need || (s.fill != Fill::Packed && a.lines > need + slack) {
            return Err(format!("module {m:?} is {} lines for {need}", a.lines));
        }
    }
    let levels: Vec<Level> = s.modules.iter().map(|m| m.level).collect();
    if levels.windows(2).any(|w| w[1] < w[0]) || levels.iter().skip(1).any(|&l| l == 0) {
        return Err(format!("headline levels {levels:?} grow with rank"));
    }
    if let Some(lead) = s.modules.first() {
        let r = problem.regions[0];
        if s.fill != Fill::Packed && (lead.area.line != r.line || lead.area.column != r.column) {
            return Err(format!("lead {lead:?} not at the top of the page"));
        }
        if s.modules.iter().any(|m| m.area.columns > lead.area.columns) {
            return Err("a module is wider than the lead".into());
        }
    }
    if s.fill != Fill::Packed {
        let area: u32 = problem.regions.iter().map(|r| r.columns * r.lines).sum();
        if cells.len() as u32 != area {
            return Err(format!("{} of {area} cells covered", cells.len()));
        }
    }
    Ok(())
}

#[test]
fn three_articles_fill_a_page_with_the_lead_across_the_top() {
    let oracle = synthetic(vec![160, 90, 90]);
    let problem = page(8, 60, 3);
    let s = solve(&problem, &oracle);
    check(&problem, &oracle, &s).unwrap();
    assert_eq!(s.placed, 3, "{s:?}");
    assert_ne!(s.fill, Fill::Packed, "{s:?}");
}

#[test]
fn an_article_longer_than_the_page_is_not_placed() {
    let oracle = synthetic(vec![5000]);
    let problem = page(8, 60, 1);
    let s = solve(&problem, &oracle);
    assert_eq!(s.placed, 0);
    assert!(s.modules.is_empty());
}

#[test]
fn articles_that_cannot_fill_the_page_are_packed_from_the_top() {
    let oracle = synthetic(vec![30, 24]);
    let problem = page(8, 100, 2);
    let s = solve(&problem, &oracle);
    check(&problem, &oracle, &s).unwrap();
    assert_eq!((s.placed, s.fill), (2, Fill::Packed), "{s:?}");
    assert_eq!(s.modules[0].area.line, 0);
}

#[test]
fn free_regions_go_round_an_advertisement_at_the_foot() {
    let area = Region {
        column: 0,
        line: 0,
        columns: 8,
        lines: 100,
    };
    let ad = Region {
        column: 4,
        line: 70,
        columns: 4,
        lines: 30,
    };
    let free = free_regions(area, &[ad]).unwrap();
    let cells: u32 = free.iter().map(|r| r.columns * r.lines).sum();
    assert_eq!(cells, 800 - 120);
    assert!(free.iter().all(|r| !overlaps(*r, ad)), "{free:?}");
}

#[test]
fn a_pinwheel_of_fixed_modules_has_no_guillotine_regions() {
    let area = Region {
        column: 0,
        line: 0,
        columns: 3,
        lines: 3,
    };
    let r = |column, line, columns, lines| Region {
        column,
        line,
        columns,
        lines,
    };
    let pinwheel = [r(0, 0, 2, 1), r(2, 0, 1, 2), r(1, 2, 2, 1), r(0, 1, 1, 2)];
    assert_eq!(free_regions(area, &pinwheel), None);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 600, ..ProptestConfig::default() })]

    /// Random windows of 1–12 articles on a broadsheet-like page: whatever
    /// is placed tiles the page (or packs from the top), nothing is lost
    /// or repeated, sizes fall with rank, and the lead is top and widest.
    #[test]
    fn tilings_keep_their_invariants(
        body in proptest::collection::vec(8u32..400, 1..12),
        columns in 4u32..=8,
        lines in 40u32..=110,
    ) {
        let oracle = synthetic(body.clone());
        let problem = page(columns, lines, body.len());
        let s = solve(&problem, &oracle);
        if let Err(e) = check(&problem, &oracle, &s) {
            return Err(TestCaseError::fail(format!("{e}: {s:?}")));
        }
        // The first article fits a page at some span: it is placed.
        let fits = (1..=columns).any(|w| oracle.module_lines(0, w, 0).is_some_and(|n| n <= lines));
        prop_assert!(!fits || s.placed >= 1, "lead not placed: {s:?}");
        // The same answer every time.
        let again = solve(&problem, &oracle);
        prop_assert_eq!(again.modules, s.modules);
    }

    /// Around a fixed box at the foot, the modules stay in the free regions.
    #[test]
    fn fixed_boxes_are_kept_free(
        body in proptest::collection::vec(8u32..300, 1..8),
        ad_columns in 1u32..=8,
        ad_lines in 5u32..40,
    ) {
        let area = Region { column: 0, line: 0, columns: 8, lines: 100 };
        let ad = Region { column: 8 - ad_columns, line: 100 - ad_lines, columns: ad_columns, lines: ad_lines };
        let regions = free_regions(area, &[ad]).unwrap();
        let oracle = synthetic(body.clone());
        let problem = Problem { regions, ..page(8, 100, body.len()) };
        let s = solve(&problem, &oracle);
        if let Err(e) = check(&problem, &oracle, &s) {
            return Err(TestCaseError::fail(format!("{e}: {s:?}")));
        }
        prop_assert!(s.modules.iter().all(|m| !overlaps(m.area, ad)));
    }
}
