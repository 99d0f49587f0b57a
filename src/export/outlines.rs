//! Text drawn as glyph outlines instead of text: the labels of reserved
//! picture and advertisement spaces and the notes of proof marks. They are
//! not the page's text, so a reader copying an article, `pdftotext` or a
//! screen reader never finds `图片` or `超版 3 行` in the middle of its copy
//! (issue 17 item 5); as outlines they print and show the same. The ink
//! of compressed punctuation is drawn here too, its text carried by a
//! half-width glyph (see `glyphs`).

use krilla::geom::{PathBuilder, Point};
use krilla::surface::Surface;

use crate::display::{GlyphRun, Role};
use crate::fonts::FontDb;

/// Whether a run is drawn as outlines, not text.
pub(super) fn is_outlined(role: Role) -> bool {
    matches!(role, Role::Placeholder | Role::OversetMark)
}

/// Turns a face's outline (font units, y up) into a page path (pt, y down)
/// for one glyph placed at `origin`.
struct Pen<'b> {
    path: &'b mut PathBuilder,
    origin: Point,
    scale: f32,
}

impl Pen<'_> {
    fn at(&self, x: f32, y: f32) -> (f32, f32) {
        (
            self.origin.x + x * self.scale,
            self.origin.y - y * self.scale,
        )
    }
}

impl ttf_parser::OutlineBuilder for Pen<'_> {
    fn move_to(&mut self, x: f32, y: f32) {
        let (x, y) = self.at(x, y);
        self.path.move_to(x, y);
    }
    fn line_to(&mut self, x: f32, y: f32) {
        let (x, y) = self.at(x, y);
        self.path.line_to(x, y);
    }
    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        let (x1, y1) = self.at(x1, y1);
        let (x, y) = self.at(x, y);
        self.path.quad_to(x1, y1, x, y);
    }
    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        let (x1, y1) = self.at(x1, y1);
        let (x2, y2) = self.at(x2, y2);
        let (x, y) = self.at(x, y);
        self.path.cubic_to(x1, y1, x2, y2, x, y);
    }
    fn close(&mut self) {
        self.path.close();
    }
}

/// Fill every glyph of `run` as one path in the surface's current fill.
pub(super) fn draw_outlined(surface: &mut Surface<'_>, run: &GlyphRun, db: &FontDb) {
    let face = db.ttf_face(run.face);
    let mut path = PathBuilder::new();
    for g in &run.glyphs {
        let origin = Point::from_xy(run.x + g.x, run.y - g.y_offset);
        add_glyph(&mut path, &face, g.id, origin, run.size);
    }
    if let Some(path) = path.finish() {
        surface.draw_path(&path);
    }
}

/// Add glyph `id` of `face` at `size` pt, its origin at `origin` (page pt,
/// y down), to `path`.
pub(super) fn add_glyph(
    path: &mut PathBuilder,
    face: &ttf_parser::Face<'_>,
    id: u16,
    origin: Point,
    size: f32,
) {
    let mut pen = Pen {
        path,
        origin,
        scale: size / f32::from(face.units_per_em()),
    };
    face.outline_glyph(ttf_parser::GlyphId(id), &mut pen);
}
