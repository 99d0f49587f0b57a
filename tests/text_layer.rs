//! The PDF's text layer as a reader gets it (issue 17 item 5): `pdftotext
//! -raw` gives every printed line whole, compressed punctuation included
//! (a full-width mark followed by a step back overlapped the next glyph's
//! box, and readers broke the line there), and characters with no glyph
//! of their own survive.

#[macro_use]
mod common;

use std::collections::BTreeMap;
use std::path::Path;

use broadsheet::display::{Item, Page, Role};
use common::*;

/// Every printed line of `page` as the display list sets it: the text of
/// the runs on one baseline of one module and column (or of the page's
/// furniture), left to right, whitespace removed. Outlined labels and
/// proof notes are not text.
fn printed_lines(page: &Page) -> Vec<(Role, String)> {
    type Key = (Option<usize>, Option<usize>, i64);
    let mut lines: BTreeMap<Key, Vec<(f32, Role, &str)>> = BTreeMap::new();
    for item in &page.items {
        let Item::Glyphs(run) = item else { continue };
        if matches!(run.role, Role::Placeholder | Role::OversetMark) {
            continue;
        }
        let key = (run.module, run.column, (run.y * 100.0).round() as i64);
        lines
            .entry(key)
            .or_default()
            .push((run.x, run.role, run.text.as_str()));
    }
    let mut printed: Vec<(Role, String)> = lines
        .into_values()
        .map(|mut runs| {
            runs.sort_by(|a, b| a.0.total_cmp(&b.0));
            let text = runs
                .iter()
                .flat_map(|r| r.2.chars())
                .filter(|c| !c.is_whitespace())
                .collect();
            (runs[0].1, text)
        })
        .collect();
    // A PDF ad brings its own text: its lines as the ad's file reads.
    for item in &page.items {
        let Item::Image(image) = item else { continue };
        if image.asset.kind == broadsheet::media::AssetKind::Pdf {
            let path = image.asset.path.to_str().unwrap();
            let text = tool("pdftotext", &["-raw", "-enc", "UTF-8", path, "-"]);
            printed.extend(text.lines().map(|l| {
                let line = l.chars().filter(|c| !c.is_whitespace()).collect();
                (Role::Ad, line)
            }));
        }
    }
    printed
}

/// Whether `line` is one or more whole printed lines end to end (a reader
/// joins lines of different sizes whose baselines are close, as a
/// masthead's name and its date block).
fn whole_lines(line: &str, printed: &[(Role, String)]) -> bool {
    let mut reach = vec![false; line.len() + 1];
    reach[0] = true;
    for at in 0..line.len() {
        if !reach[at] || !line.is_char_boundary(at) {
            continue;
        }
        for (_, p) in printed {
            if !p.is_empty() && line[at..].starts_with(p.as_str()) {
                reach[at + p.len()] = true;
            }
        }
    }
    reach[line.len()]
}

/// `pdftotext -raw` of one page, one entry per output line, whitespace
/// removed, empty lines dropped.
fn raw_lines(pdf: &Path, page: u32) -> Vec<String> {
    let n = page.to_string();
    tool(
        "pdftotext",
        &[
            "-raw",
            "-enc",
            "UTF-8",
            "-f",
            &n,
            "-l",
            &n,
            pdf.to_str().unwrap(),
            "-",
        ],
    )
    .lines()
    .map(|l| l.chars().filter(|c| !c.is_whitespace()).collect::<String>())
    .filter(|l| !l.is_empty())
    .collect()
}

/// Every line `pdftotext -raw` gives is made of whole printed lines, and every
/// body line is given whole; returns the number of body lines checked.
fn assert_lines_whole(name: &str, pages: &[Page], pdf: &[u8]) -> usize {
    let dir = scratch(&format!("text-layer-{name}"));
    let path = dir.join("t.pdf");
    std::fs::write(&path, pdf).unwrap();
    let mut body = 0;
    let mut broken = Vec::new();
    for page in pages {
        let printed = printed_lines(page);
        let raw = raw_lines(&path, page.number);
        for line in &raw {
            if !whole_lines(line, &printed) {
                broken.push(format!("page {}: -raw line {line:?}", page.number));
            }
        }
        for (role, line) in &printed {
            if *role != Role::Body || line.is_empty() {
                continue;
            }
            body += 1;
            if !raw.contains(line) {
                broken.push(format!(
                    "page {}: body line {line:?} not whole",
                    page.number
                ));
            }
        }
    }
    assert!(
        broken.is_empty(),
        "{name}: {} line(s) broken in the text layer:\n{}",
        broken.len(),
        broken.join("\n")
    );
    body
}

fn built_lines_whole(name: &str, built: &Built) -> usize {
    assert_lines_whole(name, &built.composition.pages, &built.pdf)
}

