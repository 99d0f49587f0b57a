//! [`RawLayout`] → [`Layout`]: the grid and page first, then everything
//! measured on them, each value checked against its limit where it is
//! written.
//!
//! The steps run in a fixed order, and so report the first mistake of a
//! file in that order: grid, page, type area, styles, fonts, furniture,
//! paper, masthead, page plan, output, text.

use std::ops::Range;
use std::path::{Path, PathBuf};

use toml::Spanned;

use super::error::{LayoutError, Locator};
use super::limits::{
    num, Limit, FURNITURE_MASTHEAD_LINES, FURNITURE_RULE_WIDTH, GRID_BODY_SIZE, GRID_COLUMNS,
    GRID_COLUMN_CHARS, GRID_GUTTER_CHARS, GRID_LINE_PITCH, PAGE_BLEED, PAGE_MARGINS, PAGE_SIZE,
};
use super::masthead;
use super::model::{
    FontSource, Grid, Layout, PageGeometry, Paper, Styles, TextSettings, FIT_TOLERANCE,
};
use super::paper::resolve_paper;
use super::plan::resolve_pages;
use super::raw::{RawFonts, RawFurniture, RawGrid, RawLayout, RawPage, RawPageSize};
use super::styles::resolve_styles;
use super::units::{self, Length};
use crate::fonts::Locale;

/// The fewest grid lines a type area may hold.
const MIN_GRID_LINES: u32 = 10;
/// `furniture.masthead_lines` when not written.
const DEFAULT_MASTHEAD_LINES: u32 = 9;
/// `furniture.rule_width` when not written, in pt.
const DEFAULT_RULE_WIDTH: f32 = 0.5;

/// The grid as written, before the page places it: enough to turn 字 and
/// 行 into pt.
struct GridSpec {
    columns: u32,
    column_chars: u32,
    gutter_chars: u32,
    body_size: f32,
    pitch: f32,
}

impl GridSpec {
    /// A written length in pt on this grid.
    fn len(&self, l: &Spanned<Length>) -> f32 {
        l.get_ref().to_pt(self.body_size, self.pitch)
    }
}

/// The whole layout, checked.
pub(super) fn resolve(raw: RawLayout, loc: &Locator) -> Result<Layout, LayoutError> {
    // Grid first: 字 and 行 lengths everywhere else depend on it.
    let spec = read_grid(&raw.grid, loc)?;
    let page = read_page(&raw.page, &spec, loc)?;
    let grid = place_grid(&spec, &raw, &page, loc)?;
    let styles = resolve_styles(&raw.styles, loc, spec.body_size, spec.pitch)?;
    let (font_dirs, font_files) = font_sources(&raw.fonts, loc.file);
    let masthead_lines = masthead_lines(&raw.furniture, &grid, loc)?;
    let text = resolve_text(&raw.text, loc)?;
    let paper = resolve_paper(&raw.paper, &raw.masthead, text.locale, loc)?;
    if masthead_lines > 0 {
        check_masthead(&raw, &grid, &styles, &paper, masthead_lines, loc)?;
    }
    let rule_width = match &raw.furniture.rule_width {
        Some(w) => {
            FURNITURE_RULE_WIDTH.check(loc, w.span(), None, spec.len(w).into())?;
            spec.len(w)
        }
        None => DEFAULT_RULE_WIDTH,
    };
    let fit = super::fit::resolve_fit(&raw.fit, loc)?;
    if page.vertical {
        no_vertical_headlines(&raw, loc)?;
    }
    let pages = resolve_pages(&raw.pages, &grid, masthead_lines, loc)?;
    let output = super::output::resolve_output(&raw.output, page.crop_marks, loc)?;
    let auto = super::auto::resolve_auto(&raw.auto, &grid, loc)?;
    let rubric = super::boxes::resolve_rubric(&raw.rubric, loc)?;
    let elements =
        super::elements::resolve_elements(&raw.elements, raw.source.byline_prefixes.as_ref(), loc)?;
    Ok(Layout {
        file: loc.file.to_path_buf(),
        text: loc.text.to_string(),
        paper,
        page,
        grid,
        styles,
        font_dirs,
        font_files,
        fullwidth_punctuation: raw.source.fullwidth_punctuation.unwrap_or(true),
        text_settings: text,
        masthead_lines,
        column_rules: raw.furniture.column_rules.unwrap_or(true),
        rule_width,
        fit,
        pages,
        output,
        auto,
        rubric,
        elements,
    })
}

/// Numbers of up to this many digits stand upright on vertical pages
/// unless `[text] upright_digits` says otherwise.
const DEFAULT_UPRIGHT_DIGITS: u8 = 2;
/// Four digits at a quarter em each are as many as one em cell takes.
const MAX_UPRIGHT_DIGITS: u8 = 4;

