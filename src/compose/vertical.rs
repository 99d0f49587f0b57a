//! Vertical headlines (竖题) on horizontal pages: a module's kicker,
//! headline and subheadline set top to bottom in a strip of grid columns at
//! its right or left side, spanning the module's height, the body in the
//! other columns.
//!
//! The vertical lines read right to left (kicker first, at the right) and
//! each is a [`GlyphRun`] with `vertical` set: the font's vertical forms
//! (`vert`), vertical advances and origins from [`crate::text::Shaper::
//! shape_vertical`]. A part longer than the module is tall is broken into
//! more vertical lines, never starting one with a closing mark; what the
//! strip cannot hold is counted overset.

use super::headline::{leading, role_element, Part};
use super::module::Setting;
use super::report::Holder;
use super::Composer;
use crate::display::{GlyphRun, Item, RunGlyph};
use crate::layout::Side;
use crate::paragraph::Align;
use crate::text::{CharClass, Cluster, ShapedText, EM_BOX_ASCENT};

/// Rounding slack when a length is counted in grid lines.
const EPSILON_LINES: f32 = 1e-3;

/// One vertical line of a part: its clusters and the part it belongs to.
struct VLine<'p, 'a> {
    part: &'p Part<'a>,
    shaped: std::rc::Rc<ShapedText>,
    clusters: std::ops::Range<usize>,
    /// Its length down the page, pt.
    length: f32,
}

/// The grid columns (1-based, inclusive) a module's body is set in: all
/// of them, less a vertical headline's strip.
pub(super) fn body_span(m: &crate::layout::ModuleSpec) -> (u32, u32) {
    match m.vertical_headline {
        None => m.columns,
        Some(Side::Right) => (m.columns.0, m.columns.1 - m.headline_columns),
        Some(Side::Left) => (m.columns.0 + m.headline_columns, m.columns.1),
    }
}

impl<'a> Composer<'a> {
    /// The vertical headline of an article's module, if it has one, drawn
    /// and moved before the module's other items from `mark` on, so the
    /// page reads headline first; returns its overset characters.
    pub(super) fn vertical_head_first(
        &mut self,
        s: Setting<'_>,
        bottom_line: u32,
        mark: usize,
    ) -> u32 {
        let Some(side) = s
            .spec
            .vertical_headline
            .filter(|_| s.spec.article.is_some())
        else {
            return 0;
        };
        let before = self.page_mut(s.page).items.len();
        let overset = self.vertical_head(s, side, bottom_line);
        let items = &mut self.page_mut(s.page).items;
        let drawn = items.len() - before;
        items[mark.min(before)..].rotate_right(drawn);
        overset
    }

    /// The last grid line a vertical headline needs to stand in one line
    /// per part (a module whose height comes from its text grows to it);
    /// `None` without one.
    pub(super) fn vertical_head_last_line(&self, s: Setting<'_>) -> Option<u32> {
        s.spec.vertical_headline?;
        s.spec.article.as_ref()?;
        let g = self.grid();
        let longest = self
            .headline_parts(s.article, s.spec.headline_size, false)
            .iter()
            .map(|part| {
                let shaped = self
                    .shaper
                    .borrow_mut()
                    .shape_vertical(&part.text, &part.style.chain);
                shaped.clusters.iter().map(|c| c.advance).sum::<f32>()
            })
            .fold(0.0, f32::max);
        let lines = (longest / g.pitch - EPSILON_LINES).ceil().max(1.0) as u32;
        Some(s.spec.lines.0 + lines - 1)
    }

