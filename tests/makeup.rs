//! Make-up of planned modules (issue 14): balanced columns (齐栏) and
//! heights taken from the text (`lines = [first, "auto"]`), checked on the
//! display list `--dump` writes.
//!
//! In every module that holds text: no body column with room beside the
//! text is empty (an article's picture may fill a column); the columns'
//! last lines differ by at most one grid line, except in a module whose
//! text jumps on (it is filled); and the grid lines left empty between each
//! column's last line and the module's last body line are at most as many
//! as the module has columns.

#[macro_use]
mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use broadsheet::compose::FitReport;
use broadsheet::display::{Item, Page, Role};

use common::*;

/// What one module's body columns hold, read from the display list.
#[derive(Debug)]
struct ModuleColumns {
    page: u32,
    /// Index of the module frame on its page.
    module: usize,
    name: String,
    /// Grid lines holding text, per body column.
    lines: Vec<BTreeSet<u32>>,
    /// Per body column, its first grid line for text, where the frame
    /// says (below an article's picture, that may be below the others'
    /// text).
    first: Vec<Option<u32>>,
    /// The last grid line the body may use (above the rule line).
    body_bottom: u32,
    /// The text jumps on (`（下转第N版）`).
    jumps: bool,
}

impl ModuleColumns {
    fn last_lines(&self) -> Vec<Option<u32>> {
        self.lines.iter().map(|l| l.last().copied()).collect()
    }

    fn spread(&self) -> u32 {
        let lasts: Vec<u32> = self.last_lines().into_iter().flatten().collect();
        lasts.iter().max().unwrap_or(&0) - lasts.iter().min().unwrap_or(&0)
    }

    /// Grid lines left empty below each column's last line.
    fn empty_lines(&self) -> u32 {
        self.last_lines()
            .into_iter()
            .flatten()
            .map(|l| self.body_bottom.saturating_sub(l))
            .sum()
    }
}

/// Every module of the pages that holds body text.
fn modules_with_text(pages: &[Page]) -> Vec<ModuleColumns> {
    let mut out = Vec::new();
    for p in pages {
        let mut per: BTreeMap<usize, (BTreeMap<usize, BTreeSet<u32>>, bool)> = BTreeMap::new();
        for item in &p.items {
            let Item::Glyphs(r) = item else { continue };
            // Jump lines belong to the module, not to a column.
            if let (Role::JumpLine, Some(m)) = (r.role, r.module) {
                if r.text.contains("下转") {
                    per.entry(m).or_default().1 = true;
                }
            }
            let body = matches!(
                r.role,
                Role::Body | Role::Dateline | Role::Credit | Role::Lead
            );
            let (Some(m), Some(c), Some(line), true) = (r.module, r.column, r.grid_line, body)
            else {
                continue;
            };
            per.entry(m)
                .or_default()
                .0
                .entry(c)
                .or_default()
                .insert(line);
        }
        for (m, (columns, jumps)) in per {
            let frame = &p.modules[m];
            let bottom = frame.y + frame.height;
            // The last grid line whose baseline lies inside the frame.
            let last = ((bottom - p.grid.first) / p.grid.pitch).floor() as u32 + 1;
            let first = ((frame.y - p.grid.first) / p.grid.pitch).floor() as u32 + 2;
            // A padded box ends its body above its padding: the frame
            // says where (issue 19 item 6).
            let body_bottom = frame.body_lines.iter().map(|g| g.last).max().unwrap_or(
                if last < p.grid.lines && last > first {
                    last - 1
                } else {
                    last
                },
            );
            out.push(ModuleColumns {
                page: p.number,
                module: m,
                name: frame.name.clone(),
                lines: (0..frame.columns.len())
                    .map(|c| columns.get(&c).cloned().unwrap_or_default())
                    .collect(),
                first: (0..frame.columns.len())
                    .map(|c| frame.body_lines.get(c).map(|g| g.first))
                    .collect(),
                body_bottom,
                jumps,
            });
        }
    }
    out
}

/// The make-up faults of a composition, one line each.
fn faults(pages: &[Page]) -> Vec<String> {
    let mut faults = Vec::new();
    for m in modules_with_text(pages) {
        let counts: Vec<usize> = m.lines.iter().map(BTreeSet::len).collect();
        let at = format!("page {} {} {counts:?}", m.page, m.name);
        // A column whose first line is below the others' last has no room
        // beside their text (an article's picture fills it).
        let end = m.last_lines().into_iter().flatten().max().unwrap_or(0);
        let room = |c: usize| m.first[c].is_none_or(|f| f <= end);
        if (0..counts.len()).any(|c| counts[c] == 0 && room(c)) {
            faults.push(format!("{at}: an empty column beside text"));
        }
        if !m.jumps && m.spread() > 1 {
            faults.push(format!(
                "{at}: last lines {:?} differ by {}",
                m.last_lines(),
                m.spread()
            ));
        }
        if !m.jumps && m.empty_lines() > m.lines.len() as u32 {
            faults.push(format!(
                "{at}: {} empty grid lines in {} columns (bottom line {})",
                m.empty_lines(),
                m.lines.len(),
                m.body_bottom
            ));
        }
    }
    faults
}

