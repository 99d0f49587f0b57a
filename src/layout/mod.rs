//! Layout config stage: `layouts/*.toml` → validated [`Layout`].
//!
//! Reading is the only fallible part of layout: every mistake found here is
//! reported with file, line and column and a hint, so that composition can
//! assume a consistent grid. Keys are documented in `docs/layout.md`.

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
    name: Option<String>,
    date: Option<String>,
    weekday: Option<String>,
    issue: Option<String>,
    /// ISO date of the edition (`2026-11-29`), used for the PDF dates.
    iso_date: Option<String>,
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
    rule_width: Option<Length>,
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
    weight: Option<u16>,
    size: Option<Spanned<Length>>,
    leading: Option<Length>,
    color: Option<Spanned<[f32; 4]>>,
    align: Option<Align>,
    prohibition: Option<Prohibition>,
    punctuation: Option<PunctStyle>,
    han_latin_gap: Option<f32>,
    han_digit_gap: Option<f32>,
    hanging: Option<bool>,
    indent: Option<f32>,
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
}

/// A resolved text style.
#[derive(Debug, Clone)]
pub struct Style {
    pub fonts: Vec<String>,
    /// Where the font list is written (0..0 for a built-in default).
    pub font_span: Range<usize>,
    pub weight: u16,
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

/// Limits that keep a typo from making the engine run away.
const MAX_PAGES: usize = 1000;
const MIN_SIZE_PT: f32 = 2.0;
const MAX_SIZE_PT: f32 = 400.0;
const MAX_PAGE_PT: f32 = 5000.0;

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

fn positive(loc: &Locator, v: &Spanned<i64>, what: &str, max: i64) -> Result<u32, LayoutError> {
    let n = *v.get_ref();
    if n < 1 || n > max {
        return Err(loc.error(
            v.span(),
            format!("{what} must be between 1 and {max}, found {n}"),
            None,
        ));
    }
    Ok(n as u32)
}

fn resolve(raw: RawLayout, loc: &Locator) -> Result<Layout, LayoutError> {
    // Grid first: 字 and 行 lengths everywhere else depend on it.
    let g = &raw.grid;
    let body_size = g.body_size.get_ref().absolute().ok_or_else(|| {
        loc.error(
            g.body_size.span(),
            "body_size must be absolute",
            Some("write it in pt or as a 字号 name, e.g. \"小五\"".into()),
        )
    })?;
    if !(MIN_SIZE_PT..=MAX_SIZE_PT).contains(&body_size) {
        return Err(loc.error(
            g.body_size.span(),
            format!("body_size {body_size}pt is outside {MIN_SIZE_PT}–{MAX_SIZE_PT}pt"),
            None,
        ));
    }
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
    if pitch < body_size || pitch > body_size * 3.0 {
        return Err(loc.error(
            g.line_pitch.span(),
            format!("line_pitch {pitch:.2}pt must be between the body size ({body_size}pt) and three times it"),
            Some("newspapers use the body size plus 1/4 to 1/3 of it, e.g. 9pt → \"11.5pt\"".into()),
        ));
    }
    let columns = positive(loc, &g.columns, "grid.columns", 40)?;
    let column_chars = positive(loc, &g.column_chars, "grid.column_chars", 200)?;
    if column_chars < 4 {
        return Err(loc.error(
            g.column_chars.span(),
            format!("grid.column_chars = {column_chars} leaves no room to set Chinese text by the line-breaking rules"),
            Some("a column needs at least 4 characters; newspapers use 11 to 14".into()),
        ));
    }
    let gutter = *g.gutter_chars.get_ref();
    if !(0..=10).contains(&gutter) {
        return Err(loc.error(
            g.gutter_chars.span(),
            "gutter_chars must be between 0 and 10",
            None,
        ));
    }
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
    if !(72.0..=MAX_PAGE_PT).contains(&width) || !(72.0..=MAX_PAGE_PT).contains(&height) {
        return Err(loc.error(
            raw.page.size.span(),
            format!(
                "page size {width:.1}×{height:.1}pt is outside 1–{:.0} inches",
                MAX_PAGE_PT / 72.0
            ),
            None,
        ));
    }
    let bleed = raw.page.bleed.as_ref().map_or(0.0, len);
    if !(0.0..=36.0).contains(&bleed) {
        return Err(loc.error(
            raw.page.bleed.as_ref().map_or(0..0, |b| b.span()),
            "bleed must be between 0 and 12.7mm",
            Some("printing plants ask for 3mm".into()),
        ));
    }
    let m = &raw.page.margins;
    let margins = [&m.top, &m.bottom, &m.left, &m.right].map(|l| (len(l), l.span()));
    for (v, span) in &margins {
        if *v < 0.0 {
            return Err(loc.error(span.clone(), "margins cannot be negative", None));
        }
    }
    let type_height = height - margins[0].0 - margins[1].0;
    let grid = Grid {
        columns,
        column_chars,
        gutter_chars: gutter as u32,
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
            if n < 0 || n >= grid.lines as i64 {
                return Err(loc.error(
                    v.span(),
                    format!("masthead_lines must be between 0 and {}", grid.lines - 1),
                    None,
                ));
            }
            n as u32
        }
        None => 9,
    };

