//! The frame check (issue 12 item 16): no glyph may leave its frame.
//!
//! One check over the finished display list, so every element composition
//! draws now or later is covered without code of its own: each glyph's
//! advance box must lie inside the frame its run belongs to — body text,
//! datelines, credits and jump lines inside their column, headline blocks
//! inside their module, the masthead and running header inside the page's
//! type area — and every glyph inside the trimmed page; a placeholder's
//! label also inside its module's height. A glyph outside is
//! reported with the layout key that would fix it and marked on the page
//! like overset text, and the build fails (exit 1).

use std::collections::HashMap;

use super::report::OutsideFrame;
use crate::display::{Cmyk, GlyphRun, Item, ModuleFrame, Page, Rect, Role, RunGlyph};
use crate::fonts::{FaceId, FontDb};
use crate::layout::Layout;
use crate::source::Edition;

use super::{ASCENT_EM, DESCENT_EM, EPSILON_PT as TOLERANCE};

/// The horizontal extent a run must stay in, and its name.
fn frame_of(run: &GlyphRun, page: &Page, layout: &Layout) -> Option<(f32, f32, String)> {
    let g = &layout.grid;
    let module = |i: usize| -> Option<&ModuleFrame> { page.modules.get(i) };
    match run.role {
        Role::Body
        | Role::Dateline
        | Role::Credit
        | Role::JumpLine
        | Role::Lead
        | Role::Subhead => {
            let mi = run.module?;
            let m = module(mi)?;
            let start = run.x + run.glyphs.first().map_or(0.0, |gl| gl.x);
            // A jump line names no column: it belongs to the one it starts in.
            let ci = run.column.or_else(|| {
                m.columns
                    .iter()
                    .rposition(|&(x, _)| x <= start + TOLERANCE)
                    .or((!m.columns.is_empty()).then_some(0))
            });
            match ci.and_then(|c| m.columns.get(c).map(|col| (c, col))) {
                Some((c, &(x, w))) => {
                    Some((x, x + w, format!("column {} of module {}", c + 1, mi + 1)))
                }
                None => Some((m.x, m.x + m.width, format!("module {}", mi + 1))),
            }
        }
        Role::Rubric
        | Role::Kicker
        | Role::Headline
        | Role::Subheadline
        | Role::Byline
        | Role::PullQuote
        | Role::ContinuationHeadline
        | Role::Placeholder
        | Role::Caption
        | Role::PictureCredit => {
            let mi = run.module?;
            let m = module(mi)?;
            Some((m.x, m.x + m.width, format!("module {}", mi + 1)))
        }
        Role::Masthead | Role::RunningHeader => {
            Some((g.left, g.left + g.type_width(), "the type area".to_string()))
        }
        _ => None,
    }
}

/// The keys that move or shrink a run of this role.
fn fix_for(run: &GlyphRun, layout: &Layout, edition: &Edition) -> String {
    let level = run
        .article
        .and_then(|a| edition.articles.get(a - 1))
        .map_or(1, |a| if a.level <= 1 { 1 } else { 2 });
    match run.role {
        Role::Body => {
            "styles.body (size, indent) or the columns (grid.column_chars, the module's columns)"
                .into()
        }
        Role::Dateline => "styles.dateline.size".into(),
        Role::Lead => "styles.lead (size, indent)".into(),
        Role::Credit => "styles.credit.size".into(),
        Role::JumpLine => "styles.jump.size".into(),
        Role::Kicker => format!("styles.kicker_{level}.size or the module's columns"),
        Role::Rubric => "styles.rubric.size or the module's columns".into(),
        Role::Headline => {
            format!("styles.headline_{level}.size, the module's headline_size or its columns")
        }
        Role::Subheadline => format!("styles.subheadline_{level}.size or the module's columns"),
        Role::Subhead => "styles.subhead.size or the columns".into(),
        Role::PullQuote => "styles.pull_quote.size or elements.pull_quote".into(),
        Role::Byline => "styles.byline.size or the module's columns".into(),
        Role::ContinuationHeadline => {
            "styles.continuation_headline.size or the module's continuation_headline".into()
        }
        Role::Masthead if layout.paper.name.contains(run.text.trim()) => {
            "paper.name (shorter) or styles.masthead.size".into()
        }
        Role::Masthead => {
            "paper.date, weekday, issue, lunar_date, weather, cn, postal_code, the masthead's teasers or styles.masthead_info.size".into()
        }
        Role::RunningHeader => {
            "paper.name, paper.date, the page's section or styles.running_header.size".into()
        }
        Role::Placeholder => {
            "the module's lines (taller), its placeholder label (shorter) or styles.continuation_headline.size".into()
        }
        Role::Caption | Role::PictureCredit => {
            "styles.caption.size or the module's picture_columns".into()
        }
        _ => "the layout".into(),
    }
}

