//! Export stage: display-list [`Page`]s → PDF bytes, written with krilla.
//!
//! Glyphs are drawn by id with the source text of their cluster, so krilla
//! writes an exact ToUnicode map (and ActualText where a glyph stands for
//! several characters) and subsets every face it embeds. Text no glyph
//! stands for and the text of `.notdef` boxes ride on invisible carrier
//! glyphs wrapped in ActualText (see `glyphs`), so the text layer holds
//! every character of the page; a compressed punctuation mark's text rides
//! on a half-width carrier and its ink is drawn as outlines, so no glyph box
//! overlaps the next and readers keep each line whole. The page boxes are
//! set from the trim size, bleed and crop-mark offset; colours are
//! DeviceCMYK, and crop marks the registration colour (`Separation /All`). The bytes reach the disk through [`crate::outfile`], which
//! never overwrites an input and never leaves half a PDF behind.

pub mod conformance;
mod glyphs;
mod images;
mod marks;
mod outlines;
pub mod prepress;
pub mod subset_cache;
mod tagging;
pub mod threads;

pub use glyphs::page_text;
use glyphs::{carriers_of, pdf_glyphs, same_ink_runs, Carriers, PdfGlyph, PdfRuns};

use krilla::color::cmyk;
use krilla::geom::{PathBuilder, Point, Rect as KRect, Transform};
use krilla::metadata::{DateTime, Metadata};
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::Font;
use krilla::{Document, SerializeSettings};

use crate::display::{Cmyk, DocumentInfo, GlyphRun, Item, Page, PdfStandard, Rect};
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
    /// The finished file holds something the standard it would claim
    /// forbids (`found` says what, and in which object); the claim would be
    /// false, so nothing is written.
    #[error("{} forbids {found}", standard.name())]
    Standard {
        /// The standard asked for.
        standard: PdfStandard,
        /// What was found, as a phrase naming the object.
        found: String,
    },
}

/// Distance from the bleed edge to the media edge when crop marks are on:
/// room for 5 mm marks set 1 mm off the bleed.
pub const MARK_SPACE: f32 = 24.0;

/// Offset of the trim box's corner from the media box's corner.
pub fn trim_offset(page: &Page) -> f32 {
    page.bleed + if page.crop_marks { MARK_SPACE } else { 0.0 }
}

/// The colour as the PDF writes it: 8 bits per ink.
fn ink(c: Cmyk) -> [u8; 4] {
    let byte = |p: f32| (p.clamp(0.0, 100.0) * 2.55).round() as u8;
    [byte(c.0), byte(c.1), byte(c.2), byte(c.3)]
}

fn cmyk_color(c: Cmyk) -> cmyk::Color {
    let [cyan, magenta, yellow, black] = ink(c);
    cmyk::Color::new(cyan, magenta, yellow, black)
}

/// Whether marks in `c` overprint: 100 % K and no other ink, judged on the
/// colour the plates get (a C of 0.1 % is written as 0 and overprints).
fn overprints(c: Cmyk) -> bool {
    let printed = ink(c).map(|b| f32::from(b) * 100.0 / 255.0);
    Cmyk(printed[0], printed[1], printed[2], printed[3]).is_pure_black()
}

