//! The blocks inside an article's text (issue 19): 小标题 (subheads) and
//! 引语 (pull quotes), dealt into the columns with the body lines.
//!
//! Both take whole grid lines, so the body lines above and below them stay
//! on the grid. A subhead is one blank grid line and then its lines at the
//! body's baselines; it is kept with the first two lines of the text it
//! heads and so never ends a column (balancing marks it keep-with-next,
//! dealing into columns in turn moves it to the next column). A pull quote
//! is a block of whole grid lines, a rule above and below and its text
//! centred between them, never split across columns; with
//! `[elements] pull_quote = "span"` the first module of an article sets it
//! across its body columns under the headline block and pictures
//! ([`Composer::lift_pull_quotes`]), its runs entering the page where the
//! text reaches it so the text layer reads it in place.

use super::balance::LineMark;
use super::fill::{Dealt, SlotWalk};
use super::module::Slot;
use super::report::Holder;
use super::runs::{align_offset, line_runs, set_block, BlockLine, Owner, Paint, Placement};
use super::{Composer, ASCENT_EM, EPSILON_PT, GRID_SNAP};
use crate::display::{Item, Role};
use crate::layout::PullQuotePlacement;
use crate::source::ParagraphKind;

/// Blank grid lines above a subhead.
pub(super) const SUBHEAD_SPACE_LINES: u32 = 1;
/// Lines of the following text a subhead is kept with.
pub(super) const SUBHEAD_KEEP_LINES: u32 = 2;
/// Space between a pull quote's rule and the block's edge, in grid
/// pitches: the rules sit inside the block's lines, clear of the body
/// lines above and below.
const RULE_INSET_PITCH: f32 = 0.3;
/// Space between a pull quote's rules and its text, in grid pitches
/// (above and below together: one pitch).
const TEXT_PAD_PITCH: f32 = 1.0;
/// A column pull quote's text is indented this many 字 on each side.
const COLUMN_INSET_EM: f32 = 1.0;

/// A subhead or pull quote set at one measure.
pub(super) struct ElementBlock {
    /// What it is.
    pub(super) kind: ParagraphKind,
    /// Its text's lines.
    pub(super) lines: Vec<BlockLine>,
    /// Grid lines it takes, blank space included.
    pub(super) grid_lines: u32,
    /// Of those, blank grid lines above the text (a subhead's space).
    pub(super) space: u32,
}

/// A pull quote set across a module's columns, its runs waiting for the
/// text to reach it.
pub(super) struct Lifted {
    article: usize,
    paragraph: usize,
    page: usize,
    items: Vec<Item>,
}

impl<'a> Composer<'a> {
    /// What paragraph `p` of an article is.
    pub(super) fn paragraph_kind(&self, article: usize, p: usize) -> ParagraphKind {
        self.edition.articles[article]
            .paragraph_kinds
            .get(p)
            .copied()
            .unwrap_or_default()
    }

    /// Whether paragraph `p` is a block of its own (subhead, pull quote)
    /// rather than text broken into body lines.
    pub(super) fn is_element(&self, article: usize, p: usize) -> bool {
        matches!(
            self.paragraph_kind(article, p),
            ParagraphKind::Subhead | ParagraphKind::PullQuote
        )
    }

    /// Whether paragraph `p` is a pull quote already set across its
    /// module's columns: the column flow passes it by.
    pub(super) fn is_lifted(&self, article: usize, p: usize) -> bool {
        self.lifted_quotes.contains(&(article, p))
    }

    /// Set paragraph `p` (a subhead or a pull quote) for a column of
    /// `measure` pt, or across a span of that width.
    pub(super) fn element_block(&self, article: usize, p: usize, measure: f32) -> ElementBlock {
        let kind = self.paragraph_kind(article, p);
        let text = &self.edition.articles[article].paragraphs[p];
        let g = self.grid();
        match kind {
            ParagraphKind::PullQuote => {
                let style = &self.styles.pull_quote;
                let inset = COLUMN_INSET_EM * g.body_size;
                let lines = set_block(text, style, measure - 2.0 * inset, &self.shaper);
                let height = lines.len() as f32 * quote_leading(style) + TEXT_PAD_PITCH * g.pitch;
                ElementBlock {
                    kind,
                    grid_lines: (height / g.pitch - GRID_SNAP).ceil() as u32,
                    lines,
                    space: 0,
                }
            }
            _ => {
                let lines = set_block(text, &self.styles.subhead, measure, &self.shaper);
                ElementBlock {
                    kind,
                    grid_lines: SUBHEAD_SPACE_LINES + lines.len() as u32,
                    lines,
                    space: SUBHEAD_SPACE_LINES,
                }
            }
        }
    }