/// `[text]`: a locale and a quote style among the accepted values.
fn resolve_text(raw: &super::raw::RawText, loc: &Locator) -> Result<TextSettings, LayoutError> {
    let locale = match &raw.language {
        None => Locale::default(),
        Some(l) => Locale::parse(l.get_ref()).ok_or_else(|| {
            loc.error(
                l.span(),
                format!("unknown language `{}`", l.get_ref()),
                Some(format!("write one of {}", Locale::accepted())),
            )
        })?,
    };
    let corner_quotes = match raw.quotes.as_ref().map(|q| (q.get_ref().as_str(), q)) {
        None | Some(("as-written", _)) => false,
        Some(("corner", _)) => true,
        Some((other, q)) => {
            return Err(loc.error(
                q.span(),
                format!("unknown quotes `{other}`"),
                Some("write \"as-written\" (keep “” as typed) or \"corner\" (set 「」『』)".into()),
            ))
        }
    };
    let upright_digits = match &raw.upright_digits {
        None => DEFAULT_UPRIGHT_DIGITS,
        Some(n) => match u8::try_from(*n.get_ref()) {
            Ok(n) if n <= MAX_UPRIGHT_DIGITS => n,
            _ => {
                return Err(loc.error(
                    n.span(),
                    format!("upright_digits is {}", n.get_ref()),
                    Some(format!(
                        "write 0 (rotate every number) to {MAX_UPRIGHT_DIGITS}: more digits do not fit one em"
                    )),
                ))
            }
        },
    };
    Ok(TextSettings {
        locale,
        corner_quotes,
        upright_digits,
    })
}

/// A whole number within its limit.
fn count(loc: &Locator, v: &Spanned<i64>, limit: &Limit) -> Result<u32, LayoutError> {
    limit.check(loc, v.span(), None, *v.get_ref() as f64)?;
    Ok(*v.get_ref() as u32)
}

/// `[grid]`: the body size must be absolute and the pitch not in 行, as
/// every relative length is measured on them.
fn read_grid(g: &RawGrid, loc: &Locator) -> Result<GridSpec, LayoutError> {
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
    Ok(GridSpec {
        columns: count(loc, &g.columns, &GRID_COLUMNS)?,
        // Fewer than 4 characters leave no room to set Chinese text by the
        // line-breaking rules.
        column_chars: count(loc, &g.column_chars, &GRID_COLUMN_CHARS)?,
        gutter_chars: count(loc, &g.gutter_chars, &GRID_GUTTER_CHARS)?,
        body_size,
        pitch,
    })
}

/// `[page]`: trim size, bleed and margins in pt.
fn read_page(p: &RawPage, spec: &GridSpec, loc: &Locator) -> Result<PageGeometry, LayoutError> {
    let (width, height) = match p.size.get_ref() {
        RawPageSize::Named(name) => match name.as_str() {
            "对开" | "對開" | "broadsheet" => (390.0 * units::PT_PER_MM, 540.0 * units::PT_PER_MM),
            "四开" | "四開" | "tabloid" => (275.0 * units::PT_PER_MM, 390.0 * units::PT_PER_MM),
            "A3" => (297.0 * units::PT_PER_MM, 420.0 * units::PT_PER_MM),
            "A4" => (210.0 * units::PT_PER_MM, 297.0 * units::PT_PER_MM),
            other => {
                return Err(loc.error(
                    p.size.span(),
                    format!("unknown page size `{other}`"),
                    Some("use \"对开\", \"四开\", \"A3\", \"A4\" or { width = \"390mm\", height = \"540mm\" }".into()),
                ))
            }
        },
        RawPageSize::Custom { width, height } => (
            width.to_pt(spec.body_size, spec.pitch),
            height.to_pt(spec.body_size, spec.pitch),
        ),
    };
    for (side, part) in [(width, "width"), (height, "height")] {
        PAGE_SIZE.check(loc, p.size.span(), Some(part), side.into())?;
    }
    let bleed = match &p.bleed {
        Some(b) => {
            // Printing plants ask for 3mm; 12.7mm (36pt) is the most any asks.
            PAGE_BLEED.check(loc, b.span(), None, spec.len(b).into())?;
            spec.len(b)
        }
        None => 0.0,
    };
    let m = &p.margins;
    let margins = [&m.top, &m.bottom, &m.left, &m.right].map(|l| (spec.len(l), l.span()));
    for ((v, span), side) in margins.iter().zip(["top", "bottom", "left", "right"]) {
        PAGE_MARGINS.check(loc, span.clone(), Some(side), (*v).into())?;
    }
    let [top, bottom, left, right] = margins.map(|(v, _)| v);
    if writing_vertical(p, loc)? {
        // The transposed frame: its x runs down the page, its y leftward
        // from the right edge, so its top margin is the page's right one.
        return Ok(PageGeometry {
            width: height,
            height: width,
            bleed,
            margin_top: right,
            margin_bottom: left,
            margin_left: top,
            margin_right: bottom,
            crop_marks: p.crop_marks,
            vertical: true,
        });
    }
    Ok(PageGeometry {
        width,
        height,
        bleed,
        margin_top: top,
        margin_bottom: bottom,
        margin_left: left,
        margin_right: right,
        crop_marks: p.crop_marks,
        vertical: false,
    })
}

