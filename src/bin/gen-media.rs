//! Generate the vector advertisements: the bundled sample's ad and the PDF
//! test fixtures of the media stage (issue 16).
//!
//! `cargo run --release --bin gen-media` writes, from the repository root,
//! `samples/media/ad-library.pdf` (a library's reading-month ad) and
//! `samples/media/ad-market.pdf` (a farmers' market's), drawn by
//! broadsheet's own PDF writer from hand-built display lists, so their text
//! is embedded LXGW WenKai and their colour CMYK, in PDF/X-1a files of PDF
//! 1.4 that embed under either standard), and under `tests/data/media/`
//! a smaller `ad.pdf`, `ad-pdf17.pdf` (the same claiming PDF 1.7), `ad-rgb.pdf` (a DeviceRGB ad, which a PDF/X file
//! must refuse), `truncated.pdf` (`ad.pdf` cut in half) and `corrupt.pdf`.
//! The raster fixtures and the photograph come from
//! `scripts/media/make_rasters.py`.

use std::path::Path;
use std::process::ExitCode;

use broadsheet::display::{
    BaselineGrid, Cmyk, DocumentInfo, GlyphRun, Item, Page, PdfStandard, Rect, Role, RunGlyph,
};
use broadsheet::export::{self, ExportOptions};
use broadsheet::fonts::{FaceId, FontDb};

