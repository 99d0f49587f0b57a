//! Turning paragraph lines into display-list runs, and filling column slots.

use crate::display::{Cmyk, GlyphRun, Item, Rect, Role, RunGlyph};
use crate::paragraph::{break_lines, Align, Line, ParagraphSettings};
use crate::text::{FontChain, ShapedText, Shaper, StyleSpan};

/// One shaper for a whole composition: it keeps parsed faces and shaping
/// plans between calls.
pub(crate) type ShaperCell<'db> = std::cell::RefCell<Shaper<'db>>;

use super::{Composer, Cursor, MissingGlyph, Resolved, Slot};
use crate::source::Edition;

/// A short piece of display text (headline, jump line) broken into lines.
pub struct BlockLine {
    pub shaped: std::rc::Rc<ShapedText>,
    pub line: Line,
}

/// Shape and break a one-style text at `width` with the style's settings.
pub(crate) fn set_block(
    text: &str,
    style: &Resolved<'_>,
    width: f32,
    shaper: &ShaperCell<'_>,
) -> Vec<BlockLine> {
    let spans = [StyleSpan {
        range: 0..text.len(),
        chain: style.chain.clone(),
    }];
    let shaped = std::rc::Rc::new(shaper.borrow_mut().shape(text, &spans));
    let lines = break_lines(&shaped, width, &style.style.paragraph);
    lines
        .into_iter()
        .map(|line| BlockLine {
            shaped: shaped.clone(),
            line,
        })
        .collect()
}

/// Where a line of natural width starts inside its measure.
pub(crate) fn align_offset(align: Align, measure: f32, width: f32) -> f32 {
    let slack = (measure - width).max(0.0);
    match align {
        Align::Center => slack / 2.0,
        Align::End => slack,
        Align::Justify | Align::Start => 0.0,
    }
}

/// Display runs for one line: one run per (face, size, role), plus a
/// placeholder box for each glyph no font has.
#[allow(clippy::too_many_arguments)]
pub fn line_runs(
    text: &str,
    line: &Line,
    x: f32,
    baseline: f32,
    color: Cmyk,
    role: Role,
    article: Option<usize>,
    module: Option<usize>,
    column: Option<usize>,
    grid_line: Option<u32>,
) -> Vec<Item> {
    line_runs_split(
        text,
        line,
        x,
        baseline,
        (color, role),
        None,
        (article, module, column, grid_line),
    )
}

type Meta = (Option<usize>, Option<usize>, Option<usize>, Option<u32>);

