//! The copyfit ladder (issue 14, item 4), on `tests/data/copyfit/ladder.toml`:
//! the bundled sample in fixed-height modules a few lines short, a few
//! lines over, and one too short for the ladder's `[fit]` bounds. Checked
//! on the display list (the headline's size as drawn, the body lines in
//! each column) and on the fit report, in text and JSON.

mod common;

use std::collections::BTreeSet;
use std::path::PathBuf;

use broadsheet::compose::{FitReport, ModuleFit};
use broadsheet::display::{Item, Page, Role};
use serde_json::Value;

use common::*;

/// Articles of the bundled sample the fixture places.
const OVER: usize = 3; // 12345热线, 3 lines over with its 二号 headline
const BEYOND: usize = 1; // 城市书房, 13 lines short: beyond the bounds
const SHORT: usize = 2; // 地铁2号线, 8 lines short
const SHORTER: usize = 5; // 冷空气, 9 lines short
const ONE_LINE: usize = 4; // 近地小行星, 9 lines short with a one-line headline
/// Sizes of the sample's level-2 headline and the 字号 around it, pt.
const ERHAO: f32 = 22.0;
const XIAOYI: f32 = 24.0;
const XIAOER: f32 = 18.0;
/// `styles.headline_1.size` of the fixture (小初), pt.
const XIAOCHU: f32 = 36.0;
const SCHEMA: &str = FIT_REPORT_SCHEMA;

fn articles() -> PathBuf {
    // The bundled sample as these tests were measured on: the bundled one
    // changes as the format grows; the ladder's cases must not.
    let p = root().join("tests/data/ladder-articles.md");
    assert!(p.is_file(), "{} is missing", p.display());
    p
}

fn fixture() -> PathBuf {
    let path = root().join("tests/data/copyfit/ladder.toml");
    assert!(path.is_file(), "{} is missing", path.display());
    path
}

/// The fixture with a `[fit]` table, in a scratch folder.
fn with_fit(name: &str, table: &str) -> PathBuf {
    let text = std::fs::read_to_string(fixture()).unwrap();
    let at = text.find("[[pages]]").expect("the fixture plans pages");
    let text = format!("{}[fit]\n{table}\n\n{}", &text[..at], &text[at..]);
    let path = scratch(name).join("layout.toml");
    std::fs::write(&path, text).unwrap();
    path
}

/// The report's row of an article (set in one module each here).
fn row(report: &FitReport, article: usize) -> &ModuleFit {
    report
        .modules
        .iter()
        .find(|m| m.article == article)
        .unwrap_or_else(|| panic!("article {article} not set\n{}", report.to_text()))
}

/// The sizes an article's headline lines are drawn at.
fn headline_sizes(pages: &[Page], article: usize) -> BTreeSet<u32> {
    let sizes: BTreeSet<u32> = pages
        .iter()
        .flat_map(|p| &p.items)
        .filter_map(|i| match i {
            Item::Glyphs(g) if g.role == Role::Headline && g.article == Some(article) => {
                Some((g.size * 100.0).round() as u32)
            }
            _ => None,
        })
        .collect();
    assert!(!sizes.is_empty(), "article {article} has no headline drawn");
    sizes
}

fn centi(pt: f32) -> BTreeSet<u32> {
    BTreeSet::from([(pt * 100.0).round() as u32])
}

/// The baselines an article's headline is drawn on.
fn headline_baselines(pages: &[Page], article: usize) -> BTreeSet<u32> {
    pages
        .iter()
        .flat_map(|p| &p.items)
        .filter_map(|i| match i {
            Item::Glyphs(g) if g.role == Role::Headline && g.article == Some(article) => {
                Some((g.y * 100.0).round() as u32)
            }
            _ => None,
        })
        .collect()
}

/// Grid lines below each body column's last line, per column of the
/// module holding `article`, from the dump.
fn body_last_lines(pages: &[Page], article: usize) -> Vec<u32> {
    let mut last: std::collections::BTreeMap<usize, u32> = Default::default();
    for i in pages.iter().flat_map(|p| &p.items) {
        if let Item::Glyphs(g) = i {
            if g.role == Role::Body && g.article == Some(article) {
                if let (Some(c), Some(l)) = (g.column, g.grid_line) {
                    let e = last.entry(c).or_insert(l);
                    *e = (*e).max(l);
                }
            }
        }
    }
    last.into_values().collect()
}

#[test]
fn a_short_module_gets_a_larger_headline_and_at_most_a_line_a_column_empty() {
    let built = build_at(&fixture(), &articles());
    let report = &built.composition.report;
    let pages = &built.composition.pages;
    let m = row(report, SHORT);
    let done = m.copyfit.as_ref().expect("the ladder acts");
    assert_eq!(done.headline_size, [ERHAO, XIAOYI], "{}", report.to_text());
    assert_eq!(done.gap_before, 8);
    assert!(m.empty <= m.columns, "{}", report.to_text());
    assert_eq!(done.gap_after as u32, m.empty);
    assert_eq!(headline_sizes(pages, SHORT), centi(XIAOYI));
    // The body still ends level (齐栏), and as low as the report says.
    let lasts = body_last_lines(pages, SHORT);
    assert_eq!(lasts.len() as u32, m.columns);
    let spread = lasts.iter().max().unwrap() - lasts.iter().min().unwrap();
    assert!(spread <= 1, "{lasts:?}");
    let text = report.to_text();
    assert!(
        text.contains(
            "headline set one 字号 larger (二号 (22pt) → 小一 (24pt)) to fill 8 empty line(s)"
        ),
        "{text}"
    );
}

