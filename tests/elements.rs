//! Issue 19 items 1, 3 and 4: 小标题 (subheads), 引语 (pull quotes) and
//! bylines, from the article file to the display list and the PDF's text.
//!
//! The invariants are checked on the display list (`--dump`'s items): each
//! element is there with its role; a subhead is never the last line of its
//! column (over random articles and module heights); a pull quote takes
//! whole grid lines; body baselines stay on the grid; and `pdftotext -raw`
//! reads every character in order, the byline after the headline and the
//! subheads and pull quotes where they stand in the text.

#[macro_use]
mod common;

use std::collections::HashMap;
use std::path::Path;
use std::sync::OnceLock;

use broadsheet::compose::{self, Composition};
use broadsheet::display::{Item, Role};
use broadsheet::fonts::FontDb;
use broadsheet::layout::{self, Layout};
use broadsheet::source::{self, ParagraphKind, ParseOptions};
use common::*;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

/// Float noise allowed on positions, pt.
const EPSILON: f32 = 0.01;
/// Random articles and module heights tried.
const CASES: u32 = 256;

fn db() -> &'static FontDb {
    static DB: OnceLock<FontDb> = OnceLock::new();
    DB.get_or_init(fonts)
}

fn article_file() -> std::path::PathBuf {
    let path = root().join("tests/data/elements/article.md");
    assert!(path.is_file(), "missing test input {}", path.display());
    path
}

/// A layout with both test articles in planned four-column modules that
/// take their height from the text, pull quotes set as `placement` says.
fn planned_layout(placement: &str) -> Layout {
    let text = format!(
        "{}\n[elements]\npull_quote = \"{placement}\"\n\n[[pages]]\n\
         [[pages.modules]]\narticle = 1\ncolumns = [1, 4]\nlines = [10, \"auto\"]\n\n\
         [[pages.modules]]\narticle = 2\ncolumns = [5, 8]\nlines = [10, \"auto\"]\n",
        grid_layout!()
    );
    layout::parse(&text, Path::new("elements.toml")).unwrap_or_else(|e| panic!("{e}"))
}

fn runs(c: &Composition) -> impl Iterator<Item = &broadsheet::display::GlyphRun> {
    c.pages
        .iter()
        .flat_map(|p| &p.items)
        .filter_map(|i| match i {
            Item::Glyphs(run) => Some(run),
            _ => None,
        })
}

/// Every grid invariant of the elements on one composition.
fn check_grid(c: &Composition, layout: &Layout) -> Result<(), String> {
    let g = &layout.grid;
    // (page, module, column) → grid lines with text, and the lines that
    // are subheads.
    let mut lines: HashMap<(usize, usize, usize), Vec<u32>> = HashMap::new();
    let mut subheads = Vec::new();
    for (pi, page) in c.pages.iter().enumerate() {
        for item in &page.items {
            match item {
                Item::Glyphs(run) => {
                    let (Some(m), Some(col), Some(line)) = (run.module, run.column, run.grid_line)
                    else {
                        continue;
                    };
                    let on_grid = (run.y - g.baseline(line)).abs() <= EPSILON;
                    if matches!(run.role, Role::Body | Role::Dateline | Role::Subhead) && !on_grid {
                        return Err(format!(
                            "{:?} run {:?} off the grid: y {} on line {line}",
                            run.role, run.text, run.y
                        ));
                    }
                    lines.entry((pi, m, col)).or_default().push(line);
                    if run.role == Role::Subhead {
                        subheads.push(((pi, m, col), line, run.text.clone()));
                    }
                }
                Item::Rule(rule) if rule.role == Role::PullQuote => {
                    // The rules sit inside whole grid lines: the block's
                    // top and foot are line tops.
                    let from_top = (rule.y0 - g.line_top(1)) / g.pitch;
                    let inside = from_top - from_top.floor();
                    if !(0.05..0.95).contains(&inside) {
                        return Err(format!("a pull-quote rule on a line boundary: {from_top}"));
                    }
                }
                _ => {}
            }
        }
    }
    for (key, line, text) in subheads {
        let column = &lines[&key];
        if !column.iter().any(|&l| l > line) {
            return Err(format!("subhead {text:?} ends its column (line {line})"));
        }
    }
    Ok(())
}

