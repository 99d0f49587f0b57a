//! The fit report: how each module's text fitted, and what could not be
//! set (overset lines, characters no font covers, glyphs outside their
//! frame, lines wider than their measure).

use super::Composer;
use crate::display::Role;
use crate::paragraph::Line;
use crate::text::ShapedText;

use std::path::PathBuf;

use serde::Serialize;

mod cure;
mod json;
mod text;

pub use cure::{Amount, Cause, Cure, CureKind};
pub use json::JsonReport;

/// A measure no headline line is wider than, pt (about 35 m).
const UNBOUNDED_MEASURE_PT: f32 = 1.0e5;

/// A line of an article file, for messages: `samples/edition.md:42`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceLine {
    /// The article file as it was given.
    pub file: PathBuf,
    /// 1-based line.
    pub line: usize,
}

impl std::fmt::Display for SourceLine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.file.display(), self.line)
    }
}

/// How each module's text fitted, and what could not be set.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FitReport {
    /// Every module set, planned and automatic, in the order set.
    pub modules: Vec<ModuleFit>,
    /// Characters no font covers.
    pub missing_glyphs: Vec<MissingGlyph>,
    /// Glyph runs that pass the edge of their column, module, type area or
    /// page (marked on the page; the build fails like overset).
    pub outside_frame: Vec<OutsideFrame>,
    /// Lines set wider than their measure or with a broken rule.
    pub warnings: Vec<String>,
    /// Automatic flow stopped at the page limit; the articles from this one
    /// on are not (all) set.
    pub flow_stopped: Option<FlowStopped>,
    /// Every picture and ad placed, with its effective resolution.
    pub pictures: Vec<super::PictureFit>,
    /// Pictures and ads that stop the build (exit 2): below the lowest
    /// resolution, an ad of the wrong shape; [`super::compose_streaming`]
    /// returns the first.
    #[serde(skip)]
    pub media_errors: Vec<crate::layout::LayoutError>,
    /// Each page automatic make-up made: its modules and what was tried.
    pub makeup: Vec<super::MakeupPage>,
}

/// Automatic flow stopped: the articles need more pages than any edition
/// has, which is almost certainly a wrong grid or article file.
#[derive(Debug, Clone, Serialize)]
pub struct FlowStopped {
    /// The page limit, [`super::MAX_AUTO_PAGES`].
    pub pages: usize,
    /// 1-based article being flowed when the limit was reached.
    pub article: usize,
    /// Its headline's line in the article file.
    pub at: Option<SourceLine>,
}

impl FitReport {
    /// Lines that did not fit anywhere (no continuation took them).
    pub fn overset_lines(&self) -> u32 {
        self.modules
            .iter()
            .filter(|m| !m.continued)
            .map(|m| m.overset)
            .sum()
    }

    /// Everything fitted: no overset, no missing glyph, nothing outside its
    /// frame, flow not stopped.
    pub fn is_clean(&self) -> bool {
        self.overset_lines() == 0
            && self.missing_glyphs.is_empty()
            && self.outside_frame.is_empty()
            && self.flow_stopped.is_none()
    }
}

/// How one module's text fitted. Figures are in grid lines; [`Self::chars`]
/// turns body lines into 字. A field added here is also added to the JSON
/// view (`report/json.rs`) and its schema (`docs/fit-report.schema.json`),
/// which a test checks.
#[derive(Debug, Clone, Serialize)]
pub struct ModuleFit {
    /// 1-based page (of an automatic article: the page it starts on).
    pub page: u32,
    /// 1-based module number on the page; automatic modules count on.
    pub module: usize,
    /// 1-based article.
    pub article: usize,
    /// The article's headline, its lines joined.
    pub headline: String,
    /// Grid lines used (body, credit and jump lines).
    pub lines_set: u32,
    /// Grid lines the body columns have.
    pub lines_available: u32,
    /// Lines that did not fit in this module: the headline lines not set
    /// ([`HeadFit::overset`]) and the body lines ([`Self::body_overset`]).
    pub overset: u32,
    /// Where the text that did not fit starts in the article file (its
    /// paragraph's first line, the headline's when that did not fit, or
    /// the `![` line of a picture that did not).
    pub overset_at: Option<SourceLine>,
    /// The overset went on to a continuation.
    pub continued: bool,
    /// The page the continuation is on.
    pub continued_on: Option<u32>,
    /// Grid lines left empty.
    pub empty: u32,
    /// The module's first and last grid line as set.
    pub lines: [u32; 2],
    /// Its height was taken from its text (`lines = [first, "auto"]`).
    pub auto_height: bool,
    /// Characters a body line holds: the body measure over the body size
    /// (every measure is a whole number of body characters).
    pub chars_per_line: u32,
    /// Body columns.
    pub columns: u32,
    /// The module's height in grid lines (an automatically flowed article:
    /// its headline and the lines it set).
    pub grid_lines: u32,
    /// The headline block (a continuation's: its 接题).
    pub head: HeadFit,
    /// What the copyfit ladder changed to make the text fit, if anything.
    pub copyfit: Option<Copyfit>,
}

