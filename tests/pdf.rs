//! The PDF a printing plant receives: fonts, text layer, boxes, colour,
//! PDF/X declarations, determinism — checked on the real file (overprint:
//! tests/overprint.rs).

#[macro_use]
mod common;

use common::*;
use lopdf::Document;

fn rect(doc: &Document, page: lopdf::ObjectId, key: &[u8]) -> [f32; 4] {
    let dict = doc.get_dictionary(page).unwrap();
    let arr = dict
        .get(key)
        .unwrap_or_else(|_| panic!("page has no {}", String::from_utf8_lossy(key)))
        .as_array()
        .unwrap();
    let v: Vec<f32> = arr.iter().map(|o| o.as_float().unwrap()).collect();
    [v[0], v[1], v[2], v[3]]
}

fn close(a: [f32; 4], b: [f32; 4]) -> bool {
    a.iter().zip(b).all(|(x, y)| (x - y).abs() < 0.01)
}

#[test]
fn broadsheet_page_boxes_have_the_trim_and_bleed_of_a_duikai_page() {
    let b = build("default.toml", &bundled_sample());
    let doc = Document::load_mem(&b.pdf).unwrap();
    let mm = 72.0 / 25.4;
    let (w, h, bleed) = (390.0 * mm, 540.0 * mm, 3.0 * mm);
    // Crop marks are on: the media box grows by the mark space.
    let off = bleed + broadsheet::export::MARK_SPACE;
    for (_, page) in doc.get_pages() {
        let media = rect(&doc, page, b"MediaBox");
        let trim = rect(&doc, page, b"TrimBox");
        let bleed_box = rect(&doc, page, b"BleedBox");
        assert!(
            close(media, [0.0, 0.0, w + 2.0 * off, h + 2.0 * off]),
            "MediaBox {media:?}"
        );
        assert!(
            close(trim, [off, off, off + w, off + h]),
            "TrimBox {trim:?}"
        );
        assert!(
            close(
                bleed_box,
                [off - bleed, off - bleed, off + w + bleed, off + h + bleed]
            ),
            "BleedBox {bleed_box:?}"
        );
        // 对开 in points, exactly: 1105.51 × 1530.71.
        assert!(
            (trim[2] - trim[0] - 1105.5118).abs() < 0.01
                && (trim[3] - trim[1] - 1530.7087).abs() < 0.01
        );
    }
}

#[test]
fn fonts_are_embedded_subset_with_unicode_maps() {
    let b = build("default.toml", &bundled_sample());
    let dir = scratch("pdffonts");
    let pdf = dir.join("edition.pdf");
    std::fs::write(&pdf, &b.pdf).unwrap();
    let out = tool("pdffonts", &[pdf.to_str().unwrap()]);
    let rows: Vec<&str> = out.lines().skip(2).collect();
    assert!(rows.len() >= 3, "expected several fonts:\n{out}");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        let n = cols.len();
        // name type encoding emb sub uni object ID
        assert_eq!(
            &cols[n - 5..n - 2],
            &["yes", "yes", "yes"],
            "font not embedded/subset/unicode: {row}"
        );
    }
}

#[test]
fn qpdf_and_ghostscript_accept_the_file() {
    let b = build("default.toml", &bundled_sample());
    let dir = scratch("qpdf");
    let pdf = dir.join("edition.pdf");
    std::fs::write(&pdf, &b.pdf).unwrap();
    let out = std::process::Command::new("qpdf")
        .args(["--check", pdf.to_str().unwrap()])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && text.contains("No syntax or stream encoding errors"),
        "{text}"
    );
    let gs = std::process::Command::new("gs")
        .args([
            "-q",
            "-dNOPAUSE",
            "-dBATCH",
            "-o",
            "/dev/null",
            "-sDEVICE=nullpage",
            pdf.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&gs.stdout),
        String::from_utf8_lossy(&gs.stderr)
    );
    assert!(
        gs.status.success() && all.trim().is_empty(),
        "ghostscript said: {all}"
    );
}

#[test]
fn two_builds_are_byte_identical() {
    let a = build("default.toml", &bundled_sample());
    let b = build("default.toml", &bundled_sample());
    assert!(a.pdf == b.pdf, "the same input gave different PDFs");
}

fn content_ops(doc: &Document, page: lopdf::ObjectId) -> String {
    String::from_utf8_lossy(&doc.get_page_content(page).unwrap()).into_owned()
}

