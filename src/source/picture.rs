//! Picture lines: `![图片说明](photo.jpg "摄影 记者 张三")` on a line of its
//! own is a picture of the article it stands in, with its caption (the
//! text in brackets) and its credit (the optional quoted title).
//!
//! The syntax is Markdown's image, read strictly: a line that starts with
//! `![` and is not a whole picture (an unclosed bracket or parenthesis, no
//! path, text after the `)`) is an error at its file:line:col rather than
//! text printed on the page. A `![…](…)` inside a paragraph stays a
//! Markdown habit (`habits`): printed, with a warning.

use std::path::{Path, PathBuf};

use super::{error, SourceError};

/// A picture an article names.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Picture {
    /// The caption (图片说明): the text in brackets, whitespace collapsed;
    /// may be empty.
    pub caption: String,
    /// The credit (摄影 记者 张三): the quoted title, if any.
    pub credit: Option<String>,
    /// The file, resolved against the article file's folder.
    pub path: PathBuf,
    /// Where the `![` stands, for messages about the picture.
    #[serde(skip)]
    pub origin: PictureOrigin,
}

/// Where a picture line stands in its article file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PictureOrigin {
    /// The article file, as named to the parser.
    pub file: PathBuf,
    /// 1-based line of the `![`.
    pub line: usize,
    /// 1-based column of the `!`, in characters.
    pub column: usize,
}

/// Quotes around a credit: ASCII and the curly pair Chinese keyboards type.
const CREDIT_QUOTES: [(char, char); 2] = [('"', '"'), ('“', '”')];

/// Read line `number` as a picture if it starts with `![`; `Ok(None)` for
/// any other line. `raw` is the line as written, so columns are an
/// editor's.
pub(crate) fn parse_line(
    raw: &str,
    number: usize,
    file: &Path,
) -> Result<Option<Picture>, SourceError> {
    // Read as the line cleaner reads it: a control character or stray BOM
    // anywhere in the line (before the `![`, between `!` and `[`, inside the
    // brackets) neither turns the picture into printed text nor breaks its
    // syntax. Columns still count the characters as written.
    let (line, raw_columns) = visible(raw);
    let raw = line.as_str();
    let start = raw
        .char_indices()
        .find(|&(_, c)| !c.is_whitespace())
        .map_or(raw.len(), |(i, _)| i);
    if !raw[start..].starts_with("![") {
        return Ok(None);
    }
    let col = |byte: usize| raw_columns[raw[..byte].chars().count()];
    let fail = |byte: usize, message: String| Err(error(file, number, col(byte), message));
    let alt_start = start + 2;
    let Some(alt_len) = raw[alt_start..].find(']') else {
        return fail(
            start,
            "`![` opens a picture but its caption has no closing `]`: write `![说明](photo.jpg \"摄影 张三\")`".into(),
        );
    };
    let alt_end = alt_start + alt_len;
    if !raw[alt_end + 1..].starts_with('(') {
        return fail(
            alt_end,
            "a picture's `]` must be followed by `(` and the file: `![说明](photo.jpg)`".into(),
        );
    }
    let open = alt_end + 1;
    let Some(inner_len) = closing_paren(&raw[open + 1..]) else {
        return fail(
            open,
            "the picture's `(` has no closing `)`: write `![说明](photo.jpg \"摄影 张三\")`".into(),
        );
    };
    let close = open + 1 + inner_len;
    let rest = &raw[close + 1..];
    let after = rest.trim();
    if !after.is_empty() {
        return fail(
            close + 1 + (rest.len() - rest.trim_start().len()),
            format!("text after a picture on its line (`{after}`): a picture line holds the picture only; put the text in a paragraph of its own"),
        );
    }
    let inner = raw[open + 1..close].trim();
    let (written, credit) = split_credit(inner);
    if written.is_empty() {
        return fail(
            open + 1,
            "the picture names no file: write its path, relative to the article file, between `(` and `)`".into(),
        );
    }
    let folder = file.parent().unwrap_or(Path::new(""));
    Ok(Some(Picture {
        caption: collapse(&raw[alt_start..alt_end]),
        credit: credit.map(collapse).filter(|c| !c.is_empty()),
        path: folder.join(written),
        origin: PictureOrigin {
            file: file.to_path_buf(),
            line: number,
            column: col(start),
        },
    }))
}

