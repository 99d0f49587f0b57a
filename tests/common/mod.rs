//! Helpers shared by the integration tests: build through the library,
//! read PDFs back with poppler, and find the samples.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use broadsheet::compose::{self, Composition};
use broadsheet::export;
use broadsheet::fonts::FontDb;
use broadsheet::layout::{self, Layout};
use broadsheet::source::{self, Edition, ParseOptions};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The real sample page in `../shared` beside the repository. A fresh
/// clone does not have it, so the tests that use it are `#[ignore]`d; run
/// with `--ignored`, a missing file fails them.
pub fn real_sample() -> PathBuf {
    let p = root().join("../shared/samples/yuncheng-evening.md");
    assert!(
        p.is_file(),
        "{} is missing: this test needs the real sample page beside the repository",
        p.display()
    );
    p
}

/// The original print-extract sample shipped with the tests (see
/// tests/data/print/README.md) and its layout.
pub fn print_sample() -> PathBuf {
    root().join("tests/data/print/qinglan-evening.md")
}

pub fn print_layout() -> PathBuf {
    root().join("tests/data/print/qinglan.toml")
}

pub fn bundled_sample() -> PathBuf {
    root().join("samples/edition.md")
}

pub fn fonts() -> FontDb {
    let mut db = FontDb::new();
    db.load_dir(&root().join("fonts")).unwrap();
    db
}

pub fn layout(name: &str) -> Layout {
    layout_at(&root().join("layouts").join(name))
}

pub fn layout_at(path: &Path) -> Layout {
    layout::load(path).unwrap_or_else(|e| panic!("{e}"))
}

pub fn edition(path: &Path) -> Edition {
    source::parse_file(path, &ParseOptions::default()).unwrap()
}

pub struct Built {
    pub edition: Edition,
    pub layout: Layout,
    pub db: FontDb,
    pub composition: Composition,
    pub pdf: Vec<u8>,
}

pub fn build(layout_name: &str, articles: &Path) -> Built {
    build_at(&root().join("layouts").join(layout_name), articles)
}

pub fn build_at(layout_path: &Path, articles: &Path) -> Built {
    let layout = layout_at(layout_path);
    let edition = edition(articles);
    let db = fonts();
    let library = media(&edition, &layout);
    let composition = compose::compose_with_media(&edition, &layout, &db, &library).unwrap();
    let pdf = export::export(
        &composition.info,
        &composition.pages,
        &db,
        &broadsheet::build::export_options(&layout).unwrap(),
    )
    .unwrap();
    Built {
        edition,
        layout,
        db,
        composition,
        pdf,
    }
}

/// The pictures and ads the articles and the layout name, loaded as a
/// build loads them.
pub fn media(edition: &Edition, layout: &Layout) -> broadsheet::media::Library {
    use broadsheet::layout::ModuleMedia;
    let mut library = broadsheet::media::Library::default();
    let options = broadsheet::media::LoadOptions::default();
    let pictures = edition.articles.iter().flat_map(|a| &a.pictures);
    let mut files: Vec<_> = pictures.map(|p| (p.path.clone(), 0)).collect();
    for m in layout.pages.iter().flat_map(|p| &p.modules) {
        match &m.media {
            Some(ModuleMedia::Picture { file, .. }) => files.push((file.path.clone(), 0)),
            Some(ModuleMedia::Ad { file, page, .. }) => files.push((file.path.clone(), *page)),
            None => {}
        }
    }
    for (path, page) in files {
        library
            .load(&path, page, &options)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
    library
}

/// The default layout's text with its ad named by an absolute path, for a
/// copy of it written elsewhere (the layout names the ad relative to
/// itself).
pub fn bundled_media_absolute(layout: &str) -> String {
    let media = root().join("samples/media");
    layout.replace("../samples/media", &media.display().to_string())
}

/// Copy a folder and everything in it.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        let target = to.join(p.file_name().unwrap());
        if p.is_dir() {
            copy_dir(&p, &target);
        } else {
            std::fs::copy(&p, &target).unwrap();
        }
    }
}

