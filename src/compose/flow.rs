//! Automatic flow: articles no module names are set into whole columns
//! of new pages after the planned ones.

use super::fill::Cursor;
use super::headline::BlockPlace;
use super::module::Slot;
use super::pictures::PicturePlace;
use super::report::{FlowStopped, HeadFit, ModuleFit};
use super::Composer;
use crate::display::{ModuleFrame, Role};
use crate::layout::{Anchor, Layout, LayoutError};

/// Pages automatic flow may add before giving up.
pub const MAX_AUTO_PAGES: usize = 1000;

/// Body lines a column must have room for below a headline for the
/// article to start in it.
const MIN_LINES_BELOW_HEADLINE: u32 = 3;
/// Largest headline size automatic flow sets, pt: its headlines span one
/// column.
const MAX_AUTO_HEADLINE: f32 = 18.0;

/// Automatic flow reached [`MAX_AUTO_PAGES`].
struct PageLimit;

/// The error [`super::compose_streaming`] makes of flow stopped at the page
/// limit.
pub(super) fn page_limit_error(layout: &Layout) -> LayoutError {
    layout.locator().error(
        0..0,
        format!("the articles need more than {MAX_AUTO_PAGES} pages on this grid; stopped"),
        Some("check the grid (columns, column_chars, page size) and that the right article file was given".into()),
    )
}

/// Where automatic flow stands.
#[derive(Debug, Clone, Copy)]
struct FlowAt {
    /// 0-based page.
    page: usize,
    /// 0-based grid column.
    column: u32,
    /// The next free grid line in the column.
    line: u32,
}

impl<'a> Composer<'a> {
    /// Flow articles no module names into whole columns of new pages.
    pub(super) fn flow_unplaced(&mut self, unplaced: &[usize]) {
        if unplaced.is_empty() {
            return;
        }
        let page = if self.pages.is_empty() {
            self.new_auto_page(0, "要闻");
            0
        } else {
            let n = self.pages.len();
            self.new_auto_page(n, "");
            n
        };
        let mut at = FlowAt {
            page,
            column: 0,
            line: self.auto_first_line(page),
        };
        for (n, &article) in unplaced.iter().enumerate() {
            if let Err(PageLimit) = self.flow_article(n, article, &mut at) {
                self.report.flow_stopped = Some(FlowStopped {
                    pages: MAX_AUTO_PAGES,
                    article: article + 1,
                    at: self.headline_line(article),
                });
                return;
            }
        }
    }

