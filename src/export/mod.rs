//! Export stage: display-list [`Page`]s → PDF bytes, written with krilla.
//!
//! Glyphs are drawn by id with the source text of their cluster, so krilla
//! writes an exact ToUnicode map (and ActualText where a glyph stands for
//! several characters) and subsets every face it embeds. Text no glyph
//! stands for and the text of `.notdef` boxes ride on invisible carrier
//! glyphs wrapped in ActualText (see `pdf_glyphs`), so the text layer holds
//! every character of the page. The page boxes are
//! set from the trim size, bleed and crop-mark offset; colours are
//! DeviceCMYK. The bytes reach the disk through [`crate::outfile`], which
//! never overwrites an input and never leaves half a PDF behind.

pub mod prepress;

use krilla::color::cmyk;
use krilla::geom::{PathBuilder, Point, Rect as KRect, Transform};
use krilla::metadata::{DateTime, Metadata};
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::text::{Font, GlyphId};
use krilla::{Document, SerializeSettings};

use crate::display::{Cmyk, DocumentInfo, GlyphRun, Item, Page};
use crate::fonts::{FaceId, FontDb};

/// Why a PDF could not be written; nothing reaches the disk then.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// krilla cannot parse a font file (the path) that the font database
    /// loaded; replace the file or choose another family in the layout.
    #[error("font {0} could not be embedded (krilla could not read it)")]
    Font(String),
    /// krilla could not serialise the document (a font it cannot subset, a
    /// PDF limit) or lopdf the print finishing; the detail says which.
    #[error("PDF writer failed: {0}")]
    Pdf(String),
    /// The page (1-based number) has no positive finite media size; layout
    /// checks rule this out, so it means a hand-built [`Page`] or a bug.
    #[error("page {0} has an invalid size")]
    PageSize(u32),
}

/// Distance from the bleed edge to the media edge when crop marks are on:
/// room for 5 mm marks set 1 mm off the bleed.
pub const MARK_SPACE: f32 = 24.0;
const MARK_LENGTH: f32 = 5.0 * 72.0 / 25.4;
const MARK_GAP: f32 = 72.0 / 25.4;

/// Offset of the trim box's corner from the media box's corner.
pub fn trim_offset(page: &Page) -> f32 {
    page.bleed + if page.crop_marks { MARK_SPACE } else { 0.0 }
}

fn cmyk_color(c: Cmyk) -> cmyk::Color {
    let byte = |p: f32| (p.clamp(0.0, 100.0) * 2.55).round() as u8;
    cmyk::Color::new(byte(c.0), byte(c.1), byte(c.2), byte(c.3))
}

fn fill(c: Cmyk) -> Fill {
    Fill {
        paint: cmyk_color(c).into(),
        opacity: NormalizedF32::ONE,
        rule: Default::default(),
    }
}

fn stroke(c: Cmyk, width: f32) -> Stroke {
    Stroke {
        paint: cmyk_color(c).into(),
        width,
        ..Default::default()
    }
}

