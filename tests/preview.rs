//! The preview back ends (`build --png/--svg/--proof`, src/preview): a PNG
//! matches poppler's render of the PDF of the same build, an SVG is
//! well-formed and holds the page's text, the proof overlay draws, the
//! pictures obey the output rules of the PDF, and builds repeat byte for
//! byte.

mod common;

use std::path::Path;

use broadsheet::display::{Item, Page, Role};
use broadsheet::export;
use broadsheet::fonts::FontDb;
use broadsheet::preview::{self, Extent, Options};
use common::{bundled_sample, print_layout, print_sample, root, run, scratch, tool};
use tiny_skia::Pixmap;

/// The resolution of the comparison, as the acceptance of issue 18 asks.
const DPI: u32 = 50;

/// Largest mean absolute difference per channel (0–255) between our PNG
/// and `pdftoppm`'s over a whole page. Measured on the bundled sample:
/// MEASURED_PAGE. What remains is anti-aliasing (tiny-skia and poppler's
/// Splash cover edge pixels differently, and Splash snaps strokes to whole
/// pixels), poppler's hinting-free FreeType glyph rendering against our
/// outlines, and colour (poppler's CMYK table and our ink filters differ by
/// a unit on the 12 % K tint). A page drawn a few pixels off, or missing a
/// headline, is far above it (see the test). Raised from 8 to 9 when page
/// 1 gained the 导读, the longer date block, the folio line, a 栏目 tag and
/// a tinted box (issue 19): 8.12, all of it text edges (the tint's grey
/// is the same in both); a missing headline measures 11.6. Raised from 9
/// to 10 when page 1's two planning boxes (flat grey, the same in both
/// renders) became a photograph and an ad, which the comparison leaves
/// out: more of what is compared is text edges, 9.43.
const PAGE_TOLERANCE: f64 = 10.0;

/// Largest mean absolute difference per channel over any 64 × 64 pixel
/// tile: a page-wide mean hides a small wrong area (a headline missing is a
/// few percent of a page), a tile does not. Measured: MEASURED_TILE.
const TILE_TOLERANCE: f64 = 35.0;
const TILE_PX: u32 = 64;

/// How two renders of a page differ.
#[derive(Debug)]
struct Difference {
    /// Mean absolute difference per channel over the page.
    page: f64,
    /// The same over the worst tile.
    worst_tile: f64,
}

/// RGB of a decoded, opaque pixmap at (x, y).
fn rgb(p: &Pixmap, x: u32, y: u32) -> [u8; 3] {
    let c = p.pixel(x, y).unwrap().demultiply();
    [c.red(), c.green(), c.blue()]
}

/// Largest mean absolute difference per channel over a picture's frame,
/// compared apart from the page: a picture is a field of process colour,
/// where our ink filters and poppler's CMYK table part most, and a PDF ad
/// is rendered by hayro, not by poppler. Measured on the bundled sample:
/// the photo 6.9, the ad 23.4; left out, the photo is 165 off and the ad
/// 52 (the test below).
const PICTURE_TOLERANCE: f64 = 45.0;

/// Pixels round a left-out picture left out with it.
const EDGE_PX: u32 = 2;

/// The pixel rectangles (x0, y0, w, h) of the page's pictures and ads in a
/// render whose trimmed page starts `offset` pt in.
fn picture_areas(page: &Page, offset: f32) -> Vec<[u32; 4]> {
    let px = |pt: f32| (pt * DPI as f32 / 72.0) as u32;
    page.items
        .iter()
        .filter_map(|item| match item {
            Item::Image(i) => Some([
                px(offset + i.x),
                px(offset + i.y),
                px(i.width),
                px(i.height),
            ]),
            _ => None,
        })
        .collect()
}

