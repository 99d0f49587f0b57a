//! Vertical pages (issue 20 items 2, 4 and 5): `layouts/vertical-hant.toml`
//! sets a Traditional edition top to bottom and right to left. Built through
//! the binary; the dump's glyph runs and the PDF's text layer are checked.

mod common;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use broadsheet::fonts::{FaceId, Locale};
use broadsheet::text::{shape, FontChain, StyleSpan};
use common::*;
use serde_json::Value;

/// The edition and layout under test; both must exist.
fn inputs() -> (PathBuf, PathBuf) {
    let layout = root().join("layouts/vertical-hant.toml");
    let articles = root().join("tests/data/hant/vertical-edition.md");
    assert!(layout.is_file() && articles.is_file());
    (layout, articles)
}

/// The edition built once through the binary: the PDF and the dump.
fn built() -> &'static (PathBuf, Value) {
    static BUILT: OnceLock<(PathBuf, Value)> = OnceLock::new();
    BUILT.get_or_init(|| {
        let (layout, articles) = inputs();
        build("vertical-pages", &layout, &articles)
    })
}

fn build(name: &str, layout: &Path, articles: &Path) -> (PathBuf, Value) {
    let built = build_dumped_at(name, layout, articles);
    (built.pdf, built.dump)
}

fn f(v: &Value) -> f32 {
    v.as_f64().unwrap() as f32
}

/// The glyph runs of page `p` (0-based).
fn runs(dump: &Value, p: usize) -> Vec<&Value> {
    dump["pages"][p]["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["kind"] == "glyphs")
        .collect()
}

/// The text one glyph of a run stands for.
fn glyph_text<'a>(run: &'a Value, g: &Value) -> &'a str {
    let r = &g["range"];
    let (s, e) = (
        r["start"].as_u64().unwrap() as usize,
        r["end"].as_u64().unwrap() as usize,
    );
    &run["text"].as_str().unwrap()[s..e]
}

fn is_han(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c))
}

/// The body lines of a page by (module, tier, grid line): the x of their
/// upright glyphs' drawing origins and their glyphs' y, in order.
type Lines = std::collections::BTreeMap<(u64, u64, u64), (Vec<f32>, Vec<f32>)>;

fn body_lines(dump: &Value, p: usize) -> Lines {
    let mut lines = Lines::new();
    for run in runs(dump, p) {
        if run["role"] != "body" || run["vertical"] != true {
            continue;
        }
        let key = (
            run["module"].as_u64().unwrap(),
            run["column"].as_u64().unwrap(),
            run["grid_line"].as_u64().unwrap(),
        );
        let line = lines.entry(key).or_default();
        for g in run["glyphs"].as_array().unwrap() {
            if is_han(glyph_text(run, g)) {
                line.0.push(f(&run["x"]) + f(&g["x"]));
            }
            line.1.push(f(&run["y"]) - f(&g["y_offset"]));
        }
    }
    lines
}

#[test]
fn each_vertical_line_shares_one_x_and_lines_advance_leftward() {
    let (_, dump) = built();
    assert_eq!(dump["pages"].as_array().unwrap().len(), 2);
    for p in 0..2 {
        let page = &dump["pages"][p];
        // A portrait page: the frame was turned back.
        assert!(f(&page["height"]) > f(&page["width"]));
        let lines = body_lines(dump, p);
        assert!(lines.len() > 40, "page {}: {} lines", p + 1, lines.len());
        for (key, (xs, ys)) in &lines {
            let x0 = xs[0];
            assert!(
                xs.iter().all(|x| (x - x0).abs() < 0.01),
                "page {} line {key:?}: ideographs off one x: {xs:?}",
                p + 1
            );
            assert!(
                ys.windows(2).all(|w| w[1] > w[0]),
                "page {} line {key:?} does not advance downward: {ys:?}",
                p + 1
            );
        }
        // Within a module's tier, each grid line stands left of the one
        // before it, one pitch over.
        let pitch = f(&page["grid"]["pitch"]);
        for ((k, a), (l, b)) in lines.iter().zip(lines.iter().skip(1)) {
            if (k.0, k.1) == (l.0, l.1) && l.2 == k.2 + 1 {
                let step = a.0[0] - b.0[0];
                assert!((step - pitch).abs() < 0.01, "{k:?} → {l:?}: {step}");
            }
        }
        // Tiers go top to bottom: tier 2 of a module lies below tier 1.
        let top = |tier: u64| {
            lines
                .iter()
                .filter(|(k, _)| k.1 == tier)
                .map(|(_, v)| v.1[0])
                .fold(f32::INFINITY, f32::min)
        };
        assert!(top(0) < top(1) && top(1) < top(2), "page {}", p + 1);
    }
}

