//! Planned modules: their geometry, and setting an article (or the rest of
//! one) into one.

use super::fill::Cursor;
use super::headline::{BlockPlace, JumpPlace};
use super::makeup::{ModuleLines, ModuleSet};
use super::pictures::PicturesSet;
use super::report::{HeadFit, ModuleFit, SourceLine};
use super::{Composer, EPSILON_PT};
use crate::display::{GridLines, ModuleFrame, Role};
use crate::layout::ModuleSpec;
use crate::paragraph::Align;

/// A column the body text can fill.
#[derive(Debug, Clone)]
pub(super) struct Slot {
    pub(super) page: usize,
    pub(super) x: f32,
    /// Measure in pt.
    pub(super) measure: f32,
    /// Grid lines, 1-based inclusive.
    pub(super) first_line: u32,
    pub(super) last_line: u32,
    pub(super) module: usize,
    pub(super) column: usize,
}

impl Slot {
    /// Grid lines the slot holds.
    pub(super) fn capacity(&self) -> u32 {
        if self.last_line < self.first_line {
            0
        } else {
            self.last_line - self.first_line + 1
        }
    }
}

/// A module's box on the page, pt: left, top, right, bottom.
#[derive(Debug, Clone, Copy)]
pub(super) struct ModuleBox {
    pub(super) x0: f32,
    pub(super) y0: f32,
    pub(super) x1: f32,
    pub(super) y1: f32,
}

impl ModuleBox {
    /// The module's frame in the display list, with no body planned.
    pub(super) fn frame(&self, name: String, columns: Vec<(f32, f32)>) -> ModuleFrame {
        ModuleFrame {
            name,
            x: self.x0,
            y: self.y0,
            width: self.x1 - self.x0,
            height: self.y1 - self.y0,
            columns,
            module: None,
            article: None,
            body_lines: Vec::new(),
        }
    }
}

/// A planned module and the article it sets (or continues).
#[derive(Debug, Clone, Copy)]
pub(super) struct Setting<'m> {
    /// 0-based page.
    pub(super) page: usize,
    /// 0-based module on the page.
    pub(super) module: usize,
    pub(super) spec: &'m ModuleSpec,
    /// 0-based article.
    pub(super) article: usize,
}

/// A module's body below its headline.
struct Body {
    slots: Vec<Slot>,
    /// Grid lines the headline block takes.
    head_lines: u32,
    /// Columns starting left of this, pt, are below the headline.
    head_right: f32,
    /// Last grid line of the body columns.
    bottom_line: u32,
    /// Grid lines the article's pictures take under the headline.
    picture_lines: u32,
    /// Columns starting left of this, pt, are below the pictures.
    picture_right: f32,
}

impl<'a> Composer<'a> {
    /// Geometry of a planned module.
    pub(super) fn module_box(&self, m: &ModuleSpec) -> ModuleBox {
        let g = self.grid();
        ModuleBox {
            x0: g.column_x(m.columns.0 - 1),
            y0: g.line_top(m.lines.0),
            x1: g.column_x(m.columns.1 - 1) + g.column_width(),
            y1: g.line_top(m.lines.1) + g.pitch,
        }
    }

    /// A module with nothing to set: its frame only.
    pub(super) fn empty_module(&mut self, pi: usize, mi: usize, m: &ModuleSpec) {
        let name = format!("page {} module {} (empty)", pi + 1, mi + 1);
        let frame = ModuleFrame {
            module: Some(mi + 1),
            ..self.module_box(m).frame(name, Vec::new())
        };
        self.page_mut(pi).modules.push(frame);
    }

    /// Body columns of a module: (x, measure in pt).
    pub(super) fn body_columns(&self, m: &ModuleSpec) -> Vec<(f32, f32)> {
        let g = self.grid();
        let (first, last) = super::vertical::body_span(m);
        let span = last - first + 1;
        let pad = m.boxing.padding;
        let x0 = g.column_x(first - 1) + self.pad_x(m);
        if m.body_columns == span && pad == 0 {
            return (0..span)
                .map(|c| (g.column_x(first - 1 + c), g.column_width()))
                .collect();
        }
        // 破栏 (or a padded box): equal whole-character columns; the
        // remainder widens the gutters.
        let k = m.body_columns;
        let total = g.span_chars(span) - 2 * pad;
        let chars = total
            .checked_sub((k - 1) * g.gutter_chars)
            .map(|c| c / k)
            .expect("layout::resolve_module refuses body_columns and padding that leave no column");
        let gutter = if k > 1 {
            (total - k * chars) as f32 * g.body_size / (k - 1) as f32
        } else {
            0.0
        };
        let measure = chars as f32 * g.body_size;
        (0..k)
            .map(|c| (x0 + c as f32 * (measure + gutter), measure))
            .collect()
    }