/// Compare `ours` with `theirs` over the rectangle `(x0, y0)` + `w × h`
/// of both (the trimmed page), `ours` displaced by `shift` pixels, leaving
/// out the rectangles of `skip`.
fn difference(
    ours: &Pixmap,
    theirs: &Pixmap,
    area: [u32; 4],
    shift: (u32, u32),
    skip: &[[u32; 4]],
) -> Difference {
    let [x0, y0, w, h] = area;
    // A picture's edge pixels are blended with the page round it: they go
    // with the picture.
    let skipped = |x: u32, y: u32| {
        skip.iter().any(|&[sx, sy, sw, sh]| {
            (sx.saturating_sub(EDGE_PX)..sx + sw + EDGE_PX).contains(&x)
                && (sy.saturating_sub(EDGE_PX)..sy + sh + EDGE_PX).contains(&y)
        })
    };
    let tiles_x = w.div_ceil(TILE_PX) as usize;
    let tiles_y = h.div_ceil(TILE_PX) as usize;
    let mut tiles = vec![(0u64, 0u64); tiles_x * tiles_y];
    let mut total = 0u64;
    let mut counted = 0u64;
    for y in 0..h {
        for x in 0..w {
            if skipped(x0 + x, y0 + y) {
                continue;
            }
            counted += 3;
            let a = rgb(ours, x0 + x + shift.0, y0 + y + shift.1);
            let b = rgb(theirs, x0 + x, y0 + y);
            let d: u64 = a.iter().zip(b).map(|(&a, b)| a.abs_diff(b) as u64).sum();
            total += d;
            let t = &mut tiles[(y / TILE_PX) as usize * tiles_x + (x / TILE_PX) as usize];
            t.0 += d;
            t.1 += 3;
        }
    }
    Difference {
        page: total as f64 / counted.max(1) as f64,
        worst_tile: tiles
            .iter()
            // A tile cut down to a sliver by a picture beside it says
            // nothing a whole tile would not.
            .filter(|&&(_, n)| n as u32 * 4 >= TILE_PX * TILE_PX * 3)
            .map(|&(d, n)| d as f64 / n as f64)
            .fold(0.0, f64::max),
    }
}

/// The bundled sample composed, its PDF, and the fonts.
struct Sample {
    pages: Vec<Page>,
    pdf: Vec<u8>,
    db: FontDb,
}

fn sample() -> Sample {
    let built = common::build("default.toml", &bundled_sample());
    Sample {
        pages: built.composition.pages,
        pdf: built.pdf,
        db: built.db,
    }
}

/// `pdftoppm -r DPI -png` of `pdf`, page by page.
fn poppler_pages(pdf: &[u8], dir: &Path, count: usize) -> Vec<Pixmap> {
    let file = dir.join("sample.pdf");
    std::fs::write(&file, pdf).unwrap();
    let prefix = dir.join("poppler");
    tool(
        "pdftoppm",
        &[
            "-r",
            &DPI.to_string(),
            "-png",
            file.to_str().unwrap(),
            prefix.to_str().unwrap(),
        ],
    );
    (1..=count)
        .map(|n| {
            let png = std::fs::read(dir.join(format!("poppler-{n}.png"))).unwrap();
            Pixmap::decode_png(&png).unwrap()
        })
        .collect()
}

/// Our render of `page` lined up with the PDF's media box (the trimmed page
/// and the bleed and crop-mark space round it), so the pixel grids of both
/// renders coincide; and the trimmed page's pixels in it.
fn ours_on_media(page: &Page, db: &FontDb, keep: &Path) -> (Pixmap, [u32; 4]) {
    let offset = export::trim_offset(page);
    let options = Options {
        dpi: DPI,
        extent: Extent::Around(offset),
        ..Options::default()
    };
    let png = preview::png(page, db, &options).unwrap();
    // Kept beside poppler's render for a look when the test fails.
    std::fs::write(keep, &png).unwrap();
    let px = |pt: f32| (pt * DPI as f32 / 72.0) as u32;
    // Whole pixels inside the trim box: crop marks and the bleed (which
    // holds nothing on this page) are the PDF writer's, not the display
    // list's.
    let x0 = px(offset).saturating_add(1);
    let area = [x0, x0, px(page.width) - 2, px(page.height) - 2];
    (Pixmap::decode_png(&png).unwrap(), area)
}