/// The broadsheet binary this test run built.
pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_broadsheet")
}

/// Run the binary with `args` in `dir` and collect its output.
pub fn run(args: &[&str], dir: &Path) -> std::process::Output {
    Command::new(bin())
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

/// `broadsheet build --layout l --articles a` and then `extra`, in `dir`.
#[allow(dead_code)]
pub fn build_to(dir: &Path, l: &Path, a: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "build",
        "--layout",
        l.to_str().unwrap(),
        "--articles",
        a.to_str().unwrap(),
    ];
    args.extend(extra);
    run(&args, dir)
}

/// A scratch folder for one test.
pub fn scratch(name: &str) -> PathBuf {
    let dir = root().join("target/test-scratch").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub fn tool(name: &str, args: &[&str]) -> String {
    let out = Command::new(name).args(args).output().unwrap_or_else(|e| {
        panic!("{name} is needed by the tests (scripts/test installs it): {e}")
    });
    assert!(
        out.status.success(),
        "{name} {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `pdftotext -raw` of a PDF file, whitespace removed.
pub fn pdf_text(pdf: &Path) -> String {
    let text = tool(
        "pdftotext",
        &["-raw", "-enc", "UTF-8", pdf.to_str().unwrap(), "-"],
    );
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Everything an article shows, in reading order, whitespace removed.
pub fn article_text(a: &broadsheet::source::Article) -> String {
    let mut s = String::new();
    // The 栏目 tag stands above the headline block.
    s.extend(a.front.rubric.as_deref());
    if let Some(k) = &a.kicker {
        s.push_str(k);
    }
    for h in &a.headline {
        s.push_str(h);
    }
    if let Some(sub) = &a.subheadline {
        s.push_str(sub);
    }
    if let Some(b) = &a.byline {
        s.push_str(b);
    }
    // Pictures stand under the headline: their captions are read before
    // the body.
    for p in &a.pictures {
        s.push_str(&p.caption);
        s.extend(p.credit.as_deref());
    }
    for p in &a.paragraphs {
        s.push_str(p);
    }
    if let Some(c) = &a.credit {
        s.push_str(c);
    }
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Whether `needle`'s characters occur in `hay` in order; on failure, the
/// first character that could not be found and the text before it.
pub fn subsequence(needle: &str, hay: &str) -> Result<(), String> {
    let mut it = hay.chars();
    let mut done = String::new();
    for c in needle.chars() {
        if !it.any(|h| h == c) {
            let tail: String = done
                .chars()
                .rev()
                .take(20)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            return Err(format!(
                "character {c:?} (U+{:04X}) after …{tail} not found in order",
                c as u32
            ));
        }
        done.push(c);
    }
    Ok(())
}

/// Page, grid and furniture of the small test layout: four columns of 13
/// 小五 characters on A4, no masthead; a literal for `concat!`, so a test
/// puts its own `[paper]`, styles and page plan around it.
#[allow(unused_macros)]
macro_rules! a4_grid {
    () => {
        r#"
[page]
size = "A4"
margins = { top = "20mm", bottom = "20mm", left = "15mm", right = "15mm" }

[grid]
columns = 4
column_chars = 13
gutter_chars = 1
body_size = "小五"
line_pitch = "11.5pt"

[furniture]
masthead_lines = 0
"#
    };
}

/// Paper, page, grid and body font of a 对开 test layout with no pages, as
/// a literal for `concat!`: alone, every article flows automatically; tests
/// append `[[pages]]` for planned modules.
#[allow(unused_macros)]
macro_rules! grid_layout {
    () => {
        r#"[paper]
name = "清河晚报"

[page]
size = "对开"
bleed = "3mm"
margins = { top = "25mm", bottom = "22mm", left = "18.5mm", right = "18.5mm" }

[grid]
columns = 8
column_chars = 13
gutter_chars = 1
body_size = "小五"
line_pitch = "11.5pt"

[styles.body]
font = ["Noto Serif CJK SC"]
"#
    };
}

/// What a build through the real binary left: the PDF, the `--dump` JSON
/// and what the binary printed.
#[allow(dead_code)]
pub struct BinaryBuild {
    pub pdf: PathBuf,
    pub dump: serde_json::Value,
    pub stdout: String,
    pub stderr: String,
}

/// Build `articles` on the layout `layout_text` (written to a scratch
/// folder named `name`) with the real binary. Panics when the build fails.
#[allow(dead_code)]
pub fn build_dumped(name: &str, layout_text: &str, articles: &Path) -> BinaryBuild {
    let dir = scratch(name);
    let layout = dir.join("layout.toml");
    std::fs::write(&layout, layout_text).unwrap();
    build_dumped_in(&dir, &layout, articles)
}

/// Build `articles` on the layout file `layout` with the real binary, in
/// a scratch folder named `name`. Panics, with what the binary printed,
/// unless it exits 0.
#[allow(dead_code)]
pub fn build_dumped_at(name: &str, layout: &Path, articles: &Path) -> BinaryBuild {
    build_dumped_in(&scratch(name), layout, articles)
}

/// [`build_dumped_at`] in the folder `dir`, which the build writes into.
fn build_dumped_in(dir: &Path, layout: &Path, articles: &Path) -> BinaryBuild {
    let pdf = dir.join("out.pdf");
    let dump = dir.join("out.json");
    let out = run(
        &[
            "build",
            "--layout",
            layout.to_str().unwrap(),
            "--articles",
            articles.to_str().unwrap(),
            "-o",
            pdf.to_str().unwrap(),
            "--dump",
            dump.to_str().unwrap(),
        ],
        dir,
    );
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(0), "build failed: {stdout}{stderr}");
    let dump = serde_json::from_str(&std::fs::read_to_string(&dump).unwrap()).unwrap();
    BinaryBuild {
        pdf,
        dump,
        stdout,
        stderr,
    }
}

/// The schema of `fit --json` (docs/fit-report.schema.json).
pub const FIT_REPORT_SCHEMA: &str = "docs/fit-report.schema.json";

/// Validate a fit report document against the committed schema.
pub fn validate_fit_report(doc: &serde_json::Value) -> Result<(), String> {
    let path = root().join(FIT_REPORT_SCHEMA);
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let url = format!("file://{}", path.display());
    let mut compiler = boon::Compiler::new();
    compiler.add_resource(&url, schema).unwrap();
    let mut schemas = boon::Schemas::new();
    let index = compiler
        .compile(&url, &mut schemas)
        .unwrap_or_else(|e| panic!("{FIT_REPORT_SCHEMA} is not a valid schema: {e}"));
    schemas.validate(doc, index).map_err(|e| format!("{e:#}"))
}

/// The ink (0 = none) of a CMYK JPEG stored inverted, as Photoshop writes
/// them and as the media stage re-encodes converted photographs.
pub fn inverted_jpeg_ink(jpeg: &[u8]) -> Vec<u8> {
    use zune_jpeg::zune_core::{
        bytestream::ZCursor, colorspace::ColorSpace, options::DecoderOptions,
    };
    let options = DecoderOptions::default().jpeg_set_out_colorspace(ColorSpace::CMYK);
    let samples = zune_jpeg::JpegDecoder::new_with_options(ZCursor::new(jpeg), options)
        .decode()
        .unwrap();
    samples.into_iter().map(|v| 255 - v).collect()
}

/// An A4 page with no modules holding `items`, for tests that draw a page
/// by hand (pictures, the media cache).
pub fn a4_page(items: Vec<broadsheet::display::Item>) -> broadsheet::display::Page {
    broadsheet::display::Page {
        number: 1,
        width: 595.0,
        height: 842.0,
        bleed: 0.0,
        crop_marks: false,
        grid: broadsheet::display::BaselineGrid {
            top: 0.0,
            first: 12.0,
            pitch: 12.0,
            lines: 60,
            vertical: false,
        },
        modules: Vec::new(),
        items,
    }
}
