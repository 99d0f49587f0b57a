//! A module's `headline` key: across the top, or vertical (竖题) at its
//! right or left side, in a strip of its grid columns.

use super::error::{LayoutError, Locator};
use super::model::Side;
use super::raw::RawModule;

/// `headline = "top" | "vertical-right" | "vertical-left"`; a vertical
/// headline needs a module of two grid columns at least.
pub(super) fn vertical_headline(
    m: &RawModule,
    span_cols: u32,
    loc: &Locator,
) -> Result<Option<Side>, LayoutError> {
    let Some(h) = &m.headline else {
        return Ok(None);
    };
    let side = match h.get_ref().as_str() {
        "top" => return Ok(None),
        "vertical-right" => Side::Right,
        "vertical-left" => Side::Left,
        other => {
            return Err(loc.error(
                h.span(),
                format!("unknown headline placement `{other}`"),
                Some("write \"top\", \"vertical-right\" or \"vertical-left\"".into()),
            ))
        }
    };
    if span_cols < 2 {
        return Err(loc.error(
            h.span(),
            "a vertical headline needs a module of two columns at least",
            Some("widen the module's columns or set the headline across the top".into()),
        ));
    }
    Ok(Some(side))
}

/// A vertical headline's strip leaves the body a column, and the body is
/// set in the grid columns (no 破栏).
pub(super) fn check_strip(m: &RawModule, span_cols: u32, loc: &Locator) -> Result<(), LayoutError> {
    if let Some(h) = &m.headline_columns {
        if *h.get_ref() >= i64::from(span_cols) {
            return Err(loc.error(
                h.span(),
                "a vertical headline needs a column of the module left for the body",
                Some(format!(
                    "headline_columns is the vertical headline's width: at most {}",
                    span_cols - 1
                )),
            ));
        }
    }
    if let Some(b) = &m.body_columns {
        return Err(loc.error(
            b.span(),
            "body_columns cannot be combined with a vertical headline",
            Some("the body is set in the module's grid columns beside the headline".into()),
        ));
    }
    Ok(())
}