    /// Set an article (or the rest of one) into a planned module: where
    /// the text stands if it did not all fit, and the lines the module
    /// took (a height from the text ends below its balanced columns).
    pub(super) fn set_module(&mut self, s: Setting<'_>, cursor: Cursor) -> ModuleSet {
        let g = self.grid();
        let continuation = s.spec.article.is_none();
        let items_before = self.page_mut(s.page).items.len();
        let pad_lines = self.pad_lines(s.spec);
        let ladder = self.copyfit(s, cursor);
        let s = match &ladder {
            Some((_, spec)) => Setting { spec, ..s },
            None => s,
        };
        let extra_line = ladder.as_ref().is_some_and(|(c, _)| c.headline_line_added);
        let drawn = self.module_head(s, extra_line);
        let head_lines = ladder.as_ref().map_or(drawn, |(c, _)| c.head_lines(drawn));
        let headline_overset = if continuation {
            0
        } else {
            self.headline_overset
        };
        let mut body = self.module_body(s, head_lines);
        let pictures = if continuation || cursor != Cursor::default() {
            PicturesSet::default()
        } else {
            let bottom = body.bottom_line;
            let set = self.module_pictures(s, head_lines, bottom, &mut body.slots);
            (body.picture_lines, body.picture_right) = (set.0.lines, set.1);
            set.0
        };
        let headline_overset = headline_overset + pictures.overset;
        if !continuation && cursor == Cursor::default() {
            // Quotes across the columns stand under the pictures, which
            // then span every column too: the column rules start below both.
            let quotes = self.lift_pull_quotes(s.article, &mut body.slots);
            if quotes > 0 {
                body.picture_lines += quotes;
                body.picture_right = f32::INFINITY;
            }
        }
        let firsts: Vec<u32> = body.slots.iter().map(|sl| sl.first_line).collect();
        let continues_to_page = s.spec.continue_to.map(|c| c.page as u32);
        if continuation {
            self.continued_from_line(s, &mut body.slots);
        }
        // Text that fits ends level in every column and needs no jump line;
        // text that runs over fills the columns in turn.
        let balanced = self.balance_columns(s.article, cursor, &mut body.slots);
        let fitted;
        let s = match (s.spec.auto_bottom, balanced) {
            (true, true) => {
                let end = body
                    .slots
                    .iter()
                    .map(|sl| sl.last_line)
                    .chain(std::iter::once(
                        s.spec.lines.0
                            + pad_lines
                            + (head_lines + pictures.lines).saturating_sub(1),
                    ))
                    .chain(self.vertical_head_last_line(s))
                    .max()
                    .unwrap_or(s.spec.lines.0)
                    + pad_lines;
                // One blank line below for the rule, unless at the page foot.
                let last = (end + 1)
                    .min(g.lines)
                    .min(s.spec.lines.1)
                    .max(s.spec.lines.0);
                body.bottom_line = if last < g.lines && last > s.spec.lines.0 {
                    last - 1
                } else {
                    last
                }
                .saturating_sub(pad_lines);
                fitted = ModuleSpec {
                    lines: (s.spec.lines.0, last),
                    ..s.spec.clone()
                };
                Setting { spec: &fitted, ..s }
            }
            _ => s,
        };
        let available: u32 = firsts
            .iter()
            .map(|&f| (body.bottom_line + 1).saturating_sub(f))
            .sum();
        let reserve_jump = continues_to_page.is_some() && !balanced;
        let filled = self.fill_slots(s.article, cursor, &body.slots, reserve_jump, balanced);
        self.flush_lifted(s.article);
        let headline_overset =
            headline_overset + self.vertical_head_first(s, body.bottom_line, items_before);
        let overset = headline_overset
            + match filled.rest {
                // Counting the rest of a long article on each page it runs
                // on to would break it all again each time.
                Some(_) if self.making_up && continues_to_page.is_some() => 0,
                Some(r) => self.count_remaining_lines(
                    s.article,
                    r,
                    body.slots.last().map_or(g.column_width(), |s| s.measure),
                ),
                None => 0,
            };
        if let (Some(_), Some(page)) = (filled.rest, continues_to_page) {
            self.continued_on_line(s, &body.slots, page);
        }
        if available == 0 && filled.rest.is_some() {
            // The overset is the headline block's doing, not the text's
            // length: say so, or the report reads as text too long.
            let at = self
                .headline_line(s.article)
                .map_or(String::new(), |at| format!("{at}: "));
            self.report.warnings.push(format!(
                "{at}article {}: page {} module {}: the headline block takes every grid line of the module; no line is left for the text",
                s.article + 1,
                s.page + 1,
                s.module + 1
            ));
        }
        let frame_columns = self.body_columns(s.spec);
        self.module_rules(s, &body, &frame_columns);
        self.lead_grounds(s, items_before);
        self.module_tint(s, items_before);
        self.module_frame(s);
        let continued =
            filled.rest.is_some() && continues_to_page.is_some() && headline_overset == 0;
        let area = self.module_box(s.spec);
        if overset > 0 && !continued {
            self.overset_mark(s.page, area, overset);
        }
        let overset_at = match filled.rest {
            _ if overset == 0 => None,
            _ if pictures.overset > 0 => self.source_line(s.article, pictures.overset_line),
            _ if headline_overset > 0 => self.headline_line(s.article),
            Some(r) => self.overset_line(s.article, r),
            None => None,
        };
        let used = filled.lines + u32::from(continued) + u32::from(continuation);
        let head = HeadFit {
            lines: head_lines,
            written_lines: (overset > 0 && !continued && !continuation)
                .then(|| self.written_headline_lines(s.article, s.spec.headline_size)),
            overset: headline_overset,
            columns_below: body.slots.iter().filter(|c| c.x < body.head_right).count() as u32,
        };
        let measure = body.slots.last().map_or(g.column_width(), |c| c.measure);
        let chars_per_line = self.chars_per_line(measure);
        self.report.modules.push(ModuleFit {
            page: s.page as u32 + 1,
            module: s.module + 1,
            article: s.article + 1,
            headline: self.edition.articles[s.article].headline.concat(),
            lines_set: used.min(available),
            lines_available: available,
            overset,
            overset_at,
            continued,
            continued_on: if continued { continues_to_page } else { None },
            empty: available.saturating_sub(used),
            lines: [s.spec.lines.0, s.spec.lines.1],
            auto_height: s.spec.auto_bottom,
            chars_per_line,
            columns: body.slots.len() as u32,
            grid_lines: s.spec.lines.1 + 1 - s.spec.lines.0,
            head,
            copyfit: ladder.as_ref().map(|(done, _)| done.clone()),
        });
        let name = format!(
            "page {} module {} article {}",
            s.page + 1,
            s.module + 1,
            s.article + 1
        );
        let frame = ModuleFrame {
            module: Some(s.module + 1),
            article: Some(s.article + 1),
            // The lines each column may fill, as the report counts them
            // available (balancing ends the columns above that).
            body_lines: firsts
                .iter()
                .map(|&first| GridLines {
                    first,
                    last: body.bottom_line,
                })
                .collect(),
            ..area.frame(name, frame_columns)
        };
        self.page_mut(s.page).modules.push(frame);
        ModuleSet {
            rest: filled.rest,
            lines: ModuleLines {
                first: s.spec.lines.0,
                last: s.spec.lines.1,
            },
        }
    }