#[test]
fn elements_are_set_with_their_roles_and_read_in_order() {
    let path = article_file();
    let edition = edition(&path);
    let a = &edition.articles[0];
    assert_eq!(a.byline.as_deref(), Some("作者：本报记者 王晓岚"));
    assert_eq!(
        a.paragraph_kinds,
        [
            ParagraphKind::Body,
            ParagraphKind::Subhead,
            ParagraphKind::Body,
            ParagraphKind::PullQuote,
            ParagraphKind::Body,
            ParagraphKind::Subhead,
            ParagraphKind::Body,
        ]
    );
    assert_eq!(edition.articles[1].byline.as_deref(), Some("文/许安"));
    for placement in ["span", "column"] {
        let layout = planned_layout(placement);
        let c = compose::compose(&edition, &layout, db()).unwrap();
        assert_eq!(c.report.overset_lines(), 0, "{placement}");
        assert!(c.report.outside_frame.is_empty(), "{placement}");
        for role in [Role::Subhead, Role::PullQuote, Role::Byline] {
            for article in [1, 2] {
                assert!(
                    runs(&c).any(|r| r.role == role && r.article == Some(article)),
                    "{placement}: article {article} has no {role:?} run"
                );
            }
        }
        check_grid(&c, &layout).unwrap_or_else(|e| panic!("{placement}: {e}"));
        // The display list reads in order: byline after the headline,
        // elements in place.
        for (i, a) in edition.articles.iter().enumerate() {
            let shown: String = runs(&c)
                .filter(|r| r.article == Some(i + 1))
                .flat_map(|r| r.text.chars())
                .filter(|ch| !ch.is_whitespace())
                .collect();
            assert_eq!(shown, article_text(a), "{placement}: article {}", i + 1);
        }
    }
}

