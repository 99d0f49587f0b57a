//! Reference snapshots of named typographic cases: each case composes a
//! short article on a small grid with one setting changed and compares the
//! display list, written as text (`tests/snapshots/NAME.txt`), with the
//! reference. A change in line breaking, compression, spacing, headline
//! blocks or jumps shows up as a readable diff of positions and line texts.
//!
//! `UPDATE=1 cargo test --release --test snapshots` rewrites the references;
//! review the diff before committing it. A missing reference fails.

#[macro_use]
mod common;

use std::fmt::Write;
use std::path::Path;

use broadsheet::compose;
use broadsheet::display::{Item, Page};
use broadsheet::layout;
use broadsheet::source;

use common::*;

/// Four columns of 13 小五 characters on A4, no masthead.
const GRID: &str = concat!("\n[paper]\nname = \"清河晚报\"\n", a4_grid!());

/// Prose that puts every rule to work in a 13-character measure: closing
/// and opening marks, a dash, an ellipsis, numbers with units and postfix
/// signs, Latin words, nested quotes.
const PROSE: &str = "清河晚报讯(记者 王明)11月20日上午,清河新区首条环线公交正式开通。全程约18.5公里,沿途设站26个,每天6:00—22:00运营。市民张女士说:“以后去医院方便多了!”据介绍,线路采用纯电动公交车,车内有WiFi和USB充电口,气温-5℃时续航仍有95%以上……“我们还会根据客流调整发车间隔,”公交公司负责人表示,“让‘最后一公里’不再难走。”\n\n开通首日,乘客达3,000余人次。记者在车上看到,不少老人特意来体验新线路,有人说:“真好!”";

struct Case {
    name: &'static str,
    /// Extra TOML for `[styles.body]`.
    body: &'static str,
    /// The page plan (`[[pages]]` …).
    plan: &'static str,
    articles: &'static str,
}

const ONE_MODULE: &str = r#"
[[pages]]
[[pages.modules]]
article = 1
columns = [1, 2]
lines = [1, 40]
"#;

fn article(prose: &str) -> String {
    format!("# 清河新区 开通首条环线公交\n\n{prose}\n")
}