/// The path and the quoted credit after it, if the text ends in one.
fn split_credit(inner: &str) -> (&str, Option<&str>) {
    for (open, close) in CREDIT_QUOTES {
        if let Some(body) = inner.strip_suffix(close) {
            if let Some(at) = body.rfind(open).filter(|&at| at > 0) {
                let path = body[..at].trim_end();
                // The quote starts the title only after a space.
                if path.len() < at {
                    return (path, Some(&body[at + open.len_utf8()..]));
                }
            }
        }
    }
    (inner, None)
}

/// Byte offset of the `)` closing a picture's target: the first outside
/// the credit's quotes, so a credit may hold a `)`.
fn closing_paren(text: &str) -> Option<usize> {
    let mut quoted = false;
    for (i, c) in text.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '“' => quoted = true,
            '”' => quoted = false,
            ')' if !quoted => return Some(i),
            _ => {}
        }
    }
    None
}

/// `raw` without the characters the line cleaner removes, and the 1-based
/// column in `raw` of each character kept (one more at the end, for the
/// end of the line).
fn visible(raw: &str) -> (String, Vec<usize>) {
    let mut line = String::with_capacity(raw.len());
    let mut columns = Vec::with_capacity(raw.len() + 1);
    let mut column = 1;
    for c in raw.chars() {
        if !super::lines::is_removed(c) {
            line.push(c);
            columns.push(column);
        }
        column += 1;
    }
    columns.push(column);
    (line, columns)
}

/// As the line cleaner leaves text: runs of whitespace as one space, the
/// ends trimmed (the removed characters are gone already).
fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pic(line: &str) -> Result<Option<Picture>, SourceError> {
        parse_line(line, 4, Path::new("news/a.md"))
    }

    #[test]
    fn caption_credit_and_path_relative_to_the_article() {
        let p = pic("  ![市民在公园晨练](media/park.jpg \"摄影 记者 张三\")")
            .unwrap()
            .unwrap();
        assert_eq!(p.caption, "市民在公园晨练");
        assert_eq!(p.credit.as_deref(), Some("摄影 记者 张三"));
        assert_eq!(p.path, Path::new("news/media/park.jpg"));
        assert_eq!((p.origin.line, p.origin.column), (4, 3));
        let p = pic("![](a b.png “新华社发”)").unwrap().unwrap();
        assert_eq!(
            (p.caption.as_str(), p.credit.as_deref()),
            ("", Some("新华社发"))
        );
        assert_eq!(p.path, Path::new("news/a b.png"));
        assert!(pic("见图![x](a.jpg)").unwrap().is_none());
    }

    #[test]
    fn characters_the_cleaner_removes_do_not_hide_a_picture() {
        // Found by fuzzing: a control character before `![` made the line
        // printed text, though the cleaner reads it as a picture line.
        let p = pic("\u{1}\u{FEFF} ![说\u{7}明](a.jpg)").unwrap().unwrap();
        assert_eq!(p.caption, "说明");
        assert_eq!(p.origin.column, 4);
        // And one between `!` and `[` (CI's fuzz run): still a picture.
        let p = pic("!\u{0}[说明](a\u{1}.jpg \u{2}\"摄影\u{3}\")\u{4}")
            .unwrap()
            .unwrap();
        assert_eq!(
            (p.caption.as_str(), p.credit.as_deref()),
            ("说明", Some("摄影"))
        );
        assert_eq!(p.path, Path::new("news/a.jpg"));
        // Columns count the removed characters as written.
        let e = pic("\u{1}![说明](a.jpg").unwrap_err();
        assert_eq!(e.column, 7);
    }

    #[test]
    fn bad_syntax_is_located() {
        let at = |line: &str| {
            let e = pic(line).unwrap_err();
            (e.column, e.message)
        };
        assert!(at("![说明(a.jpg)").1.contains("no closing `]`"));
        assert_eq!(at("![说明](a.jpg").0, 6);
        assert!(at("![说明](a.jpg").1.contains("no closing `)`"));
        assert!(at("![说明]( )").1.contains("names no file"));
        assert!(at("![说明] (a.jpg)").1.contains("followed by `(`"));
        assert!(at("![说明](a.jpg) 正文").1.contains("text after a picture"));
    }
}
