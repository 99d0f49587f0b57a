//! The media stage end to end (issue 16): every fixture under
//! `tests/data/media` loads as what it is or fails with a clear message,
//! and a page built by hand with pictures, an ad and a line of text goes
//! through the real PDF writer and previews. The PDF is read back with
//! lopdf and poppler: images only in DeviceCMYK or DeviceGray, the CMYK
//! JPEG's bytes unchanged with Photoshop's inverted Decode array, converted
//! pictures within the ink limit, the ad a form XObject whose text
//! pdftotext finds, everything clipped to its frame, the same bytes twice.

#[macro_use]
mod common;

use std::path::PathBuf;
use std::sync::Arc;

use broadsheet::display::{
    Cmyk, DocumentInfo, GlyphRun, Image, Item, Page, PdfStandard, Role, RunGlyph,
};
use broadsheet::export::{self, ExportError, ExportOptions};
use broadsheet::fonts::FontDb;
use broadsheet::media::{self, Asset, AssetData, AssetKind, LoadOptions, INK_LIMIT};
use broadsheet::preview;
use lopdf::{Document, Object, Stream};

use common::*;

fn fixture(name: &str) -> PathBuf {
    let p = root().join("tests/data/media").join(name);
    assert!(p.is_file(), "{} is missing (scripts/media/)", p.display());
    p
}

fn load(name: &str) -> Arc<Asset> {
    let asset = media::load(&fixture(name), 0, &LoadOptions::default())
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    Arc::new(asset)
}

/// A fresh folder for this test's files.
fn tempdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("broadsheet-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn load_error(name: &str, page: usize, options: &LoadOptions) -> String {
    match media::load(&fixture(name), page, options) {
        Ok(asset) => panic!("{name} loaded as {:?}", asset.kind),
        Err(e) => e.message,
    }
}

/// A line of text in the bundled Kai face, glyphs from its character map.
fn text(db: &FontDb, text: &str, x: f32, y: f32, size: f32) -> Item {
    let face = db
        .ids()
        .find(|&id| db.info(id).path.ends_with("LXGWWenKai-Regular.ttf"))
        .expect("the bundled Kai face");
    let ttf = db.ttf_face(face);
    let scale = size / f32::from(ttf.units_per_em());
    let mut pen = 0.0;
    let glyphs = text
        .char_indices()
        .map(|(i, c)| {
            let id = ttf.glyph_index(c).map_or(0, |g| g.0);
            let advance =
                f32::from(ttf.glyph_hor_advance(ttf_parser::GlyphId(id)).unwrap_or(0)) * scale;
            pen += advance;
            RunGlyph {
                id,
                x: pen - advance,
                y_offset: 0.0,
                advance,
                range: i..i + c.len_utf8(),
            }
        })
        .collect();
    Item::Glyphs(GlyphRun {
        role: Role::Caption,
        x,
        y,
        face,
        font: db.info(face).family.clone(),
        size,
        color: Cmyk::BLACK,
        text: text.into(),
        glyphs,
        article: None,
        module: None,
        column: None,
        grid_line: None,
        source_line: None,
        paragraph: None,
        vertical: false,
        rotated: false,
    })
}

fn picture(asset: &Arc<Asset>, frame: (f32, f32, f32, f32), placed: (f32, f32, f32, f32)) -> Item {
    Item::Image(Image {
        role: if asset.kind == AssetKind::Pdf {
            Role::Ad
        } else {
            Role::Picture
        },
        x: frame.0,
        y: frame.1,
        width: frame.2,
        height: frame.3,
        placed,
        asset: asset.clone(),
        ppi: asset.ppi(placed.2),
        article: None,
        module: None,
    })
}

/// The RGB photograph's frame and its placed rectangle: cropped to fill,
/// 20 pt of picture cut off each side.
const RGB_FRAME: (f32, f32, f32, f32) = (40.0, 80.0, 240.0, 150.0);
const RGB_PLACED: (f32, f32, f32, f32) = (20.0, 60.0, 280.0, 190.0);

