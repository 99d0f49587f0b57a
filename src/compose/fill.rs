//! Dealing an article's body lines into column slots.

use super::module::Slot;
use super::runs::{align_offset, line_runs, line_runs_split, set_block};
use super::Composer;
use crate::display::Role;
use crate::paragraph::{break_lines, Line, ParagraphSettings};
use crate::source::Edition;
use crate::text::{FontChain, ShapedText, StyleSpan};

/// Where an article's body text stands: paragraph and byte offset in it.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub(super) struct Cursor {
    pub(super) paragraph: usize,
    pub(super) offset: usize,
    /// Lines of the credit already set (a long one may span columns).
    pub(super) credit_lines: usize,
}

/// Text and style spans for paragraph `p` of an article from byte `offset`,
/// and where the dateline ends in that text.
pub(super) fn paragraph_source(
    edition: &Edition,
    body: &FontChain,
    dateline: &FontChain,
    article: usize,
    p: usize,
    offset: usize,
) -> (String, Vec<StyleSpan>, Option<usize>) {
    let a = &edition.articles[article];
    let text = &a.paragraphs[p][offset..];
    let mut spans = Vec::new();
    let mut dateline_end = None;
    if p == 0 {
        if let Some(d) = &a.dateline_range {
            if d.end > offset {
                let end = d.end - offset;
                spans.push(StyleSpan {
                    range: 0..end,
                    chain: dateline.clone(),
                });
                dateline_end = Some(end);
            }
        }
    }
    let start = dateline_end.unwrap_or(0);
    if start < text.len() {
        spans.push(StyleSpan {
            range: start..text.len(),
            chain: body.clone(),
        });
    }
    (text.to_string(), spans, dateline_end)
}

/// A paragraph shaped and broken: the text, its lines and the dateline end.
/// Shared, because a paragraph that recurs (a boilerplate line, a repeated
/// notice) is shaped and broken once per measure.
pub(super) type Broken = std::sync::Arc<(ShapedText, Vec<Line>, Option<usize>)>;

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

impl<'a> Composer<'a> {
    pub(super) fn body_settings(&self, continued: bool) -> ParagraphSettings {
        let mut s = self.styles.body.style.paragraph.clone();
        if continued {
            s.indent = 0.0;
        }
        s
    }

    /// Break paragraph `p` from `offset` at `measure`.
    pub(super) fn break_paragraph(
        &mut self,
        article: usize,
        p: usize,
        offset: usize,
        measure: f32,
    ) -> Broken {
        if offset == 0 {
            if let Some(done) = self.prebroken.take(article, p, measure) {
                self.note_missing(article, p + 1, offset, &done.0);
                return done;
            }
        }
        let (text, spans, dateline_end) = paragraph_source(
            self.edition,
            &self.styles.body.chain,
            &self.styles.dateline.chain,
            article,
            p,
            offset,
        );
        let shaped = self.shaper.borrow_mut().shape(&text, &spans);
        self.note_missing(article, p + 1, offset, &shaped);
        let lines = break_lines(&shaped, measure, &self.body_settings(offset > 0));
        std::sync::Arc::new((shaped, lines, dateline_end))
    }