/// A vertical page sets every headline vertically already: a 竖题 module
/// (`headline = "vertical-…"`) has no meaning there and is refused.
fn no_vertical_headlines(raw: &RawLayout, loc: &Locator) -> Result<(), LayoutError> {
    let modules = raw.pages.iter().flat_map(|p| &p.modules);
    match modules
        .filter_map(|m| m.get_ref().headline.as_ref())
        .find(|h| h.get_ref() != "top")
    {
        Some(h) => Err(loc.error(
            h.span(),
            "a vertical page sets its headlines vertically already",
            Some(
                "remove `headline` (or write \"top\") on a page with writing = \"vertical\"".into(),
            ),
        )),
        None => Ok(()),
    }
}

/// `[page] writing`: whether the pages are set vertically.
fn writing_vertical(p: &RawPage, loc: &Locator) -> Result<bool, LayoutError> {
    match p.writing.as_ref().map(|w| (w.get_ref().as_str(), w)) {
        None | Some(("horizontal", _)) => Ok(false),
        Some(("vertical", _)) => Ok(true),
        Some((other, w)) => Err(loc.error(
            w.span(),
            format!("unknown writing `{other}`"),
            Some("write \"horizontal\" or \"vertical\"".into()),
        )),
    }
}

/// The grid placed in the type area: it must fit between the margins and
/// hold enough lines to set anything.
fn place_grid(
    spec: &GridSpec,
    raw: &RawLayout,
    page: &PageGeometry,
    loc: &Locator,
) -> Result<Grid, LayoutError> {
    let type_height = page.height - page.margin_top - page.margin_bottom;
    let grid = Grid {
        columns: spec.columns,
        column_chars: spec.column_chars,
        gutter_chars: spec.gutter_chars,
        body_size: spec.body_size,
        pitch: spec.pitch,
        lines: if type_height > 0.0 {
            (type_height / spec.pitch).floor() as u32
        } else {
            0
        },
        left: page.margin_left,
        top: page.margin_top,
    };
    let g = &raw.grid;
    let available = page.width - page.margin_left - page.margin_right;
    if grid.type_width() > available + FIT_TOLERANCE {
        return Err(loc.error(
            g.columns.span().start..g.column_chars.span().end.max(g.columns.span().end),
            format!(
                "the grid is {:.1}mm wide ({} columns × {} 字 + gutters at {}pt) but the page leaves {:.1}mm between the margins",
                grid.type_width() / units::PT_PER_MM,
                grid.columns,
                grid.column_chars,
                grid.body_size,
                available / units::PT_PER_MM
            ),
            Some("reduce columns, column_chars or the margins".into()),
        ));
    }
    if grid.lines < MIN_GRID_LINES {
        return Err(loc.error(
            raw.page.margins.top.span(),
            format!("the type area holds only {} grid lines", grid.lines),
            Some("reduce the top/bottom margins or the line pitch".into()),
        ));
    }
    Ok(grid)
}

/// `[fonts]`: folders and files, relative to the layout file's folder.
fn font_sources(
    raw: &RawFonts,
    layout_file: &Path,
) -> (Vec<(PathBuf, Range<usize>)>, Vec<FontSource>) {
    let layout_dir = layout_file.parent().unwrap_or(Path::new("."));
    let font_dirs = raw
        .dirs
        .iter()
        .map(|d| (layout_dir.join(d.get_ref()), d.span()))
        .collect();
    let font_files = raw
        .files
        .iter()
        .map(|f| FontSource {
            path: layout_dir.join(f.path.get_ref()),
            index: f.index.as_ref().map(|i| *i.get_ref()),
            span: f.path.span(),
        })
        .collect();
    (font_dirs, font_files)
}

/// `furniture.masthead_lines`: fewer than the grid's lines.
fn masthead_lines(raw: &RawFurniture, grid: &Grid, loc: &Locator) -> Result<u32, LayoutError> {
    Ok(match &raw.masthead_lines {
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
        None => DEFAULT_MASTHEAD_LINES,
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
    let rows = masthead::rows(paper, section);
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
            num(info.into())
        ),
        Some(match least {
            Some(l) => format!("set masthead_lines to at least {l}, make [styles.masthead_info] size smaller, or 0 for no masthead"),
            None => "make [styles.masthead_info] size smaller, or set masthead_lines = 0 for no masthead".into(),
        }),
    ))
}