/// What the copyfit ladder (`[fit]`) changed in a fixed-height module.
#[derive(Debug, Clone, Serialize)]
pub struct Copyfit {
    /// The change for a person: `page 1 module 3: headline set one 字号
    /// larger (一号 (26pt) → 小初 (36pt)) to fill 9 empty line(s); 2 empty
    /// line(s) left`.
    pub note: String,
    /// The headline size asked and the size set, pt.
    pub headline_size: [f32; 2],
    /// Blank grid lines under the headline block, as usual and as set.
    pub space_below: [u32; 2],
    /// The first headline line was set in one line more than it needs.
    pub headline_line_added: bool,
    /// Body lines left empty before the ladder (negative: overset).
    pub gap_before: i32,
    /// Body lines left empty after it.
    pub gap_after: i32,
}

impl Copyfit {
    /// The grid lines a headline block drawn in `drawn` lines (with the
    /// usual blank line below) takes with the space the ladder chose.
    pub(super) fn head_lines(&self, drawn: u32) -> u32 {
        drawn + self.space_below[1] - self.space_below[0].min(drawn)
    }
}

/// The headline block of a module, in grid lines.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct HeadFit {
    /// Grid lines it takes, with the blank line below it.
    pub lines: u32,
    /// Grid lines it would take were each written line (kicker, headline
    /// lines, subheadline) set on one line: what the editor planned.
    /// Measured only for a module whose text is overset, the one case it
    /// is compared with [`Self::lines`].
    pub written_lines: Option<u32>,
    /// Headline lines not set (the block is taller than the module), and
    /// the grid lines of the article's pictures that did not fit under it.
    pub overset: u32,
    /// Body columns below the headline: each grid line the block takes
    /// costs the body this many lines.
    pub columns_below: u32,
}

/// A character no font covers, drawn as a box.
#[derive(Debug, Clone, Serialize)]
pub struct MissingGlyph {
    /// 1-based article number; 0 for text from the layout (paper name,
    /// section, date line of the masthead, a placeholder's label).
    pub article: usize,
    /// 1-based paragraph number (0 for headlines and other blocks).
    pub paragraph: usize,
    /// What holds the character: `paragraph 3`, `headline`, `kicker`,
    /// `subheadline`, `credit`, `jump line`, `continuation headline`, or for
    /// layout text the key to change (`paper.name`, `pages[2].section`).
    pub element: String,
    /// The character.
    pub ch: char,
    /// Its code point.
    pub code_point: u32,
    /// The line of the article file the element starts on (none for layout
    /// text and for text composition makes up, like jump lines).
    pub at: Option<SourceLine>,
}

impl MissingGlyph {
    /// Where the character is, for a person: `article 2 headline at
    /// samples/edition.md:3`, `layout key paper.name`.
    pub fn place(&self) -> String {
        match (&self.at, self.article) {
            (_, 0) => format!("layout key {}", self.element),
            (Some(at), _) => format!("article {} {} at {at}", self.article, self.element),
            (None, _) => format!("article {} {}", self.article, self.element),
        }
    }
}

/// What holds a text whose characters are checked against the fonts.
#[derive(Debug, Clone, Copy)]
pub(super) struct Holder<'e> {
    /// 0-based article; `None` for layout text.
    article: Option<usize>,
    /// 1-based paragraph; 0 for other elements.
    paragraph: usize,
    /// `paragraph 3`, `headline`, `credit`…, or for layout text its key.
    element: &'e str,
    /// The line of the article file the element starts on.
    line: Option<usize>,
}

impl<'e> Holder<'e> {
    /// Text from the layout, under `key`.
    pub(super) fn layout(key: &'e str) -> Self {
        Holder {
            article: None,
            paragraph: 0,
            element: key,
            line: None,
        }
    }

    /// An element of an article other than a paragraph, starting on `line`
    /// of its file if it comes from there.
    pub(super) fn article(article: usize, element: &'e str, line: Option<usize>) -> Self {
        Holder {
            article: Some(article),
            paragraph: 0,
            element,
            line,
        }
    }
}

impl<'a> Composer<'a> {
    /// Characters a body line of `measure` pt holds.
    pub(super) fn chars_per_line(&self, measure: f32) -> u32 {
        (measure / self.grid().body_size).round() as u32
    }

    /// Grid lines an article's headline block would take were each written
    /// line (kicker, headline lines, subheadline) set on one line.
    pub(super) fn written_headline_lines(&self, article: usize, size: Option<f32>) -> u32 {
        self.measure_headline(article, UNBOUNDED_MEASURE_PT, size, false)
    }

    /// Where line `line` of an article's file is; `None` for an unknown line
    /// (an edition built in code has none).
    pub(super) fn source_line(&self, article: usize, line: Option<usize>) -> Option<SourceLine> {
        let line = line.filter(|&l| l > 0)?;
        Some(SourceLine {
            file: self.edition.articles[article].origin.file.clone(),
            line,
        })
    }

