//! Composition on real layouts: flow across columns and pages, jump lines,
//! grid invariants and reading order through the real PDF, on the
//! print-extract test sample (tests/data/print) and the bundled sample. The
//! real sample page's tests are ignored by default (a fresh clone lacks
//! ../shared): `cargo test --release --test compose -- --ignored`.

mod common;

use std::collections::BTreeMap;

use broadsheet::display::{GlyphRun, Item, Page, Role};
use common::*;

fn runs(page: &Page) -> impl Iterator<Item = &GlyphRun> {
    page.items.iter().filter_map(|i| match i {
        Item::Glyphs(r) => Some(r),
        _ => None,
    })
}

/// Body text of one article per (page, module, column), in reading order.
fn body_columns(pages: &[Page], article: usize) -> Vec<((u32, usize, usize), String)> {
    let mut cols: Vec<((u32, usize, usize), String)> = Vec::new();
    for p in pages {
        for r in runs(p).filter(|r| {
            r.article == Some(article) && matches!(r.role, Role::Body | Role::Dateline | Role::Lead)
        }) {
            let key = (p.number, r.module.unwrap(), r.column.unwrap());
            match cols.last_mut() {
                Some((k, s)) if *k == key => s.push_str(&r.text),
                _ => cols.push((key, r.text.clone())),
            }
        }
    }
    cols
}

fn is_sentence_end(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '”' | '…' | '」' | '）')
}

/// The long last story of a sample page jumps from page 1 to page 2: both
/// jump lines, a mid-sentence page break and a mid-sentence column break,
/// and the continuation headline on page 2.
fn check_jump(b: &Built, article: usize, continuation_headline: &str) {
    let pages = &b.composition.pages;
    assert_eq!(
        pages.len(),
        2,
        "five articles on page 1, the continuation on page 2"
    );
    assert!(
        b.composition.report.is_clean(),
        "{}",
        b.composition.report.to_text()
    );

    let jumps: Vec<(u32, String)> = pages
        .iter()
        .flat_map(|p| {
            runs(p)
                .filter(|r| r.role == Role::JumpLine)
                .map(move |r| (p.number, r.text.clone()))
        })
        .collect();
    assert_eq!(
        jumps,
        vec![
            (1, "（下转第2版）".to_string()),
            (2, "（上接第1版）".to_string())
        ]
    );

    // The article is cut mid-sentence between page 1 and page 2.
    let cols = body_columns(pages, article);
    let last_on_1 = cols.iter().rfind(|(k, _)| k.0 == 1).unwrap();
    let first_on_2 = cols.iter().find(|(k, _)| k.0 == 2).unwrap();
    let end = last_on_1.1.chars().last().unwrap();
    assert!(
        !is_sentence_end(end),
        "page 1 should end mid-sentence, ends with {end:?}"
    );
    assert!(!first_on_2.1.is_empty());
    // Page 2 goes on where page 1 stopped: together they are the article.
    let body: String = cols.iter().map(|(_, t)| t.as_str()).collect();
    let source: String = b.edition.articles[article - 1]
        .paragraphs
        .concat()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let body: String = body.chars().filter(|c| !c.is_whitespace()).collect();
    assert_eq!(body, source, "article {article}'s body, page 1 then page 2");

    // Somewhere a paragraph runs from one column into the next mid-sentence.
    let mid_column = cols
        .windows(2)
        .any(|w| w[0].0 .0 == w[1].0 .0 && !is_sentence_end(w[0].1.chars().last().unwrap()));
    assert!(
        mid_column,
        "expected a mid-sentence column break in article {article}"
    );

    // The continuation page carries the continuation headline, and only it.
    let continued: Vec<(u32, &str)> = pages
        .iter()
        .flat_map(|p| {
            runs(p)
                .filter(|r| r.role == Role::ContinuationHeadline)
                .map(move |r| (p.number, r.text.as_str()))
        })
        .collect();
    let text: String = continued.iter().map(|(_, t)| *t).collect();
    assert!(continued.iter().all(|(p, _)| *p == 2), "{continued:?}");
    assert_eq!(
        text.chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>(),
        continuation_headline
    );
}

