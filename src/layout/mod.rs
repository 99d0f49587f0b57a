//! Layout config stage: `layouts/*.toml` → validated [`Layout`].
//!
//! Reading is the only fallible part of layout: every mistake found here is
//! reported with file, line and column and a hint, so that composition can
//! assume a consistent grid. Keys are documented in `docs/layout.md`.

pub mod limits;
pub mod units;

use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::display::Cmyk;
use crate::paragraph::{Align, ParagraphSettings, Prohibition, PunctStyle};
pub use units::Length;

/// A layout mistake, located in its file.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{}:{line}:{column}: {message}{}", file.display(), help.as_ref().map(|h| format!("\n  help: {h}")).unwrap_or_default())]
pub struct LayoutError {
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub help: Option<String>,
    /// Byte span in the file, for snippet rendering.
    pub span: Range<usize>,
}

/// 1-based line and column of a byte offset (columns count characters).
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Builds located errors for one file.
pub struct Locator<'a> {
    pub file: &'a Path,
    pub text: &'a str,
}

impl Locator<'_> {
    pub fn error(
        &self,
        span: Range<usize>,
        message: impl Into<String>,
        help: Option<String>,
    ) -> LayoutError {
        let (line, column) = line_col(self.text, span.start);
        LayoutError {
            file: self.file.to_path_buf(),
            line,
            column,
            message: message.into(),
            help,
            span,
        }
    }
}

