//! Layout config stage: `layouts/*.toml` → validated [`Layout`].
//!
//! Reading is the only fallible part of layout: every mistake found here is
//! reported with file, line and column and a hint, so that composition can
//! assume a consistent grid. Keys are documented in `docs/layout.md`.
//!
//! The file is read into serde types that mirror it (`raw`), then resolved
//! into the model (`model`): grid and page (`resolve`), styles (`styles`),
//! the paper's texts (`paper`) and the page plan (`plan`). Errors and their
//! help live in `error`; [`limits`] holds the range of every number and
//! [`units`] the lengths editors write.

pub mod limits;
pub mod masthead;
pub mod units;

mod auto;
mod boxes;
mod elements;
mod error;
mod fit;
mod lunar;
mod media;
mod model;
mod output;
mod paper;
mod plan;
mod raw;
mod resolve;
mod styles;
mod vertical;

use std::path::Path;

pub use auto::{AutoMakeup, Flow, HeadlineRow};
pub use boxes::{BoxRule, Boxing, Rubric, RubricLook};
pub use elements::{Elements, LeadLook, PullQuotePlacement};
pub use error::{line_col, LayoutError, Locator};
pub use fit::Fit;
pub use lunar::lunar_date;
pub use media::{AdFit, Anchor, MediaFile, ModuleMedia, AD_ASPECT_TOLERANCE};
pub use model::{
    ArticleRef, ContinueTo, FontSource, Grid, HeadlineStyles, Layout, ModuleSpec, Output,
    OutputProfile, PageCredits, PageGeometry, PageSpec, Paper, Side, Style, Styles, Teaser,
    TextSettings, EM_ASCENT, EM_DESCENT, FIT_TOLERANCE,
};
pub use paper::parse_iso_date;
pub use units::Length;

/// Reads and validates a layout file; an unreadable or non-UTF-8 file is a
/// located error like any other.
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

/// Validates a layout file's text; `path` names it in errors and anchors
/// its relative font paths.
pub fn parse(text: &str, path: &Path) -> Result<Layout, LayoutError> {
    let loc = Locator { file: path, text };
    let raw: raw::RawLayout = toml::from_str(text).map_err(|e| loc.toml_error(&e))?;
    resolve::resolve(raw, &loc)
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