    /// The first line of 0-based paragraph `p` of an article in its file.
    pub(super) fn paragraph_line(&self, article: usize, p: usize) -> Option<SourceLine> {
        let lines = &self.edition.articles[article].origin.paragraph_lines;
        self.source_line(article, lines.get(p).copied())
    }

    /// The line of an article's headline in its file.
    pub(super) fn headline_line(&self, article: usize) -> Option<SourceLine> {
        let line = self.edition.articles[article].origin.headline_line;
        self.source_line(article, Some(line))
    }

    /// Report the characters of 0-based body paragraph `p` no font covers;
    /// `offset` is where `shaped` starts in the paragraph.
    pub(super) fn note_missing(
        &mut self,
        article: usize,
        p: usize,
        offset: usize,
        shaped: &ShapedText,
    ) {
        let element = format!("paragraph {}", p + 1);
        let line = self.edition.articles[article]
            .origin
            .paragraph_lines
            .get(p)
            .copied();
        let holder = Holder {
            article: Some(article),
            paragraph: p + 1,
            element: &element,
            line,
        };
        self.note_missing_in(holder, offset, shaped);
    }

    /// Report the characters of `shaped` no font covers, once each:
    /// `offset` is where `shaped` starts in its holder.
    pub(super) fn note_missing_in(
        &mut self,
        holder: Holder<'_>,
        offset: usize,
        shaped: &ShapedText,
    ) {
        let number = holder.article.map_or(0, |a| a + 1);
        let at = holder
            .article
            .and_then(|a| self.source_line(a, holder.line));
        for m in &shaped.missing {
            if self
                .reported_missing
                .insert((number, holder.element.to_string(), offset + m.byte))
            {
                self.report.missing_glyphs.push(MissingGlyph {
                    article: number,
                    paragraph: holder.paragraph,
                    element: holder.element.to_string(),
                    ch: m.ch,
                    code_point: m.ch as u32,
                    at: at.clone(),
                });
            }
        }
    }

    /// Report a line of 0-based paragraph `p` set wider than its measure or
    /// against a rule.
    pub(super) fn note_line(&mut self, article: usize, p: usize, line: &Line) {
        let at = match self.paragraph_line(article, p) {
            Some(at) => format!("{at}: "),
            None => String::new(),
        };
        if line.overfull {
            self.report.warnings.push(format!(
                "{at}article {} paragraph {}: a line is wider than the column",
                article + 1,
                p + 1
            ));
        }
        if let Some(rule) = &line.broken_rule {
            self.report.warnings.push(format!(
                "{at}article {} paragraph {}: {rule}",
                article + 1,
                p + 1
            ));
        }
    }
}

/// A run of glyphs that passes the edge of its frame.
#[derive(Debug, Clone, Serialize)]
pub struct OutsideFrame {
    /// 1-based page.
    pub page: u32,
    /// What the run's text is.
    pub role: Role,
    /// 1-based article number, if the run belongs to one.
    pub article: Option<usize>,
    /// The run's text (its start, for a long run).
    pub text: String,
    /// What the run must stay inside: `column 2 of module 1`, `module 3`,
    /// `the type area`, `the page`.
    pub frame: String,
    /// How far the farthest glyph passes the frame's edge, pt.
    pub by: f32,
    /// The layout keys to change.
    pub fix: String,
}

impl OutsideFrame {
    /// One line for the terminal, with the keys to change.
    pub fn to_text(&self) -> String {
        let article = self
            .article
            .map(|a| format!(" of article {a}"))
            .unwrap_or_default();
        format!(
            "page {}: {} text{article} 「{}」 passes the edge of {} by {:.2} pt; change {}",
            self.page,
            role_name(self.role),
            self.text,
            self.frame,
            self.by,
            self.fix
        )
    }
}

/// The name of a run's role in reports.
fn role_name(role: Role) -> &'static str {
    match role {
        Role::Body => "body",
        Role::Dateline => "dateline",
        Role::Lead => "lead",
        Role::Kicker => "kicker",
        Role::Headline => "headline",
        Role::Subheadline => "subheadline",
        Role::Subhead => "subhead",
        Role::PullQuote => "pull quote",
        Role::Byline => "byline",
        Role::Credit => "credit",
        Role::JumpLine => "jump line",
        Role::ContinuationHeadline => "continuation headline",
        Role::Masthead => "masthead",
        Role::RunningHeader => "running header",
        Role::Placeholder => "placeholder label",
        _ => "marked",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(line: usize) -> Option<SourceLine> {
        Some(SourceLine {
            file: PathBuf::from("samples/edition.md"),
            line,
        })
    }

    #[test]
    fn missing_glyphs_name_the_article_file_and_line() {
        let mut g = MissingGlyph {
            article: 2,
            paragraph: 3,
            element: "paragraph 3".into(),
            ch: '😀',
            code_point: 0x1F600,
            at: at(42),
        };
        assert_eq!(g.place(), "article 2 paragraph 3 at samples/edition.md:42");
        g.at = None;
        assert_eq!(g.place(), "article 2 paragraph 3");
        g.article = 0;
        g.element = "paper.name".into();
        assert_eq!(g.place(), "layout key paper.name");
    }
}
