//! The proof overlay of a preview (`--proof`): what an editor tuning a
//! layout needs to see and the printed page must not show.
//!
//! - the baseline grid, as light lines across the type area;
//! - every module's outline with its `page/module` number (what
//!   `continue_to` names) and `#article` number;
//! - the grid lines of a module's body columns no line was set on, tinted;
//! - overset modules (the magenta mark composition draws) tinted, with a
//!   magenta strip beside them;
//! - column balance: a tick under the last line of each body column, orange
//!   where a column ends above the module's longest one.
//!
//! Everything is read from the display list: module frames, their planned
//! body lines and the grid lines, columns and modules the glyph runs carry.

use std::collections::HashSet;

use super::{Area, Canvas, GlyphDraw, Outlines, Rgba};
use crate::display::{Item, ModuleFrame, Page, Role};
use crate::fonts::FaceId;

/// Baseline grid lines: a light cyan hairline.
const GRID: Rgba = Rgba::opaque(0, 160, 230).with_alpha(90);
const GRID_WIDTH_PT: f32 = 0.3;
/// Module outlines and their numbers.
const MODULE: Rgba = Rgba::opaque(0, 90, 200);
const MODULE_WIDTH_PT: f32 = 1.0;
/// The tint of an empty grid line.
const EMPTY_LINE: Rgba = Rgba::opaque(255, 160, 0).with_alpha(90);
/// Overset: the tint over the module and the strip beside it.
const OVERSET: Rgba = Rgba::opaque(236, 0, 140);
const OVERSET_TINT_ALPHA: u8 = 50;
const OVERSET_STRIP_PT: f32 = 6.0;
/// Column balance ticks: the longest columns, and those ending above them.
const BALANCED: Rgba = Rgba::opaque(0, 150, 70);
const SHORT: Rgba = Rgba::opaque(255, 110, 0);
const TICK_LENGTH_PT: f32 = 14.0;
const TICK_WIDTH_PT: f32 = 2.0;
/// Module labels: size in pt, padding of their backing in pt, and the
/// backing's colour (white, mostly opaque, so the number reads over text).
const LABEL_SIZE_PT: f32 = 16.0;
const LABEL_PAD_PT: f32 = 2.0;
const LABEL_BACKING: Rgba = Rgba::opaque(255, 255, 255).with_alpha(220);
/// Share of the em above the baseline a label's digits take, for sizing
/// its backing.
const LABEL_ASCENT_EM: f32 = 0.75;

/// Draw the overlay of `page`.
pub(super) fn draw(page: &Page, outlines: &mut Outlines<'_>, canvas: &mut dyn Canvas) {
    grid_lines(page, canvas);
    let set = set_lines(page);
    for (index, frame) in page.modules.iter().enumerate() {
        for line in empty_lines(page, index, &set) {
            canvas.rect(line, Some(EMPTY_LINE), None);
        }
        balance_ticks(page, index, frame, &set, canvas);
    }
    let face = label_face(page);
    overset(page, face, outlines, canvas);
    for frame in &page.modules {
        let area = Area {
            x: frame.x,
            y: frame.y,
            width: frame.width,
            height: frame.height,
        };
        canvas.rect(area, None, Some((MODULE, MODULE_WIDTH_PT)));
        if let Some(face) = face {
            let text = label_text(page, frame);
            let at = Label {
                text: &text,
                x: frame.x,
                y: frame.y,
                align_right: false,
                ink: MODULE,
                backing: LABEL_BACKING,
            };
            label(at, face, outlines, canvas);
        }
    }
}

/// The baseline grid across the type area (the span of the modules).
fn grid_lines(page: &Page, canvas: &mut dyn Canvas) {
    let left = page.modules.iter().map(|m| m.x).reduce(f32::min);
    let right = page.modules.iter().map(|m| m.x + m.width).reduce(f32::max);
    let (left, right) = (left.unwrap_or(0.0), right.unwrap_or(page.width));
    if page.grid.vertical {
        // Lines run down the page, numbered from its right edge.
        let top = page.modules.iter().map(|m| m.y).reduce(f32::min);
        let bottom = page.modules.iter().map(|m| m.y + m.height).reduce(f32::max);
        let (top, bottom) = (top.unwrap_or(0.0), bottom.unwrap_or(page.height));
        for k in 0..page.grid.lines {
            let x = page.width - (page.grid.first + k as f32 * page.grid.pitch);
            canvas.line((x, top), (x, bottom), GRID_WIDTH_PT, GRID);
        }
        return;
    }
    for k in 0..page.grid.lines {
        let y = page.grid.first + k as f32 * page.grid.pitch;
        canvas.line((left, y), (right, y), GRID_WIDTH_PT, GRID);
    }
}

