//! Glyph runs as krilla draws them: positions turned into advances, runs
//! of one ink joined into one call, and carrier glyphs that bring text no
//! glyph stands for (and the text of `.notdef` boxes) into the text layer.

use krilla::text::GlyphId;

use crate::display::{GlyphRun, Item, Page};
use crate::fonts::{FaceId, FontDb};

/// One glyph as krilla wants it. Advances are taken from the next glyph's
/// pen position, so justification space travels with the glyph before it.
pub(super) struct PdfGlyph {
    pub(super) id: u16,
    pub(super) range: std::ops::Range<usize>,
    pub(super) advance: f32,
    pub(super) y_offset: f32,
    pub(super) size: f32,
}

impl krilla::text::Glyph for PdfGlyph {
    fn glyph_id(&self) -> GlyphId {
        GlyphId::new(self.id as u32)
    }
    fn text_range(&self) -> std::ops::Range<usize> {
        self.range.clone()
    }
    fn x_advance(&self, size: f32) -> f32 {
        self.advance * size / self.size
    }
    fn x_offset(&self, _size: f32) -> f32 {
        0.0
    }
    fn y_offset(&self, size: f32) -> f32 {
        self.y_offset * size / self.size
    }
    fn y_advance(&self, _size: f32) -> f32 {
        0.0
    }
    fn location(&self) -> Option<krilla::surface::Location> {
        None
    }
}

/// The glyphs and text of consecutive runs drawn with one krilla call. Later
/// runs (the next lines of a column) are reached through the advance of each
/// run's last glyph and a vertical glyph offset; krilla starts a new text
/// position for each, so the page reads the same, but its per-call set-up
/// (graphics state, colour, text object, font lookup) is paid once per
/// column instead of once per line.
///
/// Every character of the runs' text must reach the text layer, and krilla
/// alone loses two kinds: text no glyph stands for (a zero-width space, a
/// word joiner) and the text of `.notdef` glyphs (a PDF font's ToUnicode map
/// has no entry for glyph 0, and krilla writes ActualText only for a glyph
/// whose text differs from what the glyph was first seen with, so the first
/// uncovered character of each font, and every repeat of it, vanished).
/// Both get a zero-advance `carrier` glyph (the face's space, which draws
/// nothing and is mapped to U+0020 by [`super::PdfWriter`] before anything else):
/// its text never matches that mapping, so krilla wraps it in ActualText; a
/// carrier in front of a `.notdef` shares its range, which makes krilla span
/// the pair with the cluster's text.
pub(super) fn pdf_glyphs(runs: &[&GlyphRun], carrier: Option<u16>) -> (Vec<PdfGlyph>, String) {
    let y0 = runs[0].y;
    let mut glyphs = Vec::with_capacity(runs.iter().map(|r| r.glyphs.len()).sum());
    let mut text = String::with_capacity(runs.iter().map(|r| r.text.len()).sum());
    // Where krilla's pen stands. Positions are absolute f32 page coordinates,
    // so differences of neighbours carry rounding noise of ~1e-4 pt; krilla
    // would write each as a TJ adjustment. An advance within
    // `ADVANCE_NOISE` of the glyph's own is written as the glyph's own, and
    // the pen tracks the drift so it never adds up.
    let mut pen = runs[0].x + runs[0].glyphs.first().map_or(0.0, |g| g.x);
    for (k, run) in runs.iter().enumerate() {
        let base = text.len();
        text.push_str(&run.text);
        let next_start = runs
            .get(k + 1)
            .and_then(|next| next.glyphs.first().map(|g| next.x + g.x));
        let y_offset = y0 - run.y;
        // Bytes of the run's text before this are in some glyph's range.
        let mut covered = 0usize;
        for (i, g) in run.glyphs.iter().enumerate() {
            if i == 0 {
                // A new line starts a new text position in krilla.
                pen = run.x + g.x;
            }
            if g.range.start > covered {
                carry(
                    &mut glyphs,
                    &run.text,
                    covered..g.range.start,
                    base,
                    carrier,
                    run,
                    y_offset,
                );
            }
            covered = covered.max(g.range.end);
            if g.id == 0 {
                let range = base + g.range.start..base + g.range.end;
                glyphs.push(PdfGlyph {
                    id: carrier.unwrap_or(0),
                    range,
                    advance: 0.0,
                    y_offset: g.y_offset + y_offset,
                    size: run.size,
                });
            }
            let target = match (run.glyphs.get(i + 1), next_start) {
                (Some(after), _) => Some(run.x + after.x),
                (None, Some(next_x)) => Some(next_x),
                (None, None) => None,
            };
            let mut advance = match target {
                Some(t) if (t - pen - g.advance).abs() > ADVANCE_NOISE => t - pen,
                _ => g.advance,
            };
            let last = i + 1 == run.glyphs.len();
            // Text after the last glyph is carried at the line's end, where
            // a reader of the text layer expects it: the last glyph keeps
            // its own advance and the carrier takes the jump to the next line.
            let tail = last && covered < run.text.len();
            let jump = if tail { advance - g.advance } else { 0.0 };
            if tail {
                advance = g.advance;
            }
            pen += advance;
            glyphs.push(PdfGlyph {
                id: g.id,
                range: base + g.range.start..base + g.range.end,
                advance,
                y_offset: g.y_offset + y_offset,
                size: run.size,
            });
            if tail {
                let n = glyphs.len();
                carry(
                    &mut glyphs,
                    &run.text,
                    covered..run.text.len(),
                    base,
                    carrier,
                    run,
                    y_offset,
                );
                match glyphs[n..].first_mut() {
                    Some(c) => c.advance = jump,
                    None => glyphs[n - 1].advance += jump,
                }
                pen += jump;
            }
        }
    }
    (glyphs, text)
}

