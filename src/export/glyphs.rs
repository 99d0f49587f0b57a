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

/// The glyphs a face lends the text layer: they draw nothing, and carry
/// text that has no glyph of its own there.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Carriers {
    /// The space: carries text no glyph stands for and the text of
    /// `.notdef` boxes, with no advance.
    pub(super) space: Option<u16>,
    /// The en space (half an em): carries the text of a compressed
    /// punctuation mark, whose box is then its half-width cell.
    pub(super) half: Option<u16>,
}

/// A glyph drawn as an outline path rather than as text: the ink of a
/// compressed punctuation mark (its text rides on a half-width carrier).
pub(super) struct Ink {
    /// Glyph id in the run's face.
    pub(super) id: u16,
    /// Origin x in pt from the trimmed page's left edge.
    pub(super) x: f32,
    /// Baseline y in pt from the trimmed page's top edge (y down).
    pub(super) y: f32,
}

/// What one krilla call draws: glyphs, their text, and the ink drawn as
/// outlines.
pub(super) struct PdfRuns {
    pub(super) glyphs: Vec<PdfGlyph>,
    pub(super) text: String,
    pub(super) ink: Vec<Ink>,
}

/// A glyph's box may reach this far (in em) into the next glyph's cell
/// before the glyph counts as compressed; PDF readers start a new word,
/// and `pdftotext -raw` a new line, at an overlap of 0.2 em.
const OVERLAP_TOLERANCE_EM: f32 = 0.1;

