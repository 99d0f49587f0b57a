//! The bad-input catalogue (issue 8): every article (`.md`) or layout
//! (`.toml`) file directly under `tests/bad/` is one case, run through the
//! real binary. Adding a file adds a case.
//!
//! Each case `NAME.md` / `NAME.toml` has a sidecar `NAME.expect` (TOML):
//!
//! ```toml
//! exit = 2                          # the exit code
//! message = "…"                     # a substring of stdout + stderr
//! location = "5:4"                  # optional: the error names CASE_FILE:5:4
//! absent = "…"                      # optional: a substring that must not appear
//! layout = "support/layout.toml"    # article cases: the layout (this default)
//! articles = "support/articles.md"  # layout cases: the articles (this default)
//! command = "build"                 # build (default), check or fit
//! args = ["--strict"]               # optional: more command-line arguments;
//!                                   # `{case}` stands for the case file's path
//! bug = "…"                         # an open bug: the case runs and is listed,
//!                                   # but only fails once it passes (remove `bug`)
//! ```
//!
//! For every case: no panic; exit 2 writes no PDF; a build that exits 0 or
//! 1 writes one. Crashes found by `scripts/fuzz` become cases here or tests
//! at the bottom of this file.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    exit: i32,
    message: String,
    location: Option<String>,
    absent: Option<String>,
    layout: Option<String>,
    articles: Option<String>,
    command: Option<String>,
    args: Option<Vec<String>>,
    bug: Option<String>,
}

fn catalogue() -> PathBuf {
    root().join("tests/bad")
}

fn cases() -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(catalogue())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.is_file() && matches!(p.extension().and_then(|e| e.to_str()), Some("md" | "toml"))
        })
        .collect();
    cases.sort();
    cases
}

/// Run one case; `Err` says what is wrong with the outcome.
fn run_case(case: &Path, expect: &Expect) -> Result<(), String> {
    let name = case.file_stem().unwrap().to_string_lossy().into_owned();
    let dir = scratch(&format!("bad_{name}"));
    let pdf = dir.join("out.pdf");
    let is_layout = case.extension().is_some_and(|e| e == "toml");
    let resolve =
        |p: &Option<String>, default: &str| catalogue().join(p.as_deref().unwrap_or(default));
    let (layout, articles) = if is_layout {
        (
            case.to_path_buf(),
            resolve(&expect.articles, "support/articles.md"),
        )
    } else {
        (
            resolve(&expect.layout, "support/layout.toml"),
            case.to_path_buf(),
        )
    };
    let command = expect.command.as_deref().unwrap_or("build");
    let mut args: Vec<&str> = vec![
        command,
        "--layout",
        layout.to_str().unwrap(),
        "--articles",
        articles.to_str().unwrap(),
    ];
    if command == "build" {
        args.extend(["-o", pdf.to_str().unwrap()]);
    }
    let case_path = case.to_string_lossy();
    let extra: Vec<String> = expect
        .args
        .iter()
        .flatten()
        .map(|a| a.replace("{case}", &case_path))
        .collect();
    args.extend(extra.iter().map(String::as_str));
    let out = Command::new(env!("CARGO_BIN_EXE_broadsheet"))
        .args(&args)
        .current_dir(&dir)
        .output()
        .map_err(|e| format!("cannot run the binary: {e}"))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let all = format!("{stdout}{stderr}");
    let shown = || {
        let mut s: String = all.chars().take(3000).collect();
        if all.chars().count() > 3000 {
            s.push_str("\n…");
        }
        s
    };
    let mut problems = Vec::new();
    if all.contains("panicked") {
        problems.push("the binary panicked".to_string());
    }
    if out.status.code() != Some(expect.exit) {
        problems.push(format!(
            "exit code {:?}, expected {}",
            out.status.code(),
            expect.exit
        ));
    }
    if !all.contains(&expect.message) {
        problems.push(format!("message `{}` missing", expect.message));
    }
    if let Some(loc) = &expect.location {
        let located = format!("{}:{loc}:", case.display());
        if !all.contains(&located) {
            problems.push(format!("location `{located}` missing"));
        }
    }
    if let Some(absent) = &expect.absent {
        if all.contains(absent.as_str()) {
            problems.push(format!("`{absent}` should not appear"));
        }
    }
    if command == "build" {
        match out.status.code() {
            Some(2) if pdf.exists() => problems.push("exit 2 but a PDF was written".into()),
            Some(0 | 1) if !pdf.exists() => problems.push("no PDF written".into()),
            _ => {}
        }
    }
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    if !leftovers.is_empty() {
        problems.push("temporary files left behind".into());
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{}\n--- output ---\n{}",
            problems.join("; "),
            shown()
        ))
    }
}

