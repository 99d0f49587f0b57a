//! Vertical headlines on horizontal pages (竖题, issue 20 item 3): the
//! headline of a module with `headline = "vertical-right"` is set top to
//! bottom in the font's vertical forms, its glyphs on one vertical line,
//! and the PDF's text layer returns it in reading order, before the body.

mod common;

use std::path::{Path, PathBuf};

use broadsheet::fonts::FaceId;
use broadsheet::text::{shape, FontChain, StyleSpan};
use common::*;
use serde_json::Value;

fn case(dir: &str) -> (PathBuf, PathBuf) {
    let d = root().join("tests/data").join(dir);
    let (layout, articles) = (d.join("layout.toml"), d.join("articles.md"));
    assert!(layout.is_file() && articles.is_file(), "{}", d.display());
    (layout, articles)
}

/// Build through the binary: the PDF and the dump.
fn build(name: &str, layout: &Path, articles: &Path) -> (PathBuf, Value) {
    let built = build_dumped_at(name, layout, articles);
    (built.pdf, built.dump)
}

fn vertical_runs(dump: &Value) -> Vec<&Value> {
    dump["pages"][0]["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["kind"] == "glyphs" && i["vertical"] == true)
        .collect()
}

fn f(v: &Value) -> f32 {
    v.as_f64().unwrap() as f32
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

#[test]
fn a_vertical_headline_stands_on_one_line_and_advances_downward() {
    let (layout, articles) = case("vertical");
    let (_, dump) = build("vertical-line", &layout, &articles);
    let runs = vertical_runs(&dump);
    let text: String = runs.iter().map(|r| r["text"].as_str().unwrap()).collect();
    assert_eq!(text, "老街“书房”开张——市民：好去处");
    for run in &runs {
        assert_eq!(run["role"], "headline");
        let size = f(&run["size"]);
        let glyphs = run["glyphs"].as_array().unwrap();
        let mut last_y = f32::NEG_INFINITY;
        for g in glyphs {
            // Every cell on the run's vertical line: the full-width glyphs'
            // drawing origins share the run's x.
            assert!(f(&g["x"]).abs() < 0.01 * size, "{g} of {}", run["text"]);
            let y = f(&run["y"]) - f(&g["y_offset"]);
            assert!(y > last_y, "{} does not advance downward", run["text"]);
            last_y = y;
        }
        // Between ideographs the pen moves down by the vertical advance;
        // and no glyph's ink reaches into the next one's.
        let db = fonts();
        let face = db.ttf_face(FaceId(run["face"].as_u64().unwrap() as u32));
        let scale = size / face.units_per_em() as f32;
        let han = |s: &str| s.chars().all(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c));
        let ink = |g: &Value| {
            let b = face
                .glyph_bounding_box(ttf_parser::GlyphId(g["id"].as_u64().unwrap() as u16))
                .unwrap();
            let y = f(&run["y"]) - f(&g["y_offset"]);
            (y - b.y_max as f32 * scale, y - b.y_min as f32 * scale)
        };
        for w in glyphs.windows(2) {
            let step = f(&w[0]["y_offset"]) - f(&w[1]["y_offset"]);
            if han(glyph_text(run, &w[0])) && han(glyph_text(run, &w[1])) {
                assert!((step - f(&w[0]["advance"])).abs() < 0.01 * size, "{step}");
            }
            assert!(
                ink(&w[1]).0 >= ink(&w[0]).1 - 0.01 * size,
                "`{}` overlaps `{}`",
                glyph_text(run, &w[1]),
                glyph_text(run, &w[0])
            );
        }
    }
    // One line per headline line here: the module grew to hold it.
    assert_eq!(runs.len(), 1);
}

#[test]
fn brackets_dashes_and_colons_take_their_vertical_forms() {
    let (layout, articles) = case("vertical");
    let (_, dump) = build("vertical-forms", &layout, &articles);
    let run = vertical_runs(&dump)[0];
    let face = FaceId(run["face"].as_u64().unwrap() as u32);
    let db = fonts();
    let mut differ = Vec::new();
    for g in run["glyphs"].as_array().unwrap() {
        let s = glyph_text(run, g);
        let spans = [StyleSpan {
            range: 0..s.len(),
            chain: FontChain {
                faces: vec![face],
                size: 36.0,
                locale: Default::default(),
            },
        }];
        let horizontal = shape(s, &spans, &db);
        let id = g["id"].as_u64().unwrap() as u16;
        let same = horizontal.clusters[0].glyphs[0].glyph_id == id;
        match s {
            "“" | "”" | "——" | "：" => {
                assert!(!same, "`{s}` kept its horizontal glyph {id}");
                differ.push(s.to_string());
            }
            "老" | "街" | "书" | "好" => assert!(same, "`{s}` changed glyph"),
            _ => {}
        }
    }
    assert_eq!(differ, ["“", "”", "——", "："]);
}

#[test]
fn the_text_layer_reads_the_vertical_headline_first_and_in_order() {
    for (dir, headline, body) in [
        (
            "vertical",
            "老街“书房”开张——市民：好去处",
            "本报讯记者周晓岚报道",
        ),
        (
            "hant",
            "河濱步道全線貫通市民週末騎車看秋景",
            "本報訊記者林佳蓉報",
        ),
    ] {
        let (_, articles) = case(dir);
        let layout = match dir {
            "hant" => root().join("tests/data/hant/vertical.toml"),
            _ => case(dir).0,
        };
        let (pdf, dump) = build(&format!("vertical-text-{dir}"), &layout, &articles);
        assert!(!vertical_runs(&dump).is_empty(), "{dir}");
        let text = pdf_text(&pdf);
        let h = text
            .find(headline)
            .unwrap_or_else(|| panic!("{headline} not in order in {text}"));
        let b = text.find(body).unwrap();
        assert!(h < b, "the body comes before the headline: {text}");
    }
}

#[test]
fn a_left_vertical_headline_stands_left_of_its_body() {
    let layout = root().join("tests/data/hant/vertical.toml");
    let (_, articles) = case("hant");
    let (_, dump) = build("vertical-left", &layout, &articles);
    let items = dump["pages"][0]["items"].as_array().unwrap();
    let of = |article: u64, vertical: bool| {
        items
            .iter()
            .filter(|i| i["kind"] == "glyphs" && i["article"] == article)
            .filter(|i| (i["vertical"] == true) == vertical && i["role"] != "kicker")
            .map(|i| f(&i["x"]))
            .collect::<Vec<f32>>()
    };
    // Article 1: headline at the right of its body; article 3 at the left.
    let (h1, b1) = (of(1, true), of(1, false));
    let (h3, b3) = (of(3, true), of(3, false));
    assert!(!h1.is_empty() && !h3.is_empty());
    assert!(h1.iter().all(|&x| b1.iter().all(|&b| x > b)));
    assert!(h3.iter().all(|&x| b3.iter().all(|&b| x < b)));
}
