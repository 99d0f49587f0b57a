//! Dealing an article's body lines into column slots.

use super::balance::LineMark;
use super::inline::{paragraph_source, Accent, AccentSpan};
use super::module::Slot;
use super::report::Holder;
use super::runs::{
    align_offset, line_runs, line_runs_split, set_credit, BlockLine, Owner, Paint, PaintSpan,
    Placement,
};
use super::{Composer, EPSILON_PT};
use crate::display::{Item, Role};
use crate::paragraph::{break_lines, Line};
use crate::source::ParagraphKind;
use crate::text::ShapedText;

/// Where an article's body text stands: paragraph and byte offset in it.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub(super) struct Cursor {
    /// 0-based paragraph of the article.
    pub(super) paragraph: usize,
    /// Byte in the paragraph where the text not yet set starts.
    pub(super) offset: usize,
    /// Lines of the credit already set (a long one may span columns).
    pub(super) credit_lines: usize,
}

/// A paragraph shaped and broken at one measure.
pub(super) struct BrokenParagraph {
    /// The paragraph's text (from where it was broken) shaped.
    pub(super) shaped: ShapedText,
    /// Its lines at the measure.
    pub(super) lines: Vec<Line>,
    /// What the paragraph is.
    pub(super) kind: ParagraphKind,
    /// The runs in another style (dateline, bold) in the text.
    pub(super) accents: Vec<AccentSpan>,
}

/// A broken paragraph, shared: one that recurs (a boilerplate line, a
/// repeated notice) is shaped and broken once per measure.
pub(super) type Broken = std::sync::Arc<BrokenParagraph>;

/// The lines of a paragraph not yet dealt when the columns ran out.
pub(super) struct Leftover {
    article: usize,
    paragraph: usize,
    /// Byte offset in the paragraph where the broken text starts.
    base: usize,
    /// Index of the first line not yet set.
    next: usize,
    measure_bits: u32,
    broken: Broken,
}

/// What [`Composer::fill_slots`] set.
#[derive(Debug, Clone, Copy)]
pub(super) struct Filled {
    /// Body and credit lines set.
    pub(super) lines: u32,
    /// Where the text stands when the slots ran out; `None` when all of
    /// it was set.
    pub(super) rest: Option<Cursor>,
}

/// Walks down the slots a grid line at a time.
pub(super) struct SlotWalk<'s> {
    slots: &'s [Slot],
    /// The slot being filled.
    index: usize,
    /// The grid line the next line goes on.
    pub(super) line: u32,
    /// Keep the last line of the last slot free for a jump line.
    reserve_jump: bool,
    /// The slots are cut where balancing planned the text to end: deal
    /// exactly as planned (balancing kept subheads with their text).
    pub(super) balanced: bool,
}

impl<'s> SlotWalk<'s> {
    /// The last grid line slot `index` gives body text.
    fn last_line(&self, index: usize) -> u32 {
        let s = &self.slots[index];
        if self.reserve_jump && index + 1 == self.slots.len() {
            s.last_line.saturating_sub(1)
        } else {
            s.last_line
        }
    }

    /// Grid lines left in the slot being filled.
    pub(super) fn left(&self) -> u32 {
        if self.index >= self.slots.len() {
            return 0;
        }
        (self.last_line(self.index) + 1).saturating_sub(self.line)
    }

    /// Whether the next line opens its column.
    pub(super) fn at_column_top(&self) -> bool {
        self.slots
            .get(self.index)
            .is_some_and(|s| self.line <= s.first_line)
    }

    /// Leave the rest of this slot empty and go on at the top of the next
    /// one, if there is one.
    pub(super) fn next_column(&mut self) {
        if let Some(next) = self.slots.get(self.index + 1) {
            self.index += 1;
            self.line = next.first_line;
        }
    }

    /// The slot with room for the next line, moving on to the next slot when
    /// this one is full; `None` when no slot is left.
    pub(super) fn room(&mut self) -> Option<&'s Slot> {
        while self.index < self.slots.len() && self.line > self.last_line(self.index) {
            self.index += 1;
            if self.index < self.slots.len() {
                self.line = self.slots[self.index].first_line;
            }
        }
        self.slots.get(self.index)
    }
}

