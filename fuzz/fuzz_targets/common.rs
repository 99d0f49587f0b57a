//! Shared by the fuzz targets: the bundled fonts, a small layout and the
//! checks every composition must pass.
#![allow(dead_code)]

use std::path::Path;
use std::sync::OnceLock;

use broadsheet::compose::Composition;
use broadsheet::display::{Item, Role};
use broadsheet::fonts::FontDb;
use broadsheet::layout::Layout;
use broadsheet::source::Article;

pub fn db() -> &'static FontDb {
    static DB: OnceLock<FontDb> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = FontDb::new();
        db.load_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../fonts"))
            .expect("bundled fonts");
        db
    })
}

/// Three columns of eight characters, no masthead: small enough that
/// composing a fuzzed edition stays fast.
pub const SMALL_LAYOUT: &str = r#"
[page]
size = { width = "300pt", height = "400pt" }
margins = { top = "20pt", bottom = "20pt", left = "20pt", right = "20pt" }
[grid]
columns = 3
column_chars = 8
body_size = "9pt"
line_pitch = "11.5pt"
[furniture]
masthead_lines = 0
[styles.headline_1]
size = "12pt"
[styles.headline_2]
size = "10.5pt"
"#;

pub fn small_layout() -> &'static Layout {
    static L: OnceLock<Layout> = OnceLock::new();
    L.get_or_init(|| {
        broadsheet::layout::parse(SMALL_LAYOUT, Path::new("small.toml")).expect("small layout")
    })
}

/// Visible characters: whitespace and invisible format characters aside.
pub fn visible(c: char) -> bool {
    !c.is_whitespace()
        && !c.is_control()
        && broadsheet::text::class::class_of(c) != broadsheet::text::CharClass::Control
}

/// An article's text in reading order: the 栏目 tag above the headline
/// block, the byline under it, picture captions before the body.
pub fn article_text(a: &Article) -> String {
    let mut s = String::new();
    s.extend(a.front.rubric.iter().cloned());
    s.extend(a.kicker.iter().cloned());
    s.extend(a.headline.iter().cloned());
    s.extend(a.subheadline.iter().cloned());
    s.extend(a.byline.iter().cloned());
    for p in &a.pictures {
        s.push_str(&p.caption);
        s.extend(p.credit.iter().cloned());
    }
    s.extend(a.paragraphs.iter().cloned());
    s.extend(a.credit.iter().cloned());
    s.chars().filter(|&c| visible(c)).collect()
}

/// Per article, the visible text of its glyph runs in display order.
pub fn displayed(c: &Composition, articles: usize) -> Vec<String> {
    let mut out = vec![String::new(); articles];
    for page in &c.pages {
        for item in &page.items {
            if let Item::Glyphs(run) = item {
                if matches!(
                    run.role,
                    Role::JumpLine | Role::ContinuationHeadline | Role::OversetMark
                ) {
                    continue;
                }
                if let Some(a) = run.article.filter(|&a| a >= 1 && a <= articles) {
                    out[a - 1].extend(run.text.chars().filter(|&c| visible(c)));
                }
            }
        }
    }
    out
}

/// Every coordinate of the display list is a number.
pub fn assert_finite(c: &Composition) {
    for page in &c.pages {
        assert!(page.width.is_finite() && page.height.is_finite());
        for item in &page.items {
            match item {
                Item::Glyphs(run) => {
                    assert!(
                        run.x.is_finite() && run.y.is_finite() && run.size.is_finite(),
                        "run {:?} at ({}, {})",
                        run.text,
                        run.x,
                        run.y
                    );
                    for g in &run.glyphs {
                        assert!(
                            g.x.is_finite() && g.advance.is_finite() && g.y_offset.is_finite(),
                            "glyph in {:?}",
                            run.text
                        );
                    }
                }
                Item::Rule(r) => assert!(
                    [r.x0, r.y0, r.x1, r.y1, r.width]
                        .iter()
                        .all(|v| v.is_finite()),
                    "rule {r:?}"
                ),
                Item::Rect(r) => assert!(
                    [r.x, r.y, r.width, r.height].iter().all(|v| v.is_finite()),
                    "rect {r:?}"
                ),
                Item::Image(i) => assert!(
                    [i.x, i.y, i.width, i.height, i.placed.0, i.placed.1, i.placed.2, i.placed.3]
                        .iter()
                        .all(|v| v.is_finite()),
                    "picture at ({}, {}) placed {:?}",
                    i.x,
                    i.y,
                    i.placed
                ),
            }
        }
    }
}