#[test]
fn pdf_text_layer_reads_the_elements_in_place() {
    let dir = scratch("elements-pdf");
    let layout = dir.join("layout.toml");
    std::fs::write(
        &layout,
        format!(
            "{}\n[[pages]]\n[[pages.modules]]\narticle = 1\ncolumns = [1, 4]\nlines = [10, \"auto\"]\n\n\
             [[pages.modules]]\narticle = 2\ncolumns = [5, 8]\nlines = [10, \"auto\"]\n",
            grid_layout!()
        ),
    )
    .unwrap();
    let built = build_at(&layout, &article_file());
    let pdf = dir.join("out.pdf");
    std::fs::write(&pdf, &built.pdf).unwrap();
    let text = pdf_text(&pdf);
    for a in &built.edition.articles {
        subsequence(&article_text(a), &text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    }
    // In place: the pull quote after the paragraph before it, the byline
    // right after the headline.
    let at = |s: &str| text.find(s).unwrap_or_else(|| panic!("{s} not in {text}"));
    assert!(at("作者：本报记者王晓岚") < at("清河晚报讯"));
    assert!(at("节假日不闭馆。") < at("让书房"));
    assert!(at("让书房") < at("刘建平表示"));
}

/// A random article: paragraphs of 5 to 120 Han characters with subheads
/// and pull quotes between them.
fn random_article() -> impl Strategy<Value = String> {
    let paragraph = (5usize..120).prop_map(|n| {
        let text: String = "城市书房建设三年行动方案发布市民步行十五分钟可达阅读圈"
            .chars()
            .cycle()
            .take(n)
            .collect();
        format!("{text}。")
    });
    let block = (paragraph, 0u8..6);
    proptest::collection::vec(block, 1..12).prop_map(|blocks| {
        let mut s = String::from("# 标题\n\n作者：本报记者 张三\n\n第一段正文。\n\n");
        for (i, (text, kind)) in blocks.into_iter().enumerate() {
            match kind {
                0 | 1 => s.push_str(&format!("### 小标题{i}\n\n{text}\n\n")),
                2 => s.push_str(&format!("> 引语{i}\n\n{text}\n\n")),
                _ => s.push_str(&format!("{text}\n\n")),
            }
        }
        s
    })
}

#[test]
fn a_subhead_never_ends_a_column() {
    let config = Config {
        cases: CASES,
        failure_persistence: None,
        ..Config::default()
    };
    let rng = proptest::test_runner::TestRng::deterministic_rng(config.rng_algorithm);
    let mut runner = TestRunner::new_with_rng(config, rng);
    let strategy = (
        random_article(),
        1u32..=4,
        8u32..=60,
        any::<bool>(),
        any::<bool>(),
    );
    let result = runner.run(&strategy, |(file, cols, lines, auto, span)| {
        let edition = source::parse(file.as_bytes(), Path::new("p.md"), &ParseOptions::default())
            .map_err(|e| TestCaseError::fail(format!("{e}")))?;
        let bottom = if auto {
            "\"auto\"".to_string()
        } else {
            (10 + lines).to_string()
        };
        let placement = if span { "span" } else { "column" };
        let text = format!(
            "{}\n[elements]\npull_quote = \"{placement}\"\n\n[[pages]]\n[[pages.modules]]\n\
             article = 1\ncolumns = [1, {cols}]\nlines = [10, {bottom}]\n",
            grid_layout!()
        );
        let layout = layout::parse(&text, Path::new("p.toml")).unwrap();
        let c = compose::compose(&edition, &layout, db())
            .map_err(|e| TestCaseError::fail(format!("{e}")))?;
        check_grid(&c, &layout).map_err(|e| TestCaseError::fail(format!("{e}\n{file}\n{text}")))?;
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}

/// Make-up counts a subhead's keep: a module it makes up is as tall as
/// balancing needs to keep the 小标题 with the lines after it, not
/// ⌈lines ÷ columns⌉ (fuzzing found one line of paragraph, a subhead and
/// two lines in three columns of two lines set four lines overset).
#[test]
fn automatic_make_up_leaves_room_for_a_subheads_keep() {
    let layout = layout::parse(
        r#"
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
[styles.headline_2]
size = "10.5pt"
"#,
        Path::new("small.toml"),
    )
    .unwrap();
    // The fuzzed file, its control characters taken out: a headline the
    // table's sizes cannot set in few lines, so make-up relaxes its
    // bounds and sets the short body over three columns.
    let file =
        "## 工要揸䄉，~PM2.5 (64b-it) 3Q,000 7:3cn\n(\n### 没有标题的引题\n\n正文。\n”0消息.cn";
    let edition = source::parse(
        file.as_bytes(),
        Path::new("keep.md"),
        &ParseOptions::default(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        edition.articles[0].paragraph_kinds,
        [
            ParagraphKind::Body,
            ParagraphKind::Subhead,
            ParagraphKind::Body
        ]
    );
    let c = compose::compose(&edition, &layout, db()).unwrap();
    assert_eq!(c.report.overset_lines(), 0, "{}", c.report.to_text());
    let shown: String = runs(&c)
        .filter(|r| r.article == Some(1))
        .flat_map(|r| r.text.chars())
        .filter(|ch| !ch.is_whitespace())
        .collect();
    assert_eq!(shown, article_text(&edition.articles[0]));
}

/// Issue 19's first acceptance point: one article with every element (a
/// 栏目 tag, a byline, a boxed 导语, bold, 小标题, a 引语 and the credit) in
/// a boxed, tinted module under a full masthead, built by the binary: the
/// dump has each element in its role, and the PDF's text layer reads the
/// article in order with the byline after the headline and the elements
/// in place.
#[test]
fn every_element_builds_in_its_role_and_reads_in_order() {
    let articles = root().join("tests/data/elements/every.md");
    assert!(
        articles.is_file(),
        "missing test input {}",
        articles.display()
    );
    let layout = format!(
        "{}\n[paper]\nname = \"清河晚报\"\niso_date = \"2022-07-22\"\ncn = \"CN99-0099\"\n\
         postal_code = \"99-99\"\nweather = \"晴 26～35℃\"\n\
         [[masthead.teasers]]\ntitle = \"旧货棚改成共享工具屋\"\npage = 1\n\
         [furniture]\nmasthead_lines = 12\n[elements]\nlead = \"boxed\"\n\
         [[pages]]\neditor = \"周文清\"\ndesigner = \"林小雨\"\nproofreader = \"陈立\"\n\
         [[pages.modules]]\narticle = 1\ncolumns = [1, 4]\nlines = [13, \"auto\"]\n\
         boxed = \"double\"\ntint = [0, 0, 0, 10]\npadding = 1\n",
        grid_layout!().replacen("[paper]\nname = \"清河晚报\"\n", "", 1)
    );
    let BinaryBuild {
        pdf, dump, stderr, ..
    } = build_dumped("every-element", &layout, &articles);
    assert!(!stderr.contains("overset"), "{stderr}");
    let items: Vec<&serde_json::Value> = dump["pages"][0]["items"]
        .as_array()
        .unwrap()
        .iter()
        .collect();
    let text_of = |role: &str| -> String {
        items
            .iter()
            .filter(|i| i["kind"] == "glyphs" && i["role"] == role)
            .map(|i| i["text"].as_str().unwrap())
            .collect()
    };
    let edition = edition(&articles);
    let a = &edition.articles[0];
    assert_eq!(
        a.front.rubric.as_deref(),
        Some("我为群众办实事——记者走基层")
    );
    assert_eq!(text_of("rubric"), "我为群众办实事——记者走基层");
    assert_eq!(text_of("byline"), "作者：本报记者 秦望舒");
    assert_eq!(text_of("lead"), a.paragraphs[0]);
    assert_eq!(text_of("subhead"), "扫码就能借下一步进楼道");
    assert!(text_of("pull_quote").starts_with("一把电钻"));
    assert!(text_of("credit").contains("秦望舒"));
    // The credit breaks between names and titles, never inside one.
    let words: Vec<&str> = a.credit.as_deref().unwrap().split_whitespace().collect();
    for run in items
        .iter()
        .filter(|i| i["kind"] == "glyphs" && i["role"] == "credit")
    {
        for word in run["text"].as_str().unwrap().split_whitespace() {
            assert!(words.contains(&word), "credit torn: {:?}", run["text"]);
        }
    }
    let masthead = text_of("masthead");
    for part in [
        "清河晚报",
        "CN99-0099",
        "99-99",
        "六月廿四",
        "晴",
        "旧货棚改成共享工具屋",
    ] {
        assert!(masthead.contains(part), "masthead lacks {part}: {masthead}");
    }
    assert!(
        items
            .iter()
            .any(|i| i["kind"] == "glyphs" && i["text"].as_str().unwrap().contains("责任编辑")),
        "no folio editor line"
    );
    // Bold: the span, and only it, is set in the bold face.
    let weight = |face: &serde_json::Value| {
        dump["fonts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| &f["id"] == face)
            .and_then(|f| f["weight"].as_u64())
    };
    let bold: String = items
        .iter()
        .filter(|i| i["kind"] == "glyphs" && i["role"] == "body")
        .filter(|i| weight(&i["face"]) == Some(700))
        .map(|i| i["text"].as_str().unwrap())
        .collect();
    assert_eq!(bold, "全部来自居民捐赠");
    // The 导语's frame, the module's tint and its double frame.
    let rects = |role: &str| {
        items
            .iter()
            .filter(|i| i["kind"] == "rect" && i["role"] == role)
            .count()
    };
    assert_eq!(rects("lead"), 1, "one framed 导语 column");
    assert_eq!(rects("tint"), 1);
    assert!(rects("module_rule") >= 2, "a double frame is two outlines");
    // The text layer: everything in order, the byline after the headline.
    let text = pdf_text(&pdf);
    subsequence(&article_text(a), &text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let at = |s: &str| text.find(s).unwrap_or_else(|| panic!("{s} not in {text}"));
    assert!(at("我为群众办实事") < at("河滨街道："));
    assert!(at("河滨街道：") < at("作者：本报记者秦望舒"));
    assert!(at("作者：本报记者秦望舒") < at("街坊把闲置工具"));
    assert!(at("来自居民捐赠") < at("扫码就能借借用办法"));
    assert!(at("检修。") < at("一把电钻"));
    assert!(at("一把电钻") < at("捐出电钻"));
}
