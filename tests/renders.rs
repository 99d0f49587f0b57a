//! Reference renders of the bundled pages, compared within a tolerance: the
//! default page (`samples/edition.md` on `layouts/default.toml`, what
//! `cargo run` builds), the same articles on `layouts/tabloid.toml`, and
//! `tests/data/print/qinglan-evening.md` on its `qinglan.toml`. Every page
//! is rendered by poppler (`pdftoppm -r 36 -gray`) and compared with
//! `tests/renders/NAME-PAGE.png`. Where the display-list snapshots
//! (tests/snapshots.rs) read positions, this looks at the page as a whole:
//! a rule, a box, a colour or a face that goes wrong shows here.
//!
//! **Stored.** Grey in 8 levels (a 4-bit PNG using every other value):
//! about 100 KB for the six pages (8-bit grey took 240 KB, 4 levels 55 KB
//! but left small body text one level above paper, no more than the
//! rasteriser's own noise).
//!
//! **Tolerance.** A pixel differs when it moved [`LEVEL_STEP`] levels
//! (a quarter of the range) or more: paper became ink or the reverse, not
//! an antialiased edge a shade darker, so 8-bit noise of ±8 (a different
//! poppler) never counts. The page is cut into 24 × 24-pixel tiles (17 mm
//! square); it fails when a tile holds more than [`TILE_LIMIT`] differing
//! pixels. Measured on the default page: one body line moved down a grid
//! line puts 50 differing pixels in its worst tile, a headline's first
//! words changed 172, random ±8 noise 0. Poppler snaps each glyph to whole
//! pixels, so moving every glyph by as little as 0.05 pt also fails (111
//! in a tile): positions are the display-list snapshots' business, and a
//! change there that is meant is refreshed here too.
//!
//! On failure the actual render and a difference image (differing pixels
//! black over a faint reference) are written to `target/test-scratch/renders/`
//! and the worst tiles are listed with their place on the page in mm from
//! the top-left corner of the media box.
//!
//! `UPDATE=1 cargo test --release --test renders` rewrites the references
//! (and removes those of pages that are gone); look at them before
//! committing. A missing reference, a reference without
//! a page, or a missing `pdftoppm` fails.

#[macro_use]
mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use broadsheet::display::{DocumentInfo, Item, Page, Role};
use broadsheet::export::{self, ExportOptions};
use broadsheet::fonts::FontDb;

use common::*;

/// Render resolution: a 对开 page is 586 × 798 pixels, a body character
/// about 5 pixels wide.
const DPI: u32 = 36;
/// Grey levels a stored pixel keeps.
const LEVELS: u8 = 8;
/// A pixel differs when its level moved at least this much.
const LEVEL_STEP: u8 = 2;
/// Side of a comparison tile in pixels.
const TILE: usize = 24;
/// Differing pixels a tile may hold: a few glyph edges.
const TILE_LIMIT: usize = 12;

/// The bundled pages: reference name, layout, articles.
fn cases() -> Vec<(&'static str, PathBuf, PathBuf)> {
    let layouts = root().join("layouts");
    vec![
        ("default", layouts.join("default.toml"), bundled_sample()),
        ("tabloid", layouts.join("tabloid.toml"), bundled_sample()),
        ("qinglan", print_layout(), print_sample()),
    ]
}

/// A grey image, one level (0 black … `LEVELS - 1` white) a pixel.
#[derive(Clone, PartialEq)]
struct Gray {
    width: usize,
    height: usize,
    levels: Vec<u8>,
}

/// The pdftoppm binary, or a failure saying how to get it.
fn pdftoppm() -> &'static str {
    let found = Command::new("pdftoppm").arg("-v").output();
    assert!(
        found.is_ok(),
        "this test needs poppler's pdftoppm: apt-get install poppler-utils"
    );
    "pdftoppm"
}

/// Each page of `pdf` rendered at [`DPI`] in grey, reduced to [`LEVELS`].
fn render(pdf: &[u8], pages: usize, dir: &Path) -> Vec<Gray> {
    let file = dir.join("page.pdf");
    std::fs::write(&file, pdf).unwrap();
    (1..=pages)
        .map(|n| {
            let out = Command::new(pdftoppm())
                .args(["-r", &DPI.to_string(), "-gray", "-singlefile"])
                .args(["-f", &n.to_string(), "-l", &n.to_string()])
                .arg(&file)
                .arg(dir.join("page"))
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "pdftoppm: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            pgm(&std::fs::read(dir.join("page.pgm")).unwrap())
        })
        .collect()
}

