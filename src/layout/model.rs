//! The validated layout: what composition reads, every value in pt and
//! checked.
//!
//! Nothing here can be wrong any more: [`super::parse`] refuses a file
//! whose grid does not fit its page, whose modules overlap or whose
//! continuations loop, so composition may index and subtract freely.

use std::ops::Range;
use std::path::PathBuf;

use super::error::Locator;
use crate::display::Cmyk;
use crate::paragraph::ParagraphSettings;

/// Ascent of the ideographic em box above the baseline, in em (DESIGN §3).
pub const EM_ASCENT: f32 = 0.88;
/// Descent of the ideographic em box below the baseline, in em.
pub const EM_DESCENT: f32 = 0.12;
/// How far, in pt, a computed edge may pass a bound and still count as
/// inside: the rounding of f32 sums of pitches and margins, far below
/// anything a press shows.
pub const FIT_TOLERANCE: f32 = 0.01;

/// The paper's texts, as printed in the masthead and running headers.
#[derive(Debug, Clone)]
pub struct Paper {
    /// The paper's name (报头), 清河晚报 unless written.
    pub name: String,
    /// The edition's date as printed, e.g. 2026年11月29日.
    pub date: String,
    /// The weekday as printed, e.g. 星期日.
    pub weekday: String,
    /// The issue line, e.g. 第12345期.
    pub issue: String,
    /// The edition's date as `YYYY-MM-DD`, for the PDF's dates; checked to
    /// be a calendar date.
    pub iso_date: Option<String>,
    /// 国内统一刊号 (the CN number), e.g. `CN14-0052`; empty for none.
    pub cn: String,
    /// 邮发代号 (the postal subscription code), e.g. `21-32`; empty for none.
    pub postal_code: String,
    /// The 农历 date, e.g. `六月廿四`: as written, or computed from
    /// `iso_date`; empty for none.
    pub lunar_date: String,
    /// The weather line as printed; empty for none.
    pub weather: String,
    /// The 导读 of the masthead, in the order written.
    pub teasers: Vec<Teaser>,
}

/// One 导读 (teaser) of the masthead: a story on another page.
#[derive(Debug, Clone, PartialEq)]
pub struct Teaser {
    /// The story's title as printed.
    pub title: String,
    /// The page it is on, 1-based.
    pub page: u32,
}

/// The people a page's folio line names (`责任编辑 张三 美编 李四 校对
/// 王五`); empty strings for names not written.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PageCredits {
    /// 责任编辑: the page's editor.
    pub editor: String,
    /// 美编: its designer.
    pub designer: String,
    /// 校对: its proofreader.
    pub proofreader: String,
}

impl PageCredits {
    /// The folio line, each written name after its title in `titles`;
    /// empty when no name is written.
    pub fn line(&self, titles: &super::masthead::Titles) -> String {
        [
            (titles.editor, &self.editor),
            (titles.designer, &self.designer),
            (titles.proofreader, &self.proofreader),
        ]
        .iter()
        .filter(|(_, name)| !name.trim().is_empty())
        .map(|(title, name)| format!("{title} {}", name.trim()))
        .collect::<Vec<_>>()
        .join("　")
    }
}

/// The trim page and its margins, all in pt.
#[derive(Debug, Clone)]
pub struct PageGeometry {
    /// Trim width in pt.
    pub width: f32,
    /// Trim height in pt.
    pub height: f32,
    /// Bleed on every side, 0 for none.
    pub bleed: f32,
    /// Distance from the trim's top to the top of grid line 1.
    pub margin_top: f32,
    /// Distance from the trim's bottom to the type area's bottom.
    pub margin_bottom: f32,
    /// Distance from the trim's left to the left of column 1.
    pub margin_left: f32,
    /// Distance from the trim's right to the type area's right.
    pub margin_right: f32,
    /// Draw crop marks in the bleed.
    pub crop_marks: bool,
    /// `writing = "vertical"`: the page is set in a transposed frame (see
    /// [`crate::layout`]'s vertical pages): every field above and the grid
    /// describe that frame, `width` being the trim's height.
    pub vertical: bool,
}

/// The column and baseline grid, all in pt.
#[derive(Debug, Clone)]
pub struct Grid {
    /// Grid columns across the type area.
    pub columns: u32,
    /// Width of one column in body characters.
    pub column_chars: u32,
    /// Width of the gutter between columns in body characters.
    pub gutter_chars: u32,
    /// The body type size, which is also the width of one character.
    pub body_size: f32,
    /// Baseline-to-baseline distance of body lines.
    pub pitch: f32,
    /// Grid lines in the type area.
    pub lines: u32,
    /// Left edge of the type area.
    pub left: f32,
    /// Top of the type area (top of grid line 1).
    pub top: f32,
}