/// Horizontal ink extents of glyphs in em, by face and glyph: `None` for a
/// glyph that draws nothing. Reading a CFF glyph's box interprets its
/// charstring, so each is read once per composition.
#[derive(Default)]
pub(super) struct InkCache(HashMap<(FaceId, u16), Option<(f32, f32)>>);

impl InkCache {
    /// A glyph's horizontal ink extent in em, read once.
    fn ink(&mut self, db: &FontDb, face: FaceId, glyph: u16) -> Option<(f32, f32)> {
        *self.0.entry((face, glyph)).or_insert_with(|| {
            let f = db.ttf_face(face);
            let upem = f.units_per_em() as f32;
            f.glyph_bounding_box(ttf_parser::GlyphId(glyph))
                .map(|b| (b.x_min as f32 / upem, b.x_max as f32 / upem))
        })
    }
}

/// The horizontal extent a glyph occupies on the page: its cell (pen to
/// pen plus advance) when that is inside the frame, else its ink if that
/// is: a mark set off its cell (a centred `·`, whose pen stands left of
/// the cell) is judged by what it draws; a glyph that draws nothing only by
/// its pen.
fn extent(
    run: &GlyphRun,
    g: &RunGlyph,
    (x0, x1): (f32, f32),
    db: &FontDb,
    inks: &mut InkCache,
) -> (f32, f32) {
    let pen = run.x + g.x;
    let cell = (pen, pen + g.advance.max(0.0));
    if g.id == 0 {
        // A missing glyph is drawn as a box over its cell.
        return cell;
    }
    let inside = |(a, b): (f32, f32)| a >= x0 - TOLERANCE && b <= x1 + TOLERANCE;
    if inside(cell) {
        // Side bearings may pass a cell's edge a little, as in any text.
        return cell;
    }
    match inks.ink(db, run.face, g.id) {
        None => (pen, pen),
        Some((l, r)) => {
            let ink = (pen + l * run.size, pen + r * run.size);
            if inside(ink) {
                ink
            } else {
                (cell.0.min(ink.0), cell.1.max(ink.1))
            }
        }
    }
}

/// The vertical extent a run must stay in, where composition does not
/// keep it there by construction: a placeholder's label inside its
/// module, which the modules above can squeeze to a line or two.
fn rows_of(run: &GlyphRun, page: &Page) -> Option<(f32, f32)> {
    match run.role {
        Role::Placeholder => {
            let m = page.modules.get(run.module?)?;
            Some((m.y, m.y + m.height))
        }
        _ => None,
    }
}