#[test]
fn a_png_matches_poppler_rendering_the_pdf() {
    let s = sample();
    let dir = scratch("preview-poppler");
    let theirs = poppler_pages(&s.pdf, &dir, s.pages.len());
    for (page, theirs) in s.pages.iter().zip(&theirs) {
        let keep = dir.join(format!("ours-{}.png", page.number));
        let (ours, area) = ours_on_media(page, &s.db, &keep);
        assert_eq!(
            (ours.width(), ours.height()),
            (theirs.width(), theirs.height())
        );
        let pictures = picture_areas(page, export::trim_offset(page));
        let d = difference(&ours, theirs, area, (0, 0), &pictures);
        eprintln!("page {}: {d:?}", page.number);
        assert!(
            d.page < PAGE_TOLERANCE && d.worst_tile < TILE_TOLERANCE,
            "page {}: {d:?} against pdftoppm (tolerance {PAGE_TOLERANCE} per page, {TILE_TOLERANCE} per tile)",
            page.number
        );
        for picture in &pictures {
            let d = difference(&ours, theirs, *picture, (0, 0), &[]);
            eprintln!("page {} picture at {picture:?}: {d:?}", page.number);
            assert!(
                d.page < PICTURE_TOLERANCE,
                "page {} picture at {picture:?}: {d:?} against pdftoppm (tolerance {PICTURE_TOLERANCE})",
                page.number
            );
        }
    }
}

/// The comparison catches what it is for: a page drawn 3 pixels off, and a
/// page without its headlines.
#[test]
fn a_wrong_render_exceeds_the_tolerance() {
    let s = sample();
    let dir = scratch("preview-wrong");
    let theirs = poppler_pages(&s.pdf, &dir, 1);
    let page = &s.pages[0];
    let (ours, area) = ours_on_media(page, &s.db, &dir.join("ours.png"));
    let [x0, y0, w, h] = area;
    let shifted = difference(&ours, &theirs[0], [x0, y0, w - 3, h - 3], (3, 3), &[]);
    eprintln!("shifted by 3 px: {shifted:?}");
    assert!(
        shifted.page > PAGE_TOLERANCE && shifted.worst_tile > TILE_TOLERANCE,
        "{shifted:?}"
    );

    let mut headless = page.clone();
    headless
        .items
        .retain(|i| !matches!(i, Item::Glyphs(r) if r.role == Role::Headline));
    let (ours, area) = ours_on_media(&headless, &s.db, &dir.join("headless.png"));
    let missing = difference(&ours, &theirs[0], area, (0, 0), &[]);
    eprintln!("headlines missing: {missing:?}");
    assert!(missing.worst_tile > TILE_TOLERANCE, "{missing:?}");

    // Each picture and ad left out is caught by the pictures' own bound.
    let pictures = picture_areas(page, export::trim_offset(page));
    assert!(pictures.len() >= 2, "the sample has a photo and an ad");
    let mut blank = page.clone();
    blank.items.retain(|i| !matches!(i, Item::Image(_)));
    let (ours, _) = ours_on_media(&blank, &s.db, &dir.join("blank.png"));
    for picture in &pictures {
        let d = difference(&ours, &theirs[0], *picture, (0, 0), &[]);
        eprintln!("picture at {picture:?} missing: {d:?}");
        assert!(d.page > PICTURE_TOLERANCE, "{picture:?}: {d:?}");
    }
}

/// The texts of an SVG's `<text>` elements outside the proof overlay, in
/// document order; panics if the SVG is not well-formed XML.
fn svg_texts(svg: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("not XML: {e}"));
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter(|n| !n.ancestors().any(|a| a.attribute("id") == Some("proof")))
        .map(|n| n.text().unwrap_or("").to_string())
        .collect()
}

/// Every run's text, in reading order, is in the page's SVG, once and in
/// the same order; the document is well-formed.
fn assert_svg_keeps_the_text(pages: &[Page], db: &FontDb) {
    for page in pages {
        let svg = preview::svg(page, db, &Options::default());
        let expected: Vec<String> = page
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Glyphs(r) if !r.text.is_empty() => Some(r.text.clone()),
                _ => None,
            })
            .collect();
        let got = svg_texts(&svg);
        assert_eq!(got.concat(), expected.concat(), "page {}", page.number);
        assert!(
            expected.concat().chars().count() > 100,
            "page {} is empty",
            page.number
        );
    }
}

#[test]
fn an_svg_is_well_formed_and_holds_the_page_text_bundled_sample() {
    let s = sample();
    assert_svg_keeps_the_text(&s.pages, &s.db);
}

#[test]
fn an_svg_is_well_formed_and_holds_the_page_text_print_sample() {
    let built = common::build_at(&print_layout(), &print_sample());
    assert_svg_keeps_the_text(&built.composition.pages, &built.db);
}