/// A page with an RGB JPEG (cropped), a CMYK JPEG, a grey PNG, an RGBA
/// PNG, the vector ad and a caption.
fn media_page(db: &FontDb) -> Page {
    let fit = |x: f32, y: f32| (x, y, 240.0, 160.0);
    a4_page(vec![
        text(db, "图片说明：公园一角", 40.0, 60.0, 14.0),
        picture(&load("rgb.jpg"), RGB_FRAME, RGB_PLACED),
        picture(&load("cmyk.jpg"), fit(300.0, 80.0), fit(300.0, 80.0)),
        picture(&load("grey.png"), fit(40.0, 260.0), fit(40.0, 260.0)),
        picture(&load("rgba.png"), fit(300.0, 260.0), fit(300.0, 260.0)),
        picture(
            &load("ad.pdf"),
            (40.0, 450.0, 360.0, 240.0),
            (40.0, 450.0, 360.0, 240.0),
        ),
    ])
}

fn info() -> DocumentInfo {
    DocumentInfo {
        language: Default::default(),
        article_languages: Vec::new(),
        title: "媒体测试".into(),
        fingerprint: "media-test".into(),
        date: Some("2026-12-01".into()),
    }
}

fn export_with(pages: &[Page], db: &FontDb, standard: PdfStandard) -> Result<Vec<u8>, ExportError> {
    let options = ExportOptions {
        standard,
        ..Default::default()
    };
    export::export(&info(), pages, db, &options)
}

/// Every image XObject of the file.
fn images(doc: &Document) -> Vec<&Stream> {
    doc.objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .filter(|s| s.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Image"))
        .collect()
}

/// The CMYK samples a converted asset carries, decoded if compressed.
fn converted_ink(asset: &Asset) -> Vec<u8> {
    match asset.data().unwrap() {
        AssetData::Cmyk(samples) => samples.to_vec(),
        AssetData::Jpeg(jpeg) => inverted_jpeg_ink(jpeg),
        other => panic!("{}: {other:?}", asset.path.display()),
    }
}

fn name_of<'a>(stream: &'a Stream, key: &[u8]) -> &'a [u8] {
    stream
        .dict
        .get(key)
        .and_then(Object::as_name)
        .unwrap_or(b"")
}

#[test]
fn every_fixture_loads_as_what_it_is() {
    let cmyk = load("cmyk.jpg");
    assert_eq!(cmyk.kind, AssetKind::CmykJpeg);
    let AssetData::Jpeg(bytes) = cmyk.data().unwrap() else {
        panic!("a CMYK JPEG is kept as its file: {:?}", cmyk.data())
    };
    assert_eq!(**bytes, std::fs::read(fixture("cmyk.jpg")).unwrap());
    for name in ["rgb.jpg", "progressive.jpg", "rgba.png", "palette.png"] {
        let asset = load(name);
        assert_eq!(asset.kind, AssetKind::ConvertedCmyk, "{name}");
        assert_eq!(asset.pixels, (240, 160), "{name}");
        // A photograph stays compressed (as a CMYK JPEG), a PNG does not.
        let compressed = matches!(asset.data(), Ok(AssetData::Jpeg(_)));
        assert_eq!(compressed, name.ends_with(".jpg"), "{name}");
        let samples = converted_ink(&asset);
        assert_eq!(samples.len(), 240 * 160 * 4, "{name}");
        let ink = media::max_total_ink(&samples);
        assert!(ink <= INK_LIMIT, "{name}: {ink} % ink");
        assert!(ink > 100.0, "{name}: a photograph has shadows ({ink} %)");
    }
    // The RGBA fixture is transparent at the top: paper, no ink.
    let rgba = load("rgba.png");
    let AssetData::Cmyk(rgba) = rgba.data().unwrap() else {
        unreachable!()
    };
    assert!(media::max_total_ink(&rgba[..240 * 4]) < 2.0);
    for name in ["grey.png", "grey.jpg", "grey16.png"] {
        let asset = load(name);
        assert_eq!(asset.kind, AssetKind::Gray, "{name}");
        let AssetData::Gray(samples) = asset.data().unwrap() else {
            panic!("{name}: {:?}", asset.data())
        };
        assert_eq!(samples.len(), 240 * 160, "{name}");
    }
    let ad = load("ad.pdf");
    assert_eq!(ad.kind, AssetKind::Pdf);
    assert_eq!(ad.natural, (180.0, 120.0));
    assert!(matches!(ad.data(), Ok(AssetData::Pdf(_, 0))));
    assert_eq!(ad.ppi(100.0), None);
}