    /// Balancing's marks for an element's grid lines: none may end a
    /// column but the last of a pull quote (a subhead's last is kept with
    /// the text after it), and a subhead's blank line should not open one.
    pub(super) fn element_marks(&self, block: &ElementBlock) -> Vec<LineMark> {
        let n = block.grid_lines;
        (0..n)
            .map(|i| LineMark {
                starts_paragraph: true,
                ends_paragraph: true,
                keep_with_next: block.kind == ParagraphKind::Subhead || i + 1 < n,
                space: i < block.space,
            })
            .collect()
    }

    /// Deal the element at `cursor` into the column the walk is in, or the
    /// next one when it (with the lines a subhead is kept with) does not fit
    /// and the columns are filled in turn. A subhead's blank line is left
    /// out at the head of a column unless balancing planned it there.
    pub(super) fn deal_element(
        &mut self,
        article: usize,
        p: usize,
        walk: &mut SlotWalk<'_>,
        set: &mut u32,
    ) -> Dealt {
        if let Some(i) = self
            .lifted
            .iter()
            .position(|l| l.article == article && l.paragraph == p)
        {
            let l = self.lifted.remove(i);
            self.page_mut(l.page).items.extend(l.items);
            return Dealt::Done;
        }
        if self.is_lifted(article, p) {
            return Dealt::Done;
        }
        let Some(slot) = walk.room() else {
            return Dealt::Full;
        };
        let mut block = self.element_block(article, p, slot.measure);
        if !walk.balanced {
            let keep = match block.kind {
                ParagraphKind::Subhead => self.kept_lines_after(article, p, slot.measure),
                _ => 0,
            };
            if !walk.at_column_top() && walk.left() < block.grid_lines + keep {
                walk.next_column();
            }
            // Still no room in the last column: the element goes on with
            // the text it heads, wherever that is set.
            let space = if walk.at_column_top() { block.space } else { 0 };
            if walk.left() + space < block.grid_lines + keep {
                return Dealt::Full;
            }
        }
        // No blank line over a subhead at the head of a column (balancing
        // counts it so too).
        if walk.at_column_top() {
            block.grid_lines -= block.space;
            block.space = 0;
        }
        let Some(slot) = walk.room() else {
            return Dealt::Full;
        };
        if walk.left() < block.grid_lines {
            return Dealt::Full;
        }
        let slot = slot.clone();
        let top = walk.line;
        self.draw_element(article, p, &block, &slot, top);
        walk.line += block.grid_lines;
        *set += block.grid_lines;
        Dealt::Done
    }

    /// Lines of the text after subhead `p` it is kept with: the first
    /// [`SUBHEAD_KEEP_LINES`] of the next paragraph (broken here and kept
    /// for its dealing), or of the block after it.
    fn kept_lines_after(&mut self, article: usize, p: usize, measure: f32) -> u32 {
        let next = p + 1;
        if next >= self.edition.articles[article].paragraphs.len() {
            return 0;
        }
        let lines = if self.is_element(article, next) {
            self.element_block(article, next, measure).grid_lines
        } else {
            let broken = self.break_paragraph(article, next, 0, measure);
            let n = broken.lines.len() as u32;
            self.prebroken.keep(article, next, 0, measure, broken);
            n
        };
        lines.min(SUBHEAD_KEEP_LINES)
    }