/// The number of glyphs set in less than the font's advance by more than
/// a tenth of an em: compressed punctuation.
fn compressed_marks(pages: &[Page]) -> usize {
    pages
        .iter()
        .flat_map(|p| &p.items)
        .filter_map(|i| match i {
            Item::Glyphs(r) if r.role == Role::Body => Some(r),
            _ => None,
        })
        .map(|r| {
            r.glyphs
                .windows(2)
                .filter(|w| w[1].x - w[0].x < 0.9 * r.size && w[0].advance < 0.9 * r.size)
                .filter(|w| {
                    let t = &r.text[w[0].range.clone()];
                    t.chars()
                        .all(|c| "、。，．：；！？”’」』》〉）】".contains(c))
                })
                .count()
        })
        .sum()
}

#[test]
fn bundled_sample_lines_are_whole_in_the_text_layer() {
    let b = build("default.toml", &bundled_sample());
    assert!(compressed_marks(&b.composition.pages) > 10);
    let body = built_lines_whole("bundled", &b);
    assert!(body > 250, "{body} body lines");
}

#[test]
fn print_sample_lines_are_whole_in_the_text_layer() {
    let b = build_at(&print_layout(), &print_sample());
    assert!(built_lines_whole("print", &b) > 100);
}

#[test]
#[ignore = "needs ../shared/samples/yuncheng-evening.md"]
fn real_sample_lines_are_whole_in_the_text_layer() {
    let b = build("yuncheng.toml", &real_sample());
    assert!(compressed_marks(&b.composition.pages) > 10);
    assert!(built_lines_whole("real", &b) > 250);
}

/// An article dense with compressed punctuation: runs of closing marks,
/// closing before opening, opening after opening, at line starts and ends.
#[test]
fn dense_punctuation_lines_are_whole_in_the_text_layer() {
    use broadsheet::source::{Article, Edition};
    let layout = broadsheet::layout::parse(grid_layout!(), Path::new("t.toml")).unwrap();
    let paragraph = "他说：“《人民日报》、《光明日报》，“「好」”。”她问：“《报》？”答：“是。”\
        「甲」、「乙」、「丙」；《一》《二》（三）【四】。“‘引’”，“‘文’”。";
    let article = Article {
        level: 1,
        headline: vec!["标点“挤压”、《测试》".into()],
        paragraphs: (0..12).map(|_| paragraph.to_string()).collect(),
        ..Default::default()
    };
    let edition = Edition {
        articles: vec![article],
        warnings: Vec::new(),
    };
    let db = fonts();
    let c = broadsheet::compose::compose(&edition, &layout, &db).unwrap();
    assert!(
        compressed_marks(&c.pages) > 100,
        "{}",
        compressed_marks(&c.pages)
    );
    let pdf = broadsheet::export::export(&c.info, &c.pages, &db, &Default::default()).unwrap();
    assert!(assert_lines_whole("dense", &c.pages, &pdf) > 20);
}

/// A character no font has (its `.notdef` box) and invisible format
/// characters — zero-width joiner, zero-width space, soft hyphen,
/// variation selector — reach `pdftotext`, each as often as the copy has it.
#[test]
fn missing_glyph_and_format_characters_survive_in_the_text_layer() {
    use broadsheet::source::{Article, Edition};
    let layout = broadsheet::layout::parse(grid_layout!(), Path::new("t.toml")).unwrap();
    let article = Article {
        level: 1,
        headline: vec!["标题".into()],
        paragraphs: vec![
            "家\u{200D}人与𮯠字，零\u{200B}宽、软\u{AD}连、异\u{FE0F}体。".into(),
            "再\u{200D}一次𮯠。".into(),
        ],
        ..Default::default()
    };
    let edition = Edition {
        articles: vec![article],
        warnings: Vec::new(),
    };
    let db = fonts();
    let c = broadsheet::compose::compose(&edition, &layout, &db).unwrap();
    assert!(
        !c.report.missing_glyphs.is_empty(),
        "𮯠 should have no glyph"
    );
    let pdf = broadsheet::export::export(&c.info, &c.pages, &db, &Default::default()).unwrap();
    let dir = scratch("text-layer-format-chars");
    let path = dir.join("t.pdf");
    std::fs::write(&path, &pdf).unwrap();
    let text = pdf_text(&path);
    for (ch, n) in [
        ('𮯠', 2),
        ('\u{200D}', 2),
        ('\u{200B}', 1),
        ('\u{AD}', 1),
        ('\u{FE0F}', 1),
    ] {
        assert_eq!(
            text.chars().filter(|&c| c == ch).count(),
            n,
            "U+{:04X} in the text layer: {text}",
            ch as u32
        );
    }
    subsequence("家\u{200D}人与𮯠字", &text).unwrap();
}