/// Runs that belong to an article's text (the rest is page furniture).
fn is_article_role(role: Role) -> bool {
    matches!(
        role,
        Role::Body
            | Role::Dateline
            | Role::Rubric
            | Role::Kicker
            | Role::Headline
            | Role::Subheadline
            | Role::Credit
            | Role::Caption
            | Role::PictureCredit
            | Role::Lead
            | Role::Subhead
            | Role::PullQuote
            | Role::Byline
    )
}

fn char_counts(text: &str) -> BTreeMap<char, i64> {
    let mut counts = BTreeMap::new();
    for c in text.chars().filter(|c| !c.is_whitespace()) {
        *counts.entry(c).or_default() += 1;
    }
    counts
}

/// Characters whose counts differ, as (char, want, have).
fn count_differences(
    want: &BTreeMap<char, i64>,
    have: &BTreeMap<char, i64>,
) -> Vec<(char, i64, i64)> {
    let keys: std::collections::BTreeSet<char> = want.keys().chain(have.keys()).copied().collect();
    keys.into_iter()
        .filter_map(|c| {
            let (w, h) = (
                want.get(&c).copied().unwrap_or(0),
                have.get(&c).copied().unwrap_or(0),
            );
            (w != h).then_some((c, w, h))
        })
        .collect()
}

/// The PDF's text layer holds every article in reading order (with
/// `source_order`, the articles also follow one another as in the source;
/// a page that places them otherwise keeps only each one in order), and nothing
/// twice: every article character exactly as often as in the source, plus
/// the page furniture (masthead, running headers, jump lines, continuation
/// headline) exactly as composed; placeholder labels are outlines, not text.
fn check_text_layer(b: &Built, name: &str, source_order: bool) {
    let dir = scratch(&format!("{name}_text"));
    let pdf = dir.join(format!("{name}.pdf"));
    std::fs::write(&pdf, &b.pdf).unwrap();
    let text = pdf_text(&pdf);
    let all: String = b.edition.articles.iter().map(article_text).collect();
    if source_order {
        subsequence(&all, &text).unwrap();
    } else {
        // Modules are not in source order on the page: each article is.
        for a in &b.edition.articles {
            subsequence(&article_text(a), &text).unwrap();
        }
    }

    // Composition sets each article character once.
    let mut article_runs = String::new();
    let mut furniture = String::new();
    for p in &b.composition.pages {
        for r in runs(p) {
            // A standalone picture module's caption and credit are the
            // layout's text, not an article's.
            let layout_caption =
                matches!(r.role, Role::Caption | Role::PictureCredit) && r.article.is_none();
            if is_article_role(r.role) && !layout_caption {
                assert!(
                    r.article.is_some(),
                    "{:?} run `{}` has no article",
                    r.role,
                    r.text
                );
                article_runs.push_str(&r.text);
            } else {
                assert!(
                    matches!(
                        r.role,
                        Role::JumpLine
                            | Role::Caption
                            | Role::PictureCredit
                            | Role::ContinuationHeadline
                            | Role::Masthead
                            | Role::RunningHeader
                            | Role::Placeholder
                    ),
                    "unexpected {:?} run `{}`",
                    r.role,
                    r.text
                );
                // Placeholder labels are drawn as outlines, not text.
                if r.role != Role::Placeholder {
                    furniture.push_str(&r.text);
                }
            }
        }
    }
    let want = char_counts(&all);
    let diff = count_differences(&want, &char_counts(&article_runs));
    assert!(
        diff.is_empty(),
        "article characters composed (char, source, composed): {diff:?}"
    );

    // The text of PDF ads is in the text layer as the advertiser set it.
    for p in &b.composition.pages {
        for i in &p.items {
            if let Item::Image(im) = i {
                if im.asset.kind == broadsheet::media::AssetKind::Pdf {
                    furniture.push_str(&pdf_text(&im.asset.path));
                }
            }
        }
    }
    // The text layer is exactly the articles and the furniture.
    let mut expected = want;
    for (c, n) in char_counts(&furniture) {
        *expected.entry(c).or_default() += n;
    }
    let diff = count_differences(&expected, &char_counts(&text));
    assert!(
        diff.is_empty(),
        "text layer (char, expected, in PDF): {diff:?}"
    );
}