/// How dealing one paragraph ended.
pub(super) enum Dealt {
    /// All its lines were set.
    Done,
    /// The measure changed: the rest is broken again from the cursor.
    Rebreak,
    /// The slots ran out.
    Full,
}

impl<'a> Composer<'a> {
    /// Break paragraph `p` from `offset` at `measure`.
    pub(super) fn break_paragraph(
        &mut self,
        article: usize,
        p: usize,
        offset: usize,
        measure: f32,
    ) -> Broken {
        if let Some(kept) = self.prebroken.take_kept(article, p, offset, measure) {
            return kept;
        }
        if offset == 0 {
            if let Some(done) = self.prebroken.take(article, p, measure) {
                self.note_missing(article, p, offset, &done.shaped);
                return done;
            }
        }
        let source = paragraph_source(self.edition, &self.body_style, self.db, article, p, offset);
        let shaped = self.shaper.borrow_mut().shape(&source.text, &source.spans);
        self.note_missing(article, p, offset, &shaped);
        let settings = self.body_style.settings(source.kind, offset > 0);
        let lines = break_lines(&shaped, measure, &settings);
        std::sync::Arc::new(BrokenParagraph {
            shaped,
            lines,
            kind: source.kind,
            accents: source.accents,
        })
    }

    /// Deal an article's remaining body lines, then its credit, into
    /// `slots`.
    pub(super) fn fill_slots(
        &mut self,
        article: usize,
        mut cursor: Cursor,
        slots: &[Slot],
        reserve_jump: bool,
        balanced: bool,
    ) -> Filled {
        let n_paragraphs = self.edition.articles[article].paragraphs.len();
        let mut filled = Filled {
            lines: 0,
            rest: Some(cursor),
        };
        let Some(first) = slots.first() else {
            return filled;
        };
        let mut walk = SlotWalk {
            slots,
            index: 0,
            line: first.first_line,
            reserve_jump,
            balanced,
        };
        while cursor.paragraph < n_paragraphs {
            let dealt = if self.is_element(article, cursor.paragraph) {
                self.deal_element(article, cursor.paragraph, &mut walk, &mut filled.lines)
            } else {
                self.deal_paragraph(article, &mut cursor, &mut walk, &mut filled.lines)
            };
            match dealt {
                Dealt::Done => {
                    cursor.paragraph += 1;
                    cursor.offset = 0;
                }
                Dealt::Rebreak => {}
                Dealt::Full => {
                    filled.rest = Some(cursor);
                    return filled;
                }
            }
        }
        let credit_set = self.deal_credit(article, &mut cursor, &mut walk, &mut filled.lines);
        filled.rest = if credit_set { None } else { Some(cursor) };
        filled
    }

