//! Captions (图片说明) and picture credits: broken in the `caption` style
//! at the picture's width and set on whole grid lines below it, the
//! credit flush right, on the caption's last line when it fits there.

use super::runs::{
    align_offset, line_runs, set_block, set_credit, BlockLine, Owner, Paint, Placement,
};
use super::{Composer, ASCENT_EM};
use crate::display::Role;

/// Space between a caption's last words and a credit set on its line, em.
const CREDIT_GAP_EM: f32 = 1.0;

/// A caption and credit broken into grid lines.
pub(super) struct CaptionSet {
    /// Each line with its role, its x offset in the measure and its grid
    /// line counted from the first.
    pub(super) lines: Vec<(BlockLine, Role, f32, u32)>,
    /// Grid lines taken.
    pub(super) count: u32,
}

impl<'a> Composer<'a> {
    /// A caption and its credit broken at `width`: the caption's lines in
    /// the caption style, then the credit flush right, on the caption's
    /// last line when it fits there.
    pub(super) fn caption_block(
        &self,
        caption: &str,
        credit: Option<&str>,
        width: f32,
    ) -> CaptionSet {
        let style = &self.styles.caption;
        let align = style.style.paragraph.align;
        let mut lines = Vec::new();
        let mut count = 0;
        if !caption.trim().is_empty() {
            for bl in set_block(caption, style, width, &self.shaper) {
                let x = align_offset(align, width, bl.line.width);
                lines.push((bl, Role::Caption, x, count));
                count += 1;
            }
        }
        if let Some(credit) = credit.filter(|c| !c.trim().is_empty()) {
            let block = set_credit(credit, style, width, &self.shaper);
            let gap = CREDIT_GAP_EM * style.chain.size;
            let room = lines.last().map(|(bl, ..)| width - bl.line.width - gap);
            let share = match (&block[..], room) {
                ([one], Some(room)) => one.line.width <= room,
                _ => false,
            };
            let mut line = if share { count - 1 } else { count };
            for bl in block {
                let x = align_offset(crate::paragraph::Align::End, width, bl.line.width);
                lines.push((bl, Role::PictureCredit, x, line));
                line += 1;
            }
            count = line;
        }
        CaptionSet { lines, count }
    }

    /// Draw a caption block from grid line `at.1`, its lines at `at.0`.
    pub(super) fn draw_caption(
        &mut self,
        set: &CaptionSet,
        (page, module, article): (usize, usize, Option<usize>),
        at: (f32, u32),
        source_line: Option<usize>,
    ) {
        let g = self.grid();
        let style = self.styles.caption.clone();
        let size = style.chain.size;
        for (bl, role, x, offset) in &set.lines {
            let k = at.1 + offset;
            let baseline = g.line_top(k) + (g.pitch - size) / 2.0 + ASCENT_EM * size;
            let element = if *role == Role::Caption {
                "caption"
            } else {
                "picture credit"
            };
            let holder = match article {
                Some(a) => super::report::Holder::article(a, element, source_line),
                None => super::report::Holder::layout(element),
            };
            self.note_missing_in(holder, 0, &bl.shaped.clone());
            let paint = Paint {
                color: style.style.color,
                role: *role,
            };
            let owner = Owner {
                article: article.map(|a| a + 1),
                module: Some(module),
                column: None,
                grid_line: Some(k),
                source_line,
            };
            let placement = Placement {
                x: at.0 + x,
                baseline,
            };
            let items = line_runs(&bl.shaped.text, &bl.line, placement, paint, owner);
            self.page_mut(page).items.extend(items);
        }
    }
}
