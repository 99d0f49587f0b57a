//! Preview back ends: display-list [`Page`]s → PNG and SVG pictures for the
//! screen, with an optional proof overlay (grid, module numbers, empty
//! lines, overset) that never reaches the PDF.
//!
//! Like the PDF writer this reads only the display list and the font
//! database: glyphs are drawn from their outlines (ttf-parser), rules and
//! rectangles as they are. One walk over a page ([`draw_page`]) drives a
//! [`Canvas`]; the rasteriser (tiny-skia, [`raster`]) and the SVG writer
//! ([`svg`]) are the two canvases, so both show the same marks.
//!
//! Colours are a screen view, not a colour-managed proof: each process ink
//! is a filter of its usual on-screen colour ([`cmyk_to_rgb`]).

mod images;
mod pdf_ad;
mod proof;
mod raster;
mod svg;

pub use proof::empty_line_counts;

use std::collections::HashMap;

use tiny_skia::{Path, PathBuilder};

use crate::display::{Cmyk, GlyphRun, Item, Page};
use crate::fonts::{FaceId, FontDb};

/// Resolution of a PNG preview when none is given: a whole broadsheet page
/// is then about 770 × 1060 pixels, enough to read headlines and see the
/// make-up, small enough to flip through.
pub const DEFAULT_DPI: u32 = 50;
/// Lowest resolution accepted: below it a page is a smear.
pub const MIN_DPI: u32 = 10;
/// Highest resolution accepted: a broadsheet page at 600 dpi is already a
/// 9,200 × 12,800 pixel picture of about 470 MB in memory.
pub const MAX_DPI: u32 = 600;
/// Points per inch.
const PT_PER_INCH: f32 = 72.0;

/// How much of the page a preview shows.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum Extent {
    /// The trimmed page, as the reader holds it.
    #[default]
    Trim,
    /// The trimmed page and its bleed on every side.
    Bleed,
    /// The trimmed page and this many pt on every side (tests line a
    /// preview up with the PDF's media box this way).
    Around(f32),
}

impl Extent {
    /// The margin round the trimmed page, in pt.
    fn margin(self, page: &Page) -> f32 {
        match self {
            Extent::Trim => 0.0,
            Extent::Bleed => page.bleed,
            Extent::Around(pt) => pt.max(0.0),
        }
    }
}

/// What a preview shows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    /// Pixels per inch of a PNG (an SVG is in pt and scales freely).
    pub dpi: u32,
    /// Draw the proof overlay over the page.
    pub proof: bool,
    /// How much of the page to show.
    pub extent: Extent,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            dpi: DEFAULT_DPI,
            proof: false,
            extent: Extent::Trim,
        }
    }
}

/// Why a preview could not be made; nothing is written then.
#[derive(Debug, thiserror::Error)]
pub enum PreviewError {
    /// The picture would have no pixels or too many (a page size the
    /// layout checks rule out, or a resolution outside
    /// [`MIN_DPI`]..=[`MAX_DPI`]).
    #[error("page {page}: a {width} × {height} pixel picture cannot be made")]
    Size {
        /// The 1-based page number.
        page: u32,
        /// Width asked for, in pixels.
        width: u64,
        /// Height asked for, in pixels.
        height: u64,
    },
    /// The PNG encoder failed; the detail says why.
    #[error("page {page}: PNG encoding failed: {detail}")]
    Encode {
        /// The 1-based page number.
        page: u32,
        /// The encoder's message.
        detail: String,
    },
}

/// A screen colour with opacity, 0–255 each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Rgba {
    pub(crate) r: u8,
    pub(crate) g: u8,
    pub(crate) b: u8,
    pub(crate) a: u8,
}

impl Rgba {
    /// An opaque colour.
    pub(crate) const fn opaque(r: u8, g: u8, b: u8) -> Rgba {
        Rgba { r, g, b, a: 255 }
    }

    /// The same colour at opacity `a`.
    pub(crate) const fn with_alpha(self, a: u8) -> Rgba {
        Rgba { a, ..self }
    }
}

/// The screen colours of the four process inks at full strength on white
/// paper: the values desktop publishing shows for 100 % C, M, Y and K on
/// coated stock (K is the warm dark grey `#231F20`, not pure black).
const INK_CYAN: [f32; 3] = [0.0, 174.0, 239.0];
const INK_MAGENTA: [f32; 3] = [236.0, 0.0, 140.0];
const INK_YELLOW: [f32; 3] = [255.0, 242.0, 0.0];
const INK_BLACK: [f32; 3] = [35.0, 31.0, 32.0];

