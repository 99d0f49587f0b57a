//! The range of every number a layout file may hold, in one table.
//!
//! A value outside its range is refused where it is written (file:line:col)
//! before anything is composed: a negative rule width used to panic inside
//! the PDF writer and a huge one wrote `inf` into the page. Validation reads
//! [`LIMITS`] through [`Limit::check`], `docs/layout.md` prints the same table
//! (a test keeps the two equal, see [`markdown_table`]), and
//! `tests/layout_limits.rs` writes a value just outside each end of every
//! row and expects the error. References (an article number, `continue_to`,
//! a face `index`) are not magnitudes: they are checked against what they
//! name.

use std::ops::Range;

use super::{LayoutError, Locator};

/// What a limit's numbers count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// An absolute length, compared in pt whatever unit it was written in.
    Pt,
    /// A whole number.
    Count,
    /// A number of em of the style's size.
    Em,
    /// A colour component in percent.
    Percent,
    /// A multiple of the grid's body size.
    BodySize,
    /// A multiple of the style's own size.
    StyleSize,
    /// A plain ratio of two lengths.
    Ratio,
}

impl Unit {
    /// The unit column of the documentation table.
    pub fn name(self) -> &'static str {
        match self {
            Unit::Pt => "pt (any length unit)",
            Unit::Count => "whole number",
            Unit::Em => "em",
            Unit::Percent => "percent",
            Unit::BodySize => "× `grid.body_size`",
            Unit::StyleSize => "× the style's `size`",
            Unit::Ratio => "ratio",
        }
    }
}

/// The allowed range of one key.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    /// Where the key lives, `NAME` standing for any style.
    pub key: &'static str,
    /// The least value allowed, in `unit`.
    pub min: f64,
    /// The greatest value allowed, in `unit`.
    pub max: f64,
    /// What `min` and `max` count.
    pub unit: Unit,
    /// A further bound that depends on the rest of the layout, checked
    /// next to this one; empty when there is none.
    pub also: &'static str,
    /// A sensible setting as written in the file, shown in the help line.
    pub example: &'static str,
}

macro_rules! limit {
    ($name:ident, $key:literal, $min:expr, $max:expr, $unit:ident, $also:literal, $example:literal) => {
        #[doc = concat!("The range of `", $key, "`.")]
        pub const $name: Limit = Limit {
            key: $key,
            min: $min,
            max: $max,
            unit: Unit::$unit,
            also: $also,
            example: $example,
        };
    };
}

/// The largest page side, about 69 inches: beyond any press.
pub const MAX_PAGE_PT: f64 = 5000.0;

