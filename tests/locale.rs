//! Locales (issue 20 item 1): a Traditional edition under `zh-Hant-TW` is
//! set in the TC faces with `，。、` centred in their em box and 「」 quotes;
//! an article's front line overrides the layout's locale; the PDF says its
//! language; Traditional text set as zh-Hans is warned about, and the
//! Simplified samples are not.

mod common;

use std::collections::HashMap;
use std::path::Path;

use broadsheet::fonts::{FaceId, FontDb};
use broadsheet::source::script::ScriptEvidence;
use common::*;
use serde_json::Value;

/// The Traditional test edition and its Taiwan layout.
fn hant() -> (std::path::PathBuf, std::path::PathBuf) {
    let dir = root().join("tests/data/hant");
    let (layout, articles) = (dir.join("layout.toml"), dir.join("articles.md"));
    assert!(articles.is_file() && layout.is_file(), "{}", dir.display());
    (layout, articles)
}

/// Build through the binary (the whole path: front lines checked, quotes
/// turned) into `dir`; the PDF, the dump and what was printed.
fn build_cli(dir: &Path, layout: &Path, articles: &Path) -> (std::path::PathBuf, Value, String) {
    let pdf = dir.join("out.pdf");
    let dump = dir.join("out.json");
    let mut args = vec!["build".to_string()];
    if layout.as_os_str() != "" {
        args.extend(["--layout".into(), layout.display().to_string()]);
    }
    args.extend([
        "--articles".into(),
        articles.display().to_string(),
        "-o".into(),
        pdf.display().to_string(),
        "--dump".into(),
        dump.display().to_string(),
    ]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = run(&args, dir);
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(0), "{printed}");
    let dump: Value = serde_json::from_slice(&std::fs::read(dump).unwrap()).unwrap();
    (pdf, dump, printed)
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

/// The dump's face ids → family names.
fn families(dump: &Value) -> HashMap<u64, String> {
    dump["fonts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["id"].as_u64().unwrap(),
                f["family"].as_str().unwrap().into(),
            )
        })
        .collect()
}

#[test]
fn a_taiwan_edition_embeds_the_tc_faces() {
    let (layout, articles) = hant();
    let dir = scratch("locale-tc-faces");
    let (pdf, dump, printed) = build_cli(&dir, &layout, &articles);
    let fonts = tool("pdffonts", &[pdf.to_str().unwrap()]);
    let cjk: Vec<&str> = fonts.lines().filter(|l| l.contains("CJK")).collect();
    assert!(!cjk.is_empty(), "{fonts}");
    for l in &cjk {
        assert!(
            l.contains("CJKtc"),
            "a CJK face that is not TC: {l}\n{fonts}"
        );
    }
    // The layout names the SC family; the locale took its TC face.
    let fam = families(&dump);
    for r in runs(&dump) {
        let f = &fam[&r["face"].as_u64().unwrap()];
        assert!(!f.ends_with(" SC"), "{f} sets {}", r["text"]);
    }
    // The PDF says its language, and 「」 replaced the source's “”.
    let bytes = std::fs::read(&pdf).unwrap();
    let raw = String::from_utf8_lossy(&bytes);
    assert!(raw.contains("(zh-Hant-TW)"), "no /Lang (zh-Hant-TW)");
    assert!(!raw.contains("(zh-Hans)"));
    let text = pdf_text(&pdf);
    assert!(text.contains("「以前到河邊要繞過兩條大"), "{text}");
    assert!(!text.contains('“'));
    // 楷 has no Traditional face: the build says so.
    assert!(
        printed.contains("LXGW WenKai has no zh-Hant-TW face"),
        "{printed}"
    );
}

