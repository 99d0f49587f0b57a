//! `[fit]`: the bounds of the copyfit ladder (issue 14), which closes a
//! small gap between a fixed-height module and its text by changing the
//! headline, never the body size, the line pitch or the letter-spacing.

use toml::Spanned;

use super::error::{LayoutError, Locator};
use super::limits::{Limit, Unit};
use super::raw::RawFit;

/// The range of `fit.headline_steps`.
pub const FIT_HEADLINE_STEPS: Limit = Limit {
    key: "fit.headline_steps",
    min: 0.0,
    max: 2.0,
    unit: Unit::Count,
    also: "",
    example: "headline_steps = 1",
};
/// The range of `fit.space_below_min`.
pub const FIT_SPACE_BELOW_MIN: Limit = Limit {
    key: "fit.space_below_min",
    min: 0.0,
    max: 1.0,
    unit: Unit::Count,
    also: "",
    example: "space_below_min = 0",
};
/// The range of `fit.space_below_max`.
pub const FIT_SPACE_BELOW_MAX: Limit = Limit {
    key: "fit.space_below_max",
    min: 1.0,
    max: 4.0,
    unit: Unit::Count,
    also: "",
    example: "space_below_max = 2",
};
/// The range of `fit.gap_lines`.
pub const FIT_GAP_LINES: Limit = Limit {
    key: "fit.gap_lines",
    min: 0.0,
    max: 40.0,
    unit: Unit::Count,
    also: "per body column",
    example: "gap_lines = 3",
};
/// The range of `fit.gap_percent`.
pub const FIT_GAP_PERCENT: Limit = Limit {
    key: "fit.gap_percent",
    min: 0.0,
    max: 50.0,
    unit: Unit::Percent,
    also: "of the module's body lines",
    example: "gap_percent = 10",
};

/// `fit.headline_steps` when not written: one 字号 either way (issue 14).
const DEFAULT_HEADLINE_STEPS: u32 = 1;
/// `fit.space_below_min` when not written: the blank line may go.
const DEFAULT_SPACE_BELOW_MIN: u32 = 0;
/// `fit.space_below_max` when not written.
const DEFAULT_SPACE_BELOW_MAX: u32 = 2;
/// `fit.gap_lines` when not written.
const DEFAULT_GAP_LINES: u32 = 3;
/// `fit.gap_percent` when not written.
const DEFAULT_GAP_PERCENT: f32 = 10.0;

/// The copyfit ladder's bounds: what it may change and which gaps it
/// tries to close.
#[derive(Debug, Clone, PartialEq)]
pub struct Fit {
    /// The ladder runs at all.
    pub enabled: bool,
    /// 字号 steps the headline may grow (short text) or shrink (overset).
    pub headline_steps: u32,
    /// A short module's headline may take one line more than it needs.
    pub add_headline_line: bool,
    /// Fewest blank grid lines under a headline block (1 as set today).
    pub space_below_min: u32,
    /// Most blank grid lines under a headline block.
    pub space_below_max: u32,
    /// A gap of at most this many grid lines per body column is closed…
    pub gap_lines: u32,
    /// …or of at most this percentage of the module's body lines.
    pub gap_percent: f32,
}

impl Default for Fit {
    fn default() -> Self {
        Fit {
            enabled: true,
            headline_steps: DEFAULT_HEADLINE_STEPS,
            add_headline_line: true,
            space_below_min: DEFAULT_SPACE_BELOW_MIN,
            space_below_max: DEFAULT_SPACE_BELOW_MAX,
            gap_lines: DEFAULT_GAP_LINES,
            gap_percent: DEFAULT_GAP_PERCENT,
        }
    }
}

impl Fit {
    /// The largest gap, in body lines, the ladder tries to close in a
    /// module of `columns` body columns holding `available` lines.
    pub fn max_gap(&self, columns: u32, available: u32) -> u32 {
        let by_percent = (available as f32 * self.gap_percent / 100.0).floor() as u32;
        (self.gap_lines * columns).max(by_percent)
    }
}

/// A count within its limit.
fn count(
    loc: &Locator,
    v: &Option<Spanned<i64>>,
    limit: &Limit,
    default: u32,
) -> Result<u32, LayoutError> {
    match v {
        Some(v) => Ok(limit.check(loc, v.span(), None, *v.get_ref() as f64)? as u32),
        None => Ok(default),
    }
}

/// `[fit]`, checked.
pub(super) fn resolve_fit(raw: &RawFit, loc: &Locator) -> Result<Fit, LayoutError> {
    let gap_percent = match &raw.gap_percent {
        Some(v) => FIT_GAP_PERCENT.check(loc, v.span(), None, *v.get_ref())? as f32,
        None => DEFAULT_GAP_PERCENT,
    };
    Ok(Fit {
        enabled: raw.enabled.unwrap_or(true),
        headline_steps: count(
            loc,
            &raw.headline_steps,
            &FIT_HEADLINE_STEPS,
            DEFAULT_HEADLINE_STEPS,
        )?,
        add_headline_line: raw.add_headline_line.unwrap_or(true),
        space_below_min: count(
            loc,
            &raw.space_below_min,
            &FIT_SPACE_BELOW_MIN,
            DEFAULT_SPACE_BELOW_MIN,
        )?,
        space_below_max: count(
            loc,
            &raw.space_below_max,
            &FIT_SPACE_BELOW_MAX,
            DEFAULT_SPACE_BELOW_MAX,
        )?,
        gap_lines: count(loc, &raw.gap_lines, &FIT_GAP_LINES, DEFAULT_GAP_LINES)?,
        gap_percent,
    })
}