#[test]
fn brackets_and_dashes_take_their_vertical_forms() {
    let (_, dump) = built();
    let db = fonts();
    let mut seen = std::collections::BTreeSet::new();
    for p in 0..2 {
        for run in runs(dump, p) {
            if run["role"] != "body" || run["vertical"] != true {
                continue;
            }
            let face = FaceId(run["face"].as_u64().unwrap() as u32);
            for g in run["glyphs"].as_array().unwrap() {
                let s = glyph_text(run, g);
                if !matches!(s, "「" | "」" | "——" | "：" | "，" | "。") {
                    continue;
                }
                let spans = [StyleSpan {
                    range: 0..s.len(),
                    chain: FontChain {
                        faces: vec![face],
                        size: 10.5,
                        locale: Locale::HantTw,
                    },
                }];
                let horizontal = shape(s, &spans, &db);
                let id = g["id"].as_u64().unwrap() as u16;
                if matches!(s, "「" | "」" | "——") {
                    assert_ne!(
                        horizontal.clusters[0].glyphs[0].glyph_id, id,
                        "`{s}` kept its horizontal glyph"
                    );
                }
                seen.insert(s.to_string());
            }
        }
    }
    for s in ["「", "」", "——"] {
        assert!(seen.contains(s), "no `{s}` in the edition's body: {seen:?}");
    }
}

#[test]
fn two_digit_numbers_stand_upright_side_by_side_and_latin_is_turned() {
    let (_, dump) = built();
    let mut numbers = Vec::new();
    let mut turned = Vec::new();
    for p in 0..2 {
        let all = runs(dump, p);
        for run in &all {
            let text = run["text"].as_str().unwrap();
            if run["role"] != "body" {
                continue;
            }
            if run["rotated"] == true {
                turned.push(text.trim().to_string());
                continue;
            }
            if run["vertical"] == true {
                continue;
            }
            // An upright number: its digits on one baseline, side by side,
            // together no wider than the em of the line's cell.
            let glyphs = run["glyphs"].as_array().unwrap();
            // Its glyphs are one cluster: each stands for the whole number.
            let digits = glyph_text(run, &glyphs[0]).to_string();
            assert!(glyphs.iter().all(|g| glyph_text(run, g) == digits));
            assert!(
                digits.chars().all(|c| c.is_ascii_digit()),
                "{run} is neither vertical nor turned"
            );
            assert!(glyphs.iter().all(|g| f(&g["y_offset"]) == 0.0));
            let xs: Vec<f32> = glyphs.iter().map(|g| f(&g["x"])).collect();
            assert!(xs.windows(2).all(|w| w[1] > w[0]), "{xs:?}");
            // It stands in its line: between the neighbours' cells.
            let same_line = |r: &&&Value| {
                r["vertical"] == true
                    && ["module", "column", "grid_line"]
                        .iter()
                        .all(|k| r[*k] == run[*k])
            };
            let before = all.iter().find(same_line).unwrap();
            let size = f(&before["size"]);
            let width: f32 = glyphs.iter().map(|g| f(&g["advance"])).sum();
            assert!(width <= size + 0.01, "{digits} is {width} wide");
            let x = f(&run["x"]);
            let left = f(&before["x"]);
            assert!(
                x >= left - 0.01 && x + width <= left + size + 0.01,
                "{digits}"
            );
            numbers.push(digits);
        }
    }
    for n in ["12", "10", "60", "42", "30", "78", "85", "50"] {
        assert!(
            numbers.iter().any(|d| d == n),
            "{n} not upright: {numbers:?}"
        );
    }
    // One-digit numbers too; 2026 and longer are turned with Latin text.
    assert!(numbers.iter().any(|d| d == "8"), "{numbers:?}");
    for word in ["QR", "LINE"] {
        assert!(
            turned.iter().any(|t| t == word),
            "{word} not turned: {turned:?}"
        );
    }
}