/// Like [`line_runs`], with text before byte `split.0` set as `split.1`.
pub(crate) fn line_runs_split(
    text: &str,
    line: &Line,
    x: f32,
    baseline: f32,
    (color, role): (Cmyk, Role),
    split: Option<(usize, Cmyk, Role)>,
    (article, module, column, grid_line): Meta,
) -> Vec<Item> {
    let mut items = Vec::new();
    let mut boxes = Vec::new();
    // The run being built and the byte offset in `text` its text starts at.
    let mut current: Option<(GlyphRun, usize)> = None;
    let style_at = |start: usize| match split {
        Some((end, c, r)) if start < end => (c, r),
        _ => (color, role),
    };
    for g in &line.glyphs {
        let (c, r) = style_at(g.range.start);
        let continues = current.as_ref().is_some_and(|(run, base)| {
            run.face == g.face
                && run.size == g.size
                && run.role == r
                && run.color == c
                && g.range.start >= *base
        });
        if !continues {
            // Text between two runs (a joiner, a zero-width space) and
            // before the first glyph of the line goes with the run that
            // follows it, so the text layer loses none.
            let start = match current.take() {
                Some((run, base)) => {
                    let end = base + run.text.len();
                    items.push(Item::Glyphs(run));
                    end
                }
                None => line.range.start,
            };
            let run = GlyphRun {
                role: r,
                x: x + g.x,
                y: baseline,
                face: g.face,
                font: String::new(),
                size: g.size,
                color: c,
                text: String::new(),
                glyphs: Vec::new(),
                article,
                module,
                column,
                grid_line,
            };
            current = Some((run, start.min(g.range.start)));
        }
        let (run, base) = current.as_mut().expect("a run was just started");
        // Glyphs of one cluster share its text: append each byte once, and
        // keep characters that made no glyph so the text layer loses none.
        let have = *base + run.text.len();
        if g.range.end > have {
            run.text.push_str(&text[have..g.range.end]);
        }
        run.glyphs.push(RunGlyph {
            id: if g.missing { 0 } else { g.glyph_id },
            x: x + g.x - run.x,
            y_offset: g.y_offset,
            advance: g.advance,
            range: (g.range.start - *base)..(g.range.end - *base),
        });
        if g.missing {
            boxes.push(Item::Rect(Rect {
                role: Role::MissingGlyph,
                x: x + g.x + g.size * 0.1,
                y: baseline - 0.8 * g.size,
                width: (g.advance - g.size * 0.2).max(1.0),
                height: g.size * 0.9,
                fill: None,
                stroke: Some(Cmyk(0.0, 100.0, 0.0, 0.0)),
                stroke_width: 0.5,
            }));
        }
    }
    if let Some((mut run, base)) = current.take() {
        let have = base + run.text.len();
        if let Some(rest) = text.get(have..line.range.end) {
            run.text.push_str(rest);
        }
        items.push(Item::Glyphs(run));
    }
    items.append(&mut boxes);
    items
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
    fn body_settings(&self, continued: bool) -> ParagraphSettings {
        let mut s = self.styles.body.style.paragraph.clone();
        if continued {
            s.indent = 0.0;
        }
        s
    }

    fn note_missing(
        &mut self,
        article: usize,
        paragraph: usize,
        offset: usize,
        shaped: &ShapedText,
    ) {
        let element = format!("paragraph {paragraph}");
        self.note_missing_in(Some(article), paragraph, &element, offset, shaped);
    }

    /// Report the characters of `shaped` no font covers, once each: `article`
    /// is the 0-based article (none for layout text), `element` what holds
    /// the text (for layout text, the key), `offset` where `shaped` starts
    /// in that element.
    pub(super) fn note_missing_in(
        &mut self,
        article: Option<usize>,
        paragraph: usize,
        element: &str,
        offset: usize,
        shaped: &ShapedText,
    ) {
        let number = article.map_or(0, |a| a + 1);
        for m in &shaped.missing {
            if self
                .reported_missing
                .insert((number, element.to_string(), offset + m.byte))
            {
                self.report.missing_glyphs.push(MissingGlyph {
                    article: number,
                    paragraph,
                    element: element.to_string(),
                    ch: m.ch,
                    code_point: m.ch as u32,
                });
            }
        }
    }

    /// Break paragraph `p` from `offset` at `measure`.
    fn break_paragraph(&mut self, article: usize, p: usize, offset: usize, measure: f32) -> Broken {
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

    fn note_line(&mut self, article: usize, paragraph: usize, line: &Line) {
        if line.overfull {
            self.report.warnings.push(format!(
                "article {} paragraph {}: a line is wider than the column",
                article + 1,
                paragraph + 1
            ));
        }
        if let Some(rule) = &line.broken_rule {
            self.report.warnings.push(format!(
                "article {} paragraph {}: {rule}",
                article + 1,
                paragraph + 1
            ));
        }
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

    /// The kicker / headline / subheadline texts of an article with styles.
    fn headline_parts(
        &self,
        article: usize,
        size: Option<f32>,
    ) -> Vec<(String, Resolved<'a>, Role)> {
        let a = &self.edition.articles[article];
        let level = &self.styles.levels[if a.level <= 1 { 0 } else { 1 }];
        let mut parts = Vec::new();
        if let Some(k) = &a.kicker {
            parts.push((k.clone(), level[0].clone(), Role::Kicker));
        }
        let main = match size {
            Some(s) => level[1].sized(s),
            None => level[1].clone(),
        };
        for h in &a.headline {
            parts.push((h.clone(), main.clone(), Role::Headline));
        }
        if let Some(s) = &a.subheadline {
            parts.push((s.clone(), level[2].clone(), Role::Subheadline));
        }
        parts
    }

    /// Grid lines a headline block takes, including one blank line below.
    pub(super) fn measure_headline(&self, article: usize, width: f32, size: Option<f32>) -> u32 {
        let parts = self.headline_parts(article, size);
        let total: f32 = parts
            .iter()
            .map(|(t, r, _)| set_block(t, r, width, &self.shaper).len() as f32 * leading(r))
            .sum();
        (total / self.layout.grid.pitch - 0.01).ceil() as u32 + 1
    }

    /// Draw the headline block at the top of a module; returns its grid lines.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn headline_block(
        &mut self,
        page: usize,
        module: usize,
        article: usize,
        x: f32,
        (top_line, last_line): (u32, u32),
        width: f32,
        size: Option<f32>,
    ) -> u32 {
        let parts = self.headline_parts(article, size);
        self.display_block(
            page,
            module,
            article,
            x,
            (top_line, last_line),
            width,
            parts,
            None,
        )
    }

    /// Draw display lines (headlines, kickers) from the top of `top_line`,
    /// centred in whole grid lines plus one blank line below; lines that
    /// would pass `last_line` are reported, not drawn. Returns the grid
    /// lines taken.
    #[allow(clippy::too_many_arguments)]
    fn display_block(
        &mut self,
        page: usize,
        module: usize,
        article: usize,
        x: f32,
        (top_line, last_line): (u32, u32),
        width: f32,
        parts: Vec<(String, Resolved<'a>, Role)>,
        layout_key: Option<&str>,
    ) -> u32 {
        let blocks: Vec<(Vec<BlockLine>, Resolved<'_>, Role)> = parts
            .into_iter()
            .map(|(t, r, role)| (set_block(&t, &r, width, &self.shaper), r, role))
            .collect();
        // Offsets across the parts keep two headline lines' characters apart.
        let mut offset = 0;
        for (block, _, role) in &blocks {
            if let Some(first) = block.first() {
                let shaped = first.shaped.clone();
                match layout_key {
                    Some(key) => self.note_missing_in(None, 0, key, offset, &shaped),
                    None => {
                        let element = role_element(*role);
                        self.note_missing_in(Some(article), 0, element, offset, &shaped)
                    }
                }
                offset += shaped.text.len() + 1;
            }
        }
        let total: f32 = blocks
            .iter()
            .map(|(b, r, _)| b.len() as f32 * leading(r))
            .sum();
        let g = &self.layout.grid;
        let lines = (total / g.pitch - 0.01).ceil() as u32 + 1;
        // Centre the text in the block's lines above the blank one.
        let mut y = g.line_top(top_line) + ((lines - 1) as f32 * g.pitch - total) / 2.0;
        let mut items = Vec::new();
        // Lines below the space given are not drawn over what follows; they
        // are reported as overset instead.
        let bottom = g.line_top(last_line) + g.pitch;
        let mut overset = 0;
        for (block, r, role) in &blocks {
            let size = r.chain.size;
            let lead = leading(r);
            for bl in block {
                let baseline = y + (lead - size) / 2.0 + 0.88 * size;
                if y + lead > bottom + 0.01 {
                    overset += 1;
                } else {
                    let off = align_offset(r.style.paragraph.align, width, bl.line.width);
                    items.extend(line_runs(
                        &bl.shaped.text,
                        &bl.line,
                        x + off,
                        baseline,
                        r.style.color,
                        *role,
                        Some(article + 1),
                        Some(module),
                        None,
                        None,
                    ));
                }
                y += lead;
            }
        }
        if overset > 0 {
            self.report.warnings.push(format!(
                "article {}: the headline needs {lines} grid lines but only {} are free; {overset} headline line(s) not set",
                article + 1,
                last_line + 1 - top_line.min(last_line + 1)
            ));
        }
        self.headline_overset = overset;
        self.page_mut(page).items.extend(items);
        lines
    }

    /// The short headline over a continuation (接题); returns its grid lines.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn continuation_head(
        &mut self,
        page: usize,
        article: usize,
        text: &str,
        x: f32,
        lines: (u32, u32),
        width: f32,
        module: usize,
        layout_key: Option<&str>,
    ) -> u32 {
        let r = self.styles.continuation_headline.clone();
        let parts = vec![(text.to_string(), r, Role::ContinuationHeadline)];
        self.display_block(page, module, article, x, lines, width, parts, layout_key)
    }

    /// A jump line (（下转第N版） / （上接第N版）) on one body line.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn jump_line(
        &mut self,
        page: usize,
        module: usize,
        article: usize,
        text: &str,
        x: f32,
        measure: f32,
        line_no: u32,
        at_end: bool,
    ) {
        let r = self.styles.jump.clone();
        let block = set_block(text, &r, measure, &self.shaper);
        if let Some(bl) = block.first() {
            let shaped = bl.shaped.clone();
            self.note_missing_in(Some(article), 0, "jump line", 0, &shaped);
            let off = if at_end {
                align_offset(Align::End, measure, bl.line.width)
            } else {
                0.0
            };
            let items = line_runs(
                &bl.shaped.text,
                &bl.line,
                x + off,
                self.layout.grid.baseline(line_no),
                r.style.color,
                Role::JumpLine,
                Some(article + 1),
                Some(module),
                None,
                Some(line_no),
            );
            self.page_mut(page).items.extend(items);
        }
    }
}

/// The name of a display element in reports.
fn role_element(role: Role) -> &'static str {
    match role {
        Role::Kicker => "kicker",
        Role::Headline => "headline",
        Role::Subheadline => "subheadline",
        Role::ContinuationHeadline => "continuation headline",
        Role::Credit => "credit",
        Role::JumpLine => "jump line",
        _ => "display text",
    }
}

fn leading(r: &Resolved<'_>) -> f32 {
    r.style.leading * r.chain.size / r.style.size
}