fn cases() -> Vec<Case> {
    let body = |name, body| Case {
        name,
        body,
        plan: ONE_MODULE,
        articles: "",
    };
    vec![
        body("prohibition_none", r#"prohibition = "none""#),
        body("prohibition_basic", r#"prohibition = "basic""#),
        body("prohibition_gb", r#"prohibition = "gb""#),
        body("prohibition_strict", r#"prohibition = "strict""#),
        body("punctuation_quanjiao", r#"punctuation = "quanjiao""#),
        body("punctuation_kaiming", r#"punctuation = "kaiming""#),
        body("punctuation_banjiao", r#"punctuation = "banjiao""#),
        body("punctuation_plain", r#"punctuation = "plain""#),
        body("han_latin_gap_default", ""),
        body("han_latin_gap_none", "han_latin_gap = 0"),
        body("han_digit_gap_quarter", "han_digit_gap = 0.25"),
        body("hanging_punctuation", "hanging = true"),
        body("orphan_char_allowed", "avoid_orphan_char = false"),
        body("indent_none", "indent = 0"),
        Case {
            name: "jump_lines",
            body: "",
            plan: r#"
[[pages]]
[[pages.modules]]
article = 1
columns = [1, 2]
lines = [1, 12]
continue_to = { page = 2, module = 1 }

[[pages]]
[[pages.modules]]
columns = [1, 2]
lines = [1, 40]
continuation_headline = "环线公交开通"
"#,
            articles: "",
        },
        Case {
            name: "headline_block",
            body: "",
            plan: ONE_MODULE,
            articles: "### 民生实事——百名记者走基层\n# 清河新区 开通首条环线公交\n### 全程18公里 沿途设站26个\n\n",
        },
        Case {
            name: "headline_narrower_than_module",
            body: "",
            plan: r#"
[[pages]]
[[pages.modules]]
article = 1
columns = [1, 3]
lines = [1, 30]
headline_columns = 2
"#,
            articles: "",
        },
        Case {
            name: "body_columns_break_the_grid",
            body: "",
            plan: r#"
[[pages]]
[[pages.modules]]
article = 1
columns = [1, 3]
lines = [1, 30]
body_columns = 2
"#,
            articles: "",
        },
        Case {
            name: "credit_line",
            body: "",
            plan: ONE_MODULE,
            articles: "CREDIT",
        },
        Case {
            name: "headline_breaks_between_words",
            body: "",
            plan: ONE_MODULE,
            articles: "## 我国科研人员发现一颗新的近地小行星\n\n",
        },
        Case {
            name: "headline_shrinks_one_zihao_step",
            body: "",
            plan: r#"
[[pages]]
[[pages.modules]]
article = 1
columns = [1, 1]
lines = [1, 40]
"#,
            articles: "## 永济高速公路洽谈会\n\n",
        },
        Case {
            name: "picture_under_headline",
            body: "",
            plan: r#"
[[pages]]
[[pages.modules]]
article = 1
columns = [1, 3]
lines = [1, 40]
picture_columns = 2
"#,
            articles: "# 清河新区 开通首条环线公交\n\n![新线路的首班车驶出清河新区公交枢纽站。](tests/data/place/photo.png \"摄影 记者 王明\")\n\n",
        },
        Case {
            name: "closing_marks_cluster",
            body: "",
            plan: ONE_MODULE,
            articles: "# 標點 連續收尾\n\n他問:「真的嗎！？」引來一陣笑聲。「是嗎？！」她又問了一遍,大家都笑了。這樣的問答在社區裡每天都有,「好嗎？」「好！」\n",
        },
    ]
}

fn source_of(case: &Case) -> String {
    match case.articles {
        "" => article(PROSE),
        "CREDIT" => format!("{}\n文/图 王明 李华\n", article(PROSE)),
        head if head.ends_with("\n\n") => format!("{head}{PROSE}\n"),
        whole => whole.to_string(),
    }
}

fn layout_of(case: &Case) -> String {
    let mut toml = String::from(GRID);
    writeln!(
        toml,
        "\n[styles.body]\nfont = [\"Noto Serif CJK SC\"]\n{}",
        case.body
    )
    .unwrap();
    toml.push_str(case.plan);
    toml
}

/// The display list as text, positions rounded to 0.01 pt.
fn render(pages: &[Page]) -> String {
    let mut out = String::new();
    for p in pages {
        writeln!(out, "page {} {:.2} x {:.2}", p.number, p.width, p.height).unwrap();
        for m in &p.modules {
            let cols: Vec<String> = m
                .columns
                .iter()
                .map(|(x, w)| format!("{x:.2}+{w:.2}"))
                .collect();
            writeln!(
                out,
                "module {:?} at ({:.2}, {:.2}) {:.2} x {:.2} columns {}",
                m.name,
                m.x,
                m.y,
                m.width,
                m.height,
                cols.join(" ")
            )
            .unwrap();
        }
        for item in &p.items {
            match item {
                Item::Glyphs(r) => {
                    let at: Vec<String> = r.glyphs.iter().map(|g| format!("{:.2}", g.x)).collect();
                    writeln!(
                        out,
                        "{:?} a{:?} m{:?} c{:?} g{:?} ({:.2}, {:.2}) {} {:.2}pt end {:.2} {:?}\n    {}",
                        r.role,
                        r.article,
                        r.module,
                        r.column,
                        r.grid_line,
                        r.x,
                        r.y,
                        r.font,
                        r.size,
                        r.end_x(),
                        r.text,
                        at.join(" ")
                    )
                    .unwrap();
                }
                Item::Rule(r) => writeln!(
                    out,
                    "rule {:?} ({:.2}, {:.2})-({:.2}, {:.2}) {:.2}pt",
                    r.role, r.x0, r.y0, r.x1, r.y1, r.width
                )
                .unwrap(),
                Item::Rect(r) => writeln!(
                    out,
                    "rect {:?} ({:.2}, {:.2}) {:.2} x {:.2}",
                    r.role, r.x, r.y, r.width, r.height
                )
                .unwrap(),
                Item::Image(i) => writeln!(
                    out,
                    "image {:?} a{:?} m{:?} ({:.2}, {:.2}) {:.2} x {:.2} placed ({:.2}, {:.2}) {:.2} x {:.2} {:?} {:?} {}x{}",
                    i.role,
                    i.article,
                    i.module,
                    i.x,
                    i.y,
                    i.width,
                    i.height,
                    i.placed.0,
                    i.placed.1,
                    i.placed.2,
                    i.placed.3,
                    i.asset.kind,
                    i.asset.path.file_name().unwrap_or_default(),
                    i.asset.pixels.0,
                    i.asset.pixels.1
                )
                .unwrap(),
            }
        }
    }
    out
}

#[test]
fn named_cases_match_their_reference_snapshots() {
    let dir = root().join("tests/snapshots");
    let update = std::env::var_os("UPDATE").is_some();
    let db = fonts();
    let mut problems = Vec::new();
    let cases = cases();
    assert!(cases.len() >= 20, "only {} cases", cases.len());
    for case in &cases {
        let layout = layout::parse(&layout_of(case), Path::new(&format!("{}.toml", case.name)))
            .unwrap_or_else(|e| panic!("{}: {e}", case.name));
        let edition = source::parse(
            source_of(case).as_bytes(),
            Path::new(&format!("{}.md", case.name)),
            &Default::default(),
        )
        .unwrap_or_else(|e| panic!("{}: {e}", case.name));
        // Pictures are named relative to the case's article file, which
        // stands in the crate's folder.
        let mut library = broadsheet::media::Library::default();
        for p in edition.articles.iter().flat_map(|a| &a.pictures) {
            library.load(&p.path, 0, &Default::default()).unwrap();
        }
        let c = compose::compose_with_media(&edition, &layout, &db, &library)
            .unwrap_or_else(|e| panic!("{}: {e}", case.name));
        let text = format!("{}\n{}", c.report.to_text(), render(&c.pages));
        let path = dir.join(format!("{}.txt", case.name));
        if update {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &text).unwrap();
            continue;
        }
        match std::fs::read_to_string(&path) {
            Ok(want) if want == text => {}
            Ok(want) => {
                let first = want
                    .lines()
                    .zip(text.lines())
                    .position(|(a, b)| a != b)
                    .unwrap_or(want.lines().count().min(text.lines().count()));
                problems.push(format!(
                    "{}: differs from line {}:\n  want {:?}\n  have {:?}",
                    case.name,
                    first + 1,
                    want.lines().nth(first).unwrap_or(""),
                    text.lines().nth(first).unwrap_or("")
                ));
            }
            Err(_) => problems.push(format!("{}: no reference {}", case.name, path.display())),
        }
    }
    // Every reference belongs to a case.
    if let Ok(entries) = std::fs::read_dir(&dir) {
        for e in entries {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            let stem = name.trim_end_matches(".txt");
            if !cases.iter().any(|c| c.name == stem) {
                problems.push(format!("{name}: a reference without a case"));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{}\n\nrefresh with UPDATE=1 after reviewing the change",
        problems.join("\n")
    );
}