/// Run `draw` under the overprint marker when `on` (see
/// [`prepress::OVERPRINT_MARK`]).
fn overprinting(surface: &mut Surface<'_>, on: bool, draw: impl FnOnce(&mut Surface<'_>)) {
    if on {
        surface.push_blend_mode(prepress::OVERPRINT_MARK);
    }
    draw(surface);
    if on {
        surface.pop();
    }
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

/// Options of the PDF writer.
#[derive(Debug, Clone, Default)]
pub struct ExportOptions {
    /// The standard claimed: its PDF version, output intent, PDF/X keys
    /// and XMP, written only once the file is checked to meet it.
    pub standard: PdfStandard,
    /// The printing condition named in the output intent.
    pub output_condition: prepress::OutputCondition,
    /// Draw a registration target at the middle of each side, outside the
    /// bleed, on pages with crop marks.
    pub registration_targets: bool,
    /// Draw a colour bar (each process ink solid and at 50 %) in the slug
    /// below the page, on pages with crop marks.
    pub color_bar: bool,
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
    /// Per face, once looked up: the glyphs that carry text no glyph
    /// stands for and the text of compressed marks (see [`pdf_glyphs`]).
    carriers: Vec<Option<Carriers>>,
    /// The pictures and ads drawn so far, each made into a krilla image or
    /// embedded document once.
    drawables: images::Drawables,
    options: ExportOptions,
    started: std::time::Instant,
    /// The structure tree, filled as pages are drawn.
    structure: tagging::Structure,
    /// The article threads' beads, gathered as pages are drawn.
    threads: threads::Threads,
    /// Pages drawn so far.
    pages: usize,
    /// The output profile, deflated meanwhile for the PDF/X output intent.
    profile: prepress::DeflatedProfile,
}

impl PdfWriter {
    /// Start an empty document in the PDF version of `options.standard`
    /// (1.6 for PDF/X-4, 1.4 for PDF/X-1a, krilla's own otherwise); fails
    /// only if krilla rejects that configuration.
    pub fn new(options: &ExportOptions) -> Result<Self, ExportError> {
        subset_cache::install();
        let mut settings = SerializeSettings {
            enable_tagging: true,
            ..Default::default()
        };
        let version = match options.standard {
            PdfStandard::PdfX4 => Some(krilla::configure::PdfVersion::Pdf16),
            PdfStandard::PdfX1a2003 => Some(krilla::configure::PdfVersion::Pdf14),
            PdfStandard::None => None,
        };
        if let Some(version) = version {
            settings.configuration = krilla::configure::ConfigurationBuilder::new()
                .with_version(version)
                .finish()
                .map_err(|e| ExportError::Pdf(format!("{e:?}")))?;
        }
        Ok(PdfWriter {
            doc: Document::new_with(settings),
            fonts: Vec::new(),
            carriers: Vec::new(),
            drawables: images::Drawables::new(options.standard),
            options: options.clone(),
            started: std::time::Instant::now(),
            structure: Default::default(),
            threads: Default::default(),
            pages: 0,
            profile: prepress::DeflatedProfile::start(options.standard, &options.output_condition),
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
        self.drawables.prepare(page)?;
        let index = self.pages;
        self.pages += 1;
        self.threads.add_page(index, page, off, media_h);
        let mut kpage = self.doc.start_page_with(settings);
        let mut surface = kpage.surface();
        surface.push_transform(&Transform::from_translate(off, off));
        let mut items = page.items.iter().peekable();
        while let Some(item) = items.next() {
            // Items drawn together share their place in the structure.
            self.structure.start(&mut surface, item, index);
            match item {
                Item::Glyphs(run) if run.rotated => {
                    // Turned 90° clockwise about its origin: drawn as a
                    // horizontal run at the origin of a turned space.
                    let at_origin = GlyphRun {
                        x: 0.0,
                        y: 0.0,
                        rotated: false,
                        ..run.clone()
                    };
                    surface.push_transform(&Transform::from_row(0.0, 1.0, -1.0, 0.0, run.x, run.y));
                    if outlines::is_outlined(run.role) {
                        surface.set_stroke(None);
                        surface.set_fill(Some(fill(run.color)));
                        outlines::draw_outlined(&mut surface, &at_origin, db);
                    } else {
                        let font = font_for(&mut self.fonts, db, run.face)?;
                        let slot = &mut self.carriers[run.face.0 as usize];
                        overprinting(&mut surface, overprints(run.color), |surface| {
                            draw_runs(surface, &[&at_origin], font, slot, db)
                        });
                    }
                    surface.pop();
                }
                Item::Glyphs(run) if outlines::is_outlined(run.role) => {
                    surface.set_stroke(None);
                    surface.set_fill(Some(fill(run.color)));
                    overprinting(&mut surface, overprints(run.color), |surface| {
                        outlines::draw_outlined(surface, run, db)
                    });
                }
                Item::Glyphs(run) => {
                    // PDF 1.4 readers take reals up to ±32767 only (its
                    // Appendix C; krilla refuses more), and the pen's jump
                    // from one joined run to the next is a TJ adjustment in
                    // thousandths of an em that can pass it.
                    let runs = if self.options.standard == PdfStandard::PdfX1a2003 {
                        vec![run]
                    } else {
                        same_ink_runs(run, &mut items)
                    };
                    let font = font_for(&mut self.fonts, db, run.face)?;
                    let slot = &mut self.carriers[run.face.0 as usize];
                    overprinting(&mut surface, overprints(run.color), |surface| {
                        draw_runs(surface, &runs, font, slot, db)
                    });
                }
                Item::Rule(rule) => {
                    let mut pb = PathBuilder::new();
                    pb.move_to(rule.x0, rule.y0);
                    pb.line_to(rule.x1, rule.y1);
                    if let Some(path) = pb.finish() {
                        surface.set_fill(None);
                        surface.set_stroke(Some(stroke(rule.color, rule.width)));
                        overprinting(&mut surface, overprints(rule.color), |surface| {
                            surface.draw_path(&path)
                        });
                    }
                }
                Item::Rect(rect) => draw_rect(&mut surface, rect),
                Item::Image(image) => images::draw_image(&mut surface, image, &self.drawables),
            }
            self.structure.end(&mut surface);
        }
        surface.pop();
        if page.crop_marks {
            self.structure.start_page_artifact(&mut surface);
            marks::all_marks(&mut surface, page, off, &self.options);
            self.structure.end(&mut surface);
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
            .language(info.language.tag().into())
            .document_id(info.fingerprint.clone());
        if let Some(date) = info.date.as_deref().and_then(pdf_date) {
            metadata = metadata.creation_date(date);
        }
        self.doc.set_metadata(metadata);
        self.doc
            .set_tag_tree(self.structure.tree(info.language, &info.article_languages));
        observer.mark("drawn", self.started.elapsed());
        let pdf = self
            .doc
            .finish()
            .map_err(|e| ExportError::Pdf(format!("{e:?}")))?;
        observer.mark("krilla", self.started.elapsed());
        let options = &self.options;
        let threads = self.threads.finish();
        let finished = prepress::finish_with_threads(
            &pdf,
            info,
            options.standard,
            &options.output_condition,
            &threads,
            self.profile,
        )
        .map_err(|e| match e {
            prepress::FinishError::Forbidden(found) => ExportError::Standard {
                standard: options.standard,
                found,
            },
            prepress::FinishError::Pdf(e) => ExportError::Pdf(format!("print finishing: {e}")),
        });
        observer.mark("finish", self.started.elapsed());
        finished
    }
}

/// Glyph runs of one ink (see [`same_ink_runs`]) in one krilla call, and
/// the ink of their compressed marks as one path. `carriers` caches the
/// face's carrier glyphs (see [`pdf_glyphs`]); the first time they are
/// looked up, each is mapped to its own character (U+0020, U+2002) by
/// drawing it with that text, before any carrier uses it, so each
/// carrier's text differs from the map and gets ActualText.
fn draw_runs(
    surface: &mut Surface<'_>,
    runs: &[&GlyphRun],
    font: Font,
    carriers: &mut Option<Carriers>,
    db: &FontDb,
) {
    let run = runs[0];
    surface.set_stroke(None);
    surface.set_fill(Some(fill(run.color)));
    let carriers = *carriers.get_or_insert_with(|| {
        let found = carriers_of(db, run.face);
        for (id, text) in [(found.space, " "), (found.half, "\u{2002}")] {
            let Some(id) = id else { continue };
            let glyph = [PdfGlyph {
                id,
                range: 0..text.len(),
                advance: 0.0,
                y_offset: 0.0,
                size: run.size,
            }];
            surface.draw_glyphs(
                Point::from_xy(run.x, run.y),
                &glyph,
                font.clone(),
                text,
                run.size,
                false,
            );
        }
        found
    });
    let PdfRuns { glyphs, text, ink } = pdf_glyphs(runs, db, carriers);
    let first_x = run.glyphs.first().map_or(0.0, |g| g.x);
    // A vertical page's lines place every glyph on its own: krilla writes
    // them compactly (one `Td` each, vendor/krilla/PATCHED.md). A 竖题's
    // lines (no column) are written as before.
    let compact = run.vertical && run.column.is_some();
    surface.set_compact_text(compact);
    surface.draw_glyphs(
        Point::from_xy(run.x + first_x, run.y),
        &glyphs,
        font,
        &text,
        run.size,
        false,
    );
    surface.set_compact_text(false);
    if !ink.is_empty() {
        let face = db.ttf_face(run.face);
        let mut path = PathBuilder::new();
        for mark in &ink {
            outlines::add_glyph(
                &mut path,
                &face,
                mark.id,
                Point::from_xy(mark.x, mark.y),
                run.size,
            );
        }
        if let Some(path) = path.finish() {
            surface.draw_path(&path);
        }
    }
}

/// A rectangle's fill and outline. When one overprints and the other does
/// not (a grey placeholder in a black frame), they are drawn one after the
/// other, each under its own state: an ExtGState's overprint applies to
/// whatever a painting operator paints.
fn draw_rect(surface: &mut Surface<'_>, rect: &Rect) {
    let Some(r) = KRect::from_xywh(rect.x, rect.y, rect.width.max(0.01), rect.height.max(0.01))
    else {
        return;
    };
    let mut pb = PathBuilder::new();
    pb.push_rect(r);
    let Some(path) = pb.finish() else { return };
    let fill_over = rect.fill.map(overprints);
    let stroke_over = rect.stroke.map(overprints);
    let mut paint = |fill_with: Option<Cmyk>, stroke_with: Option<Cmyk>, on: bool| {
        surface.set_fill(fill_with.map(fill));
        surface.set_stroke(stroke_with.map(|c| stroke(c, rect.stroke_width)));
        overprinting(surface, on, |surface| surface.draw_path(&path));
    };
    match (fill_over, stroke_over) {
        (Some(f), Some(s)) if f != s => {
            paint(rect.fill, None, f);
            paint(None, rect.stroke, s);
        }
        _ => paint(
            rect.fill,
            rect.stroke,
            fill_over.or(stroke_over).unwrap_or(false),
        ),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_what_prints_as_100_k_alone_overprints() {
        assert!(overprints(Cmyk::BLACK));
        // Below half an 8-bit step a colour is written as pure black.
        assert!(overprints(Cmyk(0.1, 0.0, 0.0, 100.0)));
        assert!(overprints(Cmyk(0.0, 0.0, 0.0, 99.9)));
        for knocks_out in [
            Cmyk::WHITE,
            Cmyk(0.0, 0.0, 0.0, 99.0),
            Cmyk(0.0, 0.0, 0.0, 12.0),
            Cmyk(0.3, 0.0, 0.0, 100.0),
            Cmyk(0.0, 100.0, 0.0, 0.0),
            Cmyk(100.0, 100.0, 100.0, 100.0),
        ] {
            assert!(!overprints(knocks_out), "{knocks_out:?}");
        }
    }
}