/// For every `，。、` between two ideographs of one run: its ink centred in
/// its em cell, both ways. The cell starts where the ideograph before it
/// ends plus at most the justification gap, so the ink's middle less half
/// an em must lie between the end of that ideograph and the start of the
/// next one less an em; and the ink's middle must stand 0.38 em above the
/// baseline (the em box runs from −0.12 to 0.88 em).
fn check_centred(dump: &Value, db: &FontDb) -> usize {
    let mut checked = 0;
    let is_han = |s: &str| s.chars().all(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c));
    for r in runs(dump) {
        let text = r["text"].as_str().unwrap();
        let glyphs = r["glyphs"].as_array().unwrap();
        let size = r["size"].as_f64().unwrap() as f32;
        let face = FaceId(r["face"].as_u64().unwrap() as u32);
        let ttf = db.ttf_face(face);
        let scale = size / ttf.units_per_em() as f32;
        let piece = |g: &Value| {
            let range = g["range"].as_object().unwrap();
            let (s, e) = (
                range["start"].as_u64().unwrap() as usize,
                range["end"].as_u64().unwrap() as usize,
            );
            text[s..e].to_string()
        };
        let x = |g: &Value| g["x"].as_f64().unwrap() as f32;
        for w in glyphs.windows(3) {
            let mark = piece(&w[1]);
            if !["，", "。", "、"].contains(&mark.as_str()) || !is_han(&piece(&w[0])) {
                continue;
            }
            if !is_han(&piece(&w[2])) {
                continue;
            }
            let id = ttf_parser::GlyphId(w[1]["id"].as_u64().unwrap() as u16);
            let b = ttf.glyph_bounding_box(id).expect("a mark has ink");
            let ink_x = x(&w[1]) + (b.x_min + b.x_max) as f32 / 2.0 * scale;
            let ink_y = w[1]["y_offset"].as_f64().unwrap() as f32
                + (b.y_min + b.y_max) as f32 / 2.0 * scale;
            let prev_end = x(&w[0]) + w[0]["advance"].as_f64().unwrap() as f32;
            let cell = ink_x - size / 2.0;
            let tol = 0.03 * size;
            assert!(
                cell >= prev_end - tol && cell <= x(&w[2]) - size + tol,
                "`{mark}` in 「{text}」: ink middle {ink_x} is not the middle of a cell between {prev_end} and {}",
                x(&w[2])
            );
            assert!(
                (ink_y - 0.38 * size).abs() <= tol,
                "`{mark}` in 「{text}」: ink middle {ink_y} pt above the baseline, not {}",
                0.38 * size
            );
            checked += 1;
        }
    }
    checked
}

#[test]
fn taiwan_marks_are_centred_in_their_em_box() {
    let (layout, articles) = hant();
    let dir = scratch("locale-centred");
    let (_, dump, _) = build_cli(&dir, &layout, &articles);
    let checked = check_centred(&dump, &fonts());
    assert!(checked >= 40, "only {checked} marks between ideographs");
}

#[test]
fn simplified_marks_are_not_centred() {
    // The same check on the zh-Hans sample must fail: it sees the marks.
    let dir = scratch("locale-corner");
    let (_, dump, _) = build_cli(&dir, Path::new(""), &bundled_sample());
    let result = std::panic::catch_unwind(|| check_centred(&dump, &fonts()));
    assert!(result.is_err(), "corner marks passed as centred");
}