/// Page `p`'s text layer, whitespace removed.
fn page_text(pdf: &Path, p: usize) -> String {
    let page = (p + 1).to_string();
    let text = tool(
        "pdftotext",
        &[
            "-raw",
            "-enc",
            "UTF-8",
            "-f",
            &page,
            "-l",
            &page,
            pdf.to_str().unwrap(),
            "-",
        ],
    );
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn the_text_layer_reads_each_article_in_order_and_the_jump_joins_it() {
    let (pdf, _) = built();
    let (_, articles) = inputs();
    let edition = edition(&articles);
    let (first, second) = (page_text(pdf, 0), page_text(pdf, 1));
    let all = format!("{first}{second}");
    assert!(first.contains("（下轉第2版）"), "{first}");
    assert!(second.contains("（上接第1版）"), "{second}");
    let mut jumped = 0;
    for (n, a) in edition.articles.iter().enumerate() {
        subsequence(&article_text(a), &all).unwrap_or_else(|e| panic!("article {}: {e}", n + 1));
        let headline: String = a.headline.concat();
        assert!(all.contains(&headline), "{headline}");
        for para in &a.paragraphs {
            let p: String = para.chars().filter(|c| !c.is_whitespace()).collect();
            if all.contains(&p) {
                continue;
            }
            // The paragraph the jump cuts: its head ends page 1 before
            // the jump line, its tail opens page 2 after the other one.
            let cut = p.char_indices().map(|(i, _)| i).find(|&i| {
                i > 0
                    && first.contains(&format!("{}（下轉第2版）", &p[..i]))
                    && second.contains(&format!("（上接第1版）{}", &p[i..]))
            });
            assert!(cut.is_some(), "article {}: `{p}` not in order", n + 1);
            jumped += 1;
        }
    }
    assert_eq!(jumped, 1, "one paragraph runs across the jump");
}

/// The masthead's and folio's own words are Traditional on a Traditional
/// page: 農曆 and 責任編輯, never 农历 and 责任编辑.
#[test]
fn the_furniture_speaks_the_pages_script() {
    let (pdf, _) = built();
    let first = page_text(pdf, 0);
    for word in ["農曆", "責任編輯"] {
        assert!(first.contains(word), "{word} not in {first}");
    }
    for word in ["农历", "责任编辑"] {
        assert!(!first.contains(word), "{word} in {first}");
    }
}

#[test]
fn every_character_round_trips() {
    let (pdf, dump) = built();
    let text = format!("{}{}", page_text(pdf, 0), page_text(pdf, 1));
    let mut dumped = String::new();
    for p in 0..2 {
        for run in runs(dump, p) {
            dumped.extend(
                run["text"]
                    .as_str()
                    .unwrap()
                    .chars()
                    .filter(|c| !c.is_whitespace()),
            );
        }
    }
    // The PDF returns what the dump sets, in the same order.
    assert_eq!(text, dumped);
    // Written characters, not vertical presentation forms.
    assert!(!text.chars().any(|c| ('\u{FE10}'..='\u{FE4F}').contains(&c)));
}

#[test]
fn the_build_is_deterministic_and_fits() {
    let (layout, articles) = inputs();
    let (a, _) = build("vertical-pages-again", &layout, &articles);
    let (b, _) = built();
    assert_eq!(std::fs::read(a).unwrap(), std::fs::read(b).unwrap());
    let dir = scratch("vertical-pages-fit");
    let out = run(
        &[
            "fit",
            "--json",
            "--layout",
            layout.to_str().unwrap(),
            "--articles",
            articles.to_str().unwrap(),
        ],
        &dir,
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    validate_fit_report(&report).unwrap();
    assert_eq!(report["verdict"]["ok"], true, "{report}");
    assert_eq!(report["totals"]["overset"]["lines"], 0, "{report}");
    // The lead runs on from page 1 to page 2.
    let lead = &report["modules"][0];
    assert_eq!(lead["continued"], true, "{lead}");
}

#[test]
fn a_continued_article_is_balanced_across_its_tiers() {
    let (_, dump) = built();
    // Page 2's first module: the lead's rest in three tiers, each ending
    // within a line of the others.
    let lines = body_lines(dump, 1);
    let mut per_tier = [0u32; 3];
    for (module, tier, _) in lines.keys() {
        if *module == 0 {
            per_tier[*tier as usize] += 1;
        }
    }
    assert!(per_tier.iter().all(|&n| n > 0), "{per_tier:?}");
    let (lo, hi) = (
        per_tier.iter().min().unwrap(),
        per_tier.iter().max().unwrap(),
    );
    assert!(hi - lo <= 1, "unbalanced tiers: {per_tier:?}");
}

#[test]
fn upright_digits_decides_which_numbers_take_one_em() {
    let db = fonts();
    let face = db.find("Noto Serif CJK SC", 400).unwrap();
    let text = "全長120公里，2026年8月，3.5公尺";
    let spans = [StyleSpan {
        range: 0..text.len(),
        chain: FontChain {
            faces: vec![face],
            size: 10.0,
            locale: Locale::HantTw,
        },
    }];
    let one_em = |most: u8| {
        let shaped = broadsheet::text::Shaper::new(&db)
            .vertical_pages(most)
            .shape(text, &spans);
        shaped
            .clusters
            .iter()
            .filter(|c| text[c.range.clone()].bytes().all(|b| b.is_ascii_digit()))
            .filter(|c| (c.advance - 10.0).abs() < 0.01 && !c.range.is_empty())
            .map(|c| text[c.range.clone()].to_string())
            .collect::<Vec<_>>()
    };
    // A number joined to a point or longer than the rule stays Latin.
    assert_eq!(one_em(2), ["8"]);
    assert_eq!(one_em(3), ["120", "8"]);
    assert_eq!(one_em(4), ["120", "2026", "8"]);
    assert!(one_em(0).is_empty());
}

/// A picture on a vertical page stays upright and undistorted: only its
/// frame turns, and the photograph is drawn at its own aspect ratio
/// filling that frame (cropped), never stretched into it.
#[test]
fn a_picture_on_a_vertical_page_keeps_its_aspect_ratio() {
    let (layout, _) = inputs();
    let photo = root().join("samples/media/park.jpg");
    assert!(photo.is_file(), "missing test input {}", photo.display());
    let dir = scratch("vertical-picture-input");
    // The vertical layout without its planned pages: made up automatically.
    let mut text = std::fs::read_to_string(&layout).unwrap();
    if let Some(plan) = text.find("[[pages]]") {
        text.truncate(plan);
    }
    let layout = dir.join("layout.toml");
    std::fs::write(&layout, text).unwrap();
    let articles = dir.join("picture.md");
    std::fs::write(
        &articles,
        format!(
            "# 河濱公園菊花展開幕\n\n![開幕首日，市民在步道上賞菊。]({} \"攝影 記者 周小滿\")\n\n\
             本報訊 記者周小滿報導：第十二屆菊花文化節昨天在河濱公園開幕，園區裡擺出了上百個品種的菊花，吸引不少市民前來參觀。\n",
            photo.display()
        ),
    )
    .unwrap();
    let (_, dump) = build("vertical-picture", &layout, &articles);
    let images: Vec<&Value> = dump["pages"][0]["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["kind"] == "image")
        .collect();
    assert_eq!(images.len(), 1);
    let image = images[0];
    let pixels = &image["asset"]["pixels"];
    let asset_aspect = f(&pixels[0]) / f(&pixels[1]);
    let placed = &image["placed"];
    let placed_aspect = f(&placed[2]) / f(&placed[3]);
    assert!(
        (placed_aspect / asset_aspect - 1.0).abs() < 0.01,
        "drawn at {placed_aspect}, the photograph is {asset_aspect}"
    );
    // It covers its frame, centred.
    let (x, y, w, h) = (
        f(&image["x"]),
        f(&image["y"]),
        f(&image["width"]),
        f(&image["height"]),
    );
    let (px, py, pw, ph) = (f(&placed[0]), f(&placed[1]), f(&placed[2]), f(&placed[3]));
    assert!(
        pw >= w - 0.01 && ph >= h - 0.01,
        "the photograph leaves its frame bare"
    );
    // Its frame has the photograph's shape, to whole lines: a landscape
    // photograph in a landscape frame, not cropped to a portrait one.
    assert!(
        ((w / h) / asset_aspect - 1.0).abs() < 0.1,
        "a {w} × {h} frame for a photograph of aspect {asset_aspect}"
    );
    assert!(((px + pw / 2.0) - (x + w / 2.0)).abs() < 0.01);
    assert!(((py + ph / 2.0) - (y + h / 2.0)).abs() < 0.01);
}
