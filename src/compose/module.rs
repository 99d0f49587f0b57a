//! Planned modules: their geometry, and setting an article (or the rest of
//! one) into one.

use super::fill::Cursor;
use super::report::ModuleFit;
use super::runs::{align_offset, line_runs, set_block};
use super::Composer;
use crate::display::{Cmyk, Item, ModuleFrame, Rect, Role};
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
    pub(super) fn capacity(&self) -> u32 {
        if self.last_line < self.first_line {
            0
        } else {
            self.last_line - self.first_line + 1
        }
    }
}

impl<'a> Composer<'a> {
    /// Geometry of a planned module.
    pub(super) fn module_box(&self, m: &ModuleSpec) -> (f32, f32, f32, f32) {
        let g = self.grid();
        let x0 = g.column_x(m.columns.0 - 1);
        let x1 = g.column_x(m.columns.1 - 1) + g.column_width();
        let y0 = g.line_top(m.lines.0);
        let y1 = g.line_top(m.lines.1) + g.pitch;
        (x0, y0, x1, y1)
    }

    pub(super) fn empty_module(&mut self, pi: usize, mi: usize, m: &ModuleSpec) {
        let (x0, y0, x1, y1) = self.module_box(m);
        self.page_mut(pi).modules.push(ModuleFrame {
            name: format!("page {} module {} (empty)", pi + 1, mi + 1),
            x: x0,
            y: y0,
            width: x1 - x0,
            height: y1 - y0,
            columns: Vec::new(),
        });
    }

    /// A reserved picture or advertisement space: a tinted frame with its
    /// label in the middle.
    pub(super) fn placeholder(&mut self, pi: usize, mi: usize, m: &ModuleSpec, label: &str) {
        let g = self.grid();
        let (x0, y0, x1, mut y1) = self.module_box(m);
        if m.lines.1 < g.lines {
            // Keep the blank last line like every module above another.
            y1 -= g.pitch;
        }
        let stroke_width = self.layout.rule_width;
        self.page_mut(pi).items.push(Item::Rect(Rect {
            role: Role::Placeholder,
            x: x0,
            y: y0 + g.pitch / 2.0,
            width: x1 - x0,
            height: y1 - y0 - g.pitch / 2.0,
            fill: Some(Cmyk(0.0, 0.0, 0.0, 12.0)),
            stroke: Some(Cmyk::BLACK),
            stroke_width,
        }));
        let style = self.styles.continuation_headline.clone();
        let block = set_block(label, &style, x1 - x0, &self.shaper);
        if let Some(bl) = block.first() {
            let key = format!("pages[{}].modules[{}].placeholder", pi + 1, mi + 1);
            let shaped = bl.shaped.clone();
            self.note_missing_in(None, 0, &key, 0, &shaped);
            let off = align_offset(Align::Center, x1 - x0, bl.line.width);
            let baseline = (y0 + y1) / 2.0 + style.chain.size * 0.38;
            let items = line_runs(
                &bl.shaped.text,
                &bl.line,
                x0 + off,
                baseline,
                style.style.color,
                Role::Placeholder,
                None,
                Some(mi),
                None,
                None,
            );
            self.page_mut(pi).items.extend(items);
        }
        self.page_mut(pi).modules.push(ModuleFrame {
            name: format!("page {} module {} ({label})", pi + 1, mi + 1),
            x: x0,
            y: y0,
            width: x1 - x0,
            height: y1 - y0,
            columns: Vec::new(),
        });
    }