impl Grid {
    /// Width of one grid column.
    pub fn column_width(&self) -> f32 {
        self.column_chars as f32 * self.body_size
    }

    /// Width of the gutter between two grid columns.
    pub fn gutter(&self) -> f32 {
        self.gutter_chars as f32 * self.body_size
    }

    /// Left edge of grid column `c` (0-based).
    pub fn column_x(&self, c: u32) -> f32 {
        self.left + c as f32 * (self.column_width() + self.gutter())
    }

    /// Width in characters of `n` combined columns (长栏): n×chars + (n−1)×gutter.
    pub fn span_chars(&self, n: u32) -> u32 {
        n * self.column_chars + n.saturating_sub(1) * self.gutter_chars
    }

    /// Characters per line when `span` grid columns are set as `k` equal
    /// body columns (破栏) with at least a grid gutter between them; `None`
    /// when the gutters alone are wider than the span (a wide gutter_chars
    /// once wrapped this below zero and drew the body 1.9e10 pt away).
    pub fn body_column_chars(&self, span: u32, k: u32) -> Option<u32> {
        let gutters = k.checked_sub(1)?.checked_mul(self.gutter_chars)?;
        self.span_chars(span).checked_sub(gutters)?.checked_div(k)
    }

    /// Top of grid line `k` (1-based).
    pub fn line_top(&self, k: u32) -> f32 {
        self.top + (k as f32 - 1.0) * self.pitch
    }

    /// Baseline of a body line in grid line `k`: the ideographic em box
    /// centred in the line's pitch.
    pub fn baseline(&self, k: u32) -> f32 {
        self.line_top(k) + (self.pitch - self.body_size) / 2.0 + EM_ASCENT * self.body_size
    }

    /// Width of the whole type area, all columns and gutters.
    pub fn type_width(&self) -> f32 {
        self.span_chars(self.columns) as f32 * self.body_size
    }

    /// The masthead's band on page 1: from the top of grid line 1 to the
    /// middle of its last line, where its rules sit.
    pub fn masthead_band(&self, lines: u32) -> (f32, f32) {
        (self.line_top(1), self.line_top(lines) + self.pitch / 2.0)
    }
}

/// A resolved text style.
#[derive(Debug, Clone)]
pub struct Style {
    /// Font families in order of preference; later ones supply what the
    /// first lacks.
    pub fonts: Vec<String>,
    /// Where the font list is written (0..0 for a built-in default).
    pub font_span: Range<usize>,
    /// CSS-style weight, 400 regular and 700 bold.
    pub weight: u16,
    /// Where the weight is written (0..0 for a built-in default).
    pub weight_span: Range<usize>,
    /// Type size in pt.
    pub size: f32,
    /// Line height of display lines in pt; body lines use the grid pitch.
    pub leading: f32,
    /// Ink colour.
    pub color: Cmyk,
    /// Line-breaking and spacing rules for paragraphs in this style.
    pub paragraph: ParagraphSettings,
}

/// The three lines of a headline block at one level.
#[derive(Debug, Clone)]
pub struct HeadlineStyles {
    /// The line above the headline (引题).
    pub kicker: Style,
    /// The headline itself (主题).
    pub headline: Style,
    /// The line below it (副题).
    pub subheadline: Style,
}

/// Every named style of `[styles]`, defaults filled in.
#[derive(Debug, Clone)]
pub struct Styles {
    /// Body text, set on the grid.
    pub body: Style,
    /// The dateline run-in at the start of an article (电头).
    pub dateline: Style,
    /// The byline or credit at its end.
    pub credit: Style,
    /// Jump lines (转下版 / 上接).
    pub jump: Style,
    /// The short headline over a continuation (接题).
    pub continuation_headline: Style,
    /// The line at the top of pages after the first.
    pub running_header: Style,
    /// The paper's name on page 1.
    pub masthead: Style,
    /// The date block beside the name.
    pub masthead_info: Style,
    /// Index 0 for level 1 (`#`), 1 for level 2 (`##`).
    pub levels: [HeadlineStyles; 2],
    /// Picture captions and credits (图片说明).
    pub caption: Style,
    /// 小标题: subheads between an article's paragraphs.
    pub subhead: Style,
    /// The 导语 (lead paragraph).
    pub lead: Style,
    /// 引语: pull quotes.
    pub pull_quote: Style,
    /// The byline under the headline block.
    pub byline: Style,
    /// The 栏目 tag above a headline.
    pub rubric: Style,
    /// Bold (`**…**`) inside body paragraphs.
    pub emphasis: Style,
}