/// A binary PGM (P5, 8 bits) as levels.
fn pgm(bytes: &[u8]) -> Gray {
    // Header: magic, width, height, maxval, each after white space.
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        while bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        let start = at;
        while !bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        fields.push(std::str::from_utf8(&bytes[start..at]).unwrap().to_string());
    }
    assert_eq!((fields[0].as_str(), fields[3].as_str()), ("P5", "255"));
    let width: usize = fields[1].parse().unwrap();
    let height: usize = fields[2].parse().unwrap();
    let pixels = &bytes[at + 1..];
    assert_eq!(pixels.len(), width * height, "short PGM");
    Gray {
        width,
        height,
        levels: pixels.iter().map(|&v| level(v)).collect(),
    }
}

/// The level of an 8-bit grey value.
fn level(v: u8) -> u8 {
    (u16::from(v) * u16::from(LEVELS) / 256) as u8
}

/// A level as a 4-bit PNG value (0 … 15), so the file looks right.
fn nibble(level: u8) -> u8 {
    let top = u16::from(LEVELS) - 1;
    ((u16::from(level) * 15 + top / 2) / top) as u8
}

/// A 4-bit PNG value, expanded to 8 bits (× 17) by the decoder, as a level.
fn level_of_expanded(v: u8) -> u8 {
    let top = u16::from(LEVELS) - 1;
    ((u16::from(v) * top + 127) / 255) as u8
}

fn write_png(path: &Path, image: &Gray) {
    let mut packed = Vec::with_capacity(image.height * image.width.div_ceil(2));
    for row in image.levels.chunks(image.width) {
        for pair in row.chunks(2) {
            let low = pair.get(1).map_or(0, |&l| nibble(l));
            packed.push(nibble(pair[0]) << 4 | low);
        }
    }
    let file = std::fs::File::create(path).unwrap();
    let mut encoder = png::Encoder::new(
        std::io::BufWriter::new(file),
        image.width as u32,
        image.height as u32,
    );
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Four);
    encoder.set_compression(png::Compression::High);
    let mut writer = encoder.write_header().unwrap();
    writer.write_image_data(&packed).unwrap();
}

fn read_png(path: &Path) -> Option<Gray> {
    let file = std::fs::File::open(path).ok()?;
    let mut decoder = png::Decoder::new(std::io::BufReader::new(file));
    decoder.set_transformations(png::Transformations::EXPAND);
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!(
        (info.color_type, info.bit_depth),
        (png::ColorType::Grayscale, png::BitDepth::Eight),
        "{}",
        path.display()
    );
    buf.truncate(info.buffer_size());
    Some(Gray {
        width: info.width as usize,
        height: info.height as usize,
        levels: buf.iter().map(|&v| level_of_expanded(v)).collect(),
    })
}

/// Why `have` is not `want` within the tolerance, or `None`.
fn differences(want: &Gray, have: &Gray) -> Option<String> {
    if (want.width, want.height) != (have.width, have.height) {
        return Some(format!(
            "size {} × {} instead of {} × {}",
            have.width, have.height, want.width, want.height
        ));
    }
    let tiles_across = want.width.div_ceil(TILE);
    let mut tiles = vec![0usize; tiles_across * want.height.div_ceil(TILE)];
    let mut total = 0;
    for (i, (a, b)) in want.levels.iter().zip(&have.levels).enumerate() {
        if a.abs_diff(*b) >= LEVEL_STEP {
            let (x, y) = (i % want.width, i / want.width);
            tiles[y / TILE * tiles_across + x / TILE] += 1;
            total += 1;
        }
    }
    let mut bad: Vec<(usize, usize)> = tiles
        .iter()
        .enumerate()
        .filter(|(_, &n)| n > TILE_LIMIT)
        .map(|(t, &n)| (t, n))
        .collect();
    if bad.is_empty() {
        return None;
    }
    bad.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mm = |px: usize| px as f32 * 25.4 / DPI as f32;
    let worst: Vec<String> = bad
        .iter()
        .take(5)
        .map(|&(t, n)| {
            let (x, y) = (t % tiles_across * TILE, t / tiles_across * TILE);
            format!(
                "{n} px in the tile at ({x}, {y}) px, {:.0} mm from the left and {:.0} mm from the top",
                mm(x),
                mm(y)
            )
        })
        .collect();
    Some(format!(
        "{total} pixels differ; {} tiles hold more than {TILE_LIMIT}:\n    {}",
        bad.len(),
        worst.join("\n    ")
    ))
}

/// Differing pixels black over a faint reference, for a person to look at.
fn difference_image(want: &Gray, have: &Gray) -> Gray {
    let white = LEVELS - 1;
    let levels = want
        .levels
        .iter()
        .zip(&have.levels)
        .map(|(a, b)| match a.abs_diff(*b) >= LEVEL_STEP {
            true => 0,
            false if *a < white => white - 1,
            false => white,
        })
        .collect();
    Gray {
        levels,
        ..want.clone()
    }
}