#[test]
fn print_sample_jumps_to_page_two_with_both_jump_lines() {
    let b = build_at(&print_layout(), &print_sample());
    check_jump(&b, 5, "柏泉镇：小小合作社带富一方群众");
}

#[test]
fn print_sample_pdf_text_holds_every_article_once_in_reading_order() {
    let b = build_at(&print_layout(), &print_sample());
    check_text_layer(&b, "qinglan", true);
}

#[test]
fn print_sample_keeps_the_grid_columns_and_modules() {
    let b = build_at(&print_layout(), &print_sample());
    check_invariants(&b.composition.pages);
}

#[test]
#[ignore = "needs ../shared/samples/yuncheng-evening.md; run with --ignored"]
fn yuncheng_page_jumps_to_page_two_with_both_jump_lines() {
    let b = build("yuncheng.toml", &real_sample());
    check_jump(&b, 5, "临猗住建局：助力基层治理“走”心下沉社区");
}

#[test]
#[ignore = "needs ../shared/samples/yuncheng-evening.md; run with --ignored"]
fn yuncheng_pdf_text_holds_every_article_once_in_reading_order() {
    let b = build("yuncheng.toml", &real_sample());
    check_text_layer(&b, "yuncheng", true);
}

fn check_invariants(pages: &[Page]) {
    for p in pages {
        for r in runs(p) {
            if let Some(line) = r.grid_line {
                let want = p.grid.first + (line - 1) as f32 * p.grid.pitch;
                assert!(
                    (r.y - want).abs() < 0.01,
                    "page {} {:?} `{}` at y {} not on grid line {line} ({want})",
                    p.number,
                    r.role,
                    r.text,
                    r.y
                );
            }
            if matches!(r.role, Role::Body | Role::Dateline | Role::Lead) {
                let m = &p.modules[r.module.unwrap()];
                let (cx, cw) = m.columns[r.column.unwrap()];
                assert!(
                    r.x >= cx - 0.01 && r.end_x() <= cx + cw + 0.01,
                    "page {} `{}` [{}, {}] leaves its column [{cx}, {}]",
                    p.number,
                    r.text,
                    r.x,
                    r.end_x(),
                    cx + cw
                );
                assert!(
                    r.y > m.y && r.y < m.y + m.height,
                    "`{}` below its module",
                    r.text
                );
            }
        }
        for (i, a) in p.modules.iter().enumerate() {
            for b in &p.modules[..i] {
                let overlap_x = a.x < b.x + b.width - 0.01 && b.x < a.x + a.width - 0.01;
                let overlap_y = a.y < b.y + b.height - 0.01 && b.y < a.y + a.height - 0.01;
                assert!(
                    !(overlap_x && overlap_y),
                    "modules {} and {} overlap",
                    a.name,
                    b.name
                );
            }
        }
        // Headline blocks take whole grid lines: every body column of a
        // module starts on a grid line below the module's headline runs.
        for (mi, m) in p.modules.iter().enumerate() {
            let heads: Vec<&GlyphRun> = runs(p)
                .filter(|r| {
                    r.module == Some(mi)
                        && matches!(r.role, Role::Headline | Role::Kicker | Role::Subheadline)
                })
                .collect();
            let first_body = runs(p)
                .filter(|r| r.module == Some(mi) && r.role == Role::Body)
                .filter_map(|r| r.grid_line)
                .min();
            if let (Some(bottom), Some(line)) =
                (heads.iter().map(|r| r.y).reduce(f32::max), first_body)
            {
                let body_top = p.grid.first + (line - 1) as f32 * p.grid.pitch - p.grid.pitch;
                assert!(
                    bottom <= body_top + 0.01,
                    "headline of {} runs into its body",
                    m.name
                );
            }
        }
    }
}

