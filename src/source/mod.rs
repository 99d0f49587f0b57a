//! Source stage: an article file → [`Edition`].
//!
//! OWNED BY THE SOURCE HELPER — see the interface contract below; the types
//! are used by composition and must keep these fields.

use std::ops::Range;
use std::path::{Path, PathBuf};

/// Options of the source reader.
#[derive(Debug, Clone)]
pub struct ParseOptions {
    /// Map ASCII-folded punctuation next to CJK back to full width.
    pub fullwidth_punctuation: bool,
}

impl Default for ParseOptions {
    fn default() -> Self {
        Self {
            fullwidth_punctuation: true,
        }
    }
}

/// A whole input file.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Edition {
    pub articles: Vec<Article>,
    /// Non-fatal findings (file:line: message), e.g. a BOM or tabs.
    #[serde(skip)]
    pub warnings: Vec<String>,
}

/// One article.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Article {
    /// 1 for `# `, 2 for `## `.
    pub level: u8,
    pub kicker: Option<String>,
    pub headline: Vec<String>,
    pub subheadline: Option<String>,
    /// The dateline text; also the start of `paragraphs[0]`.
    pub dateline: Option<String>,
    pub paragraphs: Vec<String>,
    pub credit: Option<String>,
    /// Byte range of the dateline inside `paragraphs[0]`.
    #[serde(skip)]
    pub dateline_range: Option<Range<usize>>,
    /// Where each piece came from, for diagnostics.
    #[serde(skip)]
    pub origin: Origin,
}

/// Source positions (1-based lines) of an article's pieces.
#[derive(Debug, Clone, Default)]
pub struct Origin {
    pub file: PathBuf,
    pub headline_line: usize,
    /// The first source line of each paragraph.
    pub paragraph_lines: Vec<usize>,
}

#[derive(Debug, thiserror::Error)]
#[error("{file}:{line}:{column}: {message}")]
pub struct SourceError {
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// Parse article text. `file` is only used in diagnostics.
pub fn parse(_bytes: &[u8], _file: &Path, _options: &ParseOptions) -> Result<Edition, SourceError> {
    todo!("source helper")
}

/// Read and parse an article file.
pub fn parse_file(path: &Path, options: &ParseOptions) -> Result<Edition, SourceError> {
    let bytes = std::fs::read(path).map_err(|e| SourceError {
        file: path.to_path_buf(),
        line: 0,
        column: 0,
        message: format!("cannot read article file: {e}"),
    })?;
    parse(&bytes, path, options)
}