/// A body line some run stands on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct SetLine {
    /// Index of the frame in the page's `modules`.
    frame: usize,
    /// Body column in the frame.
    column: usize,
    /// 1-based grid line.
    line: u32,
}

/// Every (frame, column, grid line) some run stands on. A jump line names
/// no column: it stands in the column its first glyph starts in.
fn set_lines(page: &Page) -> HashSet<SetLine> {
    let mut set = HashSet::new();
    for item in &page.items {
        let Item::Glyphs(run) = item else { continue };
        let (Some(module), Some(line)) = (run.module, run.grid_line) else {
            continue;
        };
        let column = run.column.or_else(|| {
            let start = run.x + run.glyphs.first().map_or(0.0, |g| g.x);
            let frame = page.modules.get(module)?;
            frame
                .columns
                .iter()
                .position(|&(x, w)| start >= x - COLUMN_SLACK_PT && start <= x + w)
        });
        if let Some(column) = column {
            set.insert(SetLine {
                frame: module,
                column,
                line,
            });
            // A 小标题's blank line above it is its own, not an empty line
            // (at a column's top it is dropped and this line is outside).
            if run.role == crate::display::Role::Subhead && line > 1 {
                set.insert(SetLine {
                    frame: module,
                    column,
                    line: line - 1,
                });
            }
        }
    }
    set
}

/// How far left of its column a run may start and still belong to it
/// (hanging punctuation, rounding).
const COLUMN_SLACK_PT: f32 = 1.0;

/// The boxes of the planned body lines of frame `index` that no line was
/// set on, in column order. Public to the crate so tests can count them
/// against the fit report.
pub(crate) fn empty_lines(page: &Page, index: usize, set: &HashSet<SetLine>) -> Vec<Area> {
    let Some(frame) = page.modules.get(index) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (column, (lines, &(x, width))) in frame.body_lines.iter().zip(&frame.columns).enumerate() {
        for line in lines.first..=lines.last {
            let key = SetLine {
                frame: index,
                column,
                line,
            };
            if !set.contains(&key) {
                out.push(Area {
                    x,
                    y: page.grid.top + (line - 1) as f32 * page.grid.pitch,
                    width,
                    height: page.grid.pitch,
                });
            }
        }
    }
    out
}

/// Number of planned body lines of each frame of `page` that no line was
/// set on, in frame order (what the fit report calls `empty`).
pub fn empty_line_counts(page: &Page) -> Vec<usize> {
    let set = set_lines(page);
    (0..page.modules.len())
        .map(|i| empty_lines(page, i, &set).len())
        .collect()
}

/// A tick under the last set line of each body column of a module of
/// several columns.
fn balance_ticks(
    page: &Page,
    index: usize,
    frame: &ModuleFrame,
    set: &HashSet<SetLine>,
    canvas: &mut dyn Canvas,
) {
    if frame.body_lines.len() < 2 {
        return;
    }
    let last: Vec<Option<u32>> = frame
        .body_lines
        .iter()
        .enumerate()
        .map(|(column, lines)| {
            (lines.first..=lines.last).rev().find(|&line| {
                set.contains(&SetLine {
                    frame: index,
                    column,
                    line,
                })
            })
        })
        .collect();
    let Some(longest) = last.iter().flatten().max().copied() else {
        return;
    };
    for (&(x, width), end) in frame.columns.iter().zip(&last) {
        let Some(end) = *end else { continue };
        let y = page.grid.top + end as f32 * page.grid.pitch;
        let color = if end == longest { BALANCED } else { SHORT };
        let to = x + TICK_LENGTH_PT.min(width);
        canvas.line((x, y), (to, y), TICK_WIDTH_PT, color);
    }
}