    /// Flow the `n`th unplaced article from where flow stands.
    fn flow_article(&mut self, n: usize, article: usize, at: &mut FlowAt) -> Result<(), PageLimit> {
        let g = self.grid();
        let a = &self.edition.articles[article];
        let size = Some(self.auto_headline_size(a.level));
        // Start a headline only where it and a few body lines fit.
        let head_lines = self.measure_headline(article, g.column_width(), size, false);
        // Its pictures go under the headline, across the column.
        let picture_lines = self.measure_article_pictures(article, g.column_width());
        if at.line + head_lines + picture_lines + MIN_LINES_BELOW_HEADLINE > g.lines {
            self.next_column(at)?;
            at.line = self.auto_first_line(at.page);
        }
        let start_page = at.page;
        let (start_line, start_column) = (at.line, at.column);
        // Each column segment of the article is a frame of its own, so
        // the frames of articles sharing a column never overlap.
        let frame = self.auto_frame(at.page, at.column, at.line, article);
        let place = BlockPlace {
            page: at.page,
            module: frame,
            article,
            x: g.column_x(at.column),
            top_line: at.line,
            last_line: g.lines,
            width: g.column_width(),
        };
        self.headline_block(place, size, false);
        let pictures = self.article_pictures(PicturePlace {
            page: at.page,
            module: frame,
            article,
            x: g.column_x(at.column),
            width: g.column_width(),
            top_line: at.line + head_lines,
            last_line: g.lines,
            anchor: Anchor::Center,
        });
        let headline_overset = self.headline_overset + pictures.overset;
        let body_top = at.line + head_lines + pictures.lines;
        let set = self.flow_body(article, at, body_top, frame)?;
        // A rule under the article across its column.
        if at.line <= g.lines {
            let y = g.line_top(at.line - 1) + g.pitch / 2.0;
            let x = g.column_x(at.column);
            self.rule(at.page, Role::ModuleRule, x, y, x + g.column_width(), y);
        }
        let head = HeadFit {
            lines: head_lines,
            written_lines: (headline_overset > 0)
                .then(|| self.written_headline_lines(article, size)),
            overset: headline_overset,
            columns_below: 1,
        };
        let chars_per_line = self.chars_per_line(g.column_width());
        self.report.modules.push(ModuleFit {
            page: start_page as u32 + 1,
            module: n + 1,
            article: article + 1,
            headline: self.edition.articles[article].headline.concat(),
            lines_set: set,
            lines_available: set,
            overset: headline_overset,
            overset_at: (headline_overset > 0)
                .then(|| self.headline_line(article))
                .flatten(),
            continued: at.page != start_page && headline_overset == 0,
            continued_on: None,
            empty: 0,
            // The article's first column segment.
            lines: [
                start_line,
                if (at.page, at.column) == (start_page, start_column) {
                    at.line - 1
                } else {
                    g.lines
                },
            ],
            auto_height: false,
            chars_per_line,
            columns: 1,
            grid_lines: head_lines + pictures.lines + set,
            head,
            copyfit: None,
        });
        Ok(())
    }

    /// Deal an article's body into its column from grid line `start` (its
    /// frame is `frame`), and on into the next columns; returns the lines
    /// set, with `at` below the article.
    fn flow_body(
        &mut self,
        article: usize,
        at: &mut FlowAt,
        mut start: u32,
        mut frame: usize,
    ) -> Result<u32, PageLimit> {
        let g = self.grid();
        let mut cursor = Cursor::default();
        let mut set = 0;
        loop {
            let slots = [Slot {
                page: at.page,
                x: g.column_x(at.column),
                measure: g.column_width(),
                first_line: start,
                last_line: g.lines,
                module: frame,
                column: 0,
            }];
            let filled = self.fill_slots(article, cursor, &slots, false, false);
            set += filled.lines;
            let end_line = (start + filled.lines).min(g.lines + 1);
            let frame_box = &mut self.page_mut(at.page).modules[frame];
            frame_box.height = g.line_top(end_line) - frame_box.y;
            let Some(rest) = filled.rest else {
                at.line = start + filled.lines + 1;
                return Ok(set);
            };
            cursor = rest;
            self.next_column(at)?;
            start = self.auto_first_line(at.page);
            frame = self.auto_frame(at.page, at.column, start, article);
        }
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
    fn next_column(&mut self, at: &mut FlowAt) -> Result<(), PageLimit> {
        at.column += 1;
        if at.column >= self.grid().columns {
            let n = self.pages.len();
            self.page_limit(n)?;
            self.hand_off(n);
            self.new_auto_page(n, "");
            at.page = n;
            at.column = 0;
        }
        Ok(())
    }

    /// Refuse to run away: an article file that would need more pages than
    /// any edition has is almost certainly a wrong grid or a wrong file.
    fn page_limit(&self, pages: usize) -> Result<(), PageLimit> {
        if pages >= MAX_AUTO_PAGES {
            return Err(PageLimit);
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
            module: None,
            article: Some(article + 1),
            body_lines: Vec::new(),
        });
        frames.len() - 1
    }

    /// The headline size of an automatically flowed article.
    fn auto_headline_size(&self, level: u8) -> f32 {
        let s = self.layout.styles.level(level).headline.size;
        s.min(MAX_AUTO_HEADLINE)
    }
}