#[test]
fn colour_is_cmyk_and_pdfx_is_declared() {
    let b = build("default.toml", &bundled_sample());
    let doc = Document::load_mem(&b.pdf).unwrap();
    assert_eq!(doc.version, "1.6");
    for (_, page) in doc.get_pages() {
        let ops = content_ops(&doc, page);
        // No RGB or grey operators anywhere: colours are DeviceCMYK.
        for line in ops.lines() {
            let last = line.split_whitespace().last().unwrap_or("");
            assert!(
                !matches!(last, "rg" | "RG" | "g" | "G" | "sc" | "scn"),
                "non-CMYK colour operator: {line}"
            );
        }
        assert!(
            ops.contains(" k") || ops.contains(" K"),
            "no CMYK colour set"
        );
        // Which marks overprint is checked in tests/overprint.rs.
    }
    let catalog = doc.catalog().unwrap();
    let intents = catalog.get(b"OutputIntents").unwrap().as_array().unwrap();
    let intent = intents[0].as_dict().unwrap();
    assert_eq!(intent.get(b"S").unwrap().as_name().unwrap(), b"GTS_PDFX");
    // PDF/X-4 embeds the output profile itself: an ICC CMYK printer profile
    // whose connection space is Lab.
    let profile_ref = intent
        .get(b"DestOutputProfile")
        .expect("PDF/X-4 needs an embedded output profile")
        .as_reference()
        .unwrap();
    let profile = doc.get_object(profile_ref).unwrap().as_stream().unwrap();
    assert_eq!(profile.dict.get(b"N").unwrap().as_i64().unwrap(), 4);
    let icc = profile.decompressed_content().unwrap();
    assert_eq!(&icc[12..16], b"prtr", "device class");
    assert_eq!(&icc[16..20], b"CMYK", "colour space");
    assert_eq!(&icc[20..24], b"Lab ", "connection space");
    assert_eq!(&icc[36..40], b"acsp", "ICC signature");
    assert_eq!(
        u32::from_be_bytes(icc[0..4].try_into().unwrap()) as usize,
        icc.len(),
        "the profile is whole"
    );
    let info_ref = doc.trailer.get(b"Info").unwrap().as_reference().unwrap();
    let info = doc.get_dictionary(info_ref).unwrap();
    assert_eq!(
        info.get(b"GTS_PDFXVersion").unwrap().as_str().unwrap(),
        b"PDF/X-4"
    );
    assert_eq!(info.get(b"Trapped").unwrap().as_name().unwrap(), b"False");
    let xmp_ref = catalog.get(b"Metadata").unwrap().as_reference().unwrap();
    let xmp = doc.get_object(xmp_ref).unwrap().as_stream().unwrap();
    let xmp = String::from_utf8_lossy(&xmp.content);
    assert!(
        xmp.contains("<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>"),
        "{xmp}"
    );
    assert!(doc.trailer.get(b"ID").is_ok(), "document ID");
}

#[test]
fn text_layer_holds_characters_outside_the_bmp() {
    let b = build("default.toml", &bundled_sample());
    let all: String = b.edition.articles.iter().map(article_text).collect();
    assert!(all.contains('𠮷'), "the bundled sample should contain 𠮷");
    let dir = scratch("astral");
    let pdf = dir.join("edition.pdf");
    std::fs::write(&pdf, &b.pdf).unwrap();
    let text = pdf_text(&pdf);
    assert!(text.contains('𠮷'), "𠮷 lost from the text layer");
    // Modules are read in page order, not source order: check each article.
    for a in &b.edition.articles {
        subsequence(&article_text(a), &text).unwrap();
    }
}

/// Font subsets, two photographs as CMYK JPEGs (about 400 KB each at
/// 1600 × 1067) and two vector ads: a file size that mails and uploads
/// to a plant without thought. Raised from 1 MB when the sample's front
/// page gained its second photograph and ad (1.17 MB).
#[test]
fn bundled_sample_pdf_stays_under_one_and_a_half_megabytes() {
    let b = build("default.toml", &bundled_sample());
    assert!(b.pdf.len() < 1_500_000, "{} bytes", b.pdf.len());
}

/// The command line composes on one thread and draws each finished page on
/// another; the file must be the very one composing everything first and
/// exporting afterwards gives, on an edition whose automatic flow hands pages
/// over in the middle of articles.
#[test]
fn overlapped_build_writes_the_same_pdf_as_compose_then_export() {
    let dir = scratch("overlapped-build");
    let articles = dir.join("edition.md");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_gen-edition"))
        .arg(bundled_sample())
        .arg("12")
        .arg(&articles)
        .status()
        .unwrap();
    assert!(status.success());
    // No planned modules: every copy flows automatically.
    let layout = dir.join("flow.toml");
    std::fs::write(&layout, grid_layout!()).unwrap();
    let out = dir.join("edition.pdf");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_broadsheet"))
        .args(["build", "--allow-overset", "--layout"])
        .arg(&layout)
        .arg("--articles")
        .arg(&articles)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let whole = build(layout.to_str().unwrap(), &articles);
    assert!(
        whole.composition.pages.len() >= 4,
        "the edition should flow over several pages, got {}",
        whole.composition.pages.len()
    );
    let streamed = std::fs::read(&out).unwrap();
    assert!(
        streamed == whole.pdf,
        "overlapped build wrote {} bytes, compose-then-export {}",
        streamed.len(),
        whole.pdf.len()
    );
}