impl Styles {
    /// The headline styles of a heading level; deeper levels share
    /// level 2's.
    pub fn level(&self, level: u8) -> &HeadlineStyles {
        &self.levels[if level <= 1 { 0 } else { 1 }]
    }

    /// Every style with its config name, for font checks and reports.
    pub fn all(&self) -> Vec<(&'static str, &Style)> {
        let mut v = vec![
            ("body", &self.body),
            ("dateline", &self.dateline),
            ("credit", &self.credit),
            ("jump", &self.jump),
            ("continuation_headline", &self.continuation_headline),
            ("running_header", &self.running_header),
            ("masthead", &self.masthead),
            ("masthead_info", &self.masthead_info),
            ("caption", &self.caption),
            ("subhead", &self.subhead),
            ("lead", &self.lead),
            ("pull_quote", &self.pull_quote),
            ("byline", &self.byline),
            ("rubric", &self.rubric),
            ("emphasis", &self.emphasis),
        ];
        for (i, l) in self.levels.iter().enumerate() {
            let names: [(&'static str, &'static str, &'static str); 2] = [
                ("kicker_1", "headline_1", "subheadline_1"),
                ("kicker_2", "headline_2", "subheadline_2"),
            ];
            v.push((names[i].0, &l.kicker));
            v.push((names[i].1, &l.headline));
            v.push((names[i].2, &l.subheadline));
        }
        v
    }
}

/// Which article a module sets.
#[derive(Debug, Clone, PartialEq)]
pub enum ArticleRef {
    /// The article's 1-based number in source order.
    Number(usize),
    /// A part of its headline.
    Headline(String),
}

/// Where overset text continues: page and module, both 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContinueTo {
    /// The page, 1-based.
    pub page: usize,
    /// The module on that page, 1-based in the order written.
    pub module: usize,
}

/// One module of the page plan: a rectangle of grid cells and what goes
/// in it.
#[derive(Debug, Clone)]
pub struct ModuleSpec {
    /// The article set here; `None` for a continuation target or a
    /// placeholder.
    pub article: Option<ArticleRef>,
    /// Grid columns, 1-based inclusive.
    pub columns: (u32, u32),
    /// Grid lines, 1-based inclusive. An `"auto"` end is a bound here:
    /// the first line of the type area for a top that stacks, the grid's
    /// last line for a height taken from the text; composition places it.
    pub lines: (u32, u32),
    /// The top is `"auto"`: the module starts below the modules written
    /// before it that share a column with it.
    pub auto_top: bool,
    /// The last line is `"auto"`: the module is as tall as its headline
    /// block and its balanced text (up to the next module below).
    pub auto_bottom: bool,
    /// Columns the headline spans, from the module's first.
    pub headline_columns: u32,
    /// A headline size overriding the style's, in pt.
    pub headline_size: Option<f32>,
    /// A vertical headline (竖题) in the module's last (`Right`) or first
    /// (`Left`) `headline_columns` grid columns, spanning its height, the
    /// body in the other columns; `None` for a headline across the top.
    pub vertical_headline: Option<Side>,
    /// Equal body columns the span is set as (破栏); the grid columns when
    /// not written.
    pub body_columns: u32,
    /// Where overset text continues.
    pub continue_to: Option<ContinueTo>,
    /// Short headline printed above a continuation (接题).
    pub continuation_headline: Option<String>,
    /// Draw a box around the module.
    pub boxed: bool,
    /// The box's rule, tint and inner padding (`boxed`, `tint`,
    /// `padding`).
    pub boxing: super::boxes::Boxing,
    /// The label of a reserved picture or advertisement box.
    pub placeholder: Option<String>,
    /// Grid columns, from the module's first, an article's pictures span
    /// (at most `headline_columns`, which is the default).
    pub picture_columns: u32,
    /// Where a picture cropped to fill its frame keeps its middle.
    pub anchor: super::media::Anchor,
    /// A standalone picture or an ad instead of an article.
    pub media: Option<super::media::ModuleMedia>,
    /// Where the module is written, for diagnostics found later (article
    /// matching happens once the articles are read).
    pub span: Range<usize>,
    /// Where its `article` is written (the module's span when absent).
    pub article_span: Range<usize>,
    /// Where its `lines` are written.
    pub lines_span: Range<usize>,
}

/// A side of a module.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The module's left edge.
    Left,
    /// The module's right edge.
    Right,
}