// ---------------------------------------------------------------------------
// The file as written.

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLayout {
    #[serde(default)]
    paper: RawPaper,
    page: RawPage,
    grid: RawGrid,
    #[serde(default)]
    fonts: RawFonts,
    #[serde(default)]
    styles: RawStyles,
    #[serde(default)]
    source: RawSource,
    #[serde(default)]
    furniture: RawFurniture,
    #[serde(default)]
    pages: Vec<RawPageSpec>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPaper {
    name: Option<Spanned<String>>,
    date: Option<Spanned<String>>,
    weekday: Option<Spanned<String>>,
    issue: Option<Spanned<String>>,
    /// ISO date of the edition (`2026-11-29`), used for the PDF dates.
    iso_date: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPage {
    size: Spanned<RawPageSize>,
    #[serde(default)]
    bleed: Option<Spanned<Length>>,
    margins: RawMargins,
    #[serde(default)]
    crop_marks: bool,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RawPageSize {
    Named(String),
    Custom { width: Length, height: Length },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMargins {
    top: Spanned<Length>,
    bottom: Spanned<Length>,
    left: Spanned<Length>,
    right: Spanned<Length>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGrid {
    columns: Spanned<i64>,
    column_chars: Spanned<i64>,
    #[serde(default = "default_gutter")]
    gutter_chars: Spanned<i64>,
    body_size: Spanned<Length>,
    line_pitch: Spanned<Length>,
}

fn default_gutter() -> Spanned<i64> {
    Spanned::new(0..0, 1)
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFonts {
    /// Extra font folders, relative to the layout file.
    #[serde(default)]
    dirs: Vec<Spanned<String>>,
    /// Extra font files, relative to the layout file.
    #[serde(default)]
    files: Vec<RawFontFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFontFile {
    path: Spanned<String>,
    index: Option<Spanned<u32>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    fullwidth_punctuation: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFurniture {
    /// Grid lines the masthead takes at the top of page 1.
    masthead_lines: Option<Spanned<i64>>,
    /// Draw rules between columns.
    column_rules: Option<bool>,
    /// Width of rules, e.g. "0.5pt".
    rule_width: Option<Spanned<Length>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStyles {
    body: Option<Spanned<RawStyle>>,
    dateline: Option<Spanned<RawStyle>>,
    credit: Option<Spanned<RawStyle>>,
    jump: Option<Spanned<RawStyle>>,
    continuation_headline: Option<Spanned<RawStyle>>,
    running_header: Option<Spanned<RawStyle>>,
    masthead: Option<Spanned<RawStyle>>,
    masthead_info: Option<Spanned<RawStyle>>,
    kicker_1: Option<Spanned<RawStyle>>,
    headline_1: Option<Spanned<RawStyle>>,
    subheadline_1: Option<Spanned<RawStyle>>,
    kicker_2: Option<Spanned<RawStyle>>,
    headline_2: Option<Spanned<RawStyle>>,
    subheadline_2: Option<Spanned<RawStyle>>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStyle {
    font: Option<Spanned<Vec<String>>>,
    weight: Option<Spanned<u16>>,
    size: Option<Spanned<Length>>,
    leading: Option<Spanned<Length>>,
    color: Option<Spanned<[f32; 4]>>,
    align: Option<Align>,
    prohibition: Option<Prohibition>,
    punctuation: Option<PunctStyle>,
    han_latin_gap: Option<Spanned<f32>>,
    han_digit_gap: Option<Spanned<f32>>,
    hanging: Option<bool>,
    indent: Option<Spanned<f32>>,
    avoid_orphan_char: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPageSpec {
    #[serde(default)]
    section: Option<String>,
    #[serde(default)]
    modules: Vec<Spanned<RawModule>>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RawArticleRef {
    Number(i64),
    Headline(String),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawModule {
    /// Headline substring or 1-based article number; absent on a module
    /// that only receives a continuation.
    article: Option<Spanned<RawArticleRef>>,
    columns: Spanned<[i64; 2]>,
    lines: Spanned<[i64; 2]>,
    /// Columns (from the module's first) the headline spans; default all.
    headline_columns: Option<Spanned<i64>>,
    headline_size: Option<Spanned<Length>>,
    /// Set the module's span as this many equal columns (破栏).
    body_columns: Option<Spanned<i64>>,
    continue_to: Option<Spanned<RawContinue>>,
    /// Short headline printed above a continuation (接题).
    continuation_headline: Option<String>,
    /// Draw a box around the module.
    #[serde(default)]
    boxed: bool,
    /// Reserve the module for a picture or an advertisement: a framed
    /// tinted box with this label instead of an article.
    placeholder: Option<String>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawContinue {
    page: i64,
    module: i64,
}

// ---------------------------------------------------------------------------
// The validated layout.

#[derive(Debug, Clone)]
pub struct Paper {
    pub name: String,
    pub date: String,
    pub weekday: String,
    pub issue: String,
    pub iso_date: Option<String>,
}

#[derive(Debug, Clone)]
pub struct PageGeometry {
    /// Trim size in pt.
    pub width: f32,
    pub height: f32,
    pub bleed: f32,
    pub margin_top: f32,
    pub margin_bottom: f32,
    pub margin_left: f32,
    pub margin_right: f32,
    pub crop_marks: bool,
}

/// The column and baseline grid, all in pt.
#[derive(Debug, Clone)]
pub struct Grid {
    pub columns: u32,
    pub column_chars: u32,
    pub gutter_chars: u32,
    pub body_size: f32,
    pub pitch: f32,
    /// Grid lines in the type area.
    pub lines: u32,
    /// Left edge of the type area and its top (top of grid line 1).
    pub left: f32,
    pub top: f32,
}

impl Grid {
    pub fn column_width(&self) -> f32 {
        self.column_chars as f32 * self.body_size
    }

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
    /// (ascent 0.88 em) centred in the line's pitch.
    pub fn baseline(&self, k: u32) -> f32 {
        self.line_top(k) + (self.pitch - self.body_size) / 2.0 + 0.88 * self.body_size
    }

    pub fn type_width(&self) -> f32 {
        self.span_chars(self.columns) as f32 * self.body_size
    }

    /// The masthead's band on page 1: from the top of grid line 1 to the
    /// middle of its last line, where its rules sit.
    pub fn masthead_band(&self, lines: u32) -> (f32, f32) {
        (self.line_top(1), self.line_top(lines) + self.pitch / 2.0)
    }
}

/// Where the parts of the masthead go. Shared by the check that
/// `masthead_lines` is tall enough and by the furniture that draws it, so
/// the two cannot disagree.
pub mod masthead {
    use super::{Grid, Paper};

    /// Baseline-to-baseline distance of the date block, in its size.
    pub const INFO_LEAD: f32 = 1.5;
    /// The thick rule under the masthead: its width and the distance of its
    /// centre above the band's bottom.
    pub const RULE_WIDTH: f32 = 2.0;
    pub const RULE_RAISE: f32 = 2.0;
    /// The ideographic em box around a baseline (DESIGN §3).
    const ASCENT: f32 = 0.88;
    const DESCENT: f32 = 0.12;

    /// The right-hand block: date and weekday, issue, page and section.
    pub fn info_rows(paper: &Paper, first_section: &str) -> Vec<String> {
        [
            format!("{} {}", paper.date, paper.weekday)
                .trim()
                .to_string(),
            paper.issue.clone(),
            format!("第1版 {first_section}").trim().to_string(),
        ]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect()
    }

    /// The paper name's size (shrunk to fit the band) and baseline.
    pub fn name(grid: &Grid, lines: u32, size: f32) -> (f32, f32) {
        let (top, bottom) = grid.masthead_band(lines);
        let size = size.min((bottom - top) * 0.8);
        (size, top + (bottom - top) / 2.0 + size * 0.38)
    }

    /// Baselines of the date block's rows, centred in the band.
    pub fn info_baselines(grid: &Grid, lines: u32, size: f32, rows: usize) -> Vec<f32> {
        let (top, bottom) = grid.masthead_band(lines);
        let lead = size * INFO_LEAD;
        let first = top + (bottom - top - lead * rows as f32) / 2.0 + size;
        (0..rows).map(|i| first + i as f32 * lead).collect()
    }

    /// Whether the name and the date block stay between the top of the
    /// band and the thick rule.
    pub fn fits(grid: &Grid, lines: u32, name_size: f32, info_size: f32, rows: usize) -> bool {
        let (top, bottom) = grid.masthead_band(lines);
        let rule_top = bottom - RULE_RAISE - RULE_WIDTH / 2.0;
        let (ns, nb) = name(grid, lines, name_size);
        let name_ok = nb + DESCENT * ns <= rule_top + 0.01;
        let info = info_baselines(grid, lines, info_size, rows);
        let info_ok = match (info.first(), info.last()) {
            (Some(first), Some(last)) => {
                first - ASCENT * info_size >= top - 0.01
                    && last + DESCENT * info_size <= rule_top + 0.01
            }
            _ => true,
        };
        name_ok && info_ok
    }
}

/// A resolved text style.
#[derive(Debug, Clone)]
pub struct Style {
    pub fonts: Vec<String>,
    /// Where the font list is written (0..0 for a built-in default).
    pub font_span: Range<usize>,
    pub weight: u16,
    /// Where the weight is written (0..0 for a built-in default).
    pub weight_span: Range<usize>,
    pub size: f32,
    pub leading: f32,
    pub color: Cmyk,
    pub paragraph: ParagraphSettings,
}

#[derive(Debug, Clone)]
pub struct HeadlineStyles {
    pub kicker: Style,
    pub headline: Style,
    pub subheadline: Style,
}

#[derive(Debug, Clone)]
pub struct Styles {
    pub body: Style,
    pub dateline: Style,
    pub credit: Style,
    pub jump: Style,
    pub continuation_headline: Style,
    pub running_header: Style,
    pub masthead: Style,
    pub masthead_info: Style,
    /// Index 0 for level 1 (`#`), 1 for level 2 (`##`).
    pub levels: [HeadlineStyles; 2],
}

impl Styles {
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
    Number(usize),
    Headline(String),
}

/// Where overset text continues: page and module, both 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContinueTo {
    pub page: usize,
    pub module: usize,
}

#[derive(Debug, Clone)]
pub struct ModuleSpec {
    pub article: Option<ArticleRef>,
    /// Grid columns, 1-based inclusive.
    pub columns: (u32, u32),
    /// Grid lines, 1-based inclusive.
    pub lines: (u32, u32),
    pub headline_columns: u32,
    pub headline_size: Option<f32>,
    pub body_columns: u32,
    pub continue_to: Option<ContinueTo>,
    pub continuation_headline: Option<String>,
    pub boxed: bool,
    pub placeholder: Option<String>,
    /// Where the module is written, for diagnostics found later (article
    /// matching happens once the articles are read).
    pub span: Range<usize>,
    pub article_span: Range<usize>,
    pub lines_span: Range<usize>,
}

#[derive(Debug, Clone)]
pub struct PageSpec {
    pub section: String,
    pub modules: Vec<ModuleSpec>,
}

#[derive(Debug, Clone)]
pub struct FontSource {
    pub path: PathBuf,
    pub index: Option<u32>,
    pub span: Range<usize>,
}

#[derive(Debug, Clone)]
pub struct Layout {
    pub file: PathBuf,
    /// The file's text, kept for diagnostics found after loading.
    pub text: String,
    pub paper: Paper,
    pub page: PageGeometry,
    pub grid: Grid,
    pub styles: Styles,
    pub font_dirs: Vec<(PathBuf, Range<usize>)>,
    pub font_files: Vec<FontSource>,
    pub fullwidth_punctuation: bool,
    pub masthead_lines: u32,
    pub column_rules: bool,
    pub rule_width: f32,
    pub pages: Vec<PageSpec>,
}

impl Layout {
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

pub fn load(path: &Path) -> Result<Layout, LayoutError> {
    let text = std::fs::read(path).map_err(|e| LayoutError {
        file: path.to_path_buf(),
        line: 0,
        column: 0,
        message: format!("cannot read layout file: {e}"),
        help: Some("check the path given with --layout".into()),
        span: 0..0,
    })?;
    let text = String::from_utf8(text).map_err(|e| {
        let bytes = e.as_bytes();
        let valid = e.utf8_error().valid_up_to();
        let prefix = String::from_utf8_lossy(&bytes[..valid]).into_owned();
        let (line, column) = line_col(&prefix, valid);
        LayoutError {
            file: path.to_path_buf(),
            line,
            column,
            message: "the layout file is not valid UTF-8".into(),
            help: Some("save the file as UTF-8".into()),
            span: valid..valid,
        }
    })?;
    parse(&text, path)
}

fn did_you_mean(message: &str) -> Option<String> {
    // toml/serde say: unknown field `colums`, expected one of `a`, `b`
    let unknown = message.split('`').nth(1)?;
    let expected: Vec<&str> = message
        .split("expected")
        .nth(1)?
        .split('`')
        .skip(1)
        .step_by(2)
        .collect();
    let best = expected
        .iter()
        .map(|e| (edit_distance(unknown, e), *e))
        .min()?;
    if best.0 <= 3.max(unknown.len() / 3) {
        Some(format!("did you mean `{}`?", best.1))
    } else {
        Some(format!("valid keys here: {}", expected.join(", ")))
    }
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

pub fn parse(text: &str, path: &Path) -> Result<Layout, LayoutError> {
    let loc = Locator { file: path, text };
    let raw: RawLayout = toml::from_str(text).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        let message = e.message().trim().to_string();
        let help = if message.starts_with("unknown field") {
            did_you_mean(&message)
        } else if message.starts_with("missing field") {
            Some("add the key; docs/layout.md lists every key with its default".into())
        } else if message.starts_with("invalid type") || message.starts_with("invalid value") {
            Some("docs/layout.md gives the type of every key".into())
        } else if message.contains("unit") || message.contains("length") {
            None
        } else {
            Some("the TOML syntax is broken here or at the end of the line before: check brackets, quotes and `key = value`".into())
        };
        loc.error(span, message, help)
    })?;
    resolve(raw, &loc)
}

/// A whole number within its limit.
fn count(loc: &Locator, v: &Spanned<i64>, limit: &limits::Limit) -> Result<u32, LayoutError> {
    limit.check(loc, v.span(), None, *v.get_ref() as f64)?;
    Ok(*v.get_ref() as u32)
}

fn resolve(raw: RawLayout, loc: &Locator) -> Result<Layout, LayoutError> {
    use limits::*;
    // Grid first: 字 and 行 lengths everywhere else depend on it.
    let g = &raw.grid;
    let body_size = g.body_size.get_ref().absolute().ok_or_else(|| {
        loc.error(
            g.body_size.span(),
            "body_size must be absolute",
            Some("write it in pt or as a 字号 name, e.g. \"小五\"".into()),
        )
    })?;
    GRID_BODY_SIZE.check(loc, g.body_size.span(), None, body_size.into())?;
    let pitch = match *g.line_pitch.get_ref() {
        Length::Lines(_) => {
            return Err(loc.error(
                g.line_pitch.span(),
                "line_pitch cannot be given in 行",
                None,
            ))
        }
        l => l.to_pt(body_size, 0.0),
    };
    GRID_LINE_PITCH.check_relative(
        loc,
        g.line_pitch.span(),
        None,
        pitch.into(),
        body_size.into(),
    )?;
    let columns = count(loc, &g.columns, &GRID_COLUMNS)?;
    // Fewer than 4 characters leave no room to set Chinese text by the
    // line-breaking rules.
    let column_chars = count(loc, &g.column_chars, &GRID_COLUMN_CHARS)?;
    let gutter = count(loc, &g.gutter_chars, &GRID_GUTTER_CHARS)?;
    let len = |l: &Spanned<Length>| l.get_ref().to_pt(body_size, pitch);

    let (width, height) = match raw.page.size.get_ref() {
        RawPageSize::Named(name) => match name.as_str() {
            "对开" | "broadsheet" => (390.0 * units::PT_PER_MM, 540.0 * units::PT_PER_MM),
            "四开" | "tabloid" => (275.0 * units::PT_PER_MM, 390.0 * units::PT_PER_MM),
            "A3" => (297.0 * units::PT_PER_MM, 420.0 * units::PT_PER_MM),
            "A4" => (210.0 * units::PT_PER_MM, 297.0 * units::PT_PER_MM),
            other => {
                return Err(loc.error(
                    raw.page.size.span(),
                    format!("unknown page size `{other}`"),
                    Some("use \"对开\", \"四开\", \"A3\", \"A4\" or { width = \"390mm\", height = \"540mm\" }".into()),
                ))
            }
        },
        RawPageSize::Custom { width, height } => (width.to_pt(body_size, pitch), height.to_pt(body_size, pitch)),
    };
    for (side, part) in [(width, "width"), (height, "height")] {
        PAGE_SIZE.check(loc, raw.page.size.span(), Some(part), side.into())?;
    }
    let bleed = match &raw.page.bleed {
        Some(b) => {
            // Printing plants ask for 3mm; 12.7mm (36pt) is the most any asks.
            PAGE_BLEED.check(loc, b.span(), None, len(b).into())?;
            len(b)
        }
        None => 0.0,
    };
    let m = &raw.page.margins;
    let margins = [&m.top, &m.bottom, &m.left, &m.right].map(|l| (len(l), l.span()));
    for ((v, span), side) in margins.iter().zip(["top", "bottom", "left", "right"]) {
        PAGE_MARGINS.check(loc, span.clone(), Some(side), (*v).into())?;
    }
    let type_height = height - margins[0].0 - margins[1].0;
    let grid = Grid {
        columns,
        column_chars,
        gutter_chars: gutter,
        body_size,
        pitch,
        lines: if type_height > 0.0 {
            (type_height / pitch).floor() as u32
        } else {
            0
        },
        left: margins[2].0,
        top: margins[0].0,
    };
    let available = width - margins[2].0 - margins[3].0;
    if grid.type_width() > available + 0.01 {
        return Err(loc.error(
            g.columns.span().start..g.column_chars.span().end.max(g.columns.span().end),
            format!(
                "the grid is {:.1}mm wide ({} columns × {} 字 + gutters at {body_size}pt) but the page leaves {:.1}mm between the margins",
                grid.type_width() / units::PT_PER_MM,
                columns,
                column_chars,
                available / units::PT_PER_MM
            ),
            Some("reduce columns, column_chars or the margins".into()),
        ));
    }
    if grid.lines < 10 {
        return Err(loc.error(
            m.top.span(),
            format!("the type area holds only {} grid lines", grid.lines),
            Some("reduce the top/bottom margins or the line pitch".into()),
        ));
    }

    let styles = resolve_styles(&raw.styles, loc, body_size, pitch)?;

    let layout_dir = loc.file.parent().unwrap_or(Path::new("."));
    let font_dirs = raw
        .fonts
        .dirs
        .iter()
        .map(|d| (layout_dir.join(d.get_ref()), d.span()))
        .collect();
    let font_files = raw
        .fonts
        .files
        .iter()
        .map(|f| FontSource {
            path: layout_dir.join(f.path.get_ref()),
            index: f.index.as_ref().map(|i| *i.get_ref()),
            span: f.path.span(),
        })
        .collect();

    let masthead_lines = match &raw.furniture.masthead_lines {
        Some(v) => {
            let n = *v.get_ref();
            FURNITURE_MASTHEAD_LINES.check_within(
                loc,
                v.span(),
                None,
                n as f64,
                Some(((grid.lines - 1).into(), "the grid's lines less one")),
            )?;
            n as u32
        }
        None => 9,
    };
    let paper = resolve_paper(&raw.paper, loc)?;
    if masthead_lines > 0 {
        check_masthead(&raw, &grid, &styles, &paper, masthead_lines, loc)?;
    }
    let rule_width = match &raw.furniture.rule_width {
        Some(w) => {
            FURNITURE_RULE_WIDTH.check(loc, w.span(), None, len(w).into())?;
            len(w)
        }
        None => 0.5,
    };

    if raw.pages.len() as f64 > PAGES.max {
        return Err(loc.error(0..0, format!("more than {} pages planned", num(PAGES.max)), Some("a layout plans one edition; automatic flow adds pages for articles no module names".into())));
    }
    let mut pages = Vec::new();
    for (pi, p) in raw.pages.iter().enumerate() {
        let mut modules = Vec::new();
        for m in &p.modules {
            modules.push(resolve_module(m, &grid, loc, pi == 0, masthead_lines)?);
        }
        check_overlaps(&modules, loc, pi + 1)?;
        pages.push(PageSpec {
            section: p.section.clone().unwrap_or_default(),
            modules,
        });
    }
    check_continuations(&raw.pages, &pages, loc)?;

    Ok(Layout {
        file: loc.file.to_path_buf(),
        text: loc.text.to_string(),
        paper,
        page: PageGeometry {
            width,
            height,
            bleed,
            margin_top: margins[0].0,
            margin_bottom: margins[1].0,
            margin_left: margins[2].0,
            margin_right: margins[3].0,
            crop_marks: raw.page.crop_marks,
        },
        grid,
        styles,
        font_dirs,
        font_files,
        fullwidth_punctuation: raw.source.fullwidth_punctuation.unwrap_or(true),
        masthead_lines,
        column_rules: raw.furniture.column_rules.unwrap_or(true),
        rule_width,
        pages,
    })
}

/// `YYYY-MM-DD` as a date of the (proleptic Gregorian) calendar, years
/// 1000–9999 as PDF dates hold them; otherwise what is wrong with it.
pub fn parse_iso_date(s: &str) -> Result<(u16, u8, u8), String> {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if b.len() != 10
        || b[4] != b'-'
        || b[7] != b'-'
        || !digits(0..4)
        || !digits(5..7)
        || !digits(8..10)
    {
        return Err("is not written YYYY-MM-DD".into());
    }
    let (y, m, d): (u16, u8, u8) = (
        s[0..4].parse().map_err(|_| "has no year")?,
        s[5..7].parse().map_err(|_| "has no month")?,
        s[8..10].parse().map_err(|_| "has no day")?,
    );
    if y < 1000 {
        return Err(format!("has the year {y}; PDF dates need 1000–9999"));
    }
    if !(1..=12).contains(&m) {
        return Err(format!("has the month {m}; months are 01–12"));
    }
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let days = match m {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if !(1..=days).contains(&d) {
        return Err(format!("has the day {d}; {y}-{m:02} has {days} days"));
    }
    Ok((y, m, d))
}

/// The paper's texts go into the masthead, the running headers and the
/// PDF's title: refuse control characters, which print as nothing (or a
/// box) and are not allowed in XML metadata; check the ISO date.
fn resolve_paper(raw: &RawPaper, loc: &Locator) -> Result<Paper, LayoutError> {
    let text = |v: &Option<Spanned<String>>, key: &str, default: &str| {
        let Some(v) = v else {
            return Ok(default.to_string());
        };
        if let Some((i, c)) = v
            .get_ref()
            .chars()
            .enumerate()
            .find(|(_, c)| c.is_control())
        {
            return Err(loc.error(
                v.span(),
                format!(
                    "paper.{key} holds the control character U+{:04X} (character {})",
                    c as u32,
                    i + 1
                ),
                Some("remove it; a line break or tab cannot be printed in the masthead".into()),
            ));
        }
        Ok(v.get_ref().clone())
    };
    let iso_date = match &raw.iso_date {
        Some(d) => {
            parse_iso_date(d.get_ref()).map_err(|why| {
                loc.error(
                    d.span(),
                    format!("paper.iso_date `{}` {why}", d.get_ref().escape_debug()),
                    Some(
                        "write the edition's date as YYYY-MM-DD, e.g. iso_date = \"2026-11-29\""
                            .into(),
                    ),
                )
            })?;
            Some(d.get_ref().clone())
        }
        None => None,
    };
    Ok(Paper {
        name: text(&raw.name, "name", "清河晚报")?,
        date: text(&raw.date, "date", "")?,
        weekday: text(&raw.weekday, "weekday", "")?,
        issue: text(&raw.issue, "issue", "")?,
        iso_date,
    })
}

/// The masthead's date block must stay above the rule under it: too few
/// `masthead_lines` made the rule strike through the date.
fn check_masthead(
    raw: &RawLayout,
    grid: &Grid,
    styles: &Styles,
    paper: &Paper,
    lines: u32,
    loc: &Locator,
) -> Result<(), LayoutError> {
    let section = raw
        .pages
        .first()
        .map_or("要闻", |p| p.section.as_deref().unwrap_or_default());
    let rows = masthead::info_rows(paper, section).len();
    let (name, info) = (styles.masthead.size, styles.masthead_info.size);
    if masthead::fits(grid, lines, name, info, rows) {
        return Ok(());
    }
    // The default masthead_lines is not written: point at the size that
    // made the block too tall instead.
    let info_size = raw
        .styles
        .masthead_info
        .as_ref()
        .and_then(|s| s.get_ref().size.as_ref());
    let span = match (&raw.furniture.masthead_lines, info_size) {
        (Some(v), _) => v.span(),
        (None, Some(s)) => s.span(),
        (None, None) => 0..0,
    };
    let least = (lines + 1..grid.lines).find(|&l| masthead::fits(grid, l, name, info, rows));
    Err(loc.error(
        span,
        format!(
            "masthead_lines = {lines} is too few: the rule under the masthead would cross its date block ({rows} row(s) of masthead_info at {}pt)",
            limits::num(info.into())
        ),
        Some(match least {
            Some(l) => format!("set masthead_lines to at least {l}, make [styles.masthead_info] size smaller, or 0 for no masthead"),
            None => "make [styles.masthead_info] size smaller, or set masthead_lines = 0 for no masthead".into(),
        }),
    ))
}

fn resolve_module(
    raw: &Spanned<RawModule>,
    grid: &Grid,
    loc: &Locator,
    first_page: bool,
    masthead_lines: u32,
) -> Result<ModuleSpec, LayoutError> {
    use limits::*;
    let m = raw.get_ref();
    // A range is one value to an editor: say what is wrong with the pair.
    let within = |limit: &limits::Limit, ends: [i64; 2], max: u32| {
        let hi = limit.max.min(max.into());
        ends[0] <= ends[1] && ends.iter().all(|&e| (limit.min..=hi).contains(&(e as f64)))
    };
    let [a, b] = *m.columns.get_ref();
    if !within(&MODULE_COLUMNS, [a, b], grid.columns) {
        return Err(loc.error(
            m.columns.span(),
            format!(
                "{} [{a}, {b}] is outside the grid's {} columns",
                MODULE_COLUMNS.key, grid.columns
            ),
            Some(format!(
                "columns are numbered 1 to {}; write [first, last] with first ≤ last",
                grid.columns
            )),
        ));
    }
    let [top, bottom] = *m.lines.get_ref();
    if !within(&MODULE_LINES, [top, bottom], grid.lines) {
        return Err(loc.error(
            m.lines.span(),
            format!(
                "{} [{top}, {bottom}] is outside the grid's {} lines",
                MODULE_LINES.key, grid.lines
            ),
            Some(format!(
                "grid lines are numbered 1 to {}; write [first, last]",
                grid.lines
            )),
        ));
    }
    if first_page && masthead_lines > 0 && top as u32 <= masthead_lines {
        return Err(loc.error(
            m.lines.span(),
            format!("lines [{top}, {bottom}] overlap the masthead, which takes lines 1–{masthead_lines} of page 1"),
            Some(format!("start the module at line {} or lower furniture.masthead_lines", masthead_lines + 1)),
        ));
    }
    let span_cols = (b - a + 1) as u32;
    let headline_columns = match &m.headline_columns {
        Some(h) => {
            let n = *h.get_ref();
            MODULE_HEADLINE_COLUMNS.check_within(
                loc,
                h.span(),
                None,
                n as f64,
                Some((span_cols.into(), "the module's columns")),
            )?;
            n as u32
        }
        None => span_cols,
    };
    let body_columns = match &m.body_columns {
        Some(h) => {
            let n = *h.get_ref();
            MODULE_BODY_COLUMNS.check_within(
                loc,
                h.span(),
                None,
                n as f64,
                Some(((span_cols * 2).into(), "twice the module's columns")),
            )?;
            let n = n as u32;
            let chars = grid.body_column_chars(span_cols, n);
            if chars.is_none_or(|c| c < 4) {
                let total = grid.span_chars(span_cols);
                let gutters = (n - 1) * grid.gutter_chars;
                return Err(loc.error(
                    h.span(),
                    match chars {
                        Some(c) => format!("{n} body columns leave only {c} characters per line"),
                        None => format!(
                            "{n} body columns need {gutters} characters of gutters ({} × gutter_chars = {}) but the module is only {total} characters wide",
                            n - 1,
                            grid.gutter_chars
                        ),
                    },
                    Some("each body column needs at least 4 characters: use fewer body_columns, a wider module or a smaller gutter_chars".into()),
                ));
            }
            n
        }
        None => span_cols,
    };
    let headline_size = match &m.headline_size {
        Some(s) => {
            let v = s.get_ref().to_pt(grid.body_size, grid.pitch);
            MODULE_HEADLINE_SIZE.check(loc, s.span(), None, v.into())?;
            Some(v)
        }
        None => None,
    };
    if let (Some(_), Some(a)) = (&m.placeholder, &m.article) {
        return Err(loc.error(
            a.span(),
            "a module cannot both set an article and be a placeholder",
            Some("remove `article` or `placeholder`".into()),
        ));
    }
    let article = match m.article.as_ref().map(|a| (a, a.get_ref())) {
        Some((a, RawArticleRef::Number(n))) if *n < 1 => {
            return Err(loc.error(
                a.span(),
                format!("article = {n}: articles are numbered from 1 in source order"),
                Some(
                    "give the article's number (1 for the first) or a part of its headline".into(),
                ),
            ))
        }
        Some((_, RawArticleRef::Number(n))) => Some(ArticleRef::Number(*n as usize)),
        Some((_, RawArticleRef::Headline(s))) => Some(ArticleRef::Headline(s.clone())),
        None => None,
    };
    Ok(ModuleSpec {
        article,
        columns: (a as u32, b as u32),
        lines: (top as u32, bottom as u32),
        headline_columns,
        headline_size,
        body_columns,
        continue_to: m.continue_to.as_ref().map(|c| ContinueTo {
            page: c.get_ref().page.max(0) as usize,
            module: c.get_ref().module.max(0) as usize,
        }),
        continuation_headline: m.continuation_headline.clone(),
        boxed: m.boxed,
        placeholder: m.placeholder.clone(),
        span: raw.span(),
        lines_span: m.lines.span(),
        article_span: m.article.as_ref().map_or(raw.span(), |a| a.span()),
    })
}

fn check_overlaps(modules: &[ModuleSpec], loc: &Locator, page: usize) -> Result<(), LayoutError> {
    for (i, a) in modules.iter().enumerate() {
        for b in &modules[..i] {
            let cols = a.columns.0 <= b.columns.1 && b.columns.0 <= a.columns.1;
            let lines = a.lines.0 <= b.lines.1 && b.lines.0 <= a.lines.1;
            if cols && lines {
                return Err(loc.error(
                    a.lines_span.clone(),
                    format!(
                        "this module (columns {}–{}, lines {}–{}) overlaps another module on page {page} (columns {}–{}, lines {}–{})",
                        a.columns.0, a.columns.1, a.lines.0, a.lines.1, b.columns.0, b.columns.1, b.lines.0, b.lines.1
                    ),
                    Some("modules may share an edge but not grid cells; change `columns` or `lines`".into()),
                ));
            }
        }
    }
    Ok(())
}

fn check_continuations(
    raw: &[RawPageSpec],
    pages: &[PageSpec],
    loc: &Locator,
) -> Result<(), LayoutError> {
    for (pi, p) in pages.iter().enumerate() {
        for (mi, m) in p.modules.iter().enumerate() {
            let Some(c) = m.continue_to else { continue };
            let span = raw[pi].modules[mi]
                .get_ref()
                .continue_to
                .as_ref()
                .map_or(m.span.clone(), |c| c.span());
            if c.page < 1 || c.page > pages.len() {
                return Err(loc.error(
                    span,
                    format!(
                        "continue_to names page {} but the layout has {} page(s)",
                        c.page,
                        pages.len()
                    ),
                    Some(
                        "add a [[pages]] entry for the continuation or fix the page number".into(),
                    ),
                ));
            }
            let target_page = &pages[c.page - 1];
            if c.module < 1 || c.module > target_page.modules.len() {
                return Err(loc.error(
                    span,
                    format!(
                        "continue_to names module {} of page {} which has {} module(s)",
                        c.module,
                        c.page,
                        target_page.modules.len()
                    ),
                    None,
                ));
            }
            if (c.page, c.module) == (pi + 1, mi + 1) {
                return Err(loc.error(span, "a module cannot continue into itself", None));
            }
            if (c.page, c.module) < (pi + 1, mi + 1) {
                return Err(loc.error(
                    span,
                    format!("continue_to names page {} module {}, which comes before this module", c.page, c.module),
                    Some("text continues forward in reading order: on a later page, or later on this page".into()),
                ));
            }
            if target_page.modules[c.module - 1].article.is_some() {
                return Err(loc.error(
                    span,
                    format!("module {} of page {} already sets an article; a continuation target must have no `article`", c.module, c.page),
                    None,
                ));
            }
            // The continuation would be set over the reserved picture.
            if let Some(label) = &target_page.modules[c.module - 1].placeholder {
                return Err(loc.error(
                    span,
                    format!(
                        "continue_to names module {} of page {}, which is reserved as a placeholder (`{label}`); the text would be set over it",
                        c.module, c.page
                    ),
                    Some("point continue_to at an empty module (no `article`, no `placeholder`), or add one".into()),
                ));
            }
            // Follow the chain to refuse loops (A → B → A).
            let mut seen = vec![(pi + 1, mi + 1)];
            let mut cur = c;
            while let Some(next) = pages
                .get(cur.page.wrapping_sub(1))
                .and_then(|p| p.modules.get(cur.module.wrapping_sub(1)))
                .and_then(|m| m.continue_to)
            {
                if seen.contains(&(cur.page, cur.module)) {
                    return Err(loc.error(
                        span,
                        "continuations form a loop",
                        Some("a chain of continue_to must end".into()),
                    ));
                }
                seen.push((cur.page, cur.module));
                cur = next;
                if seen.len() > 10_000 {
                    break;
                }
            }
            if seen.contains(&(cur.page, cur.module)) {
                return Err(loc.error(
                    span,
                    "continuations form a loop",
                    Some("a chain of continue_to must end".into()),
                ));
            }
        }
    }
    Ok(())
}

struct StyleDefaults {
    fonts: &'static [&'static str],
    weight: u16,
    size: f32,
    align: Align,
    indent: f32,
}

#[allow(clippy::too_many_arguments)]
fn resolve_style(
    name: &str,
    raw: Option<&Spanned<RawStyle>>,
    base: Option<&RawStyle>,
    d: StyleDefaults,
    loc: &Locator,
    body_size: f32,
    pitch: f32,
) -> Result<Style, LayoutError> {
    use limits::*;
    let empty = RawStyle::default();
    let r = raw.map_or(&empty, |s| s.get_ref());
    let b = base.unwrap_or(&empty);
    let style = Some(name);
    let size = match r.size.as_ref().or(b.size.as_ref()) {
        Some(s) => {
            let v = s.get_ref().to_pt(body_size, pitch);
            STYLE_SIZE.check(loc, s.span(), style, v.into())?;
            v
        }
        None => d.size,
    };
    let fonts = match r.font.as_ref().or(b.font.as_ref()) {
        Some(f) if f.get_ref().is_empty() => {
            return Err(loc.error(
                f.span(),
                "font needs at least one family name",
                Some("e.g. font = [\"Noto Serif CJK SC\"]".into()),
            ))
        }
        Some(f) => f.get_ref().clone(),
        None => d.fonts.iter().map(|s| s.to_string()).collect(),
    };
    let color = match r.color.as_ref().or(b.color.as_ref()) {
        Some(c) => {
            let [cy, ma, ye, k] = *c.get_ref();
            for v in [cy, ma, ye, k] {
                STYLE_COLOR.check(loc, c.span(), style, v.into())?;
            }
            Cmyk(cy, ma, ye, k)
        }
        None => Cmyk::BLACK,
    };
    // An em value: checked where it is written, the default when absent.
    let em = |v: Option<&Spanned<f32>>, limit: &Limit, default: f32| -> Result<f32, LayoutError> {
        match v {
            Some(x) => {
                limit.check(loc, x.span(), style, (*x.get_ref()).into())?;
                Ok(*x.get_ref())
            }
            None => Ok(default),
        }
    };
    let defaults = ParagraphSettings::default();
    let paragraph = ParagraphSettings {
        prohibition: r
            .prohibition
            .or(b.prohibition)
            .unwrap_or(defaults.prohibition),
        punct: r.punctuation.or(b.punctuation).unwrap_or(defaults.punct),
        han_latin_gap: em(
            r.han_latin_gap.as_ref().or(b.han_latin_gap.as_ref()),
            &STYLE_HAN_LATIN_GAP,
            defaults.han_latin_gap,
        )?,
        han_digit_gap: em(
            r.han_digit_gap.as_ref().or(b.han_digit_gap.as_ref()),
            &STYLE_HAN_DIGIT_GAP,
            defaults.han_digit_gap,
        )?,
        hanging: r.hanging.or(b.hanging).unwrap_or(defaults.hanging),
        indent: em(
            r.indent.as_ref().or(b.indent.as_ref()),
            &STYLE_INDENT,
            d.indent,
        )?,
        align: r.align.or(b.align).unwrap_or(d.align),
        avoid_orphan_char: r.avoid_orphan_char.or(b.avoid_orphan_char).unwrap_or(true),
    };
    let font_span = r
        .font
        .as_ref()
        .or(b.font.as_ref())
        .map_or(0..0, |f| f.span());
    let (weight, weight_span) = match r.weight.as_ref().or(b.weight.as_ref()) {
        Some(w) => {
            STYLE_WEIGHT.check(loc, w.span(), style, (*w.get_ref()).into())?;
            (*w.get_ref(), w.span())
        }
        None => (d.weight, 0..0),
    };
    let leading = match r.leading.as_ref().or(b.leading.as_ref()) {
        None => size * 1.25,
        Some(l) => {
            let v = l.get_ref().to_pt(body_size, pitch);
            STYLE_LEADING.check_relative(loc, l.span(), style, v.into(), size.into())?;
            v
        }
    };
    Ok(Style {
        fonts,
        font_span,
        weight,
        weight_span,
        size,
        leading,
        color,
        paragraph,
    })
}

const SONG: &[&str] = &["Noto Serif CJK SC", "LXGW WenKai"];
const HEI: &[&str] = &["Noto Sans CJK SC", "Noto Serif CJK SC"];
const BIAOSONG: &[&str] = &["Noto Serif CJK SC", "Noto Sans CJK SC"];
const KAI: &[&str] = &["LXGW WenKai", "Noto Serif CJK SC"];

fn resolve_styles(
    raw: &RawStyles,
    loc: &Locator,
    body: f32,
    pitch: f32,
) -> Result<Styles, LayoutError> {
    let sd = |fonts, weight, size, align, indent| StyleDefaults {
        fonts,
        weight,
        size,
        align,
        indent,
    };
    let st = |name: &str, r: &Option<Spanned<RawStyle>>, d| {
        resolve_style(name, r.as_ref(), None, d, loc, body, pitch)
    };
    // Dateline and credit sit inside body lines: they inherit the body's
    // size and rules so they stay on the grid.
    let body_raw = raw.body.as_ref().map(|b| b.get_ref().clone());
    let inherit = |name: &str, r: &Option<Spanned<RawStyle>>, d| {
        resolve_style(
            name,
            r.as_ref(),
            body_raw
                .as_ref()
                .map(|b| RawStyle {
                    font: None,
                    weight: None,
                    ..b.clone()
                })
                .as_ref(),
            d,
            loc,
            body,
            pitch,
        )
    };
    Ok(Styles {
        body: st("body", &raw.body, sd(SONG, 400, body, Align::Justify, 2.0))?,
        dateline: inherit(
            "dateline",
            &raw.dateline,
            sd(HEI, 700, body, Align::Justify, 2.0),
        )?,
        credit: inherit("credit", &raw.credit, sd(KAI, 400, body, Align::End, 0.0))?,
        jump: inherit("jump", &raw.jump, sd(KAI, 400, body, Align::End, 0.0))?,
        continuation_headline: st(
            "continuation_headline",
            &raw.continuation_headline,
            sd(HEI, 700, 15.0, Align::Center, 0.0),
        )?,
        running_header: st(
            "running_header",
            &raw.running_header,
            sd(HEI, 700, body, Align::Start, 0.0),
        )?,
        masthead: st(
            "masthead",
            &raw.masthead,
            sd(BIAOSONG, 700, 72.0, Align::Start, 0.0),
        )?,
        masthead_info: st(
            "masthead_info",
            &raw.masthead_info,
            sd(SONG, 400, 10.5, Align::Start, 0.0),
        )?,
        levels: [
            HeadlineStyles {
                kicker: st(
                    "kicker_1",
                    &raw.kicker_1,
                    sd(KAI, 400, 16.0, Align::Center, 0.0),
                )?,
                headline: st(
                    "headline_1",
                    &raw.headline_1,
                    sd(HEI, 700, 36.0, Align::Center, 0.0),
                )?,
                subheadline: st(
                    "subheadline_1",
                    &raw.subheadline_1,
                    sd(BIAOSONG, 700, 16.0, Align::Center, 0.0),
                )?,
            },
            HeadlineStyles {
                kicker: st(
                    "kicker_2",
                    &raw.kicker_2,
                    sd(KAI, 400, 14.0, Align::Center, 0.0),
                )?,
                headline: st(
                    "headline_2",
                    &raw.headline_2,
                    sd(BIAOSONG, 700, 22.0, Align::Center, 0.0),
                )?,
                subheadline: st(
                    "subheadline_2",
                    &raw.subheadline_2,
                    sd(KAI, 400, 14.0, Align::Center, 0.0),
                )?,
            },
        ],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
[page]
size = "对开"
margins = { top = "25mm", bottom = "25mm", left = "18.5mm", right = "18.5mm" }
[grid]
columns = 8
column_chars = 13
body_size = "小五"
line_pitch = "11.5pt"
"#;

    fn err(text: &str) -> LayoutError {
        parse(text, Path::new("t.toml")).unwrap_err()
    }

    #[test]
    fn broadsheet_grid_is_111_characters_wide() {
        let l = parse(MINIMAL, Path::new("t.toml")).unwrap();
        assert_eq!(l.grid.span_chars(8), 111);
        assert_eq!(l.grid.span_chars(2), 27);
        assert_eq!(l.grid.span_chars(3), 41);
        assert!((l.grid.type_width() - 999.0).abs() < 1e-3);
        assert_eq!(l.styles.body.size, 9.0);
    }

    #[test]
    fn unknown_key_suggests_the_near_one() {
        let e = err(&MINIMAL.replace("columns = 8", "colums = 8"));
        assert!(e.message.contains("unknown field `colums`"), "{e}");
        assert_eq!(e.help.as_deref(), Some("did you mean `columns`?"));
        assert_eq!((e.line, e.column), (6, 1));
    }

    #[test]
    fn iso_dates_are_calendar_dates() {
        assert_eq!(parse_iso_date("2026-11-29"), Ok((2026, 11, 29)));
        assert_eq!(parse_iso_date("2024-02-29"), Ok((2024, 2, 29)));
        assert_eq!(parse_iso_date("2000-02-29"), Ok((2000, 2, 29)));
        assert!(parse_iso_date("1900-02-29")
            .unwrap_err()
            .contains("28 days"));
        assert!(parse_iso_date("2026-02-29").is_err());
        assert!(parse_iso_date("2026-13-45")
            .unwrap_err()
            .contains("month 13"));
        assert!(parse_iso_date("2026-04-31")
            .unwrap_err()
            .contains("30 days"));
        assert!(parse_iso_date("2026-00-10").is_err());
        assert!(parse_iso_date("0999-01-01").is_err());
        assert!(parse_iso_date("2026-1-1").is_err());
        assert!(parse_iso_date("<a>&b</a>").is_err());
        assert!(parse_iso_date("２０２６-11-29").is_err());
    }

    #[test]
    fn a_length_without_unit_is_located() {
        let e = err(&MINIMAL.replace("\"11.5pt\"", "11.5"));
        assert!(e.message.contains("has no unit"), "{e}");
        assert_eq!(e.line, 9);
    }
}
