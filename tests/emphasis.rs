//! Bold spans (`**…**`) and the 导语 (issue 19 item 2), through the real
//! binary: the dump shows the bold runs in the emphasis face and the lead
//! in its role, every run stays on the baseline grid, a bold 字 takes the
//! same cell as a body 字, and the PDF's text layer reads every character
//! in order without an asterisk.

#[macro_use]
mod common;

use std::path::{Path, PathBuf};

use common::*;
use serde_json::Value;

/// The test article: a lead, bold spans in body paragraphs (one crossing
/// a source line), a dateline, a second story without a lead.
fn article() -> PathBuf {
    let path = root().join("tests/data/emphasis.md");
    assert!(path.is_file(), "{} is missing", path.display());
    path
}

/// Build `articles` with the small automatic layout; the PDF, the dump and
/// the build's stderr.
fn build_cli(name: &str, articles: &Path) -> (PathBuf, Value, String) {
    // Masthead and headlines in 黑体, so that the body's bold serif face
    // is in the PDF only for bold spans.
    let styles = "\n[styles.masthead]\nfont = [\"Noto Sans CJK SC\"]\n\
                  [styles.headline_2]\nfont = [\"Noto Sans CJK SC\"]\n";
    let built = build_dumped(name, &format!("{}{styles}", grid_layout!()), articles);
    (built.pdf, built.dump, built.stderr)
}

/// Every glyph run of the dump.
fn runs(dump: &Value) -> Vec<&Value> {
    dump["pages"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["items"].as_array().unwrap())
        .filter(|i| i["kind"] == "glyphs")
        .collect()
}

/// The weight of each face id of the dump.
fn weight(dump: &Value, face: &Value) -> u64 {
    dump["fonts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| &f["id"] == face)
        .and_then(|f| f["weight"].as_u64())
        .expect("every run's face is in the font table with its weight")
}

fn is_han(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

#[test]
fn bold_runs_and_the_lead_are_in_the_dump_on_the_grid() {
    let (_, dump, _) = build_cli("emphasis_dump", &article());
    let edition = edition(&article());
    let all = runs(&dump);
    let body: Vec<&&Value> = all
        .iter()
        .filter(|r| r["role"] == "body" && r["article"] == 1)
        .collect();
    let (bold, plain): (Vec<&&Value>, Vec<&&Value>) =
        body.iter().partition(|r| weight(&dump, &r["face"]) == 700);
    // The bold runs set exactly the bold spans, in order.
    let a = &edition.articles[0];
    let spans: String = a
        .emphasis
        .iter()
        .zip(&a.paragraphs)
        .flat_map(|(spans, p)| spans.iter().map(move |r| &p[r.clone()]))
        .collect();
    let set: String = bold.iter().map(|r| r["text"].as_str().unwrap()).collect();
    assert_eq!(set, spans);
    assert!(set.contains("城市书房夜读季") && set.contains("全年共安排二百场"));
    assert!(!plain.is_empty());

    // A bold 字 takes the same cell as a body 字: same size, and each Han
    // glyph advances one em of the body size.
    let body_size = plain[0]["size"].as_f64().unwrap();
    for r in body.iter() {
        assert_eq!(r["size"].as_f64().unwrap(), body_size, "{}", r["text"]);
        let text = r["text"].as_str().unwrap();
        for g in r["glyphs"].as_array().unwrap() {
            let range = g["range"]["start"].as_u64().unwrap() as usize
                ..g["range"]["end"].as_u64().unwrap() as usize;
            if text[range].chars().all(is_han) {
                let advance = g["advance"].as_f64().unwrap();
                assert!(
                    (advance - body_size).abs() < 0.01,
                    "`{text}`: a Han glyph advances {advance} pt, not one em ({body_size})"
                );
            }
        }
    }

    // The lead: its own role and face (楷体), the first paragraph.
    let lead: Vec<&&Value> = all.iter().filter(|r| r["role"] == "lead").collect();
    let lead_text: String = lead.iter().map(|r| r["text"].as_str().unwrap()).collect();
    assert_eq!(lead_text, a.paragraphs[0]);
    assert!(lead.iter().all(|r| r["paragraph"] == 1));
    let lead_face = &lead[0]["face"];
    assert!(plain.iter().all(|r| &r["face"] != lead_face));
    // Article 2 has bold but no lead.
    assert!(all
        .iter()
        .any(|r| r["article"] == 2 && r["role"] == "body" && weight(&dump, &r["face"]) == 700));
    assert!(!all.iter().any(|r| r["article"] == 2 && r["role"] == "lead"));

    // Every run with a grid line sits on it.
    for page in dump["pages"].as_array().unwrap() {
        let first = page["grid"]["first"].as_f64().unwrap();
        let pitch = page["grid"]["pitch"].as_f64().unwrap();
        for item in page["items"].as_array().unwrap() {
            if item["kind"] != "glyphs" {
                continue;
            }
            let r = item;
            if let Some(line) = r["grid_line"].as_u64() {
                let want = first + (line - 1) as f64 * pitch;
                let y = r["y"].as_f64().unwrap();
                assert!(
                    (y - want).abs() < 0.01,
                    "`{}` at {y}, not on {want}",
                    r["text"]
                );
            }
        }
    }
}

#[test]
fn the_text_layer_reads_every_character_without_asterisks() {
    let (pdf, _, stderr) = build_cli("emphasis_text", &article());
    let edition = edition(&article());
    let text = pdf_text(&pdf);
    assert!(!text.contains('*'), "asterisks printed: {text}");
    for a in &edition.articles {
        let want = article_text(a);
        assert!(!want.contains('*'));
        subsequence(&want, &text).unwrap_or_else(|e| panic!("{e}"));
    }
    assert!(!stderr.contains("**"), "no warning expected: {stderr}");
    // The bold face is embedded, subset, with its ToUnicode map.
    let fonts = tool("pdffonts", &[pdf.to_str().unwrap()]);
    let bold = fonts
        .lines()
        .find(|l| l.contains("NotoSerifCJKsc-Bold"))
        .unwrap_or_else(|| panic!("no bold serif face embedded:\n{fonts}"));
    assert!(bold.contains("yes yes yes"), "{bold}");
}

#[test]
fn the_bold_face_is_embedded_only_when_used() {
    // The same stories without bold or lead: the bold serif face is not
    // in the PDF.
    let plain = std::fs::read_to_string(article())
        .unwrap()
        .replace("**", "");
    let dir = scratch("emphasis_plain_source");
    let path = dir.join("plain.md");
    std::fs::write(&path, plain).unwrap();
    let (pdf, _, _) = build_cli("emphasis_plain", &path);
    let fonts = tool("pdffonts", &[pdf.to_str().unwrap()]);
    assert!(!fonts.contains("NotoSerifCJKsc-Bold"), "{fonts}");
}