    /// Deal the lines of the paragraph at `cursor` from there on, counting
    /// them in `set`.
    fn deal_paragraph(
        &mut self,
        article: usize,
        cursor: &mut Cursor,
        walk: &mut SlotWalk<'_>,
        set: &mut u32,
    ) -> Dealt {
        let Some(slot) = walk.room() else {
            return Dealt::Full;
        };
        let measure = slot.measure;
        // A paragraph cut at the end of the last column goes on with the
        // lines it was broken into, when the next column has the same
        // measure: one break per paragraph and measure (DESIGN §4).
        let (broken, first, base) = match self.leftover.take() {
            Some(l)
                if l.article == article
                    && l.paragraph == cursor.paragraph
                    && l.measure_bits == measure.to_bits()
                    && l.base + l.broken.lines[l.next].range.start == cursor.offset =>
            {
                (l.broken, l.next, l.base)
            }
            _ => (
                self.break_paragraph(article, cursor.paragraph, cursor.offset, measure),
                0,
                cursor.offset,
            ),
        };
        let (body, accents) = self.paints(&broken);
        for (li, line) in broken.lines.iter().enumerate().skip(first) {
            let Some(slot) = walk.room() else {
                cursor.offset = base + line.range.start;
                self.leftover = Some(Leftover {
                    article,
                    paragraph: cursor.paragraph,
                    base,
                    next: li,
                    measure_bits: measure.to_bits(),
                    broken: broken.clone(),
                });
                return Dealt::Full;
            };
            if (slot.measure - measure).abs() > EPSILON_PT {
                // A narrower or wider column: break the rest again.
                cursor.offset = base + line.range.start;
                return Dealt::Rebreak;
            }
            let owner = Owner {
                article: Some(article + 1),
                module: Some(slot.module),
                column: Some(slot.column),
                grid_line: Some(walk.line),
                source_line: self.edition.articles[article]
                    .origin
                    .paragraph_lines
                    .get(cursor.paragraph)
                    .copied(),
            };
            let at = Placement {
                x: slot.x,
                baseline: self.layout.grid.baseline(walk.line),
            };
            let mut items = line_runs_split(&broken.shaped.text, line, at, body, &accents, owner);
            for item in &mut items {
                if let Item::Glyphs(run) = item {
                    run.paragraph = Some(cursor.paragraph + 1);
                }
            }
            self.note_line(article, cursor.paragraph, line);
            self.page_mut(slot.page).items.extend(items);
            walk.line += 1;
            *set += 1;
        }
        Dealt::Done
    }

    /// How a broken paragraph is painted: the paint of its kind, and its
    /// accents' paints over their ranges.
    fn paints(&self, broken: &BrokenParagraph) -> (Paint, Vec<PaintSpan>) {
        let base = match broken.kind {
            ParagraphKind::Lead => Paint {
                color: self.styles.lead.style.color,
                role: Role::Lead,
            },
            _ => Paint {
                color: self.styles.body.style.color,
                role: Role::Body,
            },
        };
        let accents = broken
            .accents
            .iter()
            .map(|s| PaintSpan {
                range: s.range.clone(),
                paint: match s.accent {
                    Accent::Dateline => Paint {
                        color: self.styles.dateline.style.color,
                        role: Role::Dateline,
                    },
                    // Bold is body text in another face: the same role,
                    // in the structure and the frame check alike.
                    Accent::Emphasis => Paint {
                        color: self.styles.emphasis.style.color,
                        role: base.role,
                    },
                },
            })
            .collect();
        (base, accents)
    }

    /// Deal the article's credit, if it has one, after its last paragraph;
    /// false when the slots ran out first.
    fn deal_credit(
        &mut self,
        article: usize,
        cursor: &mut Cursor,
        walk: &mut SlotWalk<'_>,
        set: &mut u32,
    ) -> bool {
        let Some(credit) = self.edition.articles[article].credit.clone() else {
            return true;
        };
        let Some(slot) = walk.room() else {
            return false;
        };
        let style = &self.article_style(article, &self.styles.credit);
        let block: Vec<BlockLine> = set_credit(&credit, style, slot.measure, &self.shaper);
        if let Some(bl) = block.first() {
            let shaped = bl.shaped.clone();
            let line = self.edition.articles[article].origin.credit_line;
            self.note_missing_in(Holder::article(article, "credit", line), 0, &shaped);
        }
        let paint = Paint {
            color: self.styles.credit.style.color,
            role: Role::Credit,
        };
        let align = self.styles.credit.style.paragraph.align;
        // A long credit may run into the next column: go on from the first
        // of its lines not yet set.
        for bl in block.iter().skip(cursor.credit_lines) {
            let Some(slot) = walk.room() else {
                return false;
            };
            let at = Placement {
                x: slot.x + align_offset(align, slot.measure, bl.line.width),
                baseline: self.layout.grid.baseline(walk.line),
            };
            let owner = Owner {
                article: Some(article + 1),
                module: Some(slot.module),
                column: Some(slot.column),
                grid_line: Some(walk.line),
                source_line: self.edition.articles[article].origin.credit_line,
            };
            let items = line_runs(&bl.shaped.text, &bl.line, at, paint, owner);
            self.page_mut(slot.page).items.extend(items);
            walk.line += 1;
            *set += 1;
            cursor.credit_lines += 1;
        }
        true
    }