/// Check every glyph run of `page`; mark and return those outside their
/// frame. `overhang` is how far a hung mark may pass a column's end
/// (`hanging = true` in the body style), pt.
pub(super) fn check_page(
    page: &mut Page,
    layout: &Layout,
    edition: &Edition,
    overhang: f32,
    (db, inks): (&FontDb, &mut InkCache),
) -> Vec<OutsideFrame> {
    let mut found = Vec::new();
    let mut marks = Vec::new();
    for item in &page.items {
        let Item::Glyphs(run) = item else { continue };
        // The overset note is our own mark on a proof, not the page's text.
        if run.glyphs.is_empty() || run.role == Role::OversetMark {
            continue;
        }
        let frame = frame_of(run, page, layout);
        let bounds = frame
            .as_ref()
            .map_or((0.0, page.width), |&(x0, x1, _)| (x0, x1));
        let (mut lo, mut hi) = (f32::INFINITY, f32::NEG_INFINITY);
        for g in &run.glyphs {
            let (a, b) = extent(run, g, bounds, db, inks);
            lo = lo.min(a);
            hi = hi.max(b);
        }
        let ink = Span {
            lo,
            hi,
            top: run.y - ASCENT_EM * run.size,
            bottom: run.y + DESCENT_EM * run.size,
        };
        let hang = if matches!(run.role, Role::Body | Role::Lead) {
            overhang
        } else {
            0.0
        };
        let frame = frame.map(|(left, right, name)| Frame {
            left,
            right,
            rows: rows_of(run, page),
            name,
        });
        let Some((by, frame)) = worst_overrun(run, &ink, frame, hang, page) else {
            continue;
        };
        let mut text: String = run.text.chars().take(16).collect();
        if run.text.chars().count() > 16 {
            text.push('…');
        }
        found.push(OutsideFrame {
            page: page.number,
            role: run.role,
            article: run.article,
            text,
            frame,
            by,
            fix: fix_outside(run, page, layout, edition, lo),
        });
        if lo.is_finite() && hi.is_finite() && run.y.is_finite() {
            marks.push(ink.mark());
        }
    }
    page.items.append(&mut marks);
    found
}

/// What a run must stay inside: its left and right edges, the top and
/// bottom where [`rows_of`] keeps them, and the frame's name.
struct Frame {
    left: f32,
    right: f32,
    rows: Option<(f32, f32)>,
    name: String,
}

/// What a run covers on the page, pt.
struct Span {
    lo: f32,
    hi: f32,
    top: f32,
    bottom: f32,
}

impl Span {
    /// The magenta box that marks a run outside its frame on a proof.
    fn mark(&self) -> Item {
        Item::Rect(Rect {
            role: Role::OversetMark,
            x: self.lo - 1.0,
            y: self.top - 1.0,
            width: self.hi - self.lo + 2.0,
            height: self.bottom - self.top + 2.0,
            fill: None,
            stroke: Some(Cmyk(0.0, 100.0, 0.0, 0.0)),
            stroke_width: 1.0,
        })
    }
}

/// How far a run passes its frame (allowing `hang` at a body column's end)
/// or the page, whichever is farther, and the name of that edge's owner;
/// `None` when it stays inside both.
fn worst_overrun(
    run: &GlyphRun,
    ink: &Span,
    frame: Option<Frame>,
    hang: f32,
    page: &Page,
) -> Option<(f32, String)> {
    let Span {
        lo,
        hi,
        top,
        bottom,
    } = *ink;
    let mut worst: Option<(f32, String)> = None;
    let mut note = |by: f32, frame: String| {
        if by > TOLERANCE && worst.as_ref().is_none_or(|(w, _)| by > *w) {
            worst = Some((by, frame));
        }
    };
    if let Some(f) = frame {
        let down = f
            .rows
            .map_or(f32::NEG_INFINITY, |(y0, y1)| (y0 - top).max(bottom - y1));
        note((f.left - lo).max(hi - f.right - hang).max(down), f.name);
    }
    let off_page = (0.0 - lo)
        .max(hi - page.width)
        .max(0.0 - top)
        .max(bottom - page.height);
    note(off_page, "the page".to_string());
    if !lo.is_finite() || !hi.is_finite() || !run.y.is_finite() {
        worst = Some((f32::INFINITY, "the page".to_string()));
    }
    worst
}

/// The layout keys that bring a run starting at `lo` back inside.
fn fix_outside(run: &GlyphRun, page: &Page, layout: &Layout, edition: &Edition, lo: f32) -> String {
    match frame_of(run, page, layout) {
        // Nothing of the run is inside the column: the first-line
        // indent pushed it out. It is counted in the em of the
        // paragraph's first characters, the dateline's if any.
        Some((_, x1, _)) if run.role == Role::Dateline && lo >= x1 - TOLERANCE => {
            "styles.dateline.size (the first-line indent is counted in its em) or styles.body.indent".into()
        }
        Some((_, x1, _)) if run.role == Role::Body && lo >= x1 - TOLERANCE => {
            "styles.body.indent (the first-line indent fills the column) or grid.column_chars"
                .into()
        }
        _ => fix_for(run, layout, edition),
    }
}