/// One line of text in `face`, glyphs from the face's character map and
/// advances from its metrics (no shaping: Han text needs none).
fn line(db: &FontDb, face: FaceId, text: &str, at: (f32, f32), size: f32, color: Cmyk) -> Item {
    let ttf = db.ttf_face(face);
    let scale = size / f32::from(ttf.units_per_em());
    let mut pen = 0.0;
    let glyphs = text
        .char_indices()
        .map(|(i, c)| {
            let id = ttf.glyph_index(c).map_or(0, |g| g.0);
            let advance =
                f32::from(ttf.glyph_hor_advance(ttf_parser::GlyphId(id)).unwrap_or(0)) * scale;
            let glyph = RunGlyph {
                id,
                x: pen,
                y_offset: 0.0,
                advance,
                range: i..i + c.len_utf8(),
            };
            pen += advance;
            glyph
        })
        .collect();
    Item::Glyphs(GlyphRun {
        role: Role::Body,
        x: at.0,
        y: at.1,
        face,
        font: db.info(face).family.clone(),
        size,
        color,
        text: text.to_string(),
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

fn rect(x: f32, y: f32, width: f32, height: f32, fill: Option<Cmyk>, stroke: Option<Cmyk>) -> Item {
    Item::Rect(Rect {
        role: Role::Ad,
        x,
        y,
        width,
        height,
        fill,
        stroke,
        stroke_width: 1.5,
    })
}

fn page(width: f32, height: f32, items: Vec<Item>) -> Page {
    Page {
        number: 1,
        width,
        height,
        bleed: 0.0,
        crop_marks: false,
        grid: BaselineGrid {
            top: 0.0,
            first: 0.0,
            pitch: 12.0,
            lines: 1,
            vertical: false,
        },
        modules: Vec::new(),
        items,
    }
}

/// The library's reading-month ad, `scale` × 360 × 240 pt.
fn library_ad(db: &FontDb, face: FaceId, scale: f32) -> Page {
    let s = |v: f32| v * scale;
    let blue = Cmyk(100.0, 60.0, 0.0, 10.0);
    let red = Cmyk(0.0, 90.0, 85.0, 0.0);
    let items = vec![
        rect(
            0.0,
            0.0,
            s(360.0),
            s(240.0),
            Some(Cmyk(6.0, 0.0, 18.0, 0.0)),
            None,
        ),
        rect(0.0, 0.0, s(360.0), s(46.0), Some(blue), None),
        line(
            db,
            face,
            "青岚市图书馆",
            (s(18.0), s(31.0)),
            s(22.0),
            Cmyk::WHITE,
        ),
        line(db, face, "冬季读书月", (s(18.0), s(108.0)), s(52.0), red),
        line(
            db,
            face,
            "12月1日至31日 每天9:00—21:00",
            (s(20.0), s(146.0)),
            s(15.0),
            Cmyk::BLACK,
        ),
        line(
            db,
            face,
            "免费办理借阅证 · 少儿绘本专区 · 周末作家讲座",
            (s(20.0), s(172.0)),
            s(13.0),
            Cmyk::BLACK,
        ),
        rect(s(14.0), s(190.0), s(332.0), s(0.8), Some(blue), None),
        line(
            db,
            face,
            "地址：青岚市文华路88号  咨询电话：0000-1234567",
            (s(20.0), s(216.0)),
            s(11.0),
            blue,
        ),
        rect(s(0.75), s(0.75), s(358.5), s(238.5), None, Some(blue)),
    ];
    page(s(360.0), s(240.0), items)
}

/// A farmers' market ad for the foot of the sample's front page, 360 ×
/// 240 pt like the library's, so the two share the strip.
fn market_ad(db: &FontDb, face: FaceId) -> Page {
    let green = Cmyk(80.0, 10.0, 100.0, 10.0);
    let orange = Cmyk(0.0, 60.0, 100.0, 0.0);
    let items = vec![
        rect(
            0.0,
            0.0,
            360.0,
            240.0,
            Some(Cmyk(0.0, 4.0, 14.0, 0.0)),
            None,
        ),
        rect(0.0, 194.0, 360.0, 46.0, Some(green), None),
        line(db, face, "滨河农产品", (20.0, 62.0), 40.0, green),
        line(db, face, "冬季展销会", (20.0, 112.0), 40.0, orange),
        line(
            db,
            face,
            "12月6日至8日 滨河公园东门广场",
            (20.0, 146.0),
            15.0,
            Cmyk::BLACK,
        ),
        line(
            db,
            face,
            "新米 · 冬笋 · 柑橘 · 土蜂蜜 产地直供",
            (20.0, 172.0),
            13.0,
            Cmyk::BLACK,
        ),
        line(
            db,
            face,
            "青岚市农业农村局 主办  入场免费",
            (20.0, 223.0),
            13.0,
            Cmyk::WHITE,
        ),
        rect(0.75, 0.75, 358.5, 238.5, None, Some(green)),
    ];
    page(360.0, 240.0, items)
}

fn write(path: &str, bytes: &[u8]) -> Result<(), String> {
    let path = Path::new(path);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    }
    std::fs::write(path, bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    println!("{}: {} bytes", path.display(), bytes.len());
    Ok(())
}

/// The PDF without its output intent and XMP: an ad is placed on a page
/// that has its own, and the embedded newsprint profile is most of the
/// file's size.
fn without_output_intent(pdf: &[u8]) -> Result<Vec<u8>, String> {
    let mut doc = lopdf::Document::load_mem(pdf).map_err(|e| e.to_string())?;
    let catalog = doc.catalog_mut().map_err(|e| e.to_string())?;
    catalog.remove(b"OutputIntents");
    catalog.remove(b"Metadata");
    doc.prune_objects();
    let mut out = Vec::new();
    doc.save_to(&mut out).map_err(|e| e.to_string())?;
    Ok(out)
}

/// A one-page PDF whose only mark is a DeviceRGB rectangle.
fn rgb_ad() -> Vec<u8> {
    use krilla::color::rgb;
    use krilla::geom::{PathBuilder, Rect as KRect};
    use krilla::page::PageSettings;
    let settings = krilla::SerializeSettings {
        enable_tagging: false,
        configuration: krilla::configure::ConfigurationBuilder::new()
            .with_version(krilla::configure::PdfVersion::Pdf14)
            .finish()
            .expect("PDF 1.4 is a configuration"),
        ..Default::default()
    };
    let mut doc = krilla::Document::new_with(settings);
    let mut page = doc.start_page_with(PageSettings::from_wh(180.0, 120.0).expect("a size"));
    let mut surface = page.surface();
    let mut path = PathBuilder::new();
    path.push_rect(KRect::from_xywh(10.0, 10.0, 160.0, 100.0).expect("a rectangle"));
    surface.set_fill(Some(krilla::paint::Fill {
        paint: rgb::Color::new(220, 40, 40).into(),
        ..Default::default()
    }));
    surface.draw_path(&path.finish().expect("a path"));
    surface.finish();
    page.finish();
    doc.finish().expect("krilla writes an RGB rectangle")
}

fn run() -> Result<(), String> {
    let mut db = FontDb::new();
    let faces = db
        .load_file(Path::new("fonts/LXGWWenKai-Regular.ttf"), None)
        .map_err(|e| format!("run from the repository root: {e}"))?;
    let face = faces[0];
    let info = |title: &str| DocumentInfo {
        language: Default::default(),
        article_languages: Vec::new(),
        title: title.into(),
        fingerprint: "broadsheet-media-fixture".into(),
        date: Some("2026-12-01".into()),
    };
    let options = ExportOptions {
        standard: PdfStandard::PdfX1a2003,
        ..Default::default()
    };
    let ad = |scale| {
        let pdf = export::export(
            &info("青岚市图书馆 冬季读书月"),
            &[library_ad(&db, face, scale)],
            &db,
            &options,
        )
        .map_err(|e| e.to_string())?;
        without_output_intent(&pdf)
    };
    write("samples/media/ad-library.pdf", &ad(1.0)?)?;
    let market = export::export(
        &info("滨河农产品冬季展销会"),
        &[market_ad(&db, face)],
        &db,
        &options,
    )
    .map_err(|e| e.to_string())?;
    write(
        "samples/media/ad-market.pdf",
        &without_output_intent(&market)?,
    )?;
    let small = ad(0.5)?;
    write("tests/data/media/ad.pdf", &small)?;
    write("tests/data/media/truncated.pdf", &small[..small.len() / 2])?;
    // The same ad claiming PDF 1.7, as many advertisers' files do: too new
    // for either PDF/X.
    let mut newer = small.clone();
    newer[..8].copy_from_slice(b"%PDF-1.7");
    write("tests/data/media/ad-pdf17.pdf", &newer)?;
    write("tests/data/media/ad-rgb.pdf", &rgb_ad())?;
    write(
        "tests/data/media/corrupt.pdf",
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 9 0 R >> endobj\ngarbage\n%%EOF\n",
    )?;
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen-media: {e}");
            ExitCode::FAILURE
        }
    }
}
