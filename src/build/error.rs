//! The errors of a build: a problem the user must fix in an input, carried
//! inside `anyhow` errors so the caller can find it and render it with its
//! location.

use crate::diagnostic;
use crate::export::ExportError;
use crate::layout::{Layout, LayoutError};
use crate::source::SourceError;

/// A failure the user must fix in an input: rendered with its location.
#[derive(Debug)]
pub enum InputError {
    /// A problem in the layout file (or a font it names).
    Layout(LayoutError),
    /// A problem in the article file.
    Source(SourceError),
    /// Any other input problem (a path, a size, an output), as a sentence.
    Other(String),
}

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InputError::Layout(e) => write!(f, "{e}"),
            InputError::Source(e) => write!(f, "{e}"),
            InputError::Other(s) => f.write_str(s),
        }
    }
}

impl std::error::Error for InputError {}

impl InputError {
    /// The message for the terminal: `error: …` with the file, line and the
    /// offending text where there is one, in colour if `color`.
    pub fn render(&self, color: bool) -> String {
        match self {
            InputError::Layout(e) => diagnostic::render(&e.into(), color),
            InputError::Source(e) => diagnostic::render(&e.into(), color),
            InputError::Other(s) => format!("error: {s}"),
        }
    }
}

/// A layout problem as a build error.
pub fn layout_error(e: LayoutError) -> anyhow::Error {
    InputError::Layout(e).into()
}

/// An article-file problem as a build error.
pub fn source_error(e: SourceError) -> anyhow::Error {
    InputError::Source(e).into()
}

/// Any other input problem as a build error.
pub fn input_error(e: impl std::fmt::Display) -> anyhow::Error {
    InputError::Other(e.to_string()).into()
}

/// An export failure as a build error: a file the layout's standard
/// forbids is a mistake in the layout's `[output] standard`, located there
/// (at line 1 when the default is in force), naming what was found.
pub fn export_error(layout: &Layout, e: ExportError) -> anyhow::Error {
    let ExportError::Standard { standard, found } = e else {
        return e.into();
    };
    let output = &layout.output;
    let default = if output.standard_span.is_empty() {
        " (the default)"
    } else {
        ""
    };
    let message = format!(
        "[output] standard = \"{}\"{default} forbids what the PDF holds: {found}",
        standard.name()
    );
    let help = "choose another standard under [output] (\"PDF/X-4\", \"PDF/X-1a:2003\" or \"none\"); no PDF was written";
    let span = output.standard_span.clone();
    layout_error(layout.locator().error(span, message, Some(help.into())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::display::PdfStandard;

    #[test]
    fn a_forbidden_file_is_a_mistake_at_the_standard_key() {
        let text = "[page]\nsize = \"A4\"\nmargins = { top = \"20mm\", bottom = \"20mm\", left = \"15mm\", right = \"15mm\" }\n[grid]\ncolumns = 4\ncolumn_chars = 13\nbody_size = \"小五\"\nline_pitch = \"11.5pt\"\n[output]\nstandard = \"PDF/X-1a:2003\"\n";
        let layout = crate::layout::parse(text, std::path::Path::new("x.toml")).unwrap();
        let e = export_error(
            &layout,
            ExportError::Standard {
                standard: PdfStandard::PdfX1a2003,
                found: "an opacity of 0.5 (/ca, transparency) (object 7 0)".into(),
            },
        );
        let Some(InputError::Layout(e)) = e.downcast_ref::<InputError>() else {
            panic!("not a layout error: {e}");
        };
        assert_eq!((e.line, e.column), (10, 12));
        assert!(
            e.message.contains("standard = \"PDF/X-1a:2003\" forbids")
                && e.message.contains("opacity of 0.5")
                && e.message.contains("object 7 0"),
            "{e}"
        );
    }
}