/// One glyph as krilla wants it. Advances are taken from the next glyph's
/// pen position, so justification space travels with the glyph before it.
struct PdfGlyph {
    id: u16,
    range: std::ops::Range<usize>,
    advance: f32,
    y_offset: f32,
    size: f32,
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
/// nothing and is mapped to U+0020 by [`PdfWriter`] before anything else):
/// its text never matches that mapping, so krilla wraps it in ActualText; a
/// carrier in front of a `.notdef` shares its range, which makes krilla span
/// the pair with the cluster's text.
fn pdf_glyphs(runs: &[&GlyphRun], carrier: Option<u16>) -> (Vec<PdfGlyph>, String) {
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
fn carrier_of(db: &FontDb, face: FaceId) -> Option<u16> {
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
    run.face == first.face
        && run.size.to_bits() == first.size.to_bits()
        && run.color == first.color
        && !first.glyphs.is_empty()
        && !run.glyphs.is_empty()
}

/// `first` and the glyph runs right after it that share its ink, taken
/// from `items`: what the writer draws in one krilla call, and so what
/// [`page_text`] must group the same way.
fn same_ink_runs<'a>(
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

/// Options of the PDF writer.
#[derive(Debug, Clone, Default)]
pub struct ExportOptions {
    /// Declare PDF/X-4: PDF 1.6, an output intent, PDF/X keys and XMP.
    pub pdfx: bool,
    /// The printing condition named in the output intent.
    pub output_condition: prepress::OutputCondition,
}

/// Parse `YYYY-MM-DD` into a PDF date; anything else gives none.
fn pdf_date(iso: &str) -> Option<DateTime> {
    let mut parts = iso.split('-').map(|p| p.parse::<u16>().ok());
    let (y, m, d) = (parts.next()??, parts.next()??, parts.next()??);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    Some(
        DateTime::new(y)
            .month(m as u8)
            .day(d as u8)
            .hour(0)
            .minute(0)
            .second(0)
            .utc_offset_hour(0)
            .utc_offset_minute(0),
    )
}

/// Render pages to PDF bytes.
pub fn export(
    info: &DocumentInfo,
    pages: &[Page],
    db: &FontDb,
    options: &ExportOptions,
) -> Result<Vec<u8>, ExportError> {
    let mut writer = PdfWriter::new(options)?;
    for page in pages {
        writer.add_page(page, db)?;
    }
    writer.finish(info, &crate::observe::Quiet)
}

/// A PDF being written one page at a time, so pages can be drawn while
/// later ones are still being composed. The document's title, id and date
/// are given at the end, when composition has them.
pub struct PdfWriter {
    doc: Document,
    fonts: Vec<Option<Font>>,
    /// Per face, once looked up: the space glyph that carries text no glyph
    /// stands for (see [`pdf_glyphs`]), if the face has one.
    carriers: Vec<Option<Option<u16>>>,
    options: ExportOptions,
    started: std::time::Instant,
}

impl PdfWriter {
    /// Start an empty document, as PDF 1.6 when `options.pdfx` asks for
    /// PDF/X-4; fails only if krilla rejects that configuration.
    pub fn new(options: &ExportOptions) -> Result<Self, ExportError> {
        let mut settings = SerializeSettings {
            // Tagging would add a structure tree we do not fill; leave it out.
            enable_tagging: false,
            ..Default::default()
        };
        if options.pdfx {
            settings.configuration = krilla::configure::ConfigurationBuilder::new()
                .with_version(krilla::configure::PdfVersion::Pdf16)
                .finish()
                .map_err(|e| ExportError::Pdf(format!("{e:?}")))?;
        }
        Ok(PdfWriter {
            doc: Document::new_with(settings),
            fonts: Vec::new(),
            carriers: Vec::new(),
            options: options.clone(),
            started: std::time::Instant::now(),
        })
    }

    /// Draw the next page.
    pub fn add_page(&mut self, page: &Page, db: &FontDb) -> Result<(), ExportError> {
        if self.fonts.len() < db.len() {
            self.fonts.resize(db.len(), None);
            self.carriers.resize(db.len(), None);
        }
        let off = trim_offset(page);
        let media_w = page.width + 2.0 * off;
        let media_h = page.height + 2.0 * off;
        let settings = PageSettings::from_wh(media_w, media_h)
            .ok_or(ExportError::PageSize(page.number))?
            .with_trim_box(KRect::from_xywh(off, off, page.width, page.height))
            .with_bleed_box(KRect::from_xywh(
                off - page.bleed,
                off - page.bleed,
                page.width + 2.0 * page.bleed,
                page.height + 2.0 * page.bleed,
            ));
        let mut kpage = self.doc.start_page_with(settings);
        let mut surface = kpage.surface();
        surface.push_transform(&Transform::from_translate(off, off));
        let mut items = page.items.iter().peekable();
        while let Some(item) = items.next() {
            match item {
                Item::Glyphs(run) => {
                    let runs = same_ink_runs(run, &mut items);
                    let font = font_for(&mut self.fonts, db, run.face)?;
                    surface.set_stroke(None);
                    surface.set_fill(Some(fill(run.color)));
                    let slot = &mut self.carriers[run.face.0 as usize];
                    let carrier = match *slot {
                        Some(c) => c,
                        None => {
                            let c = carrier_of(db, run.face);
                            *slot = Some(c);
                            if let Some(id) = c {
                                // Map the space glyph to U+0020 before any
                                // carrier uses it, so each carrier's text
                                // differs from the map and gets ActualText.
                                let space = [PdfGlyph {
                                    id,
                                    range: 0..1,
                                    advance: 0.0,
                                    y_offset: 0.0,
                                    size: run.size,
                                }];
                                surface.draw_glyphs(
                                    Point::from_xy(run.x, run.y),
                                    &space,
                                    font.clone(),
                                    " ",
                                    run.size,
                                    false,
                                );
                            }
                            c
                        }
                    };
                    let (glyphs, text) = pdf_glyphs(&runs, carrier);
                    let first_x = run.glyphs.first().map_or(0.0, |g| g.x);
                    surface.draw_glyphs(
                        Point::from_xy(run.x + first_x, run.y),
                        &glyphs,
                        font,
                        &text,
                        run.size,
                        false,
                    );
                }
                Item::Rule(rule) => {
                    let mut pb = PathBuilder::new();
                    pb.move_to(rule.x0, rule.y0);
                    pb.line_to(rule.x1, rule.y1);
                    if let Some(path) = pb.finish() {
                        surface.set_fill(None);
                        surface.set_stroke(Some(stroke(rule.color, rule.width)));
                        surface.draw_path(&path);
                    }
                }
                Item::Rect(rect) => {
                    let Some(r) = KRect::from_xywh(
                        rect.x,
                        rect.y,
                        rect.width.max(0.01),
                        rect.height.max(0.01),
                    ) else {
                        continue;
                    };
                    let mut pb = PathBuilder::new();
                    pb.push_rect(r);
                    if let Some(path) = pb.finish() {
                        surface.set_fill(rect.fill.map(fill));
                        surface.set_stroke(rect.stroke.map(|c| stroke(c, rect.stroke_width)));
                        surface.draw_path(&path);
                    }
                }
            }
        }
        surface.pop();
        if page.crop_marks {
            crop_marks(&mut surface, page, off);
        }
        surface.finish();
        kpage.finish();
        Ok(())
    }

    /// Subset and embed the fonts, serialise, and add the print finishing,
    /// telling `observer` when each step ends (marks `drawn`, `krilla`,
    /// `finish`).
    pub fn finish(
        mut self,
        info: &DocumentInfo,
        observer: &dyn crate::observe::Observer,
    ) -> Result<Vec<u8>, ExportError> {
        let mut metadata = Metadata::new()
            .title(info.title.clone())
            .creator("broadsheet".into())
            .producer(format!("broadsheet {}", env!("CARGO_PKG_VERSION")))
            .language("zh-Hans".into())
            .document_id(info.fingerprint.clone());
        if let Some(date) = info.date.as_deref().and_then(pdf_date) {
            metadata = metadata.creation_date(date);
        }
        self.doc.set_metadata(metadata);
        observer.mark("drawn", self.started.elapsed());
        let pdf = self
            .doc
            .finish()
            .map_err(|e| ExportError::Pdf(format!("{e:?}")))?;
        observer.mark("krilla", self.started.elapsed());
        let options = &self.options;
        let finished = prepress::finish(&pdf, info, options.pdfx, &options.output_condition)
            .map_err(|e| ExportError::Pdf(format!("print finishing: {e}")));
        observer.mark("finish", self.started.elapsed());
        finished
    }
}

fn font_for(fonts: &mut [Option<Font>], db: &FontDb, id: FaceId) -> Result<Font, ExportError> {
    let slot = &mut fonts[id.0 as usize];
    if slot.is_none() {
        let data: std::sync::Arc<dyn AsRef<[u8]> + Send + Sync> = db.data(id).clone();
        let font = Font::new(data.into(), db.info(id).index)
            .ok_or_else(|| ExportError::Font(db.info(id).path.display().to_string()))?;
        *slot = Some(font);
    }
    Ok(slot.clone().expect("font was just loaded"))
}

/// Corner crop marks outside the bleed, in registration colour.
fn crop_marks(surface: &mut krilla::surface::Surface<'_>, page: &Page, off: f32) {
    let registration = Cmyk(100.0, 100.0, 100.0, 100.0);
    surface.set_fill(None);
    surface.set_stroke(Some(stroke(registration, 0.25)));
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
