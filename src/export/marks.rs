//! Printer's marks outside the bleed, in the room crop marks make
//! ([`super::MARK_SPACE`]): corner crop marks, registration targets and a
//! colour bar. Marks that must print on every plate use the registration
//! colour (`Separation /All`); the colour bar's patches are process inks.

use krilla::color::cmyk;
use krilla::geom::{PathBuilder, Rect as KRect};
use krilla::paint::Stroke;
use krilla::surface::Surface;

use super::{fill, overprinting, overprints, ExportOptions};
use crate::display::{Cmyk, Page};

/// Every mark `options` asks for on a page with crop marks, `offset` being
/// the trimmed page's corner in the media box.
pub(super) fn all_marks(
    surface: &mut Surface<'_>,
    page: &Page,
    offset: f32,
    options: &ExportOptions,
) {
    crop_marks(surface, page, offset);
    if options.registration_targets {
        registration_targets(surface, page, offset);
    }
    if options.color_bar {
        color_bar(surface, page, offset);
    }
}

/// Length of a crop mark.
const MARK_LENGTH: f32 = 5.0 * 72.0 / 25.4;
/// Distance of every mark from the bleed edge.
const MARK_GAP: f32 = 72.0 / 25.4;
/// Radius of a registration target's circle (2 mm).
const TARGET_RADIUS: f32 = 2.0 * 72.0 / 25.4;
/// Half the length of a target's cross (2.5 mm), which reaches past the
/// circle.
const TARGET_ARM: f32 = 2.5 * 72.0 / 25.4;
/// Side of a colour bar patch (5 mm).
const PATCH: f32 = 5.0 * 72.0 / 25.4;
/// Distance of the colour bar from the trim's left edge (10 mm): clear of
/// the corner's crop marks.
const BAR_INSET: f32 = 10.0 * 72.0 / 25.4;
/// Control-point distance of a quarter circle drawn as one cubic Bézier,
/// as a fraction of the radius.
const KAPPA: f32 = 0.552_284_8;

/// The registration colour: full tint of the Separation colourant `All`,
/// which a RIP puts on every plate (ISO 32000 §8.6.6.4), with 100 % of each
/// process ink as the alternate for a viewer or proofer.
fn registration() -> krilla::color::separation::Color {
    use krilla::color::separation::{Color, SeparationColorant, SeparationSpace};
    let every_ink = cmyk::Color::new(u8::MAX, u8::MAX, u8::MAX, u8::MAX);
    let space = SeparationSpace::new(SeparationColorant::AllColorants, every_ink.into());
    Color::new(u8::MAX, space)
}

/// Width of the marks' hairline, in pt.
const MARK_WIDTH: f32 = 0.25;

/// Stroke in the registration colour, no fill.
fn registration_stroke(surface: &mut Surface<'_>) {
    surface.set_fill(None);
    surface.set_stroke(Some(Stroke {
        paint: krilla::color::Color::from(registration()).into(),
        width: MARK_WIDTH,
        ..Default::default()
    }));
}

/// Corner crop marks outside the bleed, in the registration colour.
pub(super) fn crop_marks(surface: &mut Surface<'_>, page: &Page, off: f32) {
    registration_stroke(surface);
    let start = page.bleed + MARK_GAP;
    let (l, t, r, b) = (off, off, off + page.width, off + page.height);
    let mut pb = PathBuilder::new();
    for (x, y, dx, dy) in [
        (l, t, -1.0, -1.0),
        (r, t, 1.0, -1.0),
        (l, b, -1.0, 1.0),
        (r, b, 1.0, 1.0),
    ] {
        // Horizontal mark on the trim line, then the vertical one.
        pb.move_to(x + dx * start, y);
        pb.line_to(x + dx * (start + MARK_LENGTH), y);
        pb.move_to(x, y + dy * start);
        pb.line_to(x, y + dy * (start + MARK_LENGTH));
    }
    if let Some(path) = pb.finish() {
        surface.draw_path(&path);
    }
}

/// A registration target at the middle of each side: a circle and a cross
/// in the registration colour, centred one arm's length beyond the mark gap.
pub(super) fn registration_targets(surface: &mut Surface<'_>, page: &Page, off: f32) {
    registration_stroke(surface);
    let d = page.bleed + MARK_GAP + TARGET_ARM;
    let (cx, cy) = (off + page.width / 2.0, off + page.height / 2.0);
    let mut pb = PathBuilder::new();
    for (x, y) in [
        (cx, off - d),
        (cx, off + page.height + d),
        (off - d, cy),
        (off + page.width + d, cy),
    ] {
        pb.move_to(x - TARGET_ARM, y);
        pb.line_to(x + TARGET_ARM, y);
        pb.move_to(x, y - TARGET_ARM);
        pb.line_to(x, y + TARGET_ARM);
        let (r, k) = (TARGET_RADIUS, TARGET_RADIUS * KAPPA);
        pb.move_to(x + r, y);
        pb.cubic_to(x + r, y + k, x + k, y + r, x, y + r);
        pb.cubic_to(x - k, y + r, x - r, y + k, x - r, y);
        pb.cubic_to(x - r, y - k, x - k, y - r, x, y - r);
        pb.cubic_to(x + k, y - r, x + r, y - k, x + r, y);
        pb.close();
    }
    if let Some(path) = pb.finish() {
        surface.draw_path(&path);
    }
}

/// The colour bar's patches, left to right: each process ink solid, then
/// at 50 %.
const BAR: [Cmyk; 8] = [
    Cmyk(100.0, 0.0, 0.0, 0.0),
    Cmyk(0.0, 100.0, 0.0, 0.0),
    Cmyk(0.0, 0.0, 100.0, 0.0),
    Cmyk(0.0, 0.0, 0.0, 100.0),
    Cmyk(50.0, 0.0, 0.0, 0.0),
    Cmyk(0.0, 50.0, 0.0, 0.0),
    Cmyk(0.0, 0.0, 50.0, 0.0),
    Cmyk(0.0, 0.0, 0.0, 50.0),
];

/// The colour bar in the slug below the page, from [`BAR_INSET`] right of
/// the trim's left edge; patches that would reach the bottom registration
/// target (on a page narrower than about 110 mm) are left out. The solid
/// black patch overprints like every 100 % K mark.
pub(super) fn color_bar(surface: &mut Surface<'_>, page: &Page, off: f32) {
    let top = off + page.height + page.bleed + MARK_GAP;
    let end = off + page.width / 2.0 - TARGET_ARM - MARK_GAP;
    surface.set_stroke(None);
    for (i, &ink) in BAR.iter().enumerate() {
        let x = off + BAR_INSET + i as f32 * PATCH;
        let Some(rect) = KRect::from_xywh(x, top, PATCH, PATCH) else {
            continue;
        };
        if x + PATCH > end {
            break;
        }
        let mut pb = PathBuilder::new();
        pb.push_rect(rect);
        let Some(path) = pb.finish() else { continue };
        surface.set_fill(Some(fill(ink)));
        overprinting(surface, overprints(ink), |surface| surface.draw_path(&path));
    }
}