    /// Where the text not set from `rest` on starts in the article file.
    fn overset_line(&self, article: usize, rest: Cursor) -> Option<SourceLine> {
        let a = &self.edition.articles[article];
        if rest.paragraph < a.paragraphs.len() {
            self.paragraph_line(article, rest.paragraph)
        } else {
            self.source_line(article, a.origin.credit_line)
        }
    }

    /// Draw a module's headline block (its first headline line in one line
    /// more with `extra_line`), or a continuation's 接题; returns the grid
    /// lines it takes.
    fn module_head(&mut self, s: Setting<'_>, extra_line: bool) -> u32 {
        let g = self.grid();
        let m = s.spec;
        // Padding moves the headline in from the box on the sides it
        // touches.
        let span = m.columns.1 - m.columns.0 + 1;
        let pads = if m.headline_columns == span { 2 } else { 1 };
        let place = BlockPlace {
            page: s.page,
            module: s.module,
            article: s.article,
            x: self.module_box(m).x0 + self.pad_x(m),
            top_line: m.lines.0 + self.pad_lines(m),
            last_line: m.lines.1,
            width: g.span_chars(m.headline_columns) as f32 * g.body_size
                - pads as f32 * self.pad_x(m),
        };
        if m.article.is_some() && m.vertical_headline.is_some() {
            // Drawn once the module's height is known (`vertical_head`).
            return 0;
        }
        if m.article.is_some() {
            return self.headline_block(place, m.headline_size, extra_line);
        }
        let key = format!(
            "pages[{}].modules[{}].continuation_headline",
            s.page + 1,
            s.module + 1
        );
        let (text, key) = match &m.continuation_headline {
            Some(t) => (t.clone(), Some(key.as_str())),
            None => (self.edition.articles[s.article].headline.concat(), None),
        };
        self.continuation_head(place, &text, key)
    }

