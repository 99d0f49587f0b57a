//! Layout mistakes located in their file, and the help that goes with
//! them.
//!
//! Every error the layout stage returns carries file, line, column and the
//! byte span, so the diagnostic renderer can show the line with a caret;
//! the help line says what to write instead.

use std::ops::Range;
use std::path::{Path, PathBuf};

/// A layout mistake, located in its file.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{}:{line}:{column}: {message}{}", file.display(), help.as_ref().map(|h| format!("\n  help: {h}")).unwrap_or_default())]
pub struct LayoutError {
    /// The layout file, as given on the command line.
    pub file: PathBuf,
    /// 1-based line of the mistake; 0 when the file could not be read.
    pub line: usize,
    /// 1-based column, counted in characters; 0 when the file could not be
    /// read.
    pub column: usize,
    /// What is wrong.
    pub message: String,
    /// What to write instead, when there is something to suggest.
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

/// The greatest char boundary at or before byte `i`.
fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Builds located errors for one file.
pub struct Locator<'a> {
    /// The file the spans point into.
    pub file: &'a Path,
    /// Its text, to turn byte spans into lines and columns.
    pub text: &'a str,
}

impl Locator<'_> {
    /// An error at `span` of this file.
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

    /// A TOML syntax or type error, with help chosen by its kind: the
    /// near key for a misspelt one, where the documentation is otherwise.
    pub(super) fn toml_error(&self, e: &toml::de::Error) -> LayoutError {
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
        self.error(span, message, help)
    }
}

/// The help for an unknown key: the nearest valid key if one is close,
/// else the list of valid keys.
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

/// Levenshtein distance in characters.
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