#[test]
#[ignore = "needs ../shared/samples/yuncheng-evening.md"]
fn an_svg_is_well_formed_and_holds_the_page_text_real_sample() {
    let built = common::build("yuncheng.toml", &common::real_sample());
    assert_svg_keeps_the_text(&built.composition.pages, &built.db);
}

/// Whether a pixel is the proof's module blue (0, 90, 200), anti-aliased.
fn is_proof_blue(p: &Pixmap, x: u32, y: u32) -> bool {
    let [r, g, b] = rgb(p, x, y);
    b > 150 && r < 100 && g < 150
}

/// `--proof` draws each module's outline and its `page/module #article`
/// number; the plain picture has none of it.
#[test]
fn the_proof_draws_module_outlines_and_numbers() {
    let s = sample();
    let page = &s.pages[0];
    let plain_opts = Options::default();
    let proof_opts = Options {
        proof: true,
        ..plain_opts
    };
    let svg = preview::svg(page, &s.db, &proof_opts);
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let proof = doc
        .descendants()
        .find(|n| n.attribute("id") == Some("proof"))
        .expect("a proof group");
    let labels: Vec<&str> = proof
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .collect();
    // The sample's page 1 plans articles 1, 2, 3, 5, 4, 6, 7 in modules
    // 1–7, then a picture and an advertisement (layouts/default.toml).
    assert_eq!(
        labels,
        [
            "1/1 #1", "1/2 #2", "1/3 #3", "1/4 #5", "1/5 #4", "1/6 #6", "1/7 #7", "1/8", "1/9",
            "1/10"
        ]
    );
    assert!(!preview::svg(page, &s.db, &plain_opts).contains("id=\"proof\""));

    let plain = Pixmap::decode_png(&preview::png(page, &s.db, &plain_opts).unwrap()).unwrap();
    let proofed = Pixmap::decode_png(&preview::png(page, &s.db, &proof_opts).unwrap()).unwrap();
    let per_pt = DPI as f32 / 72.0;
    for m in &page.modules {
        // The label: 40 × 14 pt inside the outline's top left, clear of
        // the outline itself.
        let (x0, y0) = ((m.x * per_pt) as u32 + 2, (m.y * per_pt) as u32 + 2);
        let count = |p: &Pixmap| {
            let mut n = 0;
            for y in y0..y0 + (14.0 * per_pt) as u32 {
                for x in x0..x0 + (40.0 * per_pt) as u32 {
                    n += usize::from(is_proof_blue(p, x, y));
                }
            }
            n
        };
        // A picture or ad may be any colour, proof blue too.
        let holds_picture = page.items.iter().any(|i| {
            matches!(i, Item::Image(img) if img.x >= m.x - 0.5 && img.y >= m.y - 0.5
                && img.x + img.width <= m.x + m.width + 0.5)
        });
        if !holds_picture {
            assert_eq!(count(&plain), 0, "{}", m.name);
        }
        assert!(
            count(&proofed) > 15,
            "{}: {} blue pixels",
            m.name,
            count(&proofed)
        );
    }
}

/// The proof tints exactly the body lines the fit report counts as empty.
fn assert_empty_lines_match_the_report(built: &common::Built) {
    let c = &built.composition;
    let mut checked = 0;
    for fit in &c.report.modules {
        let page = &c.pages[fit.page as usize - 1];
        let Some(index) = page
            .modules
            .iter()
            .position(|m| m.module == Some(fit.module) && m.article == Some(fit.article))
        else {
            continue;
        };
        let counts = preview::empty_line_counts(page);
        assert_eq!(
            counts[index], fit.empty as usize,
            "page {} module {}",
            fit.page, fit.module
        );
        checked += 1;
    }
    assert!(checked > 0, "no planned module was checked");
}

#[test]
fn the_proof_tints_the_lines_the_report_calls_empty() {
    assert_empty_lines_match_the_report(&common::build("default.toml", &bundled_sample()));
    assert_empty_lines_match_the_report(&common::build_at(&print_layout(), &print_sample()));
}