/// CMYK (percent) → screen RGB. Each ink is a filter that lets through, per
/// channel, `1 − t · (1 − ink / 255)` of the light at coverage `t`; the
/// filters multiply. This is multilinear in the four inks, like the
/// conversion of PDF viewers without a colour profile, and exact at each
/// ink's full strength, so 100 % K text looks as it does in a viewer. It is
/// a screen approximation, not a colour-managed proof.
pub fn cmyk_to_rgb(c: Cmyk) -> [u8; 3] {
    let inks = [
        (c.0, INK_CYAN),
        (c.1, INK_MAGENTA),
        (c.2, INK_YELLOW),
        (c.3, INK_BLACK),
    ];
    let mut rgb = [1.0f32; 3];
    for (percent, ink) in inks {
        let t = percent.clamp(0.0, 100.0) / 100.0;
        for (channel, ink) in rgb.iter_mut().zip(ink) {
            *channel *= 1.0 - t * (1.0 - ink / 255.0);
        }
    }
    rgb.map(|v| (v * 255.0).round() as u8)
}

fn screen(c: Cmyk) -> Rgba {
    let [r, g, b] = cmyk_to_rgb(c);
    Rgba::opaque(r, g, b)
}

/// A glyph to draw: which outline, where and how large.
#[derive(Debug, Clone, Copy)]
pub(crate) struct GlyphDraw {
    pub(crate) face: FaceId,
    pub(crate) id: u16,
    /// Pen position on the baseline, pt from the trimmed page's corner.
    pub(crate) x: f32,
    pub(crate) y: f32,
    /// pt per font unit (size / units per em).
    pub(crate) scale: f32,
    /// Turned 90° clockwise about its pen position (a turned run's glyph).
    pub(crate) turned: bool,
}

impl GlyphDraw {
    /// The map from font units (y up) to page pt (y down) as the six
    /// numbers (a, b, c, d, e, f) of `x' = a·u + c·v + e`, `y' = b·u + d·v + f`.
    pub(crate) fn matrix(&self) -> [f32; 6] {
        let s = self.scale;
        match self.turned {
            true => [0.0, s, s, 0.0, self.x, self.y],
            false => [s, 0.0, 0.0, -s, self.x, self.y],
        }
    }
}

/// A rectangle, pt from the trimmed page's top-left corner.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Area {
    pub(crate) x: f32,
    pub(crate) y: f32,
    pub(crate) width: f32,
    pub(crate) height: f32,
}

/// A surface the page walk draws on. Coordinates are pt from the trimmed
/// page's top-left corner, y down.
pub(crate) trait Canvas {
    /// Fill one glyph's outline (`outline` is in font units, y up).
    fn glyph(&mut self, glyph: GlyphDraw, outline: &Path, color: Rgba);
    /// Stroke a straight line.
    fn line(&mut self, from: (f32, f32), to: (f32, f32), width: f32, color: Rgba);
    /// Fill and/or outline a rectangle.
    fn rect(&mut self, area: Area, fill: Option<Rgba>, stroke: Option<(Rgba, f32)>);
    /// Draw `picture` (opaque RGBA) stretched over `placed`, clipped to
    /// `frame`.
    fn picture(&mut self, frame: Area, placed: Area, picture: &images::Picture);
    /// Pixels per pt a picture is worth preparing at.
    fn pixels_per_pt(&self) -> f32;
    /// The text a run of glyphs stands for, kept for searching (SVG only).
    fn text(&mut self, _run: &GlyphRun) {}
    /// The text of a proof label drawn from `x` on baseline `y` at `size`
    /// pt, kept for searching (SVG only).
    fn note(&mut self, _text: &str, _x: f32, _y: f32, _size: f32) {}
    /// Start a named group of marks (SVG only).
    fn begin_group(&mut self, _id: &str) {}
    /// End the group begun last (SVG only).
    fn end_group(&mut self) {}
}

/// Glyph outlines in font units, each read from its font once per preview.
pub(crate) struct Outlines<'a> {
    db: &'a FontDb,
    faces: HashMap<FaceId, ttf_parser::Face<'a>>,
    paths: HashMap<(FaceId, u16), Option<Path>>,
}

/// Collects ttf-parser's outline callbacks into a tiny-skia path.
struct Collect(PathBuilder);

impl ttf_parser::OutlineBuilder for Collect {
    fn move_to(&mut self, x: f32, y: f32) {
        self.0.move_to(x, y);
    }
    fn line_to(&mut self, x: f32, y: f32) {
        self.0.line_to(x, y);
    }
    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        self.0.quad_to(x1, y1, x, y);
    }
    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        self.0.cubic_to(x1, y1, x2, y2, x, y);
    }
    fn close(&mut self) {
        self.0.close();
    }
}

impl<'a> Outlines<'a> {
    /// An empty cache over `db`.
    pub(crate) fn new(db: &'a FontDb) -> Self {
        Outlines {
            db,
            faces: HashMap::new(),
            paths: HashMap::new(),
        }
    }

