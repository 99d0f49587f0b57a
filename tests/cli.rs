//! The command line as an editor meets it: a layout broken in a dozen ways
//! must each time name file:line:col, say what to do, exit 2 and write
//! nothing.

#[macro_use]
mod common;

use std::path::PathBuf;
use std::process::Command;

use common::*;

const ARTICLES: &str = "# 清河新区 开通首条环线公交\n\n清河晚报讯(记者 王明)11月20日上午,清河新区首条环线公交正式开通。\n\n## 城市书房再添新址\n\n清河晚报讯(记者 李华)第十二家城市书房开门迎客。\n\n## 城市书房夜间开放\n\n清河晚报讯(记者 赵云)城市书房试行夜间开放。\n";

const LAYOUT: &str = concat!(
    grid_layout!(),
    r#"
[[pages]]
section = "要闻"

[[pages.modules]]
article = "环线公交"
columns = [1, 4]
lines = [13, 40]

[[pages.modules]]
article = "新址"
columns = [5, 8]
lines = [13, 40]

[[pages.modules]]
article = "夜间开放"
columns = [1, 8]
lines = [41, 60]
"#
);

struct Case {
    name: &'static str,
    from: &'static str,
    to: &'static str,
    /// Text of the line the error must point at (after the change).
    line_with: &'static str,
    message: &'static str,
    help: &'static str,
}

fn setup(name: &str, layout: &str) -> (PathBuf, PathBuf, PathBuf) {
    let dir = scratch(&format!("cli_{name}"));
    let l = dir.join("layout.toml");
    std::fs::write(&l, layout).unwrap();
    let a = dir.join("articles.md");
    std::fs::write(&a, ARTICLES).unwrap();
    (dir, l, a)
}