#[test]
fn catalogue_of_bad_inputs() {
    let cases = cases();
    assert!(
        cases.len() >= 95,
        "the catalogue has only {} cases",
        cases.len()
    );
    let mut failures = Vec::new();
    let mut open_bugs = Vec::new();
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let sidecar = case.with_extension("expect");
        let text = std::fs::read_to_string(&sidecar)
            .unwrap_or_else(|e| panic!("{name}: no {}: {e}", sidecar.display()));
        let expect: Expect =
            toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", sidecar.display()));
        let result = run_case(case, &expect);
        match (&expect.bug, result) {
            (None, Ok(())) => {}
            (None, Err(e)) => failures.push(format!("{name}: {e}")),
            (Some(bug), Err(_)) => open_bugs.push(format!("{name}: {bug}")),
            (Some(_), Ok(())) => {
                failures.push(format!("{name}: passes now: remove `bug` from its .expect"))
            }
        }
    }
    // Every sidecar belongs to a case.
    for e in std::fs::read_dir(catalogue()).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "expect") {
            assert!(
                p.with_extension("md").exists() || p.with_extension("toml").exists(),
                "{} has no case file",
                p.display()
            );
        }
    }
    if !open_bugs.is_empty() {
        eprintln!(
            "{} open bug(s) in the catalogue:\n  {}",
            open_bugs.len(),
            open_bugs.join("\n  ")
        );
    }
    eprintln!(
        "{} catalogue cases, {} pass, {} open bugs",
        cases.len(),
        cases.len() - failures.len() - open_bugs.len(),
        open_bugs.len()
    );
    assert!(
        failures.is_empty(),
        "{} case(s) failed:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

// ---------------------------------------------------------------------------
// Regressions found by the fuzzers and properties that need more than the
// exit code and message to show: built through the library.

fn compose_with(
    layout_toml: &str,
    articles: &str,
) -> (broadsheet::layout::Layout, broadsheet::compose::Composition) {
    let layout = broadsheet::layout::parse(layout_toml, Path::new("regression.toml")).unwrap();
    let edition = broadsheet::source::parse(
        articles.as_bytes(),
        Path::new("regression.md"),
        &Default::default(),
    )
    .unwrap();
    let c = broadsheet::compose::compose(&edition, &layout, &fonts()).unwrap();
    (layout, c)
}

const SMALL_GRID: &str = r#"
[page]
size = "A4"
margins = { top = "20mm", bottom = "20mm", left = "15mm", right = "15mm" }
[grid]
columns = 4
column_chars = 13
body_size = "小五"
line_pitch = "11.5pt"
[furniture]
masthead_lines = 0
"#;

const TWO_ARTICLES: &str = "# 甲文章 清河新区开通首条环线公交\n\n清河晚报讯(记者 王明)清河新区首条环线公交正式开通。\n\n## 乙文章\n\n正文。\n";

/// Everything on the page lies on the page.
fn assert_on_page(c: &broadsheet::compose::Composition) {
    use broadsheet::display::Item;
    for page in &c.pages {
        let inside = |y: f32| (-50.0..=page.height + 50.0).contains(&y);
        for item in &page.items {
            match item {
                Item::Glyphs(r) => assert!(inside(r.y), "run {:?} at y = {}", r.text, r.y),
                Item::Rule(r) => assert!(
                    inside(r.y0) && inside(r.y1),
                    "{:?} from y = {} to {}",
                    r.role,
                    r.y0,
                    r.y1
                ),
                Item::Rect(r) => assert!(
                    inside(r.y) && inside(r.y + r.height),
                    "{:?} at y = {}",
                    r.role,
                    r.y
                ),
                Item::Image(i) => assert!(
                    inside(i.y) && inside(i.y + i.height),
                    "{:?} at y = {}",
                    i.role,
                    i.y
                ),
            }
        }
    }
}

#[test]
fn bug_one_line_module_at_the_top_of_the_grid() {
    let layout = format!("{SMALL_GRID}\n[[pages]]\n[[pages.modules]]\narticle = 1\ncolumns = [1, 2]\nlines = [1, 1]\n");
    let (_, c) = compose_with(&layout, TWO_ARTICLES);
    assert_on_page(&c);
}

#[test]
fn bug_headline_taller_than_its_module() {
    let layout = format!(
        "{SMALL_GRID}\n[[pages]]\n[[pages.modules]]\narticle = 1\ncolumns = [1, 1]\nlines = [1, 3]\n[[pages.modules]]\narticle = 2\ncolumns = [1, 4]\nlines = [4, 30]\n"
    );
    let (l, c) = compose_with(&layout, TWO_ARTICLES);
    let limit = l.grid.line_top(4);
    for item in &c.pages[0].items {
        if let broadsheet::display::Item::Glyphs(r) = item {
            if r.article == Some(1) {
                assert!(
                    r.y <= limit,
                    "article 1's {:?} ({:?}) at y = {} is below its module (ends at {limit})",
                    r.text,
                    r.role,
                    r.y
                );
            }
        }
    }
}