    /// The lines the rest of an article takes at `measure`, each marked
    /// where its paragraph starts and ends, as [`Composer::fill_slots`]
    /// will deal them (going on from the lines of a paragraph cut at the
    /// end of the last column). Stops once past `limit` lines: the text
    /// does not fit. The paragraphs broken here are kept for the dealing.
    pub(super) fn line_marks(
        &mut self,
        article: usize,
        cursor: Cursor,
        measure: f32,
        limit: u32,
    ) -> Vec<LineMark> {
        let n = self.edition.articles[article].paragraphs.len();
        // Entries kept for other articles will not be dealt here.
        self.prebroken.forget_kept_but(article);
        let mut marks = Vec::new();
        let push = push_text_marks;
        let mut c = cursor;
        if let Some(l) = self.leftover.as_ref().filter(|l| {
            l.article == article
                && l.paragraph == c.paragraph
                && l.measure_bits == measure.to_bits()
                && l.base + l.broken.lines[l.next].range.start == c.offset
        }) {
            push(&mut marks, l.broken.lines.len() - l.next, false);
            c.paragraph += 1;
            c.offset = 0;
        }
        while c.paragraph < n && marks.len() as u32 <= limit {
            if self.is_element(article, c.paragraph) {
                if !self.is_lifted(article, c.paragraph) {
                    let block = self.element_block(article, c.paragraph, measure);
                    marks.extend(self.element_marks(&block));
                }
                c.paragraph += 1;
                c.offset = 0;
                continue;
            }
            let broken = self.break_paragraph(article, c.paragraph, c.offset, measure);
            push(&mut marks, broken.lines.len(), c.offset == 0);
            self.prebroken
                .keep(article, c.paragraph, c.offset, measure, broken);
            c.paragraph += 1;
            c.offset = 0;
        }
        if c.paragraph >= n && marks.len() as u32 <= limit {
            if let Some(credit) = &self.edition.articles[article].credit {
                let style = self.article_style(article, &self.styles.credit);
                let lines = set_credit(credit, &style, measure, &self.shaper).len();
                let left = lines.saturating_sub(cursor.credit_lines);
                push(&mut marks, left, cursor.credit_lines == 0);
            }
        }
        marks
    }

    /// Lines the rest of an article would take at `measure`.
    pub(super) fn count_remaining_lines(
        &mut self,
        article: usize,
        cursor: Cursor,
        measure: f32,
    ) -> u32 {
        let a = &self.edition.articles[article];
        let n = a.paragraphs.len();
        let mut count = 0;
        let mut c = cursor;
        while c.paragraph < n {
            if self.is_element(article, c.paragraph) {
                if !self.is_lifted(article, c.paragraph) {
                    count += self.element_block(article, c.paragraph, measure).grid_lines;
                }
                c.paragraph += 1;
                c.offset = 0;
                continue;
            }
            count += self
                .break_paragraph(article, c.paragraph, c.offset, measure)
                .lines
                .len() as u32;
            c.paragraph += 1;
            c.offset = 0;
        }
        if cursor.credit_lines == 0 && self.edition.articles[article].credit.is_some() {
            count += 1;
        }
        count
    }
}

/// Append the marks of `lines` lines of text (a paragraph, the rest of
/// one, or the credit) to `marks`; `starts` when they open the paragraph.
/// The first lines after a subhead are kept with it: only the line after
/// those may end a column.
pub(super) fn push_text_marks(marks: &mut Vec<LineMark>, lines: usize, starts: bool) {
    let after_subhead = marks.last().is_some_and(|m| m.keep_with_next);
    for i in 0..lines {
        marks.push(LineMark {
            starts_paragraph: starts && i == 0,
            ends_paragraph: i + 1 == lines,
            keep_with_next: after_subhead
                && i + 1 < super::elements::SUBHEAD_KEEP_LINES as usize
                && i + 1 < lines,
            space: false,
        });
    }
}
