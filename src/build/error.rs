//! The errors of a build: a problem the user must fix in an input, carried
//! inside `anyhow` errors so the caller can find it and render it with its
//! location.

use crate::diagnostic;
use crate::layout::LayoutError;
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