fn assert_made_up(layout: &Path, articles: &Path) {
    let built = build_at(layout, articles);
    let pages = &built.composition.pages;
    assert!(
        modules_with_text(pages).len() >= 5,
        "{}: too few modules with text to judge",
        layout.display()
    );
    let faults = faults(pages);
    assert!(
        faults.is_empty(),
        "{} with {}:\n{}\n\n{}",
        layout.display(),
        articles.display(),
        faults.join("\n"),
        built.composition.report.to_text()
    );
    assert_no_overlaps(pages);
}

/// Module frames on a page share no area (stacked modules start below
/// those above them).
fn assert_no_overlaps(pages: &[Page]) {
    for p in pages {
        for (i, a) in p.modules.iter().enumerate() {
            for b in &p.modules[..i] {
                let eps = 0.5;
                let apart = a.x + a.width <= b.x + eps
                    || b.x + b.width <= a.x + eps
                    || a.y + a.height <= b.y + eps
                    || b.y + b.height <= a.y + eps;
                assert!(apart, "page {}: {} overlaps {}", p.number, a.name, b.name);
            }
        }
    }
}

#[test]
fn bundled_sample_on_the_default_layout_is_balanced() {
    assert_made_up(&root().join("layouts/default.toml"), &bundled_sample());
}

#[test]
fn bundled_sample_on_the_tabloid_is_balanced() {
    assert_made_up(&root().join("layouts/tabloid.toml"), &bundled_sample());
}

#[test]
fn print_sample_is_balanced() {
    assert_made_up(&print_layout(), &print_sample());
}

#[test]
#[ignore = "needs ../shared/samples/yuncheng-evening.md"]
fn real_sample_is_balanced() {
    assert_made_up(&root().join("layouts/yuncheng.toml"), &real_sample());
}

/// The report's module rows by (page, module).
fn report_rows(report: &FitReport) -> BTreeMap<(u32, usize), &broadsheet::compose::ModuleFit> {
    report
        .modules
        .iter()
        .map(|m| ((m.page, m.module), m))
        .collect()
}

#[test]
fn auto_heights_are_reported_and_stack() {
    let built = build_at(&print_layout(), &print_sample());
    let report = &built.composition.report;
    let rows = report_rows(report);
    let pages = &built.composition.pages;
    // qinglan.toml: the two stories at the top of page 1 take their
    // heights from their text, and the modules below stack under them.
    let lead = rows[&(1, 1)];
    let below = rows[&(1, 3)];
    assert!(
        lead.auto_height && below.auto_height,
        "{}",
        report.to_text()
    );
    assert_eq!(lead.lines[0], 13);
    assert_eq!(
        below.lines[0],
        lead.lines[1] + 1,
        "the module below starts on the line after: {}",
        report.to_text()
    );
    assert!(
        report.to_text().contains(&format!(
            "height {} (lines {}–{}, auto)",
            lead.lines[1] + 1 - lead.lines[0],
            lead.lines[0],
            lead.lines[1]
        )),
        "{}",
        report.to_text()
    );
    // The frame on the page is the height reported.
    let frame = &pages[0].modules[0];
    let g = &pages[0].grid;
    let last = ((frame.y + frame.height - g.first) / g.pitch).floor() as u32 + 1;
    assert_eq!(last, lead.lines[1]);
    // An auto module's text fits: nothing overset, the jump aside.
    assert_eq!(report.overset_lines(), 0, "{}", report.to_text());
}

/// A hand layout of the bundled sample whose modules are each about 10 %
/// taller than their text needs: the columns still end level, and the
/// report counts the empty lines the dump shows.
#[test]
fn modules_ten_percent_too_tall_stay_balanced_and_report_the_gap() {
    let layout = root().join("tests/data/makeup/too_tall.toml");
    let built = build_at(&layout, &bundled_sample());
    let report = &built.composition.report;
    let rows = report_rows(report);
    let modules = modules_with_text(&built.composition.pages);
    assert!(modules.len() >= 7);
    for m in &modules {
        let counts: Vec<usize> = m.lines.iter().map(BTreeSet::len).collect();
        assert!(!counts.contains(&0), "{}: {counts:?}", m.name);
        if m.jumps {
            // Filled to its foot, the last line for the jump line.
            continue;
        }
        assert!(m.spread() <= 1, "{}: {:?}", m.name, m.last_lines());
        let row = rows[&(m.page, m.module + 1)];
        assert_eq!(
            row.empty,
            m.empty_lines(),
            "{}: the report's empty lines are those on the page\n{}",
            m.name,
            report.to_text()
        );
    }
    assert!(
        modules
            .iter()
            .any(|m| m.empty_lines() > m.lines.len() as u32),
        "the fixture should leave gaps"
    );
}