#[test]
fn a_larger_headline_that_is_not_enough_takes_a_blank_line_more() {
    let built = build_at(&fixture(), &articles());
    let report = &built.composition.report;
    let m = row(report, SHORTER);
    let done = m.copyfit.as_ref().expect("the ladder acts");
    assert_eq!(done.space_below, [1, 2], "{}", report.to_text());
    assert!(m.empty <= m.columns, "{}", report.to_text());
    // The block's lines as reported include the added blank line.
    let off = build_at(
        &with_fit("copyfit_space_off", "enabled = false"),
        &articles(),
    );
    let before = row(&off.composition.report, SHORTER);
    assert!(before.empty > before.columns, "the fixture leaves a gap");
    assert!(m.head.lines > before.head.lines);
}

#[test]
fn a_one_line_headline_takes_a_second_line_to_fill_a_short_module() {
    let built = build_at(&fixture(), &articles());
    let report = &built.composition.report;
    let m = row(report, ONE_LINE);
    let done = m.copyfit.as_ref().expect("the ladder acts");
    assert!(done.headline_line_added, "{}", report.to_text());
    assert_eq!(done.headline_size, [ERHAO, ERHAO]);
    assert!(m.empty <= m.columns, "{}", report.to_text());
    let pages = &built.composition.pages;
    assert_eq!(headline_baselines(pages, ONE_LINE).len(), 2);
    assert_eq!(headline_sizes(pages, ONE_LINE), centi(ERHAO));
    // Broken between words, as the headline breaker would.
    let text: Vec<String> = pages
        .iter()
        .flat_map(|p| &p.items)
        .filter_map(|i| match i {
            Item::Glyphs(g) if g.role == Role::Headline && g.article == Some(ONE_LINE) => {
                Some(g.text.clone())
            }
            _ => None,
        })
        .collect();
    assert_eq!(text.concat(), "我国科研人员发现一颗新的近地小行星");
    assert!(report.to_text().contains("headline in one line more"));
    let off = with_fit("copyfit_no_line", "add_headline_line = false");
    let built = build_at(&off, &articles());
    let m = row(&built.composition.report, ONE_LINE);
    assert!(
        m.copyfit.is_none(),
        "{}",
        built.composition.report.to_text()
    );
    assert_eq!(
        headline_baselines(&built.composition.pages, ONE_LINE).len(),
        1
    );
}

#[test]
fn an_overset_module_gets_a_smaller_headline_and_nothing_overset() {
    let built = build_at(&fixture(), &articles());
    let report = &built.composition.report;
    let m = row(report, OVER);
    let done = m.copyfit.as_ref().expect("the ladder acts");
    assert_eq!(done.headline_size, [ERHAO, XIAOER], "{}", report.to_text());
    assert_eq!(done.gap_before, -3);
    assert_eq!(m.overset, 0, "{}", report.to_text());
    assert_eq!(report.overset_lines(), 0, "{}", report.to_text());
    assert_eq!(
        headline_sizes(&built.composition.pages, OVER),
        centi(XIAOER)
    );
}

#[test]
fn a_gap_beyond_the_bounds_is_left_and_reported() {
    let built = build_at(&fixture(), &articles());
    let report = &built.composition.report;
    let m = row(report, BEYOND);
    assert!(m.copyfit.is_none(), "{}", report.to_text());
    assert_eq!(m.empty, 13, "{}", report.to_text());
    assert_eq!(
        headline_sizes(&built.composition.pages, BEYOND),
        centi(XIAOCHU)
    );
    // Bounds the layout narrows leave the short module alone too.
    let narrow = with_fit("copyfit_narrow", "gap_lines = 1\ngap_percent = 0");
    let built = build_at(&narrow, &articles());
    let m = row(&built.composition.report, SHORT);
    assert!(m.copyfit.is_none());
    assert_eq!(m.empty, 8);
}

#[test]
fn fit_disabled_sets_every_module_as_asked() {
    let off = with_fit("copyfit_off", "enabled = false");
    let built = build_at(&off, &articles());
    let report = &built.composition.report;
    let pages = &built.composition.pages;
    assert!(report.modules.iter().all(|m| m.copyfit.is_none()));
    assert_eq!(row(report, OVER).overset, 3, "{}", report.to_text());
    assert_eq!(row(report, SHORT).empty, 8);
    assert_eq!(row(report, SHORTER).empty, 9);
    assert_eq!(row(report, ONE_LINE).empty, 9);
    assert_eq!(headline_baselines(pages, ONE_LINE).len(), 1);
    for a in [OVER, SHORT, SHORTER, ONE_LINE] {
        assert_eq!(headline_sizes(pages, a), centi(ERHAO), "article {a}");
    }
    assert!(!report.to_text().contains("copyfit"));
}

#[test]
fn the_json_report_says_what_the_ladder_did_and_matches_its_schema() {
    let layout = fixture();
    let args = [
        "fit",
        "--json",
        "--layout",
        layout.to_str().unwrap(),
        "--articles",
        "tests/data/ladder-articles.md",
    ];
    let out = run(&args, &root());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    validate_fit_report(&json).unwrap_or_else(|e| panic!("{SCHEMA}: {e}"));
    let modules = json["modules"].as_array().unwrap();
    let by_article = |a: usize| {
        modules
            .iter()
            .find(|m| m["article"] == a)
            .unwrap_or_else(|| panic!("article {a}: {json}"))
    };
    let over = &by_article(OVER)["copyfit"];
    assert_eq!(
        over["headline_size"],
        serde_json::json!([ERHAO, XIAOER]),
        "{over}"
    );
    assert_eq!(over["gap_before"], -3);
    assert!(over["note"].as_str().unwrap().contains("one 字号 smaller"));
    assert!(by_article(BEYOND)["copyfit"].is_null());
}