/// Where each glyph of `run` stands in the PDF (x from the run's origin)
/// and whether it is a compressed mark: one whose full-width box would
/// overlap the next glyph's cell (a closing mark with its blank half
/// removed) or that is drawn into the previous glyph's cell (an opening
/// mark set back by its blank half). A compressed mark's text is placed
/// at its cell's start, on the half-width carrier.
fn placements(run: &GlyphRun, face: &ttf_parser::Face<'_>, half: Option<u16>) -> Vec<(f32, bool)> {
    let units = run.size / f32::from(face.units_per_em());
    let tolerance = OVERLAP_TOLERANCE_EM * run.size;
    let glyphs = &run.glyphs;
    let cell_start = |i: usize| {
        let g = &glyphs[i];
        match i.checked_sub(1).map(|p| glyphs[p].x + glyphs[p].advance) {
            Some(end) if g.x < end - tolerance => (end, true),
            _ => (g.x, false),
        }
    };
    (0..glyphs.len())
        .map(|i| {
            let g = &glyphs[i];
            if half.is_none() || g.id == 0 {
                return (g.x, false);
            }
            let (start, shifted) = cell_start(i);
            let full = face
                .glyph_hor_advance(ttf_parser::GlyphId(g.id))
                .map_or(g.advance, |a| f32::from(a) * units);
            // The last glyph of a run may be followed on its line by a run
            // of another face (a bold span ending in `”` before `。`):
            // a cell narrower than the glyph is compressed whatever follows.
            let overhangs = if i + 1 < glyphs.len() {
                g.x + full > cell_start(i + 1).0 + tolerance
            } else {
                g.advance + tolerance < full
            };
            if shifted || overhangs {
                (start, true)
            } else {
                (g.x, false)
            }
        })
        .collect()
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
/// Both get a zero-advance space carrier (which draws nothing and is mapped
/// to U+0020 by [`super::PdfWriter`] before anything else): its text never
/// matches that mapping, so krilla wraps it in ActualText; a carrier in
/// front of a `.notdef` shares its range, which makes krilla span the pair
/// with the cluster's text.
///
/// A compressed punctuation mark (see [`placements`]) is not drawn as text:
/// a PDF glyph's box is the font's full advance whatever the pen does next
/// (a step back in `TJ` does not shorten it, and poppler takes character
/// spacing out of it again), so a full-width mark followed by a step back
/// overlaps the next glyph and readers break the line there
/// (`“连心桥”⏎、履职`). Its text rides on the half-width carrier at its cell
/// (mapped to U+2002 first, so it too gets ActualText) and its ink is
/// returned, to be drawn as outlines.
pub(super) fn pdf_glyphs(runs: &[&GlyphRun], db: &FontDb, carriers: Carriers) -> PdfRuns {
    let face = db.ttf_face(runs[0].face);
    let carrier = carriers.space;
    let y0 = runs[0].y;
    let mut glyphs = Vec::with_capacity(runs.iter().map(|r| r.glyphs.len()).sum());
    let mut text = String::with_capacity(runs.iter().map(|r| r.text.len()).sum());
    let mut ink = Vec::new();
    // Where krilla's pen stands. Positions are absolute f32 page coordinates,
    // so differences of neighbours carry rounding noise of ~1e-4 pt; krilla
    // would write each as a TJ adjustment. An advance within
    // `ADVANCE_NOISE` of the glyph's own is written as the glyph's own, and
    // the pen tracks the drift so it never adds up.
    let mut pen = runs[0].x + runs[0].glyphs.first().map_or(0.0, |g| g.x);
    for (k, run) in runs.iter().enumerate() {
        let base = text.len();
        text.push_str(&run.text);
        // A vertical line's glyphs share one x: none is a compressed mark.
        let placed = match run.vertical {
            true => run.glyphs.iter().map(|g| (g.x, false)).collect(),
            false => placements(run, &face, carriers.half),
        };
        let next_start = runs
            .get(k + 1)
            .and_then(|next| next.glyphs.first().map(|g| next.x + g.x));
        let y_offset = y0 - run.y;
        // Bytes of the run's text before this are in some glyph's range.
        let mut covered = 0usize;
        for (i, g) in run.glyphs.iter().enumerate() {
            let (x, compressed) = placed[i];
            if i == 0 {
                // A new line starts a new text position in krilla.
                pen = run.x + x;
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
            let id = match carriers.half.filter(|_| compressed) {
                Some(half) => {
                    ink.push(Ink {
                        id: g.id,
                        x: run.x + g.x,
                        y: run.y - g.y_offset,
                    });
                    half
                }
                None => g.id,
            };
            let target = match (placed.get(i + 1), next_start) {
                (Some(&(after, _)), _) => Some(run.x + after),
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
                id,
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
    PdfRuns { glyphs, text, ink }
}

/// The carrier glyphs of a face: its space, and its en space when that is
/// a glyph of its own, half an em wide.
pub(super) fn carriers_of(db: &FontDb, face: FaceId) -> Carriers {
    let f = db.ttf_face(face);
    let space = f.glyph_index(' ').map(|g| g.0).filter(|&g| g != 0);
    let em = f32::from(f.units_per_em());
    let half = f
        .glyph_index('\u{2002}')
        .filter(|g| g.0 != 0 && Some(g.0) != space)
        .filter(|&g| {
            f.glyph_hor_advance(g)
                .is_some_and(|a| (f32::from(a) / em - 0.5).abs() < HALF_EM_SLACK)
        })
        .map(|g| g.0);
    Carriers { space, half }
}

/// How far (in em) an en space may be from half an em and still carry a
/// compressed mark's text.
const HALF_EM_SLACK: f32 = 0.01;
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
        let PdfRuns { glyphs, text, .. } = pdf_glyphs(&runs, db, carriers_of(db, run.face));
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
/// size and colour, both horizontal or both vertical body lines (a vertical
/// page's, which have a column; a 竖题's lines are drawn one by one), none
/// turned, one element of the structure tree, and glyphs on both sides to
/// carry the pen from one to the other.
fn same_ink(first: &GlyphRun, run: &GlyphRun) -> bool {
    let vertical_body = |r: &GlyphRun| r.vertical && r.column.is_some();
    let direction = match (first.vertical, run.vertical) {
        (false, false) => true,
        (true, true) => vertical_body(first) && vertical_body(run),
        _ => false,
    };
    !super::outlines::is_outlined(run.role)
        && direction
        && !run.rotated
        && !first.rotated
        && run.face == first.face
        && run.size.to_bits() == first.size.to_bits()
        && run.color == first.color
        && super::tagging::place_of_run(run, 0) == super::tagging::place_of_run(first, 0)
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