/// The same layout about 10 % too short: text that does not fit fills
/// every column to the foot and the report gives the lines overset (or
/// continued); text that fits is balanced.
#[test]
fn modules_ten_percent_too_short_fill_and_report_the_overset() {
    let layout = root().join("tests/data/makeup/too_short.toml");
    let built = build_at(&layout, &bundled_sample());
    let report = &built.composition.report;
    let rows = report_rows(report);
    let modules = modules_with_text(&built.composition.pages);
    let mut short = 0;
    for m in &modules {
        let row = rows[&(m.page, m.module + 1)];
        if m.jumps {
            assert!(row.continued, "{}", report.to_text());
        } else if row.overset > 0 {
            short += 1;
            assert_eq!(
                m.empty_lines(),
                0,
                "{}: overset text fills its columns {:?}",
                m.name,
                m.last_lines()
            );
        } else {
            assert!(m.spread() <= 1, "{}: {:?}", m.name, m.last_lines());
        }
    }
    assert!(short >= 5, "{}", report.to_text());
    assert!(report.overset_lines() > 0);
    assert!(report.to_text().contains("OVERSET"));
}

/// Four columns on A4 with no masthead, for plans written in the tests.
const A4_GRID: &str = a4_grid!();

const TWO_STORIES: &str = "# 甲文章 第一条\n\n清河新区首条环线公交今天正式开通，全程约十八公里，沿途设站二十六个，每天早六点到晚十点运营。市民说以后去医院方便多了。\n\n线路采用纯电动公交车，车内有充电口。公交公司负责人表示，还会根据客流调整发车间隔，让最后一公里不再难走。\n\n# 乙文章 第二条\n\n开通首日，乘客达三千余人次。记者在车上看到，不少老人特意来体验新线路，有人说真好。\n";

fn compose_plan(plan: &str) -> broadsheet::compose::Composition {
    let toml = format!("{A4_GRID}\n{plan}");
    let layout =
        broadsheet::layout::parse(&toml, Path::new("plan.toml")).unwrap_or_else(|e| panic!("{e}"));
    let edition = broadsheet::source::parse(
        TWO_STORIES.as_bytes(),
        Path::new("two.md"),
        &Default::default(),
    )
    .unwrap();
    broadsheet::compose::compose(&edition, &layout, &fonts()).unwrap()
}

#[test]
fn a_stacked_module_with_no_room_left_is_reported_not_drawn_over_its_neighbour() {
    let c = compose_plan(
        r#"
[[pages]]
[[pages.modules]]
article = 1
columns = [1, 2]
lines = [1, 50]

[[pages.modules]]
article = 2
columns = [1, 2]
lines = ["auto", "auto"]

[[pages.modules]]
placeholder = "广告"
columns = [1, 4]
lines = [51, 60]
"#,
    );
    assert!(
        c.report.warnings.iter().any(|w| w.contains("is not set")),
        "{}",
        c.report.to_text()
    );
    assert!(c.report.overset_lines() > 0);
    assert_no_overlaps(&c.pages);
    // Every module keeps its frame, so frames stay numbered as modules.
    assert_eq!(c.pages[0].modules.len(), 3);
    assert!(c.pages[0].modules[2].name.contains("广告"));
}

#[test]
fn stacked_auto_modules_take_their_text_height_one_below_the_other() {
    let c = compose_plan(
        r#"
[[pages]]
[[pages.modules]]
article = 1
columns = [1, 2]
lines = [1]

[[pages.modules]]
article = 2
columns = [1, 2]
lines = ["auto", "auto"]

[[pages.modules]]
placeholder = "图片"
columns = [1, 2]
lines = ["auto", 60]
"#,
    );
    let rows = report_rows(&c.report);
    let (a, b) = (rows[&(1, 1)], rows[&(1, 2)]);
    assert_eq!(a.lines[0], 1);
    assert_eq!(b.lines[0], a.lines[1] + 1, "{}", c.report.to_text());
    assert!(a.lines[1] < 30 && b.lines[1] < 45, "{}", c.report.to_text());
    assert!(faults(&c.pages).is_empty(), "{:?}", faults(&c.pages));
    assert_no_overlaps(&c.pages);
    // The picture starts below the second story.
    let pic = &c.pages[0].modules[2];
    let second = &c.pages[0].modules[1];
    assert!((pic.y - (second.y + second.height)).abs() < 0.5);
}
