//! Automatic flow: articles no module names are set into whole columns
//! of new pages after the planned ones.

use super::fill::Cursor;
use super::module::Slot;
use super::report::ModuleFit;
use super::Composer;
use crate::display::{ModuleFrame, Role};
use crate::layout::LayoutError;

/// Pages automatic flow may add before giving up.
const MAX_AUTO_PAGES: usize = 1000;

impl<'a> Composer<'a> {
    /// Flow articles no module names into whole columns of new pages.
    pub(super) fn flow_unplaced(&mut self, unplaced: &[usize]) -> Result<(), LayoutError> {
        if unplaced.is_empty() {
            return Ok(());
        }
        let g = self.grid();
        let mut page = if self.pages.is_empty() {
            self.new_auto_page(0, "要闻");
            0
        } else {
            let n = self.pages.len();
            self.new_auto_page(n, "");
            n
        };
        let mut column = 0u32;
        let mut line = self.auto_first_line(page);
        for (n, &article) in unplaced.iter().enumerate() {
            let a = &self.edition.articles[article];
            let size = Some(self.auto_headline_size(a.level));
            // Start a headline only where it and a few body lines fit.
            let head_lines = self.measure_headline(article, g.column_width(), size);
            if line + head_lines + 3 > g.lines {
                self.next_column(&mut page, &mut column)?;
                line = self.auto_first_line(page);
            }
            let start_page = page;
            // Each column segment of the article is a frame of its own, so
            // the frames of articles sharing a column never overlap.
            let mut frame = self.auto_frame(page, column, line, article);
            self.headline_block(
                page,
                frame,
                article,
                g.column_x(column),
                (line, g.lines),
                g.column_width(),
                size,
            );
            let headline_overset = self.headline_overset;
            let mut cursor = Cursor::default();
            let mut start = line + head_lines;
            let mut set_total = 0;
            loop {
                let mut slots = vec![Slot {
                    page,
                    x: g.column_x(column),
                    measure: g.column_width(),
                    first_line: start,
                    last_line: g.lines,
                    module: frame,
                    column: 0,
                }];
                let (set, rest) = self.fill_slots(article, cursor, &mut slots, false);
                set_total += set;
                let end_line = (start + set).min(g.lines + 1);
                let frame_box = &mut self.page_mut(page).modules[frame];
                frame_box.height = g.line_top(end_line) - frame_box.y;
                match rest {
                    None => {
                        line = start + set + 1;
                        break;
                    }
                    Some(r) => {
                        cursor = r;
                        self.next_column(&mut page, &mut column)?;
                        start = self.auto_first_line(page);
                        frame = self.auto_frame(page, column, start, article);
                    }
                }
            }
            // A rule under the article across its column.
            if line <= g.lines {
                let y = g.line_top(line - 1) + g.pitch / 2.0;
                let x = g.column_x(column);
                self.rule(page, Role::ModuleRule, x, y, x + g.column_width(), y);
            }
            self.report.modules.push(ModuleFit {
                page: start_page as u32 + 1,
                module: n + 1,
                article: article + 1,
                headline: a.headline.concat(),
                lines_set: set_total,
                lines_available: set_total,
                overset: headline_overset,
                continued: page != start_page && headline_overset == 0,
                continued_on: None,
                empty: 0,
            });
        }
        Ok(())
    }

    /// A page of automatic flow, with its column rules.
    pub(super) fn new_auto_page(&mut self, index: usize, section: &str) {
        self.new_page(index, section);
        if !self.layout.column_rules {
            return;
        }
        let g = self.grid();
        let top = g.line_top(self.auto_first_line(index));
        let bottom = g.line_top(g.lines) + g.pitch;
        for c in 1..g.columns {
            let x = g.column_x(c) - g.gutter() / 2.0;
            self.rule(index, Role::ColumnRule, x, top, x, bottom);
        }
    }

    /// First grid line automatic flow uses on a page: below the masthead
    /// on page 1.
    pub(super) fn auto_first_line(&self, page: usize) -> u32 {
        if page == 0 {
            self.layout.masthead_lines + 1
        } else {
            1
        }
    }

    /// Move automatic flow to the next column, on a new page after the last.
    pub(super) fn next_column(
        &mut self,
        page: &mut usize,
        column: &mut u32,
    ) -> Result<(), LayoutError> {
        *column += 1;
        if *column >= self.grid().columns {
            let n = self.pages.len();
            self.page_limit(n)?;
            self.hand_off(n);
            self.new_auto_page(n, "");
            *page = n;
            *column = 0;
        }
        Ok(())
    }

    /// Refuse to run away: an article file that would need more pages than
    /// any edition has is almost certainly a wrong grid or a wrong file.
    pub(super) fn page_limit(&self, pages: usize) -> Result<(), LayoutError> {
        if pages >= MAX_AUTO_PAGES {
            return Err(self.layout.locator().error(
                0..0,
                format!("the articles need more than {MAX_AUTO_PAGES} pages on this grid; stopped"),
                Some("check the grid (columns, column_chars, page size) and that the right article file was given".into()),
            ));
        }
        Ok(())
    }

    /// A frame for one column segment of an automatically flowed article;
    /// its height is set once the segment is filled.
    pub(super) fn auto_frame(
        &mut self,
        page: usize,
        column: u32,
        first_line: u32,
        article: usize,
    ) -> usize {
        let g = self.grid();
        let frames = &mut self.page_mut(page).modules;
        frames.push(ModuleFrame {
            name: format!(
                "page {} column {} article {} (automatic)",
                page + 1,
                column + 1,
                article + 1
            ),
            x: g.column_x(column),
            y: g.line_top(first_line),
            width: g.column_width(),
            height: 0.0,
            columns: vec![(g.column_x(column), g.column_width())],
        });
        frames.len() - 1
    }

    pub(super) fn auto_headline_size(&self, level: u8) -> f32 {
        let s = self.layout.styles.level(level).headline.size;
        s.min(18.0)
    }
}
