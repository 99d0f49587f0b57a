//! Rendering input errors for people: the message, the file:line:col, the
//! offending line with the spot underlined, and what to do.
//!
//! Errors from the source and layout stages carry their location; this
//! module only turns them into text (with annotate-snippets, the renderer
//! rustc uses), so the stages stay free of presentation.

use std::ops::Range;
use std::path::Path;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use crate::layout::LayoutError;
use crate::source::SourceError;

/// A located problem in an input file.
#[derive(Debug, Clone)]
pub struct Located<'a> {
    /// The input file, as given; it is read again to show the line.
    pub file: &'a Path,
    /// 1-based; 0 when the problem is the file as a whole.
    pub line: usize,
    /// 1-based, counted in characters (not bytes) from the line's start.
    pub column: usize,
    /// What is wrong, shown after `file:line:col:`.
    pub message: &'a str,
    /// What to do about it, shown on its own `help:` line.
    pub help: Option<&'a str>,
    /// Byte span in the file, when known more precisely than line:col.
    pub span: Option<Range<usize>>,
    /// The line number counts every line end an article file may use (CR,
    /// U+2028, U+2029 too), not only LF.
    pub article_lines: bool,
}

impl<'a> From<&'a LayoutError> for Located<'a> {
    fn from(e: &'a LayoutError) -> Self {
        Located {
            file: &e.file,
            line: e.line,
            column: e.column,
            message: &e.message,
            help: e.help.as_deref(),
            span: (e.line > 0).then(|| e.span.clone()),
            article_lines: false,
        }
    }
}

impl<'a> From<&'a SourceError> for Located<'a> {
    fn from(e: &'a SourceError) -> Self {
        // A source message may carry its own hint after a newline.
        Located {
            file: &e.file,
            line: e.line,
            column: e.column,
            message: &e.message,
            help: None,
            span: None,
            article_lines: true,
        }
    }
}

/// Render a located error. `color` adds terminal styling.
pub fn render(e: &Located<'_>, color: bool) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let path = e.file.display().to_string();
    // A problem with the file as a whole (missing, unreadable) has no
    // line; `file:0:0` would send the reader looking for one.
    let header = if e.line > 0 {
        format!("{path}:{}:{}: {}", e.line, e.column, e.message)
    } else {
        format!("{path}: {}", e.message)
    };
    let text = if e.line > 0 {
        std::fs::read(e.file).ok()
    } else {
        None
    };
    let Some(bytes) = text else {
        let mut out = format!("error: {header}");
        if let Some(h) = e.help {
            out.push_str(&format!("\n  help: {h}"));
        }
        return out;
    };
    let text = String::from_utf8_lossy(&bytes);
    // Show the one line the error is on: a 1 MB article stays readable.
    let (line_start, line_text) = if e.article_lines {
        crate::source::source_line(&text, e.line)
    } else {
        let line_start = text
            .split_inclusive('\n')
            .take(e.line.saturating_sub(1))
            .map(str::len)
            .sum::<usize>()
            .min(text.len());
        let line_text = text[line_start..]
            .split('\n')
            .next()
            .unwrap_or("")
            .trim_end_matches('\r');
        (line_start, line_text)
    };
    let col_byte = line_text
        .char_indices()
        .nth(e.column.saturating_sub(1))
        .map_or(line_text.len(), |(i, _)| i);
    let span = match &e.span {
        Some(s) if s.start >= line_start && s.start - line_start <= line_text.len() => {
            let start = s.start - line_start;
            let end = (s.end.saturating_sub(line_start)).clamp(start, line_text.len());
            start..end
        }
        _ => {
            let rest = &line_text[col_byte..];
            let token = rest.find(char::is_whitespace).unwrap_or(rest.len());
            col_byte..col_byte + token
        }
    };
    let span = if span.is_empty() {
        let next = line_text[span.start..]
            .chars()
            .next()
            .map_or(0, char::len_utf8);
        span.start..span.start + next
    } else {
        span
    };
    let snippet = Snippet::source(line_text)
        .line_start(e.line)
        .path(path.clone())
        .annotation(AnnotationKind::Primary.span(span));
    let mut report: Vec<Group<'_>> =
        vec![Level::ERROR.primary_title(header.as_str()).element(snippet)];
    if let Some(h) = e.help {
        report.push(Group::with_title(Level::HELP.secondary_title(h)));
    }
    renderer.render(&report).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_located_error_shows_the_line_and_the_help() {
        let dir = std::env::temp_dir().join(format!("bs-diag-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("l.toml");
        std::fs::write(&file, "[grid]\ncolums = 8\n").unwrap();
        let e = Located {
            file: &file,
            line: 2,
            column: 1,
            message: "unknown field `colums`",
            help: Some("did you mean `columns`?"),
            span: Some(7..13),
            article_lines: false,
        };
        let out = render(&e, false);
        assert!(
            out.contains(&format!("{}:2:1: unknown field `colums`", file.display())),
            "{out}"
        );
        assert!(out.contains("colums = 8"), "{out}");
        assert!(out.contains("^^^^^^"), "{out}");
        assert!(out.contains("help: did you mean `columns`?"), "{out}");
    }
}
