//! `[auto]`: automatic make-up (issue 15). How articles no module names are
//! set (modular pages, or the old galley flow), whether an article may jump
//! to the next page, how tall and narrow a module may be, and the headline
//! size table by span and rank (the lead, then the span's row).

use serde::Deserialize;
use toml::Spanned;

use super::error::{LayoutError, Locator};
use super::limits::{Limit, Unit};
use super::model::Grid;
use super::units::Length;

/// The range of `auto.max_aspect`.
pub const AUTO_MAX_ASPECT: Limit = Limit {
    key: "auto.max_aspect",
    min: 0.5,
    max: 20.0,
    unit: Unit::Ratio,
    also: "a module's height over its width",
    example: "max_aspect = 3",
};
/// The range of `auto.lead_size` and `auto.headlines.size`.
pub const AUTO_HEADLINE_SIZE: Limit = Limit {
    key: "auto.headlines.size",
    min: 2.0,
    max: 400.0,
    unit: Unit::Pt,
    also: "also `auto.lead_size`; sizes may not grow as columns fall",
    example: "size = \"小二\"",
};
/// The range of `auto.lead_lines` and `auto.headlines.lines`.
pub const AUTO_HEADLINE_LINES: Limit = Limit {
    key: "auto.headlines.lines",
    min: 1.0,
    max: 10.0,
    unit: Unit::Count,
    also: "also `auto.lead_lines`",
    example: "lines = 2",
};
/// The range of `auto.headlines.columns`.
pub const AUTO_HEADLINE_COLUMNS: Limit = Limit {
    key: "auto.headlines.columns",
    min: 1.0,
    max: 40.0,
    unit: Unit::Count,
    also: "within the grid's columns, each row's more than the last's",
    example: "columns = 2",
};

/// `auto.max_aspect` when not written: a module at most three times as
/// tall as it is wide (a 1-column module of about 30 lines on a
/// broadsheet).
const DEFAULT_MAX_ASPECT: f32 = 3.0;
/// `auto.lead_size` when not written: 小初.
const DEFAULT_LEAD_SIZE: f32 = 36.0;
/// `auto.lead_lines` when not written.
const DEFAULT_LEAD_LINES: u32 = 2;
/// A row's `lines` when not written.
const DEFAULT_ROW_LINES: u32 = 2;
/// The headline table when not written (issue 15): 1 column 三号, 2
/// columns 小二, 3 columns 二号, 4 and more 一号.
const DEFAULT_HEADLINES: [HeadlineRow; 4] = [
    HeadlineRow {
        columns: 1,
        size: 16.0,
        max_lines: 3,
    },
    HeadlineRow {
        columns: 2,
        size: 18.0,
        max_lines: 3,
    },
    HeadlineRow {
        columns: 3,
        size: 22.0,
        max_lines: 2,
    },
    HeadlineRow {
        columns: 4,
        size: 26.0,
        max_lines: 2,
    },
];

/// `[auto]` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAuto {
    flow: Option<Spanned<String>>,
    allow_jumps: Option<bool>,
    max_aspect: Option<Spanned<f64>>,
    lead_size: Option<Spanned<Length>>,
    lead_lines: Option<Spanned<i64>>,
    headlines: Option<Spanned<Vec<Spanned<RawHeadlineRow>>>>,
}

/// One row of `auto.headlines` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHeadlineRow {
    columns: Spanned<i64>,
    size: Spanned<Length>,
    lines: Option<Spanned<i64>>,
}

/// How articles no module names are set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Flow {
    /// Modular pages made up automatically (issue 15).
    #[default]
    Modular,
    /// The old flow down whole single columns of new pages.
    Galley,
}

/// A headline size for modules of at least `columns` columns (or the
/// lead's), with the most lines it may take.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HeadlineRow {
    /// The fewest columns the row applies to (up to the next row's).
    pub columns: u32,
    /// Headline size, pt.
    pub size: f32,
    /// Most lines the headline may take at this size.
    pub max_lines: u32,
}

/// `[auto]`, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct AutoMakeup {
    /// Modular pages or the galley flow.
    pub flow: Flow,
    /// An article longer than a whole page runs on to the next pages with
    /// jump lines; `false` sets it on one page and reports the overset.
    pub allow_jumps: bool,
    /// Most a module's height may be over its width (pt over pt); a page
    /// no tiling within it fills may pass it.
    pub max_aspect: f32,
    /// The lead's headline (the first article of each automatic page).
    pub lead: HeadlineRow,
    /// The rows by span, fewest columns first; sizes never fall as columns
    /// grow.
    pub headlines: Vec<HeadlineRow>,
}

impl Default for AutoMakeup {
    fn default() -> Self {
        AutoMakeup {
            flow: Flow::Modular,
            allow_jumps: true,
            max_aspect: DEFAULT_MAX_ASPECT,
            lead: HeadlineRow {
                columns: 1,
                size: DEFAULT_LEAD_SIZE,
                max_lines: DEFAULT_LEAD_LINES,
            },
            headlines: DEFAULT_HEADLINES.to_vec(),
        }
    }
}

impl AutoMakeup {
    /// Headline levels: the lead's (0), then one per row from the widest
    /// (largest size) down.
    pub fn levels(&self) -> usize {
        self.headlines.len() + 1
    }