    /// The module's body columns as slots, below the headline where it
    /// spans them.
    fn module_body(&self, s: Setting<'_>, head_lines: u32) -> Body {
        let g = self.grid();
        let m = s.spec;
        let top_line = m.lines.0 + self.pad_lines(m);
        // Leave a blank grid line at the bottom for the rule when another
        // module follows below, and the padding's lines above it.
        let bottom_line = if m.lines.1 < g.lines && m.lines.1 > m.lines.0 {
            m.lines.1 - 1
        } else {
            m.lines.1
        }
        .saturating_sub(self.pad_lines(m));
        let head_width = g.span_chars(m.headline_columns) as f32 * g.body_size;
        let head_right = self.module_box(m).x0 + head_width + EPSILON_PT;
        let slots = self
            .body_columns(m)
            .into_iter()
            .enumerate()
            .map(|(ci, (x, measure))| Slot {
                page: s.page,
                x,
                measure,
                first_line: if x < head_right {
                    top_line + head_lines
                } else {
                    top_line
                },
                last_line: bottom_line,
                module: s.module,
                column: ci,
            })
            .collect();
        Body {
            slots,
            head_lines,
            head_right,
            bottom_line,
            picture_lines: 0,
            picture_right: f32::NEG_INFINITY,
        }
    }

    /// The first body line of a continuation says where the text comes from.
    fn continued_from_line(&mut self, s: Setting<'_>, slots: &mut [Slot]) {
        let Some(first) = slots.iter_mut().find(|slot| slot.capacity() > 0) else {
            return;
        };
        let from = self.continued_from_page(s.page, s.module);
        let place = JumpPlace {
            page: s.page,
            module: s.module,
            article: s.article,
            x: first.x,
            measure: first.measure,
            line: first.first_line,
            align: Align::Start,
        };
        first.first_line += 1;
        self.jump_line(place, &format!("（上接第{from}版）"));
    }

    /// The last line of the last column says where the text goes on.
    fn continued_on_line(&mut self, s: Setting<'_>, slots: &[Slot], page: u32) {
        let Some(last) = slots.last() else {
            return;
        };
        let place = JumpPlace {
            page: s.page,
            module: s.module,
            article: s.article,
            x: last.x,
            measure: last.measure,
            line: last.last_line,
            align: Align::End,
        };
        // Traditional text writes 轉 (a zh-Hans edition is unchanged).
        let turn = match self.locales.get(s.article).is_some_and(|l| l.is_hant()) {
            true => "轉",
            false => "转",
        };
        self.jump_line(place, &format!("（下{turn}第{page}版）"));
    }

    /// Column rules in the gutters, and rules between modules below and to
    /// the right where something can follow (a boxed module's frame is
    /// [`Self::module_frame`]'s).
    fn module_rules(&mut self, s: Setting<'_>, body: &Body, columns: &[(f32, f32)]) {
        let g = self.grid();
        let m = s.spec;
        let area = self.module_box(m);
        if self.layout.column_rules {
            // In the middle of the gutter, from below the headline where it
            // spans the column to the right of the rule.
            for pair in columns.windows(2) {
                let x = (pair[0].0 + pair[0].1 + pair[1].0) / 2.0;
                let below_head = if pair[1].0 < body.head_right {
                    body.head_lines
                } else {
                    0
                } + if pair[1].0 < body.picture_right {
                    body.picture_lines
                } else {
                    0
                };
                let top = g.line_top(m.lines.0 + self.pad_lines(m) + below_head);
                let bottom = g.line_top(body.bottom_line) + g.pitch;
                self.rule(s.page, Role::ColumnRule, x, top, x, bottom);
            }
        }
        if m.lines.1 < g.lines {
            let y = g.line_top(m.lines.1) + g.pitch / 2.0;
            self.rule(s.page, Role::ModuleRule, area.x0, y, area.x1, y);
        }
        if m.columns.1 < g.columns {
            let x = area.x1 + g.gutter() / 2.0;
            self.rule(s.page, Role::ModuleRule, x, area.y0, x, area.y1);
        }
    }

    /// The page whose module continues into this one.
    pub(super) fn continued_from_page(&self, pi: usize, mi: usize) -> usize {
        for (spi, p) in self.layout.pages.iter().enumerate() {
            for m in &p.modules {
                if m.continue_to
                    .is_some_and(|c| c.page == pi + 1 && c.module == mi + 1)
                {
                    return spi + 1;
                }
            }
        }
        // No planned module continues here: automatic make-up runs an
        // article on from the page before (1-based, that is `pi`).
        pi.max(1)
    }
}