/// One planned page.
#[derive(Debug, Clone)]
pub struct PageSpec {
    /// The section name (版名), printed in the running header.
    pub section: String,
    /// Filled by automatic make-up around its modules (`auto = true`).
    pub auto: bool,
    /// Its modules in the order written.
    pub modules: Vec<ModuleSpec>,
    /// The editor, designer and proofreader its folio line names.
    pub credits: PageCredits,
}

/// A font file named in `fonts.files`.
#[derive(Debug, Clone)]
pub struct FontSource {
    /// The file, relative paths taken from the layout file's folder.
    pub path: PathBuf,
    /// The face to use in a collection.
    pub index: Option<u32>,
    /// Where the path is written.
    pub span: Range<usize>,
}

/// A validated layout file.
#[derive(Debug, Clone)]
pub struct Layout {
    /// The file it was read from.
    pub file: PathBuf,
    /// The file's text, kept for diagnostics found after loading.
    pub text: String,
    /// The paper's texts.
    pub paper: Paper,
    /// Trim size and margins.
    pub page: PageGeometry,
    /// The column and baseline grid.
    pub grid: Grid,
    /// Every named style.
    pub styles: Styles,
    /// Extra font folders with where each is written.
    pub font_dirs: Vec<(PathBuf, Range<usize>)>,
    /// Extra font files.
    pub font_files: Vec<FontSource>,
    /// Map ASCII punctuation next to CJK text back to full width.
    pub fullwidth_punctuation: bool,
    /// `[text]`: the locale and quotes.
    pub text_settings: TextSettings,
    /// Grid lines the masthead takes at the top of page 1; 0 for none.
    pub masthead_lines: u32,
    /// Draw rules between columns.
    pub column_rules: bool,
    /// Width of rules in pt.
    pub rule_width: f32,
    /// The copyfit ladder's bounds (`[fit]`).
    pub fit: super::Fit,
    /// The page plan; empty when every article flows automatically.
    pub pages: Vec<PageSpec>,
    /// The PDF standard and print condition of `[output]`.
    pub output: Output,
    /// Automatic make-up (`[auto]`).
    pub auto: super::AutoMakeup,
    /// The 栏目 tags: which kickers are rubrics and their look.
    pub rubric: super::boxes::Rubric,
    /// Bylines and pull quotes (`[elements]`, `[source] byline_prefixes`).
    pub elements: super::Elements,
}

/// `[text]`: the locale every article is set in unless its front line
/// names another, and how quotation marks are written.
#[derive(Debug, Clone, Default)]
pub struct TextSettings {
    /// The locale: faces, `locl` forms, punctuation position, PDF `Lang`.
    pub locale: crate::fonts::Locale,
    /// Turn “” ‘’ between Chinese text into 「」 『』 (`quotes = "corner"`).
    pub corner_quotes: bool,
    /// On vertical pages, numbers of at most this many digits stand
    /// upright in one em cell (纵中横); longer ones are rotated with Latin.
    pub upright_digits: u8,
}

/// `[output]`: the standard the PDF claims and the print condition its
/// output intent names.
#[derive(Debug, Clone, Default)]
pub struct Output {
    /// The standard claimed.
    pub standard: crate::display::PdfStandard,
    /// Where `standard` is written (0..0 when it is the default).
    pub standard_span: Range<usize>,
    /// Another output profile than the built-in IFRA26 one.
    pub profile: Option<OutputProfile>,
    /// Draw registration targets outside the bleed (only with crop marks).
    pub registration_targets: bool,
    /// Draw a colour bar below the page (only with crop marks).
    pub color_bar: bool,
    /// Place pictures below [`crate::compose::MIN_PPI`] with a warning
    /// instead of refusing them.
    pub allow_low_resolution: bool,
}

/// `[output] profile` and `condition`: an ICC output profile file and the
/// print condition it characterises. The file is read and checked with the
/// fonts, not here.
#[derive(Debug, Clone)]
pub struct OutputProfile {
    /// The file, a relative path taken from the layout file's folder.
    pub path: PathBuf,
    /// Where the path is written.
    pub span: Range<usize>,
    /// The print condition's name (`OutputConditionIdentifier`).
    pub condition: String,
}

impl Layout {
    /// Builds located errors for this layout's file, for mistakes found
    /// after loading (an article no module can name).
    pub fn locator(&self) -> Locator<'_> {
        Locator {
            file: &self.file,
            text: &self.text,
        }
    }

    /// The same layout with no page plan: every article is flowed
    /// automatically. Used when articles are given without a layout.
    pub fn without_plan(mut self) -> Self {
        self.pages.clear();
        self
    }
}