    /// The parsed face, parsed once.
    pub(crate) fn face(&mut self, face: FaceId) -> &ttf_parser::Face<'a> {
        let db = self.db;
        self.faces.entry(face).or_insert_with(|| db.ttf_face(face))
    }

    /// pt per font unit at `size` pt.
    pub(crate) fn scale(&self, face: FaceId, size: f32) -> f32 {
        size / f32::from(self.db.info(face).units_per_em.max(1))
    }

    /// The outline of a glyph in font units; `None` for a glyph that draws
    /// nothing (a space).
    pub(crate) fn outline(&mut self, face: FaceId, id: u16) -> Option<&Path> {
        if !self.paths.contains_key(&(face, id)) {
            let mut collect = Collect(PathBuilder::new());
            let path = self
                .face(face)
                .outline_glyph(ttf_parser::GlyphId(id), &mut collect)
                .and_then(|_| collect.0.finish());
            self.paths.insert((face, id), path);
        }
        self.paths.get(&(face, id)).and_then(Option::as_ref)
    }
}

/// Draw every item of `page` on `canvas`, then the proof overlay if asked.
pub(crate) fn draw_page(
    page: &Page,
    outlines: &mut Outlines<'_>,
    canvas: &mut dyn Canvas,
    proof: bool,
) {
    for item in &page.items {
        match item {
            Item::Glyphs(run) => draw_run(run, outlines, canvas),
            Item::Rule(rule) => canvas.line(
                (rule.x0, rule.y0),
                (rule.x1, rule.y1),
                rule.width,
                screen(rule.color),
            ),
            Item::Rect(rect) => canvas.rect(
                Area {
                    x: rect.x,
                    y: rect.y,
                    width: rect.width,
                    height: rect.height,
                },
                rect.fill.map(screen),
                rect.stroke.map(|c| (screen(c), rect.stroke_width)),
            ),
            Item::Image(image) => images::draw(page, image, outlines, canvas),
        }
    }
    if proof {
        canvas.begin_group("proof");
        proof::draw(page, outlines, canvas);
        canvas.end_group();
    }
}

fn draw_run(run: &GlyphRun, outlines: &mut Outlines<'_>, canvas: &mut dyn Canvas) {
    let color = screen(run.color);
    let scale = outlines.scale(run.face, run.size);
    for g in &run.glyphs {
        let Some(outline) = outlines.outline(run.face, g.id) else {
            continue;
        };
        // HarfBuzz's offset raises the glyph; the page's y grows down. A
        // turned run's line runs down the page, its glyphs' tops right.
        let (x, y) = match run.rotated {
            true => (run.x + g.y_offset, run.y + g.x),
            false => (run.x + g.x, run.y - g.y_offset),
        };
        let draw = GlyphDraw {
            face: run.face,
            id: g.id,
            x,
            y,
            scale,
            turned: run.rotated,
        };
        canvas.glyph(draw, outline, color);
    }
    canvas.text(run);
}

/// The page as a PNG picture.
pub fn png(page: &Page, db: &FontDb, options: &Options) -> Result<Vec<u8>, PreviewError> {
    raster::png(page, db, options)
}

/// The page as an SVG document (pt units, glyphs as outlines, the text of
/// every run kept invisible for searching). The same page gives the same
/// bytes.
pub fn svg(page: &Page, db: &FontDb, options: &Options) -> String {
    svg::svg(page, db, options)
}

/// Where a picture's pixel grid lies: pixels per pt, the margin round the
/// trimmed page in pt and the size in pixels. The size is rounded up, as
/// `pdftoppm` does, so the last partial pixel is kept.
pub(crate) struct PixelGrid {
    pub(crate) per_pt: f32,
    pub(crate) margin: f32,
    pub(crate) width: u64,
    pub(crate) height: u64,
}

impl PixelGrid {
    pub(crate) fn new(page: &Page, options: &Options) -> Self {
        let per_pt = options.dpi as f32 / PT_PER_INCH;
        let margin = options.extent.margin(page);
        let px = |pt: f32| ((pt + 2.0 * margin) * per_pt).ceil().max(0.0) as u64;
        PixelGrid {
            per_pt,
            margin,
            width: px(page.width),
            height: px(page.height),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Paper stays white, each ink at full strength shows its screen
    /// colour, and a tint lies between.
    #[test]
    fn inks_filter_white_paper() {
        assert_eq!(cmyk_to_rgb(Cmyk::WHITE), [255, 255, 255]);
        assert_eq!(cmyk_to_rgb(Cmyk::BLACK), [35, 31, 32]);
        assert_eq!(cmyk_to_rgb(Cmyk(0.0, 100.0, 0.0, 0.0)), [236, 0, 140]);
        assert_eq!(cmyk_to_rgb(Cmyk(0.0, 0.0, 0.0, 12.0)), [229, 228, 228]);
        // Rich black is darker than K alone.
        let rich = cmyk_to_rgb(Cmyk(60.0, 40.0, 40.0, 100.0));
        assert!(rich.iter().all(|&v| v < 31), "{rich:?}");
    }
}