    /// The level of a span: its row (the last with at most `span`
    /// columns, or the first), counted from the widest row as 1.
    pub fn span_level(&self, span: u32) -> usize {
        let row = self
            .headlines
            .iter()
            .rposition(|r| r.columns <= span)
            .unwrap_or(0);
        self.headlines.len() - row
    }

    /// The headline of a level.
    pub fn level_row(&self, level: usize) -> HeadlineRow {
        match level {
            0 => self.lead,
            l => self.headlines[self.headlines.len() - l.min(self.headlines.len())],
        }
    }
}

/// `[auto]`, each value checked where it is written.
pub(super) fn resolve_auto(
    raw: &RawAuto,
    grid: &Grid,
    loc: &Locator,
) -> Result<AutoMakeup, LayoutError> {
    let mut auto = AutoMakeup::default();
    if let Some(f) = &raw.flow {
        auto.flow = match f.get_ref().as_str() {
            "modular" => Flow::Modular,
            "galley" => Flow::Galley,
            other => {
                return Err(loc.error(
                    f.span(),
                    format!("auto.flow = \"{other}\" is neither \"modular\" nor \"galley\""),
                    Some("\"modular\" makes up pages of modules (the default); \"galley\" flows articles down single columns".into()),
                ))
            }
        };
    }
    auto.allow_jumps = raw.allow_jumps.unwrap_or(true);
    if let Some(a) = &raw.max_aspect {
        auto.max_aspect = AUTO_MAX_ASPECT.check(loc, a.span(), None, *a.get_ref())? as f32;
    }
    let size = |s: &Spanned<Length>| headline_size(s, grid, loc);
    let lines = |l: &Option<Spanned<i64>>, default: u32| headline_lines(l, default, loc);
    if let Some(s) = &raw.lead_size {
        auto.lead.size = size(s)?;
    }
    auto.lead.max_lines = lines(&raw.lead_lines, DEFAULT_LEAD_LINES)?;
    if let Some(rows) = &raw.headlines {
        auto.headlines = headline_rows(rows, grid, loc)?;
    }
    let largest = auto.headlines.iter().map(|r| r.size).fold(0.0, f32::max);
    if auto.lead.size < largest {
        let span = raw.lead_size.as_ref().map_or_else(
            || raw.headlines.as_ref().map_or(0..0, |h| h.span()),
            |s| s.span(),
        );
        return Err(loc.error(
            span,
            format!(
                "auto.lead_size ({}pt) is smaller than the table's largest headline ({largest}pt)",
                auto.lead.size
            ),
            Some("the lead's headline is the page's largest: raise lead_size or lower the table's sizes".into()),
        ));
    }
    Ok(auto)
}

/// A headline size of the table, in pt, within its limit.
fn headline_size(s: &Spanned<Length>, grid: &Grid, loc: &Locator) -> Result<f32, LayoutError> {
    let v = s.get_ref().to_pt(grid.body_size, grid.pitch);
    AUTO_HEADLINE_SIZE.check(loc, s.span(), None, v.into())?;
    Ok(v)
}

/// A row's most headline lines, within its limit.
fn headline_lines(
    l: &Option<Spanned<i64>>,
    default: u32,
    loc: &Locator,
) -> Result<u32, LayoutError> {
    match l {
        Some(l) => Ok(AUTO_HEADLINE_LINES.check(loc, l.span(), None, *l.get_ref() as f64)? as u32),
        None => Ok(default),
    }
}

/// `auto.headlines`: rows in order of columns, sizes never falling as
/// columns grow.
fn headline_rows(
    rows: &Spanned<Vec<Spanned<RawHeadlineRow>>>,
    grid: &Grid,
    loc: &Locator,
) -> Result<Vec<HeadlineRow>, LayoutError> {
    if rows.get_ref().is_empty() {
        return Err(loc.error(
            rows.span(),
            "auto.headlines is empty",
            Some(
                "give at least one row, e.g. [{ columns = 1, size = \"三号\", lines = 3 }]".into(),
            ),
        ));
    }
    let mut out: Vec<HeadlineRow> = Vec::new();
    for r in rows.get_ref() {
        let raw = r.get_ref();
        let columns = AUTO_HEADLINE_COLUMNS.check_within(
            loc,
            raw.columns.span(),
            None,
            *raw.columns.get_ref() as f64,
            Some((grid.columns.into(), "the grid's columns")),
        )? as u32;
        let row = HeadlineRow {
            columns,
            size: headline_size(&raw.size, grid, loc)?,
            max_lines: headline_lines(&raw.lines, DEFAULT_ROW_LINES, loc)?,
        };
        if let Some(last) = out.last() {
            if row.columns <= last.columns {
                return Err(loc.error(
                    raw.columns.span(),
                    format!(
                        "auto.headlines: a row for {} columns after one for {}",
                        row.columns, last.columns
                    ),
                    Some("write the rows in order of columns, each number once".into()),
                ));
            }
            if row.size < last.size {
                return Err(loc.error(
                    raw.size.span(),
                    format!(
                        "auto.headlines: {} columns get a smaller headline ({}pt) than {} columns ({}pt)",
                        row.columns, row.size, last.columns, last.size
                    ),
                    Some("headline sizes may not fall as the span grows (they fall with rank)".into()),
                ));
            }
        }
        out.push(row);
    }
    Ok(out)
}