fn files_in(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

/// Two builds write the same PNG and SVG bytes, named page-N.png and
/// page-N.svg, one per page.
#[test]
fn two_builds_write_identical_pictures() {
    let dir = scratch("preview-determinism");
    for name in ["a", "b"] {
        let out = run(
            &[
                "build",
                "-o",
                &format!("{name}.pdf"),
                "--png",
                &format!("{name}/png"),
                "--svg",
                &format!("{name}/svg"),
                "--proof",
            ],
            &dir,
        );
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let (a_png, b_png) = (files_in(&dir.join("a/png")), files_in(&dir.join("b/png")));
    let names: Vec<&str> = a_png.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["page-1.png", "page-2.png"]);
    assert!(a_png == b_png, "PNG pages differ between two builds");
    let (a_svg, b_svg) = (files_in(&dir.join("a/svg")), files_in(&dir.join("b/svg")));
    assert_eq!(a_svg.len(), 2);
    assert!(a_svg == b_svg, "SVG pages differ between two builds");
}

/// A picture folder that is a file (an input, or any regular file) is a
/// usage error: exit 2, and nothing is written — no PDF, no picture, the
/// file untouched. A page file that would replace an input is refused too.
#[test]
fn a_picture_folder_that_is_a_file_or_an_input_is_refused() {
    let dir = scratch("preview-safety");
    let articles = bundled_sample();
    let layout = root().join("layouts/default.toml");
    let articles_before = std::fs::read(&articles).unwrap();
    std::fs::write(dir.join("notes.txt"), b"keep me").unwrap();
    for args in [
        vec!["--png", articles.to_str().unwrap()],
        vec!["--svg", layout.to_str().unwrap()],
        vec!["--png", "notes.txt"],
        vec!["--svg", "notes.txt", "--png", "pictures"],
    ] {
        let mut all = vec!["build", "-o", "out.pdf"];
        all.extend(&args);
        let out = run(&all, &dir);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("not a folder"), "{args:?}: {stderr}");
        assert!(!dir.join("out.pdf").exists(), "{args:?}: a PDF was written");
        assert!(
            !dir.join("pictures").exists(),
            "{args:?}: a folder was made"
        );
    }
    assert_eq!(std::fs::read(dir.join("notes.txt")).unwrap(), b"keep me");
    assert_eq!(std::fs::read(&articles).unwrap(), articles_before);

    // A page file that is a link to an input.
    #[cfg(unix)]
    {
        std::fs::create_dir_all(dir.join("linked")).unwrap();
        std::os::unix::fs::symlink(&layout, dir.join("linked/page-1.svg")).unwrap();
        let layout_before = std::fs::read(&layout).unwrap();
        let out = run(&["build", "-o", "out.pdf", "--svg", "linked"], &dir);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("the layout file"), "{stderr}");
        assert!(!dir.join("out.pdf").exists());
        assert_eq!(std::fs::read(&layout).unwrap(), layout_before);
    }
}

/// Overset text shows in the proof: the mark is tinted, and its note (how
/// many lines did not fit) is repeated large in the proof group.
#[test]
fn the_proof_shows_overset_with_its_line_count() {
    let dir = scratch("preview-overset");
    let layout = std::fs::read_to_string(root().join("layouts/default.toml")).unwrap();
    assert!(layout.contains("continue_to = { page = 2, module = 1 }"));
    // Without its continuation, the long article 7 runs over on page 1.
    let cut = dir.join("no-continuation.toml");
    std::fs::write(
        &cut,
        common::bundled_media_absolute(&layout)
            .replace("continue_to = { page = 2, module = 1 }", ""),
    )
    .unwrap();
    let built = common::build_at(&cut, &bundled_sample());
    let overset = &built.composition.report.modules;
    let lines = overset.iter().map(|m| m.overset).max().unwrap();
    assert!(lines > 0, "the cut layout sets everything");
    let page = &built.composition.pages[0];
    let proof = Options {
        proof: true,
        ..Options::default()
    };
    let svg = preview::svg(page, &built.db, &proof);
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let group = doc
        .descendants()
        .find(|n| n.attribute("id") == Some("proof"))
        .unwrap();
    let notes: Vec<&str> = group
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .filter(|t| t.contains("超版"))
        .collect();
    assert_eq!(notes, [format!("超版 {lines} 行 OVERSET")]);
    let tints = group
        .descendants()
        .filter(|n| n.attribute("fill") == Some("#ec008c"))
        .count();
    assert!(tints >= 2, "tint and strip: {tints}");
}