/// Compare every page with its reference (or write it under `UPDATE`);
/// returns the problems found.
fn check(name: &str, pages: &[Gray]) -> Vec<String> {
    let dir = root().join("tests/renders");
    let out = scratch_dir();
    let mut problems = Vec::new();
    for (i, have) in pages.iter().enumerate() {
        let file = format!("{name}-{}.png", i + 1);
        let path = dir.join(&file);
        if std::env::var_os("UPDATE").is_some() {
            std::fs::create_dir_all(&dir).unwrap();
            write_png(&path, have);
            continue;
        }
        let actual = out.join(format!("{name}-{}.actual.png", i + 1));
        let diff = out.join(format!("{name}-{}.diff.png", i + 1));
        // What an earlier failing run left must not be taken for this one's.
        let _ = std::fs::remove_file(&actual);
        let _ = std::fs::remove_file(&diff);
        let Some(want) = read_png(&path) else {
            problems.push(format!(
                "{file}: no reference {}; create it with UPDATE=1 cargo test --release --test renders",
                path.display()
            ));
            continue;
        };
        if let Some(why) = differences(&want, have) {
            write_png(&actual, have);
            let mut note = format!("{file}: {why}\n    actual: {}", actual.display());
            if (want.width, want.height) == (have.width, have.height) {
                write_png(&diff, &difference_image(&want, have));
                note.push_str(&format!("\n    difference: {}", diff.display()));
            }
            problems.push(note);
        }
    }
    problems
}

/// Where failed renders are written; kept between cases of one run.
fn scratch_dir() -> PathBuf {
    let dir = root().join("target/test-scratch/renders");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn pdf_of(info: &DocumentInfo, pages: &[Page], db: &FontDb) -> Vec<u8> {
    export::export(info, pages, db, &ExportOptions::default()).unwrap()
}

fn renders_of(name: &str, info: &DocumentInfo, pages: &[Page], db: &FontDb) -> Vec<Gray> {
    let dir = scratch(&format!("renders-{name}"));
    render(&pdf_of(info, pages, db), pages.len(), &dir)
}

#[test]
fn bundled_pages_match_their_reference_renders() {
    let mut problems = Vec::new();
    let mut names = Vec::new();
    for (name, layout, articles) in cases() {
        let b = build_at(&layout, &articles);
        let pages = &b.composition.pages;
        let renders = renders_of(name, &b.composition.info, pages, &b.db);
        names.extend((1..=pages.len()).map(|n| format!("{name}-{n}.png")));
        problems.extend(check(name, &renders));
    }
    // Every reference belongs to a page; `UPDATE` removes those of pages
    // that are gone, so one command refreshes the set.
    let stored = std::fs::read_dir(root().join("tests/renders"));
    for entry in stored.into_iter().flatten() {
        let entry = entry.unwrap();
        let file = entry.file_name().to_string_lossy().into_owned();
        if names.contains(&file) {
            continue;
        }
        if std::env::var_os("UPDATE").is_some() {
            std::fs::remove_file(entry.path()).unwrap();
        } else {
            problems.push(format!("{file}: a reference without a page"));
        }
    }
    assert!(
        problems.is_empty(),
        "{}\n\nif the change is meant, refresh with UPDATE=1 cargo test --release --test renders",
        problems.join("\n")
    );
}

/// The tolerance catches a real change: against a fresh render of the
/// default page (so the test holds whatever the references say, and does
/// not race `UPDATE`), the page with one body line moved down a grid line
/// fails, and so does the page with the lead headline's first words
/// changed. That a rebuild passes is what the test above checks.
#[test]
fn a_moved_line_or_a_changed_headline_fails() {
    let b = build("default.toml", &bundled_sample());
    let info = &b.composition.info;
    let page = &b.composition.pages[..1];
    let want = renders_of("want", info, page, &b.db).remove(0);

    let mut moved = page.to_vec();
    let pitch = moved[0].grid.pitch;
    let line = moved[0]
        .items
        .iter_mut()
        .find_map(|item| match item {
            Item::Glyphs(run) if run.role == Role::Body => Some(run),
            _ => None,
        })
        .unwrap();
    line.y += pitch;
    let moved = renders_of("moved", info, &moved, &b.db);
    let why = differences(&want, &moved[0]).expect("a body line moved down a line passed");
    println!("moved line: {why}");

    let source = std::fs::read_to_string(bundled_sample()).unwrap();
    let headline = b.edition.articles[0].headline[0].clone();
    let changed = source.replacen(&headline, "全市新建", 1);
    assert_ne!(
        changed, source,
        "headline {headline:?} not found in the source"
    );
    let dir = scratch("renders-headline-source");
    let file = dir.join("edition.md");
    std::fs::write(&file, changed).unwrap();
    copy_dir(&root().join("samples/media"), &dir.join("media"));
    let h = build("default.toml", &file);
    let changed = renders_of(
        "headline",
        &h.composition.info,
        &h.composition.pages[..1],
        &h.db,
    );
    let why = differences(&want, &changed[0]).expect("a changed headline passed");
    println!("changed headline: {why}");
}