    /// Deal an article's remaining body lines into `slots`. Returns the lines
    /// set and, if the slots ran out, where the text stands.
    pub(super) fn fill_slots(
        &mut self,
        article: usize,
        mut cursor: Cursor,
        slots: &mut [Slot],
        reserve_jump: bool,
    ) -> (u32, Option<Cursor>) {
        let n_paragraphs = self.edition.articles[article].paragraphs.len();
        let mut set = 0u32;
        let mut si = 0usize;
        let mut line_no = match slots.first() {
            Some(s) => s.first_line,
            None => return (0, Some(cursor)),
        };
        let last_of = |slots: &[Slot], si: usize| {
            let s = &slots[si];
            if reserve_jump && si + 1 == slots.len() {
                s.last_line.saturating_sub(1)
            } else {
                s.last_line
            }
        };
        // Advance to a slot with room; false when none is left.
        let advance = |si: &mut usize, line_no: &mut u32, slots: &[Slot]| -> bool {
            while *si < slots.len() && *line_no > last_of(slots, *si) {
                *si += 1;
                if *si < slots.len() {
                    *line_no = slots[*si].first_line;
                }
            }
            *si < slots.len()
        };
        while cursor.paragraph < n_paragraphs {
            if !advance(&mut si, &mut line_no, slots) {
                return (set, Some(cursor));
            }
            let measure = slots[si].measure;
            // A paragraph cut at the end of the last column goes on with the
            // lines it was broken into, when the next column has the same
            // measure: one break per paragraph and measure (DESIGN §4).
            let (broken, first, base) = match self.leftover.take() {
                Some(l)
                    if l.article == article
                        && l.paragraph == cursor.paragraph
                        && l.measure_bits == measure.to_bits()
                        && l.base + l.broken.1[l.next].range.start == cursor.offset =>
                {
                    (l.broken, l.next, l.base)
                }
                _ => (
                    self.break_paragraph(article, cursor.paragraph, cursor.offset, measure),
                    0,
                    cursor.offset,
                ),
            };
            let mut cut = None;
            let mut rebroken = false;
            {
                let (shaped, lines, dateline_end) = &*broken;
                for (li, line) in lines.iter().enumerate().skip(first) {
                    if !advance(&mut si, &mut line_no, slots) {
                        cut = Some(li);
                        break;
                    }
                    if (slots[si].measure - measure).abs() > 0.01 {
                        // A narrower or wider column: break the rest again.
                        cursor.offset = base + line.range.start;
                        rebroken = true;
                        break;
                    }
                    let slot = &slots[si];
                    let dateline = self.styles.dateline.style.color;
                    let items = line_runs_split(
                        &shaped.text,
                        line,
                        slot.x,
                        self.layout.grid.baseline(line_no),
                        (self.styles.body.style.color, Role::Body),
                        dateline_end.map(|e| (e, dateline, Role::Dateline)),
                        (
                            Some(article + 1),
                            Some(slot.module),
                            Some(slot.column),
                            Some(line_no),
                        ),
                    );
                    self.note_line(article, cursor.paragraph, line);
                    self.page_mut(slot.page).items.extend(items);
                    line_no += 1;
                    set += 1;
                }
            }
            if let Some(next) = cut {
                cursor.offset = base + broken.1[next].range.start;
                self.leftover = Some(Leftover {
                    article,
                    paragraph: cursor.paragraph,
                    base,
                    next,
                    measure_bits: measure.to_bits(),
                    broken,
                });
                return (set, Some(cursor));
            }
            if !rebroken {
                cursor.paragraph += 1;
                cursor.offset = 0;
            }
        }
        {
            if let Some(credit) = self.edition.articles[article].credit.clone() {
                if !advance(&mut si, &mut line_no, slots) {
                    return (set, Some(cursor));
                }
                let block = set_block(
                    &credit,
                    &self.styles.credit,
                    slots[si].measure,
                    &self.shaper,
                );
                if let Some(bl) = block.first() {
                    let shaped = bl.shaped.clone();
                    self.note_missing_in(Some(article), 0, "credit", 0, &shaped);
                }
                // A long credit may run into the next column: go on from the
                // first of its lines not yet set.
                for bl in block.iter().skip(cursor.credit_lines) {
                    if !advance(&mut si, &mut line_no, slots) {
                        return (set, Some(cursor));
                    }
                    let slot = &slots[si];
                    let off = align_offset(
                        self.styles.credit.style.paragraph.align,
                        slot.measure,
                        bl.line.width,
                    );
                    let items = line_runs(
                        &bl.shaped.text,
                        &bl.line,
                        slot.x + off,
                        self.layout.grid.baseline(line_no),
                        self.styles.credit.style.color,
                        Role::Credit,
                        Some(article + 1),
                        Some(slot.module),
                        Some(slot.column),
                        Some(line_no),
                    );
                    self.page_mut(slot.page).items.extend(items);
                    line_no += 1;
                    set += 1;
                    cursor.credit_lines += 1;
                }
            }
        }
        (set, None)
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
            count += self
                .break_paragraph(article, c.paragraph, c.offset, measure)
                .1
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
