//! The front line: settings an article carries for itself, written on one
//! line directly before its kicker or headline as a TOML inline table,
//!
//! ```text
//! { rubric = "我为群众办实事——百名记者走基层", language = "zh-Hant-TW" }
//! ```
//!
//! A line an editor types in any text editor, read strictly: an unknown
//! key, a value of the wrong type or a front line not followed by a
//! headline is an error at its file:line:col, never printed on the page.

use std::path::Path;

use serde::Deserialize;

use super::{error, SourceError};

/// The keys of an article's front line; each is optional.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Front {
    /// The column rubric (栏目) the article runs under, set as a tag above
    /// its headline: `rubric = "…"` (or `"栏目" = "…"`).
    pub rubric: Option<String>,
    /// The article's language, overriding the layout's `[text] language`
    /// (`"zh-Hans"`, `"zh-Hant-TW"`, `"zh-Hant-HK"`); checked by the layout
    /// stage, which knows the accepted values.
    pub language: Option<String>,
    /// Where the line stands, for messages about its values.
    #[serde(skip)]
    pub origin: FrontOrigin,
}

/// Where a front line and each of its values stand.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FrontOrigin {
    /// 1-based line of the front line.
    pub line: usize,
    /// 1-based column (in characters) of the `language` value, if given.
    pub language_column: Option<usize>,
    /// 1-based column of the `rubric` value, if given.
    pub rubric_column: Option<usize>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFront {
    #[serde(alias = "栏目")]
    rubric: Option<toml::Spanned<String>>,
    #[serde(alias = "语言")]
    language: Option<toml::Spanned<String>>,
}

/// Whether a (trimmed) line is written as a front line.
pub(crate) fn is_front_line(line: &str) -> bool {
    let t = line.trim();
    t.starts_with('{') && t.ends_with('}')
}

/// Read line `number` (`raw`, as written) as a front line.
pub(crate) fn parse_line(raw: &str, number: usize, file: &Path) -> Result<Front, SourceError> {
    const KEY: &str = "front = ";
    // As the line cleaner reads it: controls or a stray BOM around the
    // braces are not part of the line.
    let skipped = |c: char| c.is_whitespace() || super::lines::is_removed(c);
    let start = raw.len() - raw.trim_start_matches(skipped).len();
    let body = raw[start..].trim_end_matches(skipped);
    // Parsed as the value of a key so toml's spans map back to the line.
    let doc = format!("{KEY}{body}");
    let col = |doc_byte: usize| {
        let byte = start + doc_byte.saturating_sub(KEY.len()).min(body.len());
        1 + raw[..byte].chars().count()
    };
    #[derive(Deserialize)]
    struct Doc {
        front: RawFront,
    }
    let parsed: Doc = toml::from_str(&doc).map_err(|e| {
        let at = e.span().map_or(KEY.len(), |s| s.start);
        error(
            file,
            number,
            col(at),
            format!(
                "front line: {}; write it as `{{ rubric = \"栏目名\", language = \"zh-Hant-TW\" }}` directly before the article's headline",
                e.message().trim_end_matches('\n')
            ),
        )
    })?;
    let text = |v: &Option<toml::Spanned<String>>, key: &str| -> Result<_, SourceError> {
        let Some(s) = v else {
            return Ok((None, None));
        };
        let kept: String = s
            .get_ref()
            .chars()
            .filter(|&c| !super::lines::is_removed(c))
            .collect();
        let kept = kept.trim();
        if kept.is_empty() {
            return Err(error(
                file,
                number,
                col(s.span().start),
                format!("front line: `{key}` is empty"),
            ));
        }
        Ok((Some(kept.to_string()), Some(col(s.span().start))))
    };
    let (rubric, rubric_column) = text(&parsed.front.rubric, "rubric")?;
    let (language, language_column) = text(&parsed.front.language, "language")?;
    Ok(Front {
        rubric,
        language,
        origin: FrontOrigin {
            line: number,
            language_column,
            rubric_column,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<Front, SourceError> {
        parse_line(s, 3, Path::new("a.md"))
    }

    #[test]
    fn keys_and_columns() {
        let f = parse(r#"{ rubric = "走基层", language = "zh-Hant-TW" }"#).unwrap();
        assert_eq!(f.rubric.as_deref(), Some("走基层"));
        assert_eq!(f.language.as_deref(), Some("zh-Hant-TW"));
        assert_eq!(f.origin.rubric_column, Some(12));
        assert_eq!(f.origin.language_column, Some(30));
        let f = parse(r#"{ "栏目" = "走基层" }"#).unwrap();
        assert_eq!(f.rubric.as_deref(), Some("走基层"));
        // Characters the line cleaner removes, around and inside.
        let f = parse("\u{1}{ rubric = \"走\u{FDD0}基层\" }\u{FEFF}").unwrap();
        assert_eq!(f.rubric.as_deref(), Some("走基层"));
        assert_eq!(f.origin.rubric_column, Some(13));
    }

    #[test]
    fn errors_point_into_the_line() {
        let e = parse(r#"  { rubric = "x", colour = "red" }"#).unwrap_err();
        assert_eq!((e.line, e.column), (3, 19), "{e}");
        assert!(e.message.contains("colour"), "{e}");
        let e = parse(r#"{ rubric = 3 }"#).unwrap_err();
        assert_eq!(e.column, 12, "{e}");
        let e = parse(r#"{ rubric = "  " }"#).unwrap_err();
        assert!(e.message.contains("empty"), "{e}");
    }
}