limit!(
    PAGE_SIZE,
    "page.size",
    72.0,
    MAX_PAGE_PT,
    Pt,
    "width and height each",
    "size = \"对开\" or size = { width = \"390mm\", height = \"540mm\" }"
);
limit!(
    PAGE_BLEED,
    "page.bleed",
    0.0,
    36.0,
    Pt,
    "",
    "bleed = \"3mm\""
);
limit!(
    PAGE_MARGINS,
    "page.margins",
    0.0,
    MAX_PAGE_PT,
    Pt,
    "each side; the type area must hold the grid and at least 10 grid lines",
    "margins = { top = \"25mm\", bottom = \"22mm\", left = \"18.5mm\", right = \"18.5mm\" }"
);
limit!(
    GRID_COLUMNS,
    "grid.columns",
    1.0,
    40.0,
    Count,
    "",
    "columns = 8"
);
limit!(
    GRID_COLUMN_CHARS,
    "grid.column_chars",
    4.0,
    200.0,
    Count,
    "",
    "column_chars = 13"
);
limit!(
    GRID_GUTTER_CHARS,
    "grid.gutter_chars",
    0.0,
    10.0,
    Count,
    "",
    "gutter_chars = 1"
);
limit!(
    GRID_BODY_SIZE,
    "grid.body_size",
    2.0,
    400.0,
    Pt,
    "absolute: pt or a 字号 name",
    "body_size = \"小五\""
);
limit!(
    GRID_LINE_PITCH,
    "grid.line_pitch",
    1.0,
    3.0,
    BodySize,
    "",
    "line_pitch = \"11.5pt\" (newspapers use the body size plus 1/4 to 1/3 of it)"
);
limit!(
    FURNITURE_MASTHEAD_LINES,
    "furniture.masthead_lines",
    0.0,
    2500.0,
    Count,
    "fewer than the grid's lines, and enough for the date block (or 0: no masthead)",
    "masthead_lines = 9"
);
limit!(
    FURNITURE_RULE_WIDTH,
    "furniture.rule_width",
    0.1,
    10.0,
    Pt,
    "",
    "rule_width = \"0.5pt\""
);
limit!(
    STYLE_SIZE,
    "styles.NAME.size",
    2.0,
    400.0,
    Pt,
    "",
    "size = \"小五\""
);
limit!(
    STYLE_LEADING,
    "styles.NAME.leading",
    0.8,
    4.0,
    StyleSize,
    "",
    "leading = \"11.5pt\" for a 9pt size"
);
limit!(
    STYLE_WEIGHT,
    "styles.NAME.weight",
    1.0,
    1000.0,
    Count,
    "a weight every family of `font` has",
    "weight = 700"
);
limit!(
    STYLE_COLOR,
    "styles.NAME.color",
    0.0,
    100.0,
    Percent,
    "each of C, M, Y, K",
    "color = [0, 0, 0, 100]"
);
limit!(
    STYLE_HAN_LATIN_GAP,
    "styles.NAME.han_latin_gap",
    0.0,
    1.0,
    Em,
    "",
    "han_latin_gap = 0.25"
);
limit!(
    STYLE_HAN_DIGIT_GAP,
    "styles.NAME.han_digit_gap",
    0.0,
    1.0,
    Em,
    "",
    "han_digit_gap = 0"
);
limit!(
    STYLE_INDENT,
    "styles.NAME.indent",
    0.0,
    4.0,
    Em,
    "",
    "indent = 2"
);
limit!(
    PAGES,
    "pages",
    0.0,
    1000.0,
    Count,
    "number of `[[pages]]`",
    "two [[pages]] for a two-page edition"
);
limit!(
    MODULE_COLUMNS,
    "pages.modules.columns",
    1.0,
    40.0,
    Count,
    "each end, within the grid's columns",
    "columns = [1, 4]"
);
limit!(
    MODULE_LINES,
    "pages.modules.lines",
    1.0,
    2500.0,
    Count,
    "each end, within the grid's lines, or \"auto\"",
    "lines = [13, 40]"
);
limit!(
    MODULE_HEADLINE_COLUMNS,
    "pages.modules.headline_columns",
    1.0,
    40.0,
    Count,
    "at most the module's columns",
    "headline_columns = 2"
);
limit!(
    MODULE_HEADLINE_SIZE,
    "pages.modules.headline_size",
    2.0,
    400.0,
    Pt,
    "",
    "headline_size = \"小初\""
);
limit!(
    MODULE_BODY_COLUMNS,
    "pages.modules.body_columns",
    1.0,
    80.0,
    Count,
    "at most twice the module's columns, each at least 4 characters wide",
    "body_columns = 2"
);

/// Every limit, in the order of `docs/layout.md`.
pub const LIMITS: &[Limit] = &[
    PAGE_SIZE,
    PAGE_BLEED,
    PAGE_MARGINS,
    GRID_COLUMNS,
    GRID_COLUMN_CHARS,
    GRID_GUTTER_CHARS,
    GRID_BODY_SIZE,
    GRID_LINE_PITCH,
    FURNITURE_MASTHEAD_LINES,
    FURNITURE_RULE_WIDTH,
    STYLE_SIZE,
    STYLE_LEADING,
    STYLE_WEIGHT,
    STYLE_COLOR,
    STYLE_HAN_LATIN_GAP,
    STYLE_HAN_DIGIT_GAP,
    STYLE_INDENT,
    PAGES,
    MODULE_COLUMNS,
    MODULE_LINES,
    MODULE_HEADLINE_COLUMNS,
    MODULE_HEADLINE_SIZE,
    MODULE_BODY_COLUMNS,
    super::fit::FIT_HEADLINE_STEPS,
    super::fit::FIT_SPACE_BELOW_MIN,
    super::fit::FIT_SPACE_BELOW_MAX,
    super::fit::FIT_GAP_LINES,
    super::fit::FIT_GAP_PERCENT,
    super::auto::AUTO_MAX_ASPECT,
    super::auto::AUTO_HEADLINE_COLUMNS,
    super::auto::AUTO_HEADLINE_SIZE,
    super::auto::AUTO_HEADLINE_LINES,
];

/// How far a ratio may pass its limit and still be allowed: a length
/// written as exactly the limit in another unit (mm for a pt size) comes
/// back from the f32 conversion a rounding error away from it.
const RATIO_TOLERANCE: f64 = 1e-9;

/// A number as an editor would write it: no trailing zeros, at most three
/// decimals.
pub fn num(x: f64) -> String {
    if !x.is_finite() {
        return format!("{x}");
    }
    let s = format!("{x:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".into()
    } else {
        s.into()
    }
}