    if raw.pages.len() > MAX_PAGES {
        return Err(loc.error(0..0, format!("more than {MAX_PAGES} pages planned"), None));
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

    let paper = Paper {
        name: raw.paper.name.unwrap_or_else(|| "清河晚报".into()),
        date: raw.paper.date.unwrap_or_default(),
        weekday: raw.paper.weekday.unwrap_or_default(),
        issue: raw.paper.issue.unwrap_or_default(),
        iso_date: raw.paper.iso_date,
    };
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
        rule_width: raw
            .furniture
            .rule_width
            .map_or(0.5, |l| l.to_pt(body_size, pitch)),
        pages,
    })
}

fn resolve_module(
    raw: &Spanned<RawModule>,
    grid: &Grid,
    loc: &Locator,
    first_page: bool,
    masthead_lines: u32,
) -> Result<ModuleSpec, LayoutError> {
    let m = raw.get_ref();
    let [a, b] = *m.columns.get_ref();
    if a < 1 || b < a || b > grid.columns as i64 {
        return Err(loc.error(
            m.columns.span(),
            format!(
                "column range [{a}, {b}] is outside the grid's {} columns",
                grid.columns
            ),
            Some(format!(
                "columns are numbered 1 to {}; write [first, last] with first ≤ last",
                grid.columns
            )),
        ));
    }
    let [top, bottom] = *m.lines.get_ref();
    if top < 1 || bottom < top || bottom > grid.lines as i64 {
        return Err(loc.error(
            m.lines.span(),
            format!(
                "line range [{top}, {bottom}] is outside the grid's {} lines",
                grid.lines
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
            if n < 1 || n > span_cols as i64 {
                return Err(loc.error(
                    h.span(),
                    format!(
                        "headline_columns must be between 1 and the module's {span_cols} columns"
                    ),
                    None,
                ));
            }
            n as u32
        }
        None => span_cols,
    };
    let body_columns = match &m.body_columns {
        Some(h) => {
            let n = *h.get_ref();
            if n < 1 || n > span_cols as i64 * 2 {
                return Err(loc.error(
                    h.span(),
                    format!("body_columns must be between 1 and {}", span_cols * 2),
                    None,
                ));
            }
            let chars =
                (grid.span_chars(span_cols) - (n as u32 - 1) * grid.gutter_chars) / n as u32;
            if chars < 4 {
                return Err(loc.error(
                    h.span(),
                    format!("{n} body columns leave only {chars} characters per line"),
                    None,
                ));
            }
            n as u32
        }
        None => span_cols,
    };
    let headline_size = match &m.headline_size {
        Some(s) => {
            let v = s.get_ref().to_pt(grid.body_size, grid.pitch);
            if !(MIN_SIZE_PT..=MAX_SIZE_PT).contains(&v) {
                return Err(loc.error(
                    s.span(),
                    format!("headline_size {v}pt is outside {MIN_SIZE_PT}–{MAX_SIZE_PT}pt"),
                    None,
                ));
            }
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
    let article = m.article.as_ref().map(|a| match a.get_ref() {
        RawArticleRef::Number(n) => ArticleRef::Number((*n).max(0) as usize),
        RawArticleRef::Headline(s) => ArticleRef::Headline(s.clone()),
    });
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

fn resolve_style(
    raw: Option<&Spanned<RawStyle>>,
    base: Option<&RawStyle>,
    d: StyleDefaults,
    loc: &Locator,
    body_size: f32,
    pitch: f32,
) -> Result<Style, LayoutError> {
    let empty = RawStyle::default();
    let r = raw.map_or(&empty, |s| s.get_ref());
    let b = base.unwrap_or(&empty);
    let size = match r.size.as_ref().or(b.size.as_ref()) {
        Some(s) => {
            let v = s.get_ref().to_pt(body_size, pitch);
            if !(MIN_SIZE_PT..=MAX_SIZE_PT).contains(&v) {
                return Err(loc.error(
                    s.span(),
                    format!("size {v}pt is outside {MIN_SIZE_PT}–{MAX_SIZE_PT}pt"),
                    None,
                ));
            }
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
            if [cy, ma, ye, k].iter().any(|v| !(0.0..=100.0).contains(v)) {
                return Err(loc.error(
                    c.span(),
                    "colour components are percentages from 0 to 100",
                    Some("write [C, M, Y, K], e.g. [0, 0, 0, 100]".into()),
                ));
            }
            Cmyk(cy, ma, ye, k)
        }
        None => Cmyk::BLACK,
    };
    let span = raw.map_or(0..0, |s| s.span());
    let check = |v: Option<f32>,
                 name: &str,
                 range: std::ops::RangeInclusive<f32>|
     -> Result<(), LayoutError> {
        match v {
            Some(x) if !x.is_finite() || !range.contains(&x) => Err(loc.error(
                span.clone(),
                format!(
                    "{name} = {x} is outside {}–{} em",
                    range.start(),
                    range.end()
                ),
                Some(format!(
                    "{name} is a number of em, e.g. {name} = {}",
                    range.start()
                )),
            )),
            _ => Ok(()),
        }
    };
    check(
        r.han_latin_gap.or(b.han_latin_gap),
        "han_latin_gap",
        0.0..=1.0,
    )?;
    check(
        r.han_digit_gap.or(b.han_digit_gap),
        "han_digit_gap",
        0.0..=1.0,
    )?;
    check(r.indent.or(b.indent), "indent", 0.0..=4.0)?;
    let defaults = ParagraphSettings::default();
    let paragraph = ParagraphSettings {
        prohibition: r
            .prohibition
            .or(b.prohibition)
            .unwrap_or(defaults.prohibition),
        punct: r.punctuation.or(b.punctuation).unwrap_or(defaults.punct),
        han_latin_gap: r
            .han_latin_gap
            .or(b.han_latin_gap)
            .unwrap_or(defaults.han_latin_gap),
        han_digit_gap: r
            .han_digit_gap
            .or(b.han_digit_gap)
            .unwrap_or(defaults.han_digit_gap),
        hanging: r.hanging.or(b.hanging).unwrap_or(defaults.hanging),
        indent: r.indent.or(b.indent).unwrap_or(d.indent),
        align: r.align.or(b.align).unwrap_or(d.align),
        avoid_orphan_char: r.avoid_orphan_char.or(b.avoid_orphan_char).unwrap_or(true),
    };
    let font_span = r
        .font
        .as_ref()
        .or(b.font.as_ref())
        .map_or(0..0, |f| f.span());
    Ok(Style {
        fonts,
        font_span,
        weight: r.weight.or(b.weight).unwrap_or(d.weight),
        size,
        leading: match r.leading.or(b.leading) {
            None => size * 1.25,
            Some(l) => {
                let v = l.to_pt(body_size, pitch);
                if !(v.is_finite() && v >= size * 0.8 && v <= size * 4.0) {
                    return Err(loc.error(
                        span,
                        format!("leading {v:.1}pt is outside 0.8–4 times the size ({size}pt)"),
                        Some(
                            "leading is the line height of display lines, e.g. 1.25 times the size"
                                .into(),
                        ),
                    ));
                }
                v
            }
        },
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
    let st =
        |r: &Option<Spanned<RawStyle>>, d| resolve_style(r.as_ref(), None, d, loc, body, pitch);
    // Dateline and credit sit inside body lines: they inherit the body's
    // size and rules so they stay on the grid.
    let body_raw = raw.body.as_ref().map(|b| b.get_ref().clone());
    let inherit = |r: &Option<Spanned<RawStyle>>, d| {
        resolve_style(
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
        body: st(&raw.body, sd(SONG, 400, body, Align::Justify, 2.0))?,
        dateline: inherit(&raw.dateline, sd(HEI, 700, body, Align::Justify, 2.0))?,
        credit: inherit(&raw.credit, sd(KAI, 400, body, Align::End, 0.0))?,
        jump: inherit(&raw.jump, sd(KAI, 400, body, Align::End, 0.0))?,
        continuation_headline: st(
            &raw.continuation_headline,
            sd(HEI, 700, 15.0, Align::Center, 0.0),
        )?,
        running_header: st(&raw.running_header, sd(HEI, 700, body, Align::Start, 0.0))?,
        masthead: st(&raw.masthead, sd(BIAOSONG, 700, 72.0, Align::Start, 0.0))?,
        masthead_info: st(&raw.masthead_info, sd(SONG, 400, 10.5, Align::Start, 0.0))?,
        levels: [
            HeadlineStyles {
                kicker: st(&raw.kicker_1, sd(KAI, 400, 16.0, Align::Center, 0.0))?,
                headline: st(&raw.headline_1, sd(HEI, 700, 36.0, Align::Center, 0.0))?,
                subheadline: st(
                    &raw.subheadline_1,
                    sd(BIAOSONG, 700, 16.0, Align::Center, 0.0),
                )?,
            },
            HeadlineStyles {
                kicker: st(&raw.kicker_2, sd(KAI, 400, 14.0, Align::Center, 0.0))?,
                headline: st(&raw.headline_2, sd(BIAOSONG, 700, 22.0, Align::Center, 0.0))?,
                subheadline: st(&raw.subheadline_2, sd(KAI, 400, 14.0, Align::Center, 0.0))?,
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
    fn a_length_without_unit_is_located() {
        let e = err(&MINIMAL.replace("\"11.5pt\"", "11.5"));
        assert!(e.message.contains("has no unit"), "{e}");
        assert_eq!(e.line, 9);
    }
}