#[test]
fn bad_files_are_refused_with_what_is_wrong() {
    let default = LoadOptions::default();
    let cases = [
        ("corrupt.jpg", 0, "damaged"),
        ("truncated.pdf", 0, "truncated"),
        ("corrupt.pdf", 0, "PDF"),
        ("unsupported.gif", 0, "JPEG, PNG and PDF"),
        ("not-an-image.jpg", 0, "JPEG, PNG and PDF"),
        ("huge.png", 0, "60000 × 60000"),
        ("ad.pdf", 2, "no page 3"),
    ];
    for (name, page, expected) in cases {
        let message = load_error(name, page, &default);
        assert!(message.contains(expected), "{name}: {message}");
        assert!(
            message.contains(name),
            "{name}: the message names the file: {message}"
        );
    }
    let small = LoadOptions {
        max_pixels: 1000,
        ..Default::default()
    };
    let message = load_error("rgb.jpg", 0, &small);
    assert!(message.contains("limit of 1000 pixels"), "{message}");
    let missing = media::load(&root().join("tests/data/media/nothing.jpg"), 0, &default);
    assert!(missing.unwrap_err().message.contains("cannot read"));
}

#[test]
fn pictures_reach_the_pdf_in_cmyk_or_grey() {
    let db = fonts();
    let pages = [media_page(&db)];
    let jpeg = std::fs::read(fixture("cmyk.jpg")).unwrap();
    for standard in [PdfStandard::PdfX4, PdfStandard::PdfX1a2003] {
        let pdf = export_with(&pages, &db, standard).unwrap();
        let doc = Document::load_mem(&pdf).unwrap();
        let images = images(&doc);
        assert_eq!(
            images.len(),
            4,
            "{standard:?}: four pictures (the ad is a form)"
        );
        let mut spaces = Vec::new();
        for image in &images {
            let space = image.dict.get(b"ColorSpace").unwrap();
            let space = space
                .as_name()
                .unwrap_or_else(|_| panic!("{standard:?}: {space:?}"));
            spaces.push(String::from_utf8_lossy(space).into_owned());
            assert!(image.dict.get(b"SMask").is_err(), "no transparency");
        }
        spaces.sort();
        assert_eq!(
            spaces,
            ["DeviceCMYK", "DeviceCMYK", "DeviceCMYK", "DeviceGray"],
            "{standard:?}"
        );
        let dct: Vec<_> = images
            .iter()
            .filter(|s| name_of(s, b"Filter") == b"DCTDecode")
            .collect();
        assert_eq!(
            dct.len(),
            2,
            "{standard:?}: the CMYK JPEG and the converted RGB JPEG are JPEGs"
        );
        let unchanged = dct.iter().filter(|s| s.content == jpeg).count();
        assert_eq!(unchanged, 1, "the CMYK JPEG's bytes are embedded unchanged");
        for image in &dct {
            let decode: Vec<f32> = image
                .dict
                .get(b"Decode")
                .and_then(Object::as_array)
                .expect("Photoshop's inverted CMYK needs a Decode array")
                .iter()
                .map(|o| o.as_float().unwrap())
                .collect();
            assert_eq!(decode, [1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0]);
        }
        let mut converted = 0;
        for image in &images {
            if name_of(image, b"ColorSpace") != b"DeviceCMYK" || image.content == jpeg {
                continue;
            }
            let samples = match name_of(image, b"Filter") {
                b"DCTDecode" => inverted_jpeg_ink(&image.content),
                _ => image.decompressed_content().unwrap(),
            };
            let ink = media::max_total_ink(&samples);
            assert!(
                ink <= INK_LIMIT,
                "{standard:?}: a converted picture has {ink} % ink"
            );
            assert!(
                ink > 150.0,
                "{standard:?}: decoded as ink, not paper ({ink} %)"
            );
            converted += 1;
        }
        assert_eq!(converted, 2, "{standard:?}: the RGB JPEG and the RGBA PNG");
    }
}