/// Tint each overset mark, put a strip beside it, and repeat its note
/// (`超版 N 行`, the lines that did not fit) large at its top right.
fn overset(
    page: &Page,
    face: Option<FaceId>,
    outlines: &mut Outlines<'_>,
    canvas: &mut dyn Canvas,
) {
    for item in &page.items {
        let Item::Rect(mark) = item else { continue };
        if mark.role != Role::OversetMark {
            continue;
        }
        let area = Area {
            x: mark.x,
            y: mark.y,
            width: mark.width,
            height: mark.height,
        };
        canvas.rect(area, Some(OVERSET.with_alpha(OVERSET_TINT_ALPHA)), None);
        let strip = Area {
            x: mark.x + mark.width + OVERSET_STRIP_PT / 2.0,
            width: OVERSET_STRIP_PT,
            ..area
        };
        canvas.rect(strip, Some(OVERSET), None);
        // Composition sets the note on the mark's last line, inside it.
        let note = page.items.iter().find_map(|item| match item {
            Item::Glyphs(run)
                if run.role == Role::OversetMark
                    && run.y > mark.y
                    && run.y < mark.y + mark.height
                    && run.x >= mark.x
                    && run.x < mark.x + mark.width =>
            {
                Some(run.text.as_str())
            }
            _ => None,
        });
        if let (Some(text), Some(face)) = (note, face) {
            let at = Label {
                text,
                x: mark.x + mark.width,
                y: mark.y,
                align_right: true,
                ink: Rgba::opaque(255, 255, 255),
                backing: OVERSET,
            };
            label(at, face, outlines, canvas);
        }
    }
}

/// The face labels are set in: that of the page's first glyph run (the
/// bundled CJK faces have Latin digits).
pub(super) fn label_face(page: &Page) -> Option<FaceId> {
    page.items.iter().find_map(|item| match item {
        Item::Glyphs(run) => Some(run.face),
        _ => None,
    })
}

/// What a frame's label says: `page/module #article`, or `#article` for
/// a frame of automatic flow.
pub(crate) fn label_text(page: &Page, frame: &ModuleFrame) -> String {
    let mut parts = Vec::new();
    if let Some(m) = frame.module {
        parts.push(format!("{}/{}", page.number, m));
    }
    if let Some(a) = frame.article {
        parts.push(format!("#{a}"));
    }
    parts.join(" ")
}

/// Where a label goes and how it looks.
pub(super) struct Label<'t> {
    pub(super) text: &'t str,
    /// Left or right edge of the backing, pt (see `align_right`).
    pub(super) x: f32,
    /// Top of the backing, pt.
    pub(super) y: f32,
    /// Whether `x` is the right edge of the backing.
    pub(super) align_right: bool,
    pub(super) ink: Rgba,
    pub(super) backing: Rgba,
}

/// Set a label from `face`'s glyphs (cmap and advances; digits, Latin and
/// ideographs need no shaping) on its backing.
pub(super) fn label(
    label: Label<'_>,
    face: FaceId,
    outlines: &mut Outlines<'_>,
    canvas: &mut dyn Canvas,
) {
    if label.text.is_empty() {
        return;
    }
    let scale = outlines.scale(face, LABEL_SIZE_PT);
    let glyphs: Vec<(u16, f32)> = {
        let f = outlines.face(face);
        label
            .text
            .chars()
            .map(|ch| {
                let id = f.glyph_index(ch).map_or(0, |g| g.0);
                let advance = f.glyph_hor_advance(ttf_parser::GlyphId(id)).unwrap_or(0);
                (id, f32::from(advance) * scale)
            })
            .collect()
    };
    let width: f32 = glyphs.iter().map(|&(_, a)| a).sum::<f32>() + 2.0 * LABEL_PAD_PT;
    let left = if label.align_right {
        label.x - width
    } else {
        label.x
    };
    let x = left + LABEL_PAD_PT;
    let baseline = label.y + LABEL_PAD_PT + LABEL_ASCENT_EM * LABEL_SIZE_PT;
    let backing = Area {
        x: left,
        y: label.y,
        width,
        height: LABEL_SIZE_PT + 2.0 * LABEL_PAD_PT,
    };
    canvas.rect(backing, Some(label.backing), None);
    canvas.note(label.text, x, baseline, LABEL_SIZE_PT);
    let mut pen = x;
    for (id, advance) in glyphs {
        if let Some(outline) = outlines.outline(face, id) {
            let draw = GlyphDraw {
                face,
                id,
                x: pen,
                y: baseline,
                scale,
                turned: false,
            };
            canvas.glyph(draw, outline, label.ink);
        }
        pen += advance;
    }
}
