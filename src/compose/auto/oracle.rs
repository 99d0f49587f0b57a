//! How tall an article's module is at a span: the oracle the search asks,
//! measured with composition's own tools so the module it chooses is the
//! module composition sets.
//!
//! A module of `span` columns needs its headline block at the size the
//! layout's table gives the span and rank (`measure_headline`, with the
//! blank line below it), its body balanced over the span (every body
//! column has one grid column's measure, so the body is broken once and
//! balancing ends the columns at ⌈lines ÷ span⌉), and one line for the
//! rule below the module, as `lines = [first, "auto"]` modules are today.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

use super::guillotine::{Level, Oracle};
use crate::compose::balance::{balance, Column, LineMark};
use crate::compose::fill::{push_text_marks, Broken};
use crate::compose::Composer;
use crate::layout::AutoMakeup;

/// Fewest body lines a column of a module of more than one column holds
/// (DESIGN §7: never a last column of one or two lines).
pub(super) const MIN_COLUMN_LINES: u32 = 3;
/// Fewest columns a module with pictures takes when the page has them.
const MIN_PICTURE_SPAN: u32 = 2;
/// The blank grid line under every module for the rule below it.
const RULE_LINES: u32 = 1;

/// A window's articles as measured: their bodies' lines and keeps.
pub(super) type Measured = (Vec<u32>, Vec<Option<Arc<[LineMark]>>>);

/// An article's body as make-up measured it.
#[derive(Clone)]
pub(super) struct Body {
    /// Body grid lines at one column's measure, the credit's included.
    pub(super) lines: u32,
    /// Its paragraphs as broken, handed back to composition when the
    /// article is set so no paragraph is broken twice.
    pub(super) paragraphs: Vec<Broken>,
    /// Balancing's marks for its lines in columns when it has a subhead
    /// or pull quote, whose keeps may make the columns longer than
    /// ⌈lines ÷ span⌉; `None` when nothing is kept.
    pub(super) keeps: Option<Arc<[LineMark]>>,
}

/// The grid lines an article's pictures take in a module of `span`
/// columns, and over how many of its columns: none yet.
///
/// Hook for issue 16: a picture sits at the top of the body across
/// `picture_columns` columns, its height the width over its aspect ratio
/// rounded to grid lines, plus its caption lines. Return them here and
/// [`ComposerOracle::module_lines`] takes them from the body's columns.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct PictureLines {
    /// Grid lines the pictures and captions take.
    pub(super) lines: u32,
    /// Body columns they take those lines from.
    pub(super) columns: u32,
}

/// What the oracle was asked: an article's module at a span and level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Question {
    /// 0-based in the edition.
    article: usize,
    span: u32,
    level: Level,
    /// Past the table's bounds (see [`ComposerOracle::relax`]).
    relaxed: bool,
}

/// The oracle's answers for an edition: a module's lines depend only on
/// its article, span and level, so the windows of a page and the pages
/// after it ask composition once.
#[derive(Default)]
pub(super) struct Answers(RefCell<HashMap<Question, Option<u32>>>);

/// The search's oracle over a window of articles, backed by a composer.
pub(super) struct ComposerOracle<'c, 'a> {
    pub(super) composer: &'c Composer<'a>,
    pub(super) config: &'a AutoMakeup,
    /// The window's articles (0-based in the edition), in priority order.
    pub(super) articles: Vec<usize>,
    /// Their bodies' lines, in the same order.
    pub(super) body_lines: Vec<u32>,
    /// Their bodies' keeps, in the same order ([`Body::keeps`]).
    pub(super) keeps: Vec<Option<Arc<[LineMark]>>>,
    /// Answers already given, kept across windows and pages.
    answers: &'c Answers,
    /// Last resort for an article no span suits: its headline at its
    /// style's size (the table's may be too large for a narrow grid),
    /// taking as many lines as it needs, and columns may hold fewer than
    /// [`MIN_COLUMN_LINES`].
    relaxed: bool,
}

impl<'c, 'a> ComposerOracle<'c, 'a> {
    /// An oracle over `articles`, whose bodies take `body_lines` and
    /// carry `keeps`.
    pub(super) fn new(
        composer: &'c Composer<'a>,
        config: &'a AutoMakeup,
        articles: Vec<usize>,
        (body_lines, keeps): Measured,
        answers: &'c Answers,
    ) -> Self {
        ComposerOracle {
            composer,
            config,
            articles,
            body_lines,
            keeps,
            answers,
            relaxed: false,
        }
    }

    /// Pass the table's bounds from now on.
    pub(super) fn relax(&mut self) {
        self.relaxed = true;
    }

    /// The pictures of an article at a span: a made-up module sets them
    /// across all its columns, as wide as the span, each with its caption.
    fn picture_lines(&self, article: usize, span: u32) -> PictureLines {
        let g = self.composer.grid();
        let width = g.span_chars(span) as f32 * g.body_size;
        match self.composer.measure_article_pictures(article, width) {
            0 => PictureLines::default(),
            lines => PictureLines {
                lines,
                columns: span,
            },
        }
    }