    /// Draw the vertical headline of `s` in its strip, from the module's
    /// top to the bottom of grid line `bottom_line`; returns the headline
    /// characters that did not fit.
    pub(super) fn vertical_head(&mut self, s: Setting<'_>, side: Side, bottom_line: u32) -> u32 {
        let g = self.grid();
        let m = s.spec;
        let strip_columns = m.headline_columns;
        let (first, last) = match side {
            Side::Right => (m.columns.1 + 1 - strip_columns, m.columns.1),
            Side::Left => (m.columns.0, m.columns.0 + strip_columns - 1),
        };
        let (x0, x1) = (
            g.column_x(first - 1),
            g.column_x(last - 1) + g.column_width(),
        );
        let top = g.line_top(m.lines.0);
        let height = g.line_top(bottom_line) + g.pitch - top;
        let parts = self.headline_parts(s.article, m.headline_size, false);
        let mut lines: Vec<VLine<'_, 'a>> = Vec::new();
        for part in &parts {
            let shaped = std::rc::Rc::new(
                self.shaper
                    .borrow_mut()
                    .shape_vertical(&part.text, &part.style.chain),
            );
            let line = self.element_line(s.article, part.role);
            let holder = Holder::article(s.article, role_element(part.role), line);
            self.note_missing_in(holder, 0, &shaped);
            for clusters in break_vertical(&shaped.clusters, height) {
                let length = shaped.clusters[clusters.clone()]
                    .iter()
                    .map(|c| c.advance)
                    .sum();
                lines.push(VLine {
                    part,
                    shaped: shaped.clone(),
                    clusters,
                    length,
                });
            }
        }
        // Lines read right to left: the block's right edge is where the
        // first stands, the block centred in the strip.
        let widths: Vec<f32> = lines.iter().map(|l| leading(&l.part.style)).collect();
        let block: f32 = widths.iter().sum();
        let mut right = (x0 + x1 + block) / 2.0;
        let mut overset = 0;
        for (line, width) in lines.iter().zip(&widths) {
            let centre = right - width / 2.0;
            right -= width;
            if centre - width / 2.0 < x0 - 0.01 {
                overset += line.clusters.len() as u32;
                continue;
            }
            let start = match line.part.style.style.paragraph.align {
                Align::Center | Align::Justify => top + (height - line.length).max(0.0) / 2.0,
                Align::End => top + (height - line.length).max(0.0),
                Align::Start => top,
            };
            let run = self.vertical_run(s, line, centre, start);
            self.page_mut(s.page).items.push(Item::Glyphs(run));
        }
        overset
    }

    /// The glyph run of one vertical line centred on `centre`, its first
    /// cell's top at `top`.
    fn vertical_run(
        &self,
        s: Setting<'_>,
        line: &VLine<'_, 'a>,
        centre: f32,
        top: f32,
    ) -> GlyphRun {
        let clusters = &line.shaped.clusters[line.clusters.clone()];
        let base = clusters.first().map_or(0, |c| c.range.start);
        let end = clusters.last().map_or(0, |c| c.range.end);
        let size = line.part.style.chain.size;
        let x = centre - size / 2.0;
        let y = top + EM_BOX_ASCENT * size;
        let mut glyphs = Vec::new();
        let mut pen = top;
        for c in clusters {
            for g in &c.glyphs {
                // HarfBuzz's offsets lead from the pen (top middle of the
                // cell) to the outline's origin, y up.
                let (ox, oy) = (centre + g.x_offset, pen - g.y_offset);
                glyphs.push(RunGlyph {
                    id: if c.missing { 0 } else { g.glyph_id },
                    x: ox - x,
                    y_offset: y - oy,
                    advance: g.advance,
                    range: c.range.start - base..c.range.end - base,
                });
                pen += g.advance;
            }
        }
        let face = clusters
            .iter()
            .find_map(|c| c.glyphs.first().map(|g| g.face))
            .unwrap_or_else(|| line.part.style.chain.faces[0]);
        GlyphRun {
            role: line.part.role,
            x,
            y,
            face,
            font: self.db.info(face).family.clone(),
            size,
            color: line.part.style.style.color,
            text: line.shaped.text[base..end].to_string(),
            glyphs,
            article: Some(s.article + 1),
            module: Some(s.module),
            column: None,
            grid_line: None,
            source_line: self.element_line(s.article, line.part.role),
            paragraph: None,
            vertical: true,
            rotated: false,
        }
    }
}

/// Break clusters into vertical lines no longer than `height`; a line
/// never starts with a closing mark or a stop (it takes the character
/// before it along), and a cluster longer than the height is a line alone.
fn break_vertical(clusters: &[Cluster], height: f32) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut length = 0.0;
    let closing = |c: &Cluster| matches!(c.class, CharClass::Closing | CharClass::Stop);
    let mut i = 0;
    while i < clusters.len() {
        let c = &clusters[i];
        if length + c.advance > height + 0.01 && i > start {
            let mut cut = i;
            while cut > start + 1 && closing(&clusters[cut]) {
                cut -= 1;
            }
            out.push(start..cut);
            start = cut;
            length = clusters[cut..i].iter().map(|c| c.advance).sum();
        }
        length += c.advance;
        i += 1;
    }
    if start < clusters.len() {
        out.push(start..clusters.len());
    }
    out
}