/// The space glyph of a face, which carries text no glyph stands for.
pub(super) fn carrier_of(db: &FontDb, face: FaceId) -> Option<u16> {
    db.ttf_face(face)
        .glyph_index(' ')
        .map(|g| g.0)
        .filter(|&g| g != 0)
}

/// The text a PDF reader gets from a page: the text of every glyph (one
/// cluster's glyphs give it once) in the order the writer hands them to
/// krilla, carriers included. Property tests check it instead of writing
/// and reading back a PDF per case; `tests/pdf.rs` checks the real file.
pub fn page_text(page: &Page, db: &FontDb) -> String {
    let mut out = String::new();
    let mut items = page.items.iter().peekable();
    while let Some(item) = items.next() {
        let Item::Glyphs(run) = item else { continue };
        if super::outlines::is_outlined(run.role) {
            continue;
        }
        let runs = same_ink_runs(run, &mut items);
        let (glyphs, text) = pdf_glyphs(&runs, carrier_of(db, run.face));
        let mut last = None;
        for g in &glyphs {
            if last.as_ref() != Some(&g.range) {
                out.push_str(&text[g.range.clone()]);
                last = Some(g.range.clone());
            }
        }
    }
    out
}

/// A zero-advance carrier for text no glyph stands for, unless it is only
/// white space (which the text layer does not need, and a face without a
/// space glyph has no carrier for).
fn carry(
    glyphs: &mut Vec<PdfGlyph>,
    text: &str,
    range: std::ops::Range<usize>,
    base: usize,
    carrier: Option<u16>,
    run: &GlyphRun,
    y_offset: f32,
) {
    let (Some(id), Some(part)) = (carrier, text.get(range.clone())) else {
        return;
    };
    if part.chars().all(char::is_whitespace) {
        return;
    }
    glyphs.push(PdfGlyph {
        id,
        range: base + range.start..base + range.end,
        advance: 0.0,
        y_offset,
        size: run.size,
    });
}

/// Advance differences below this (pt, about 2 µm) are float noise.
const ADVANCE_NOISE: f32 = 0.005;

/// Whether `run` can be drawn in the same krilla call as `first`: one face,
/// size and colour, and glyphs on both sides to carry the pen from one to
/// the other.
fn same_ink(first: &GlyphRun, run: &GlyphRun) -> bool {
    !super::outlines::is_outlined(run.role)
        && run.face == first.face
        && run.size.to_bits() == first.size.to_bits()
        && run.color == first.color
        && !first.glyphs.is_empty()
        && !run.glyphs.is_empty()
}

/// `first` and the glyph runs right after it that share its ink, taken
/// from `items`: what the writer draws in one krilla call, and so what
/// [`page_text`] must group the same way.
pub(super) fn same_ink_runs<'a>(
    first: &'a GlyphRun,
    items: &mut std::iter::Peekable<std::slice::Iter<'a, Item>>,
) -> Vec<&'a GlyphRun> {
    let mut runs = vec![first];
    while let Some(Item::Glyphs(next)) = items.peek() {
        if !same_ink(first, next) {
            break;
        }
        runs.push(next);
        items.next();
    }
    runs
}