    /// Draw an element from grid line `top` of a slot.
    fn draw_element(
        &mut self,
        article: usize,
        p: usize,
        block: &ElementBlock,
        slot: &Slot,
        top: u32,
    ) {
        let source_line = self.edition.articles[article]
            .origin
            .paragraph_lines
            .get(p)
            .copied();
        let owner = Owner {
            article: Some(article + 1),
            module: Some(slot.module),
            column: Some(slot.column),
            grid_line: None,
            source_line,
        };
        let items = match block.kind {
            ParagraphKind::PullQuote => {
                let inset = COLUMN_INSET_EM * self.grid().body_size;
                self.pull_quote_items(article, p, block, (slot.x, slot.measure), inset, top, owner)
            }
            _ => self.subhead_items(article, p, block, slot, top + block.space, owner),
        };
        self.page_mut(slot.page).items.extend(items);
    }

    /// A subhead's lines at the body's baselines from grid line `first`.
    fn subhead_items(
        &mut self,
        article: usize,
        p: usize,
        block: &ElementBlock,
        slot: &Slot,
        first: u32,
        owner: Owner,
    ) -> Vec<Item> {
        self.note_element_missing(article, p, "subhead", block);
        let style = &self.styles.subhead;
        let paint = Paint {
            color: style.style.color,
            role: Role::Subhead,
        };
        let align = style.style.paragraph.align;
        let mut items = Vec::new();
        for (i, bl) in block.lines.iter().enumerate() {
            let line = first + i as u32;
            let at = Placement {
                x: slot.x + align_offset(align, slot.measure, bl.line.width),
                baseline: self.layout.grid.baseline(line),
            };
            let owner = Owner {
                grid_line: Some(line),
                ..owner
            };
            items.extend(line_runs(&bl.shaped.text, &bl.line, at, paint, owner));
        }
        tag_paragraph(&mut items, p);
        items
    }