    /// Body columns of a module: (x, measure in pt).
    pub(super) fn body_columns(&self, m: &ModuleSpec) -> Vec<(f32, f32)> {
        let g = self.grid();
        let span = m.columns.1 - m.columns.0 + 1;
        let x0 = g.column_x(m.columns.0 - 1);
        if m.body_columns == span {
            return (0..span)
                .map(|c| (g.column_x(m.columns.0 - 1 + c), g.column_width()))
                .collect();
        }
        // 破栏: equal whole-character columns; the remainder widens the gutters.
        let k = m.body_columns;
        let total = g.span_chars(span);
        let chars = g
            .body_column_chars(span, k)
            .expect("layout::resolve_module refuses body_columns whose gutters exceed the span");
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

    /// Set an article (or the rest of one) into a planned module. Returns
    /// where the text stands if it did not all fit.
    pub(super) fn set_module(
        &mut self,
        pi: usize,
        mi: usize,
        m: &ModuleSpec,
        article: usize,
        cursor: Cursor,
    ) -> Option<Cursor> {
        let g = self.grid();
        let (x0, y0, x1, y1) = self.module_box(m);
        let a = &self.edition.articles[article];
        let continuation = m.article.is_none();
        let head_width = g.span_chars(m.headline_columns) as f32 * g.body_size;
        let top_line = m.lines.0;
        let head_lines = if continuation {
            let key = format!(
                "pages[{}].modules[{}].continuation_headline",
                pi + 1,
                mi + 1
            );
            let (text, key) = match &m.continuation_headline {
                Some(t) => (t.clone(), Some(key.as_str())),
                None => (a.headline.concat(), None),
            };
            self.continuation_head(pi, article, &text, x0, m.lines, head_width, mi, key)
        } else {
            self.headline_block(pi, mi, article, x0, m.lines, head_width, m.headline_size)
        };
        let headline_overset = if continuation {
            0
        } else {
            self.headline_overset
        };
        // Leave a blank grid line at the bottom for the rule when another
        // module follows below.
        let bottom_line = if m.lines.1 < g.lines && m.lines.1 > m.lines.0 {
            m.lines.1 - 1
        } else {
            m.lines.1
        };
        let head_right = x0 + head_width + 0.01;
        let mut slots: Vec<Slot> = self
            .body_columns(m)
            .into_iter()
            .enumerate()
            .map(|(ci, (x, measure))| Slot {
                page: pi,
                x,
                measure,
                first_line: if x < head_right {
                    top_line + head_lines
                } else {
                    top_line
                },
                last_line: bottom_line,
                module: mi,
                column: ci,
            })
            .collect();
        let available: u32 = slots.iter().map(Slot::capacity).sum();
        let continues_to_page = m.continue_to.map(|c| c.page as u32);
        if continuation {
            // The first body line says where the text comes from.
            if let Some(first) = slots.iter_mut().find(|s| s.capacity() > 0) {
                let from = self.continued_from_page(pi, mi);
                let text = format!("（上接第{from}版）");
                let (x, measure, line) = (first.x, first.measure, first.first_line);
                first.first_line += 1;
                self.jump_line(pi, mi, article, &text, x, measure, line, false);
            }
        }
        let reserve_jump = continues_to_page.is_some();
        let outcome = self.fill_slots(article, cursor, &mut slots, reserve_jump);
        let (set, rest) = outcome;
        let overset = headline_overset
            + match rest {
                Some(r) => self.count_remaining_lines(
                    article,
                    r,
                    slots.last().map_or(g.column_width(), |s| s.measure),
                ),
                None => 0,
            };
        if let (Some(_), Some(page)) = (rest, continues_to_page) {
            if let Some(last) = slots.last() {
                let text = format!("（下转第{page}版）");
                self.jump_line(
                    pi,
                    mi,
                    article,
                    &text,
                    last.x,
                    last.measure,
                    last.last_line,
                    true,
                );
            }
        }
        let frame_columns: Vec<(f32, f32)> = self.body_columns(m);
        // Column rules in the middle of the gutters between body columns.
        if self.layout.column_rules {
            for pair in frame_columns.windows(2) {
                let x = (pair[0].0 + pair[0].1 + pair[1].0) / 2.0;
                let top = g.line_top(
                    top_line
                        + if pair[1].0 < head_right {
                            head_lines
                        } else {
                            0
                        },
                );
                let bottom = g.line_top(bottom_line) + g.pitch;
                self.rule(pi, Role::ColumnRule, x, top, x, bottom);
            }
        }
        // Rules between modules: below and to the right when something can follow.
        if m.lines.1 < g.lines {
            let y = g.line_top(m.lines.1) + g.pitch / 2.0;
            self.rule(pi, Role::ModuleRule, x0, y, x1, y);
        }
        if m.columns.1 < g.columns {
            let x = x1 + g.gutter() / 2.0;
            self.rule(pi, Role::ModuleRule, x, y0, x, y1);
        }
        if m.boxed {
            let stroke_width = self.layout.rule_width;
            self.page_mut(pi).items.push(Item::Rect(Rect {
                role: Role::ModuleRule,
                x: x0 - g.body_size / 2.0,
                y: y0,
                width: x1 - x0 + g.body_size,
                height: y1 - y0,
                fill: None,
                stroke: Some(Cmyk::BLACK),
                stroke_width,
            }));
        }
        let continued = rest.is_some() && continues_to_page.is_some() && headline_overset == 0;
        if overset > 0 && !continued {
            self.overset_mark(pi, x0, y0, x1, y1, overset);
        }
        let used = set + u32::from(continued) + u32::from(continuation);
        let avail = available;
        self.report.modules.push(ModuleFit {
            page: pi as u32 + 1,
            module: mi + 1,
            article: article + 1,
            headline: a.headline.concat(),
            lines_set: used.min(avail),
            lines_available: avail,
            overset,
            continued,
            continued_on: if continued { continues_to_page } else { None },
            empty: avail.saturating_sub(used),
        });
        self.page_mut(pi).modules.push(ModuleFrame {
            name: format!("page {} module {} article {}", pi + 1, mi + 1, article + 1),
            x: x0,
            y: y0,
            width: x1 - x0,
            height: y1 - y0,
            columns: frame_columns,
        });
        rest
    }

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
        pi + 1
    }

    pub(super) fn overset_mark(
        &mut self,
        pi: usize,
        x0: f32,
        y0: f32,
        x1: f32,
        y1: f32,
        lines: u32,
    ) {
        // Magenta frame and a note: visible on proofs, and the report
        // already failed the build unless overset was allowed.
        let magenta = Cmyk(0.0, 100.0, 0.0, 0.0);
        self.page_mut(pi).items.push(Item::Rect(Rect {
            role: Role::OversetMark,
            x: x0 - 2.0,
            y: y0 - 2.0,
            width: x1 - x0 + 4.0,
            height: y1 - y0 + 4.0,
            fill: None,
            stroke: Some(magenta),
            stroke_width: 2.0,
        }));
        let size = self.grid().body_size;
        let text = format!("超版 {lines} 行 OVERSET");
        let style = self.styles.jump.clone();
        let runs = set_block(&text, &style, x1 - x0, &self.shaper);
        if let Some(line) = runs.first() {
            let mut items = line_runs(
                &line.shaped.text,
                &line.line,
                x0,
                y1 - size * 0.3,
                magenta,
                Role::OversetMark,
                None,
                None,
                None,
                None,
            );
            self.page_mut(pi).items.append(&mut items);
        }
    }
}