/// Issue 12 items 12 and 13: characters no font covers, in every element
/// (the first one of each font and its repeats used to vanish: a PDF font's
/// ToUnicode map has no entry for `.notdef`), and invisible format
/// characters (which had no glyph to carry them) reach the text layer of
/// the real file, in reading order; each uncovered one is reported with
/// where it is.
#[test]
fn text_layer_keeps_uncovered_and_invisible_characters() {
    use broadsheet::source::{Article, Edition};
    let layout_text = concat!(grid_layout!(), "\n[furniture]\nmasthead_lines = 8\n")
        .replace("清河晚报", "清河😀晚报");
    let layout = broadsheet::layout::parse(&layout_text, std::path::Path::new("t.toml")).unwrap();
    let article = Article {
        level: 1,
        kicker: Some("引题😀".into()),
        headline: vec!["标题😀𮯠".into()],
        subheadline: Some("副题😀".into()),
        paragraphs: vec![
            "正文😀零\u{200B}宽\u{2060}连\u{AD}字\u{FEFF}号😀😀与😀和𮯠。".into(),
            "\u{200B}第二段😀\u{2060}".into(),
        ],
        credit: Some("文/图 张😀".into()),
        ..Default::default()
    };
    let edition = Edition {
        articles: vec![article],
        warnings: Vec::new(),
    };
    let db = fonts();
    let c = broadsheet::compose::compose(&edition, &layout, &db).unwrap();
    let places: Vec<String> = c.report.missing_glyphs.iter().map(|g| g.place()).collect();
    for want in [
        "layout key paper.name",
        "article 1 kicker",
        "article 1 headline",
        "article 1 subheadline",
        "article 1 paragraph 1",
        "article 1 paragraph 2",
        "article 1 credit",
    ] {
        assert!(
            places.iter().any(|p| p == want),
            "no missing glyph reported in {want}: {places:?}"
        );
    }
    let pdf = broadsheet::export::export(&c.info, &c.pages, &db, &Default::default()).unwrap();
    let dir = scratch("uncovered-text-layer");
    let path = dir.join("t.pdf");
    std::fs::write(&path, &pdf).unwrap();
    let text = pdf_text(&path);
    subsequence("清河😀晚报", &text).unwrap();
    let want = article_text(&edition.articles[0]);
    subsequence(&want, &text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    for (ch, n) in [
        ('😀', 10),
        ('\u{200B}', 2),
        ('\u{2060}', 2),
        ('\u{FEFF}', 1),
        ('𮯠', 2),
    ] {
        assert_eq!(
            text.chars().filter(|&c| c == ch).count(),
            n,
            "U+{:04X} in the text layer: {text}",
            ch as u32
        );
    }
}

/// Placeholder labels (图片, 广告) and proof notes (超版 N 行) are drawn as
/// outlines: on the page, not in its text, so no reader finds them inside
/// an article's copy (issue 17 item 5).
#[test]
fn placeholder_labels_and_proof_notes_are_not_page_text() {
    let layout = root().join("tests/data/makeup/too_short.toml");
    let b = build_at(&layout, &bundled_sample());
    let drawn: Vec<&str> = b
        .composition
        .pages
        .iter()
        .flat_map(|p| &p.items)
        .filter_map(|i| match i {
            broadsheet::display::Item::Glyphs(r)
                if matches!(
                    r.role,
                    broadsheet::display::Role::Placeholder | broadsheet::display::Role::OversetMark
                ) =>
            {
                Some(r.text.as_str())
            }
            _ => None,
        })
        .collect();
    assert!(drawn.iter().any(|t| t.contains("超版")), "{drawn:?}");
    assert!(drawn.iter().any(|t| t.contains("广告")), "{drawn:?}");
    let dir = scratch("outlined-labels");
    let pdf = dir.join("too_short.pdf");
    std::fs::write(&pdf, &b.pdf).unwrap();
    let text = pdf_text(&pdf);
    // What the page sets as text: every run but the labels and notes (an
    // article may say 广告 itself, as the sample's 户外广告牌 does).
    let set: String = b
        .composition
        .pages
        .iter()
        .flat_map(|p| &p.items)
        .filter_map(|i| match i {
            broadsheet::display::Item::Glyphs(r)
                if !matches!(
                    r.role,
                    broadsheet::display::Role::Placeholder | broadsheet::display::Role::OversetMark
                ) =>
            {
                Some(r.text.as_str())
            }
            _ => None,
        })
        .collect();
    for word in ["图片", "广告", "超版", "OVERSET"] {
        assert_eq!(
            text.matches(word).count(),
            set.matches(word).count(),
            "{word}: only the articles' own occurrences belong in the text layer"
        );
    }
}