    /// A pull quote's rules and text in the grid lines from `top`, across
    /// `(x, width)`, its text inset by `inset` pt on each side.
    #[expect(
        clippy::too_many_arguments,
        reason = "one block's place: where, how wide, its owner"
    )]
    fn pull_quote_items(
        &mut self,
        article: usize,
        p: usize,
        block: &ElementBlock,
        (x, width): (f32, f32),
        inset: f32,
        top: u32,
        owner: Owner,
    ) -> Vec<Item> {
        self.note_element_missing(article, p, "pull quote", block);
        let g = self.grid();
        let y0 = g.line_top(top);
        let height = block.grid_lines as f32 * g.pitch;
        let style = &self.styles.pull_quote;
        let lead = quote_leading(style);
        let size = style.chain.size;
        let paint = Paint {
            color: style.style.color,
            role: Role::PullQuote,
        };
        let text_top = y0 + (height - block.lines.len() as f32 * lead) / 2.0;
        let align = style.style.paragraph.align;
        let mut items = Vec::new();
        for (i, bl) in block.lines.iter().enumerate() {
            let at = Placement {
                x: x + inset + align_offset(align, width - 2.0 * inset, bl.line.width),
                baseline: text_top + i as f32 * lead + (lead - size) / 2.0 + ASCENT_EM * size,
            };
            items.extend(line_runs(&bl.shaped.text, &bl.line, at, paint, owner));
        }
        tag_paragraph(&mut items, p);
        let rule_width = self.layout.rule_width;
        for y in [
            y0 + RULE_INSET_PITCH * g.pitch,
            y0 + height - RULE_INSET_PITCH * g.pitch,
        ] {
            items.push(Item::Rule(crate::display::Rule {
                role: Role::PullQuote,
                x0: x,
                y0: y,
                x1: x + width,
                y1: y,
                width: rule_width,
                color: style.style.color,
            }));
        }
        items
    }

    fn note_element_missing(&mut self, article: usize, p: usize, what: &str, b: &ElementBlock) {
        if let Some(first) = b.lines.first() {
            let shaped = first.shaped.clone();
            let line = self.edition.articles[article]
                .origin
                .paragraph_lines
                .get(p)
                .copied();
            self.note_missing_in(Holder::article(article, what, line), 0, &shaped);
        }
    }

    /// With `[elements] pull_quote = "span"`, set an article's pull quotes
    /// across the module's body columns from the columns' first line (under
    /// the headline block and pictures) and start the columns below them.
    /// Only where every column starts on the same line and has the same
    /// measure, and as many as fit above the columns' last line; the others
    /// stay in the text. Returns the grid lines they take.
    pub(super) fn lift_pull_quotes(&mut self, article: usize, slots: &mut [Slot]) -> u32 {
        if self.layout.elements.pull_quote != PullQuotePlacement::Span || slots.len() < 2 {
            return 0;
        }
        let (first, last) = (&slots[0], &slots[slots.len() - 1]);
        let same = slots.iter().all(|s| {
            s.first_line == first.first_line && (s.measure - first.measure).abs() < EPSILON_PT
        });
        if !same {
            return 0;
        }
        let (page, x, width) = (first.page, first.x, last.x + last.measure - first.x);
        let (top, bottom, module) = (first.first_line, first.last_line, first.module);
        let mut line = top;
        let n = self.edition.articles[article].paragraphs.len();
        for p in 0..n {
            if self.paragraph_kind(article, p) != ParagraphKind::PullQuote
                || self.is_lifted(article, p)
            {
                continue;
            }
            let block = self.element_block(article, p, width);
            // As make-up counts it (`spanning_quote_lines`): a quote that
            // fits the columns goes across them.
            if line + block.grid_lines > bottom + 1 {
                continue;
            }
            let owner = Owner {
                article: Some(article + 1),
                module: Some(module),
                column: None,
                grid_line: None,
                source_line: self.edition.articles[article]
                    .origin
                    .paragraph_lines
                    .get(p)
                    .copied(),
            };
            let inset = COLUMN_INSET_EM * self.grid().body_size;
            let items = self.pull_quote_items(article, p, &block, (x, width), inset, line, owner);
            self.lifted.push(Lifted {
                article,
                paragraph: p,
                page,
                items,
            });
            self.lifted_quotes.insert((article, p));
            line += block.grid_lines;
        }
        let taken = line - top;
        for s in slots.iter_mut() {
            s.first_line = line;
        }
        taken
    }

    /// Put on the page the lifted pull quotes of an article the text did
    /// not reach (it ran over): they are set all the same.
    pub(super) fn flush_lifted(&mut self, article: usize) {
        let (mine, rest): (Vec<Lifted>, Vec<Lifted>) = std::mem::take(&mut self.lifted)
            .into_iter()
            .partition(|l| l.article == article);
        self.lifted = rest;
        for l in mine {
            self.page_mut(l.page).items.extend(l.items);
        }
    }

    /// The grid lines more than in its column that an article's pull
    /// quotes take when set across `span` columns of one grid column's
    /// measure each, for make-up's count of a module's lines.
    pub(super) fn spanning_quote_lines(&self, article: usize, span: u32) -> u32 {
        if self.layout.elements.pull_quote != PullQuotePlacement::Span || span < 2 {
            return 0;
        }
        let g = self.grid();
        let width = g.span_chars(span) as f32 * g.body_size;
        let column = g.column_width();
        (0..self.edition.articles[article].paragraphs.len())
            .filter(|&p| self.paragraph_kind(article, p) == ParagraphKind::PullQuote)
            .map(|p| {
                let across = self.element_block(article, p, width).grid_lines * span;
                across.saturating_sub(self.element_block(article, p, column).grid_lines)
            })
            .sum()
    }

    /// Whether an article has pull quotes set across its module: the
    /// copyfit ladder, which counts text lines in columns, leaves it alone.
    pub(super) fn has_spanning_quotes(&self, article: usize) -> bool {
        self.layout.elements.pull_quote == PullQuotePlacement::Span
            && self.edition.articles[article]
                .paragraph_kinds
                .contains(&ParagraphKind::PullQuote)
    }
}

/// A pull quote's leading at its size.
fn quote_leading(r: &super::bind::Resolved<'_>) -> f32 {
    r.style.leading * r.chain.size / r.style.size
}

/// Mark runs as paragraph `p`'s (1-based in the display list) so the text
/// layer reads them in place.
fn tag_paragraph(items: &mut [Item], p: usize) {
    for item in items {
        if let Item::Glyphs(run) = item {
            run.paragraph = Some(p + 1);
        }
    }
}