impl Limit {
    /// The last part of the key, as written in the file.
    pub fn name(&self) -> &'static str {
        self.key.rsplit('.').next().unwrap_or(self.key)
    }

    /// `key` with the style name filled in (`styles.body.size`), or the
    /// part named (`page.margins.top`).
    fn key_for(&self, part: Option<&str>) -> String {
        match part {
            Some(p) if self.key.contains("NAME") => self.key.replace("NAME", p),
            Some(p) => format!("{}.{p}", self.key),
            None => self.key.to_string(),
        }
    }

    fn refuse(&self, loc: &Locator, span: Range<usize>, message: String) -> LayoutError {
        let help = if self.also.is_empty() {
            format!("e.g. {}", self.example)
        } else {
            format!("{}; e.g. {}", self.also, self.example)
        };
        loc.error(span, message, Some(help))
    }

    /// Check an absolute value (a length in pt, a count, em, percent).
    /// `part` names the style for `styles.NAME` keys, or the part of the
    /// key (`top` of the margins).
    pub fn check(
        &self,
        loc: &Locator,
        span: Range<usize>,
        part: Option<&str>,
        value: f64,
    ) -> Result<f64, LayoutError> {
        self.check_within(loc, span, part, value, None)
    }

    /// [`Limit::check`] with a lower maximum that depends on the rest of the
    /// layout, and what it is (`(4.0, "the grid's columns")`).
    pub fn check_within(
        &self,
        loc: &Locator,
        span: Range<usize>,
        part: Option<&str>,
        value: f64,
        max: Option<(f64, &str)>,
    ) -> Result<f64, LayoutError> {
        let (max, why) = match max {
            Some((m, why)) if m < self.max => (m, format!(" ({why})")),
            _ => (self.max, String::new()),
        };
        if value.is_finite() && value >= self.min && value <= max {
            return Ok(value);
        }
        let key = self.key_for(part);
        let (lo, hi, v) = (num(self.min), num(max), num(value));
        let range = match self.unit {
            Unit::Pt => format!("{lo}–{hi}pt{why}"),
            Unit::Em => format!("{lo}–{hi} em{why}"),
            _ => format!("{lo}–{hi}{why}"),
        };
        let message = match self.unit {
            // A length in mm or 字 can overflow once converted to pt.
            _ if !value.is_finite() => {
                format!("{key} is too large to be a length: outside {range}")
            }
            Unit::Count => format!("{key} must be between {lo} and {hi}{why}, found {v}"),
            // Page dimensions are written in mm: say what that was.
            Unit::Pt if key.starts_with("page.") => format!(
                "{key} {v}pt ({}mm) is outside {range}",
                num(value / super::units::PT_PER_MM as f64)
            ),
            Unit::Pt => format!("{key} {v}pt is outside {range}"),
            _ => format!("{key} = {v} is outside {range}"),
        };
        Err(self.refuse(loc, span, message))
    }

    /// Check a length that must be a multiple of `base` (the body size or
    /// the style's size) within the limit.
    pub fn check_relative(
        &self,
        loc: &Locator,
        span: Range<usize>,
        style: Option<&str>,
        value: f64,
        base: f64,
    ) -> Result<f64, LayoutError> {
        let ratio = value / base;
        if value.is_finite()
            && ratio >= self.min - RATIO_TOLERANCE
            && ratio <= self.max + RATIO_TOLERANCE
        {
            return Ok(value);
        }
        let key = self.key_for(style);
        let base_name = match self.unit {
            Unit::BodySize => "the body size",
            _ => "the size",
        };
        let lower = if self.min == 1.0 {
            base_name.to_string()
        } else {
            format!("{} × {base_name}", num(self.min))
        };
        let message = format!(
            "{key} {}pt must be between {lower} ({}pt) and {} times it",
            num(value),
            num(base),
            num(self.max)
        );
        Err(self.refuse(loc, span, message))
    }
}

/// The table as printed in `docs/layout.md`.
pub fn markdown_table() -> String {
    let mut out = String::from("| key | min | max | unit | also |\n|---|---|---|---|---|\n");
    for l in LIMITS {
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} |\n",
            l.key,
            num(l.min),
            num(l.max),
            l.unit.name(),
            l.also
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_limit_is_a_real_range_with_a_distinct_key() {
        for (i, l) in LIMITS.iter().enumerate() {
            assert!(
                l.min.is_finite() && l.max.is_finite() && l.min < l.max,
                "{l:?}"
            );
            assert!(
                LIMITS[..i].iter().all(|o| o.key != l.key),
                "{} twice",
                l.key
            );
        }
    }

    #[test]
    fn numbers_print_as_written() {
        assert_eq!(num(0.0), "0");
        assert_eq!(num(-3.0), "-3");
        assert_eq!(num(0.5), "0.5");
        assert_eq!(num(11.5), "11.5");
        assert_eq!(num(f64::INFINITY), "inf");
    }
}