    /// The lines measured, uncached.
    fn measure(&self, window: usize, span: u32, level: Level) -> Option<u32> {
        let article = *self.articles.get(window)?;
        let body = *self.body_lines.get(window)?;
        if span > 1 && body < MIN_COLUMN_LINES * span && !self.relaxed {
            return None;
        }
        let c = self.composer;
        let g = c.grid();
        let pictures = self.picture_lines(article, span);
        let narrow = span < MIN_PICTURE_SPAN && g.columns >= MIN_PICTURE_SPAN;
        // A photograph one column wide reads as a stamp: an article with
        // pictures, and text enough for it, takes two columns or more.
        if narrow
            && pictures.lines > 0
            && body >= MIN_COLUMN_LINES * MIN_PICTURE_SPAN
            && !self.relaxed
        {
            return None;
        }
        let row = self.config.level_row(level);
        let width = g.span_chars(span) as f32 * g.body_size;
        let head = if self.relaxed {
            c.measure_headline(article, width, None, false)
        } else {
            c.measure_headline_within(article, width, row.size, row.max_lines as usize)?
        };
        // Pictures over some columns push those columns' text down: the
        // body is balanced over what the columns have left.
        let quotes = c.spanning_quote_lines(article, span);
        let body_per_column = (body + quotes + pictures.lines * pictures.columns).div_ceil(span);
        let kept = match self.keeps.get(window) {
            Some(Some(marks)) => lines_keeps_add(marks, span)?,
            _ => 0,
        };
        Some(head + body_per_column + kept + RULE_LINES)
    }
}

/// Grid lines more per column than ⌈lines ÷ span⌉ that balancing needs
/// to keep every subhead with its text and no pull quote cut: the least
/// column height at which [`balance`] finds cuts; `None` when none does
/// within a few lines (a keep longer than a column).
fn lines_keeps_add(marks: &[LineMark], span: u32) -> Option<u32> {
    if span < 2 {
        return Some(0);
    }
    let even = (marks.len() as u32).div_ceil(span);
    (0..=KEEP_SEARCH_LINES).find(|&more| {
        let columns = vec![
            Column {
                first: 1,
                last: even + more,
            };
            span as usize
        ];
        balance(&columns, marks).is_some()
    })
}

/// How many grid lines longer than even columns [`lines_keeps_add`] tries:
/// a subhead and the lines kept with it, and its blank line.
const KEEP_SEARCH_LINES: u32 = 4;

impl Oracle for ComposerOracle<'_, '_> {
    fn module_lines(&self, article: usize, span: u32, level: Level) -> Option<u32> {
        let key = Question {
            article: *self.articles.get(article)?,
            span,
            level,
            relaxed: self.relaxed,
        };
        if let Some(&known) = self.answers.0.borrow().get(&key) {
            return known;
        }
        let lines = self.measure(article, span, level);
        self.answers.0.borrow_mut().insert(key, lines);
        lines
    }

    fn span_level(&self, span: u32) -> Level {
        self.config.span_level(span)
    }

    fn least_cells(&self, article: usize) -> u32 {
        // Its body and the rule line, at the least.
        self.body_lines.get(article).map_or(0, |b| b + RULE_LINES)
    }
}

impl<'a> Composer<'a> {
    /// An article's body broken at one column's measure, as make-up counts
    /// it and composition will deal it.
    pub(super) fn measure_body(&mut self, article: usize) -> Body {
        let measure = self.grid().column_width();
        let n = self.edition.articles[article].paragraphs.len();
        let paragraphs: Vec<Broken> = (0..n)
            .map(|p| self.break_paragraph(article, p, 0, measure))
            .collect();
        // Subheads and pull quotes take their own grid lines.
        let mut lines: u32 = (0..n)
            .map(|p| match self.is_element(article, p) {
                true => self.element_block(article, p, measure).grid_lines,
                false => paragraphs[p].lines.len() as u32,
            })
            .sum();
        let mut credit_lines = 0;
        if let Some(credit) = &self.edition.articles[article].credit {
            let style = &self.styles.credit;
            credit_lines =
                crate::compose::runs::set_credit(credit, style, measure, &self.shaper).len();
            lines += credit_lines as u32;
        }
        let keeps = (0..n)
            .any(|p| self.is_element(article, p))
            .then(|| self.keep_marks(article, &paragraphs, credit_lines, measure));
        Body {
            lines,
            paragraphs,
            keeps,
        }
    }

    /// Balancing's marks for a whole article's body in columns of
    /// `measure`, as dealing makes them (`Composer::line_marks`), from its
    /// paragraphs as broken; pull quotes set across the module's columns
    /// take none.
    fn keep_marks(
        &self,
        article: usize,
        paragraphs: &[Broken],
        credit_lines: usize,
        measure: f32,
    ) -> Arc<[LineMark]> {
        let spanning = self.layout.elements.pull_quote == crate::layout::PullQuotePlacement::Span;
        let mut marks = Vec::new();
        for (p, broken) in paragraphs.iter().enumerate() {
            if !self.is_element(article, p) {
                push_text_marks(&mut marks, broken.lines.len(), true);
            } else if !(spanning
                && self.paragraph_kind(article, p) == crate::source::ParagraphKind::PullQuote)
            {
                marks.extend(self.element_marks(&self.element_block(article, p, measure)));
            }
        }
        push_text_marks(&mut marks, credit_lines, true);
        marks.into()
    }

    /// Hand an article's measured paragraphs back for its dealing.
    pub(super) fn keep_body(&mut self, article: usize, body: &Body) {
        let measure = self.grid().column_width();
        for (p, broken) in body.paragraphs.iter().enumerate() {
            self.prebroken.keep(article, p, 0, measure, broken.clone());
        }
    }
}