#[test]
fn the_unbroken_layout_checks_clean() {
    let (dir, l, a) = setup("clean", LAYOUT);
    let out = run(
        &[
            "check",
            "--layout",
            l.to_str().unwrap(),
            "--articles",
            a.to_str().unwrap(),
        ],
        &dir,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn broken_layouts_name_file_line_column_and_what_to_do() {
    let cases = [
        Case { name: "syntax", from: "columns = 8", to: "columns = [8", line_with: "column_chars = 13", message: "invalid array", help: "TOML syntax is broken" },
        Case { name: "unknown_key", from: "column_chars = 13", to: "colum_chars = 13", line_with: "colum_chars", message: "unknown field `colum_chars`", help: "did you mean `column_chars`?" },
        Case { name: "no_unit", from: "line_pitch = \"11.5pt\"", to: "line_pitch = 11.5", line_with: "line_pitch", message: "has no unit", help: "" },
        Case { name: "bad_unit", from: "bleed = \"3mm\"", to: "bleed = \"3px\"", line_with: "bleed", message: "unknown unit `px`", help: "" },
        Case { name: "column_range", from: "columns = [5, 8]", to: "columns = [5, 9]", line_with: "columns = [5, 9]", message: "outside the grid's 8 columns", help: "numbered 1 to 8" },
        Case { name: "overlap", from: "lines = [41, 60]", to: "lines = [30, 60]", line_with: "lines = [30, 60]", message: "overlaps another module", help: "may share an edge" },
        Case { name: "no_match", from: "article = \"新址\"", to: "article = \"地铁\"", line_with: "article = \"地铁\"", message: "no article headline contains `地铁`", help: "headlines are" },
        Case { name: "two_matches", from: "article = \"新址\"", to: "article = \"城市书房\"", line_with: "article = \"城市书房\"", message: "matches 2 headlines", help: "longer substring" },
        Case { name: "continuation", from: "lines = [13, 40]\n\n[[pages.modules]]\narticle = \"新址\"", to: "lines = [13, 40]\ncontinue_to = { page = 3, module = 1 }\n\n[[pages.modules]]\narticle = \"新址\"", line_with: "continue_to", message: "names page 3 but the layout has 1 page", help: "add a [[pages]]" },
        Case { name: "font", from: "font = [\"Noto Serif CJK SC\"]", to: "font = [\"Founder ShuSong\"]", line_with: "Founder ShuSong", message: "`Founder ShuSong`, which no loaded font has", help: "families available" },
        Case { name: "missing_key", from: "body_size = \"小五\"\n", to: "", line_with: "[grid]", message: "missing field `body_size`", help: "docs/layout.md" },
        Case { name: "masthead", from: "lines = [13, 40]\n\n[[pages.modules]]\narticle = \"新址\"", to: "lines = [3, 40]\n\n[[pages.modules]]\narticle = \"新址\"", line_with: "lines = [3, 40]", message: "overlap the masthead", help: "start the module" },
    ];
    for case in cases {
        assert!(
            LAYOUT.contains(case.from),
            "case {}: pattern missing",
            case.name
        );
        let broken = LAYOUT.replacen(case.from, case.to, 1);
        let (dir, l, a) = setup(case.name, &broken);
        let pdf = dir.join("out.pdf");
        let out = build_to(&dir, &l, &a, &["-o", pdf.to_str().unwrap()]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            out.status.code(),
            Some(2),
            "case {}: exit code; stderr:\n{stderr}",
            case.name
        );
        assert!(!pdf.exists(), "case {}: a PDF was written", case.name);
        let line = broken
            .lines()
            .position(|l| l.contains(case.line_with))
            .unwrap()
            + 1;
        let located = format!("{}:{line}:", l.display());
        assert!(
            stderr.contains(&located),
            "case {}: expected `{located}` in:\n{stderr}",
            case.name
        );
        assert!(
            stderr.contains(case.message),
            "case {}: expected `{}` in:\n{stderr}",
            case.name,
            case.message
        );
        assert!(
            stderr.contains(case.help),
            "case {}: expected help `{}` in:\n{stderr}",
            case.name,
            case.help
        );
    }
}

#[test]
fn check_writes_nothing_and_fails_on_a_bad_layout() {
    let (dir, l, a) = setup("check", &LAYOUT.replace("columns = 8", "columns = 0"));
    let before: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
    let out = run(
        &[
            "check",
            "--layout",
            l.to_str().unwrap(),
            "--articles",
            a.to_str().unwrap(),
        ],
        &dir,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("grid.columns must be between 1 and 40"));
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        before.len(),
        "check wrote a file"
    );
}

#[test]
fn an_article_error_is_located_and_exits_2() {
    let (dir, l, a) = setup("article_error", LAYOUT);
    std::fs::write(&a, "## 只有标题没有正文\n").unwrap();
    let out = build_to(&dir, &l, &a, &["-o", dir.join("o.pdf").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&format!("{}:1:", a.display())), "{stderr}");
    assert!(!dir.join("o.pdf").exists());
}

#[test]
fn build_writes_pdf_and_dump_and_reports_fit() {
    let (dir, l, a) = setup("build", LAYOUT);
    let pdf = dir.join("out.pdf");
    let dump = dir.join("out.json");
    let out = build_to(
        &dir,
        &l,
        &a,
        &[
            "-o",
            pdf.to_str().unwrap(),
            "--dump",
            dump.to_str().unwrap(),
        ],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}{}",
        stdout,
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("set/avail"), "{stdout}");
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF-1.6"));
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&dump).unwrap()).unwrap();
    assert_eq!(json["pages"].as_array().unwrap().len(), 1);
    // No temporary files are left behind.
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn overset_without_continuation_exits_1_unless_allowed() {
    let small = LAYOUT.replace("lines = [41, 60]", "lines = [41, 43]");
    let long_body = "市民对城市书房的夜间开放给予好评,".repeat(40);
    let (dir, l, a) = setup("overset", &small);
    std::fs::write(
        &a,
        ARTICLES.replace(
            "城市书房试行夜间开放。",
            &format!("{long_body}城市书房试行夜间开放。"),
        ),
    )
    .unwrap();
    let pdf = dir.join("o.pdf");
    let out = build_to(&dir, &l, &a, &["-o", pdf.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("OVERSET") && stdout.contains("overset without a continuation"),
        "{stdout}"
    );
    assert!(
        pdf.exists(),
        "the PDF is still written, with the module marked"
    );
    let allowed = build_to(
        &dir,
        &l,
        &a,
        &["-o", pdf.to_str().unwrap(), "--allow-overset"],
    );
    assert_eq!(allowed.status.code(), Some(0));
}

/// A placeholder the modules above squeeze below its label is a planning
/// mistake a proof must not hide: the label would cross the rules round
/// it. The build reports it and exits 1; with room for the label it
/// passes.
#[test]
fn a_placeholder_squeezed_below_its_label_exits_1() {
    let with_picture = |lines: &str| {
        LAYOUT.replace(
            "columns = [1, 8]\nlines = [41, 60]\n",
            &format!(
                "columns = [1, 8]\nlines = [41, 60]\n\n[[pages.modules]]\ncolumns = [1, 8]\nlines = {lines}\nplaceholder = \"图片新闻\"\n"
            ),
        )
    };
    let squeezed = with_picture("[61, 61]");
    assert_ne!(squeezed, LAYOUT, "the placeholder is in the layout");
    let (dir, l, a) = setup("squeezed-placeholder", &squeezed);
    let pdf = dir.join("o.pdf");
    let args = ["-o", pdf.to_str().unwrap()];
    let out = build_to(&dir, &l, &a, &args);
    let said = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(
        said.contains("placeholder label text 「图片新闻」 passes the edge of module 4")
            && said.contains("the module's lines (taller)"),
        "{said}"
    );
    std::fs::write(&l, with_picture("[61, 66]")).unwrap();
    let out = build_to(&dir, &l, &a, &args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn watch_rebuilds_when_the_layout_changes() {
    use std::io::{BufRead, BufReader};
    use std::sync::mpsc;
    use std::time::{Duration, Instant};

    let (dir, l, a) = setup("watch", LAYOUT);
    let pdf = dir.join("w.pdf");
    let mut child = Command::new(bin())
        .args([
            "watch",
            "--layout",
            l.to_str().unwrap(),
            "--articles",
            a.to_str().unwrap(),
            "-o",
            pdf.to_str().unwrap(),
        ])
        .current_dir(&dir)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let (tx, rx) = mpsc::channel::<String>();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    // Collect output until `watching` has been printed `n` times.
    let wait_for = |n: usize, seen: &mut Vec<String>| -> bool {
        let deadline = Instant::now() + Duration::from_secs(60);
        while seen
            .iter()
            .filter(|l| l.starts_with("watching for changes"))
            .count()
            < n
        {
            let left = deadline.saturating_duration_since(Instant::now());
            match rx.recv_timeout(left) {
                Ok(line) => seen.push(line),
                Err(_) => return false,
            }
        }
        true
    };
    let mut seen = Vec::new();
    let first = wait_for(1, &mut seen);
    let mut ok = first && seen.iter().any(|l| l.starts_with("rebuilt in"));
    let report_line = |seen: &[String]| seen.iter().rev().find(|l| l.contains("#3")).cloned();
    let before = report_line(&seen);
    if ok {
        // Reading the inputs (as this check does, and as every build does)
        // must not trigger a rebuild: only changes do.
        let check = run(
            &[
                "check",
                "--layout",
                l.to_str().unwrap(),
                "--articles",
                a.to_str().unwrap(),
            ],
            &dir,
        );
        assert!(check.status.success());
        std::thread::sleep(Duration::from_millis(600));
        while let Ok(line) = rx.try_recv() {
            seen.push(line);
        }
        let rebuilds = seen.iter().filter(|l| l.starts_with("rebuilt in")).count();
        assert_eq!(
            rebuilds,
            1,
            "reading the files triggered a rebuild:\n{}",
            seen.join("\n")
        );
        // Then shrink module 3.
        std::fs::write(&l, LAYOUT.replace("lines = [41, 60]", "lines = [41, 50]")).unwrap();
        ok = wait_for(2, &mut seen);
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(ok, "watch did not rebuild; output:\n{}", seen.join("\n"));
    let after = report_line(&seen);
    assert_ne!(
        before,
        after,
        "the fit report did not change:\n{}",
        seen.join("\n")
    );
    assert_eq!(
        seen.iter().filter(|l| l.starts_with("rebuilt in")).count(),
        2,
        "{}",
        seen.join("\n")
    );
}