#[test]
fn the_ad_is_a_form_whose_text_pdftotext_finds() {
    let db = fonts();
    let pdf = export_with(&[media_page(&db)], &db, PdfStandard::PdfX4).unwrap();
    let doc = Document::load_mem(&pdf).unwrap();
    let forms = doc
        .objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .filter(|s| s.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Form"))
        .count();
    assert!(forms >= 1, "the ad's page becomes a form XObject");
    let dir = tempdir("media-ad");
    let path = dir.join("page.pdf");
    std::fs::write(&path, &pdf).unwrap();
    let text = pdf_text(&path);
    for wanted in ["图片说明：公园一角", "冬季读书月", "青岚市图书馆"] {
        assert!(text.contains(wanted), "{wanted} missing from {text}");
    }
}

/// Grey level (0 black, 255 white) of the 72 dpi render at `(x, y)` pt.
fn grey_at(pgm: &[u8], x: f32, y: f32) -> u8 {
    // P5 header: magic, width, height, maxval, each after white space.
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        while pgm[at].is_ascii_whitespace() {
            at += 1;
        }
        let start = at;
        while !pgm[at].is_ascii_whitespace() {
            at += 1;
        }
        fields.push(String::from_utf8_lossy(&pgm[start..at]).into_owned());
    }
    let width: usize = fields[1].parse().unwrap();
    pgm[at + 1 + y as usize * width + x as usize]
}

#[test]
fn pictures_are_clipped_to_their_frames_in_the_pdf_and_previews() {
    let db = fonts();
    let page = media_page(&db);
    let pdf = export_with(std::slice::from_ref(&page), &db, PdfStandard::PdfX4).unwrap();
    let dir = tempdir("media-clip");
    std::fs::write(dir.join("page.pdf"), &pdf).unwrap();
    let out = std::process::Command::new("pdftoppm")
        .args(["-r", "72", "-gray"])
        .arg(dir.join("page.pdf"))
        .output()
        .unwrap();
    let pgm = out.stdout;
    let (x, y, w, h) = RGB_FRAME;
    // Inside the frame the photograph; in the placed rectangle but
    // outside the frame, paper.
    let inside = grey_at(&pgm, x + w / 2.0, y + 10.0);
    assert!(inside < 230, "the sky is drawn inside the frame ({inside})");
    for (px, py) in [
        (x - 10.0, y + h / 2.0),
        (x + w / 2.0, y - 10.0),
        (x + w + 10.0, y + h / 2.0),
    ] {
        assert_eq!(grey_at(&pgm, px, py), 255, "cropped away at ({px}, {py})");
    }
    // The PNG preview draws the same.
    let options = preview::Options {
        dpi: 72,
        ..Default::default()
    };
    let png = preview::png(&page, &db, &options).unwrap();
    let decoder = png::Decoder::new(std::io::Cursor::new(png));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let frame = reader.next_frame(&mut buf).unwrap();
    let channels = frame.line_size / frame.width as usize;
    let rgb_at = |x: f32, y: f32| {
        let at = y as usize * frame.line_size + x as usize * channels;
        [buf[at], buf[at + 1], buf[at + 2]]
    };
    assert_ne!(
        rgb_at(x + w / 2.0, y + 10.0),
        [255, 255, 255],
        "the preview draws the picture"
    );
    assert_eq!(
        rgb_at(x - 10.0, y + h / 2.0),
        [255, 255, 255],
        "and clips it"
    );
    assert_ne!(rgb_at(50.0, 600.0), [255, 255, 255], "the ad is drawn");
    let svg = preview::svg(&page, &db, &options);
    assert_eq!(
        svg.matches("<image ").count(),
        5,
        "four raster pictures and the rendered ad in the SVG"
    );
    assert_eq!(svg.matches("data:image/png;base64,").count(), 5);
    assert!(svg.contains("<clipPath id=\"picture-clip-1\">"));
    assert!(
        !svg.contains("广告 ad.pdf"),
        "the ad is rendered, not a box standing for it"
    );
}