#[test]
#[ignore = "needs ../shared/samples/yuncheng-evening.md; run with --ignored"]
fn yuncheng_layout_keeps_the_grid_columns_and_modules() {
    let b = build("yuncheng.toml", &real_sample());
    check_invariants(&b.composition.pages);
}

#[test]
fn bundled_sample_keeps_the_grid_columns_and_modules() {
    let b = build("default.toml", &bundled_sample());
    assert!(
        b.composition.report.is_clean(),
        "{}",
        b.composition.report.to_text()
    );
    check_invariants(&b.composition.pages);
}

#[test]
fn bundled_sample_pdf_text_holds_every_article_once_in_reading_order() {
    let b = build("default.toml", &bundled_sample());
    check_text_layer(&b, "edition", false);
}

#[test]
fn tabloid_layout_sets_the_bundled_sample() {
    let b = build("tabloid.toml", &bundled_sample());
    assert!(
        b.composition.report.overset_lines() == 0,
        "{}",
        b.composition.report.to_text()
    );
    check_invariants(&b.composition.pages);
}

/// A generated file of 30 articles set with no layout of its own.
#[test]
fn thirty_articles_flow_automatically_onto_as_many_pages_as_needed() {
    let dir = scratch("thirty");
    let mut src = String::new();
    for i in 1..=30 {
        src.push_str(&format!("## 第{i}篇测试稿件的标题\n\n"));
        for j in 0..(1 + i % 4) {
            src.push_str(&format!("清河晚报讯(记者 王{i})这是第{i}篇稿件的第{j}段,用于检验自动排版能否把每一篇稿件都排进版面。市民反映的问题已经得到解决,相关部门表示将继续跟进。\n\n"));
        }
    }
    let path = dir.join("thirty.md");
    std::fs::write(&path, &src).unwrap();
    let edition = edition(&path);
    assert_eq!(edition.articles.len(), 30);
    let layout = layout("default.toml").without_plan();
    let db = fonts();
    let c = broadsheet::compose::compose(&edition, &layout, &db).unwrap();
    assert!(c.report.is_clean(), "{}", c.report.to_text());
    assert_eq!(c.report.modules.len(), 30, "one report row per article");
    check_invariants(&c.pages);
    // Every article's body is on the pages, in order.
    let text: String = c
        .pages
        .iter()
        .flat_map(|p| runs(p).map(|r| r.text.clone()))
        .collect::<String>()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let all: String = edition.articles.iter().map(article_text).collect();
    subsequence(&all, &text).unwrap();
}

/// Han characters only: what survives every normalisation between the
/// source line and the set text (full-width punctuation, compression).
fn han(text: &str) -> String {
    text.chars()
        .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
        .collect()
}

/// Every run of an article's text names the line of the article file it
/// comes from, and its Han characters are there: on that line, or on the
/// fragments of the same paragraph just below it (text extracted from
/// print is cut where a column ended).
fn check_source_lines(b: &Built, articles: &std::path::Path) {
    let file = std::fs::read_to_string(articles).unwrap();
    let lines: Vec<&str> = file.lines().collect();
    let mut checked = 0;
    for page in &b.composition.pages {
        for r in runs(page) {
            let from_article = matches!(r.role, Role::Body | Role::Headline | Role::Credit);
            if !from_article || r.article.is_none() {
                continue;
            }
            let line = r
                .source_line
                .unwrap_or_else(|| panic!("{:?} run {:?} has no source line", r.role, r.text));
            let region = han(&lines[line - 1..(line + 4).min(lines.len())].concat());
            let text = han(&r.text);
            assert!(
                region.contains(&text),
                "{:?} run {:?} is not at line {line}: {:?}",
                r.role,
                r.text,
                lines[line - 1]
            );
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} runs checked");
}

#[test]
fn print_sample_runs_name_their_source_lines() {
    check_source_lines(&build_at(&print_layout(), &print_sample()), &print_sample());
}

#[test]
fn bundled_sample_runs_name_their_source_lines() {
    check_source_lines(&build("default.toml", &bundled_sample()), &bundled_sample());
}