#[test]
fn a_front_line_sets_one_article_in_another_locale() {
    let dir = scratch("locale-front-line");
    let articles = dir.join("mixed.md");
    std::fs::write(
        &articles,
        "{ language = \"zh-Hant-HK\" }\n# 港島電車一百二十歲\n\n這條電車路線陪伴了幾代香港人，車廂裡的木座椅至今仍在使用。\n\n# 城市绿道连成网\n\n这条绿道把三个公园连在一起，市民周末骑车的人越来越多。\n",
    )
    .unwrap();
    let (pdf, dump, _) = build_cli(&dir, Path::new(""), &articles);
    let fam = families(&dump);
    let mut seen = [0; 2];
    for r in runs(&dump) {
        let Some(article) = r["article"].as_u64() else {
            continue;
        };
        let f = &fam[&r["face"].as_u64().unwrap()];
        if f.starts_with("Noto") {
            let want = if article == 1 { " HK" } else { " SC" };
            assert!(f.ends_with(want), "article {article} set in {f}");
            seen[article as usize - 1] += 1;
        }
    }
    assert!(seen[0] > 0 && seen[1] > 0, "{seen:?}");
    // The document stays zh-Hans, the layout's language; the article's
    // structure element says its own.
    let raw = String::from_utf8_lossy(&std::fs::read(pdf).unwrap()).into_owned();
    assert!(raw.contains("/Lang(zh-Hans)/Str"), "no document Lang");
    let art_lang = raw.match_indices("/S/Art/").any(|(at, _)| {
        let element = &raw[at..raw[at..].find(">>").map_or(raw.len(), |e| at + e)];
        element.contains("/Lang(zh-Hant-HK)")
    });
    assert!(
        art_lang,
        "the article's Art element has no Lang (zh-Hant-HK)"
    );
}

#[test]
fn traditional_text_set_as_simplified_is_warned_about() {
    let (_, articles) = hant();
    let dir = scratch("locale-warning");
    let (_, _, printed) = build_cli(&dir, Path::new(""), &articles);
    assert!(
        printed.contains("reads as Traditional Chinese but is set as zh-Hans")
            && printed.contains("(and 2 more article(s))"),
        "{printed}"
    );
}

#[test]
fn the_simplified_samples_do_not_read_as_traditional() {
    for path in [bundled_sample(), print_sample()] {
        for a in edition(&path).articles {
            let text = format!("{}{}", a.headline.concat(), a.paragraphs.concat());
            let e = ScriptEvidence::of(&text);
            assert!(!e.is_traditional(), "{}: {e:?}", a.headline.concat());
        }
    }
    let dir = scratch("locale-no-warning");
    let (_, _, printed) = build_cli(&dir, Path::new(""), &bundled_sample());
    assert!(!printed.contains("Traditional"), "{printed}");
}

#[test]
#[ignore = "needs ../shared/samples/yuncheng-evening.md"]
fn the_real_sample_does_not_read_as_traditional() {
    for a in edition(&real_sample()).articles {
        let text = format!("{}{}", a.headline.concat(), a.paragraphs.concat());
        assert!(!ScriptEvidence::of(&text).is_traditional());
    }
}

#[test]
fn a_face_without_a_traditional_face_has_its_marks_centred_for_taiwan() {
    use broadsheet::fonts::Locale;
    use broadsheet::text::{shape, FontChain, StyleSpan};
    let db = fonts();
    let kai = db.find("LXGW WenKai", 400).unwrap();
    let ttf = db.ttf_face(kai);
    let size = 10.0;
    let scale = size / ttf.units_per_em() as f32;
    let middle = |locale: Locale| {
        let text = "好，好。";
        let spans = [StyleSpan {
            range: 0..text.len(),
            chain: FontChain {
                faces: vec![kai],
                size,
                locale,
            },
        }];
        let shaped = shape(text, &spans, &db);
        let comma = &shaped.clusters[1];
        let g = &comma.glyphs[0];
        let b = ttf
            .glyph_bounding_box(ttf_parser::GlyphId(g.glyph_id))
            .unwrap();
        (
            g.x_offset + (b.x_min + b.x_max) as f32 / 2.0 * scale,
            g.y_offset + (b.y_min + b.y_max) as f32 / 2.0 * scale,
            comma.advance,
        )
    };
    let (x, y, advance) = middle(Locale::HantTw);
    assert!(
        (x - advance / 2.0).abs() < 0.02 * size,
        "x {x} of {advance}"
    );
    assert!((y - 0.38 * size).abs() < 0.02 * size, "y {y}");
    // As Simplified text the same face keeps its comma in the corner.
    let (x, y, _) = middle(Locale::Hans);
    assert!(x < 0.35 * size && y < 0.2 * size, "({x}, {y})");
}