#[test]
fn an_rgb_ad_cannot_enter_a_pdfx_file() {
    let db = fonts();
    let ad = load("ad-rgb.pdf");
    let pages = [a4_page(vec![picture(
        &ad,
        (40.0, 40.0, 180.0, 120.0),
        (40.0, 40.0, 180.0, 120.0),
    )])];
    for standard in [PdfStandard::PdfX4, PdfStandard::PdfX1a2003] {
        match export_with(&pages, &db, standard) {
            Err(ExportError::Standard { found, .. }) => {
                assert!(found.contains("DeviceRGB"), "{standard:?}: {found}")
            }
            other => panic!(
                "{standard:?}: an RGB ad was written: {:?}",
                other.map(|b| b.len())
            ),
        }
    }
    assert!(export_with(&pages, &db, PdfStandard::None).is_ok());
}

#[test]
fn an_ad_newer_than_the_file_is_refused_by_name() {
    let db = fonts();
    let ad = load("ad-pdf17.pdf");
    assert_eq!(ad.pdf_version(), Some((1, 7)));
    assert_eq!(load("ad.pdf").pdf_version(), Some((1, 4)));
    let pages = [a4_page(vec![picture(
        &ad,
        (40.0, 40.0, 180.0, 120.0),
        (40.0, 40.0, 180.0, 120.0),
    )])];
    for standard in [PdfStandard::PdfX4, PdfStandard::PdfX1a2003] {
        match export_with(&pages, &db, standard) {
            Err(ExportError::Pdf(message)) => {
                assert!(message.contains("ad-pdf17.pdf"), "{message}");
                assert!(message.contains("PDF 1.7 file"), "{message}");
            }
            other => panic!("{standard:?}: {:?}", other.map(|b| b.len())),
        }
    }
    assert!(export_with(&pages, &db, PdfStandard::None).is_ok());
}

#[test]
fn the_same_page_gives_the_same_bytes() {
    let db = fonts();
    // Each page loads its own assets, so nothing is shared between runs.
    let first = export_with(&[media_page(&db)], &db, PdfStandard::PdfX4).unwrap();
    let second = export_with(&[media_page(&db)], &db, PdfStandard::PdfX4).unwrap();
    assert!(first == second, "two exports of one page differ");
}

/// Writes the hand-built page's PDF, PNG and SVG to `$MEDIA_OUT` for a look.
#[test]
#[ignore]
fn write_the_media_page_for_a_look() {
    let out = PathBuf::from(std::env::var("MEDIA_OUT").expect("set MEDIA_OUT to a folder"));
    let db = fonts();
    let page = media_page(&db);
    std::fs::write(
        out.join("media.pdf"),
        export_with(std::slice::from_ref(&page), &db, PdfStandard::PdfX4).unwrap(),
    )
    .unwrap();
    let options = preview::Options {
        dpi: 72,
        ..Default::default()
    };
    std::fs::write(
        out.join("media.png"),
        preview::png(&page, &db, &options).unwrap(),
    )
    .unwrap();
    std::fs::write(out.join("media.svg"), preview::svg(&page, &db, &options)).unwrap();
}
