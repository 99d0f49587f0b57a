//! Bytes → lines → blocks: decoding, line ends, whitespace, and the block
//! structure (headings and runs of text lines between blank lines).
//!
//! Everything here is about the file's surface; the meaning of blocks
//! (kicker, credit, fragments) is decided by the caller.

use std::path::Path;

use super::chars::soft_break_needs_space;
use super::{error, warning, SourceError};

/// One block of the file.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Block {
    pub kind: BlockKind,
    /// First and last source line (1-based).
    pub line: usize,
    pub last_line: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum BlockKind {
    /// `#`, `##` or `###` with its (trimmed, whitespace-collapsed) text.
    Heading { level: u8, text: String },
    /// Consecutive text lines, joined.
    Text(String),
}

/// Check the encoding and drop a byte-order mark.
pub(crate) fn decode<'a>(
    bytes: &'a [u8],
    file: &Path,
    warnings: &mut Vec<String>,
) -> Result<&'a str, SourceError> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(error(
            file,
            1,
            1,
            "the file is UTF-16 (it starts with a UTF-16 byte-order mark); save it as UTF-8",
        ));
    }
    let bytes = match bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        Some(rest) => {
            warnings.push(warning(
                file,
                1,
                "UTF-8 byte-order mark at the start of the file ignored",
            ));
            rest
        }
        None => bytes,
    };
    std::str::from_utf8(bytes).map_err(|e| {
        let good = &bytes[..e.valid_up_to()];
        let line = 1 + good.iter().filter(|&&b| b == b'\n').count();
        let line_start = good.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
        // The prefix is valid UTF-8, so counting non-continuation bytes counts chars.
        let column = 1 + good[line_start..]
            .iter()
            .filter(|&&b| (b & 0xC0) != 0x80)
            .count();
        let bad = bytes[e.valid_up_to()];
        error(
            file,
            line,
            column,
            format!(
                "invalid UTF-8 (byte 0x{bad:02X}); article files must be UTF-8 — \
                 convert GBK/GB18030 text first, e.g. `iconv -f GB18030 -t UTF-8`"
            ),
        )
    })
}

/// Whitespace clean-up of one line: tabs and runs of spaces become one
/// space, control characters go, and the ends are trimmed (including the
/// ideographic-space indent typed before Chinese paragraphs: the typesetter
/// indents by itself).
struct Cleaner<'w> {
    file: &'w Path,
    warnings: &'w mut Vec<String>,
    tab_seen: bool,
    control_seen: bool,
}

impl Cleaner<'_> {
    fn clean(&mut self, raw: &str, line: usize) -> String {
        let mut out = String::with_capacity(raw.len());
        let mut space = false;
        for c in raw.chars() {
            match c {
                ' ' | '\t' | '\r' => {
                    if c == '\t' && !self.tab_seen {
                        self.tab_seen = true;
                        self.warnings.push(warning(
                            self.file,
                            line,
                            "tab characters are treated as spaces",
                        ));
                    }
                    space = true;
                }
                c if c.is_control() || c == '\u{FEFF}' => {
                    if !self.control_seen {
                        self.control_seen = true;
                        self.warnings.push(warning(
                            self.file,
                            line,
                            format!(
                                "control character U+{:04X} removed (and any later ones)",
                                c as u32
                            ),
                        ));
                    }
                }
                c => {
                    if space && !out.is_empty() {
                        out.push(' ');
                    }
                    space = false;
                    out.push(c);
                }
            }
        }
        let trimmed = out.trim_matches(char::is_whitespace);
        if trimmed.len() == out.len() {
            out
        } else {
            trimmed.to_string()
        }
    }
}

/// A heading line: one to three `#` and a space. More `#` is an error, a
/// `#` glued to text (`#话题#`) is ordinary text.
fn heading(line: &str, number: usize, file: &Path) -> Result<Option<(u8, String)>, SourceError> {
    let hashes = line.bytes().take_while(|&b| b == b'#').count();
    if hashes == 0 {
        return Ok(None);
    }
    let rest = &line[hashes..];
    if !rest.is_empty() && !rest.starts_with(' ') {
        return Ok(None);
    }
    if hashes > 3 {
        return Err(error(
            file,
            number,
            1,
            format!(
                "heading level {hashes} is not part of the article format: use `# ` or `## ` for a headline, \
                 `### ` for a kicker (before a headline) or a subheadline (after it)"
            ),
        ));
    }
    let text = rest.trim();
    if text.is_empty() {
        return Err(error(
            file,
            number,
            1,
            format!("empty heading `{}`", &line[..hashes]),
        ));
    }
    Ok(Some((hashes as u8, text.to_string())))
}

/// Split decoded text into blocks. A heading line is always a block of its
/// own, even without blank lines around it.
pub(crate) fn blocks(
    text: &str,
    file: &Path,
    warnings: &mut Vec<String>,
) -> Result<Vec<Block>, SourceError> {
    let mut crlf_seen = false;
    let mut blocks = Vec::new();
    let mut open: Option<Block> = None;
    let mut cleaner = Cleaner {
        file,
        warnings,
        tab_seen: false,
        control_seen: false,
    };
    for (i, raw) in text.split('\n').enumerate() {
        let number = i + 1;
        let raw = match raw.strip_suffix('\r') {
            Some(r) => {
                if !crlf_seen {
                    crlf_seen = true;
                    cleaner.warnings.push(warning(
                        file,
                        number,
                        "CRLF (Windows) line ends accepted",
                    ));
                }
                r
            }
            None => raw,
        };
        let line = cleaner.clean(raw, number);
        if line.is_empty() {
            blocks.extend(open.take());
            continue;
        }
        if let Some((level, text)) = heading(&line, number, file)? {
            blocks.extend(open.take());
            blocks.push(Block {
                kind: BlockKind::Heading { level, text },
                line: number,
                last_line: number,
            });
            continue;
        }
        match &mut open {
            Some(Block {
                kind: BlockKind::Text(acc),
                last_line,
                ..
            }) => {
                if let (Some(a), Some(b)) = (acc.chars().next_back(), line.chars().next()) {
                    if soft_break_needs_space(a, b) {
                        acc.push(' ');
                    }
                }
                acc.push_str(&line);
                *last_line = number;
            }
            _ => {
                open = Some(Block {
                    kind: BlockKind::Text(line),
                    line: number,
                    last_line: number,
                })
            }
        }
    }
    blocks.extend(open);
    Ok(blocks)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> (Vec<Block>, Vec<String>) {
        let mut w = Vec::new();
        let b = blocks(s, Path::new("t.md"), &mut w).unwrap();
        (b, w)
    }

    fn kinds(s: &str) -> Vec<BlockKind> {
        parse(s).0.into_iter().map(|b| b.kind).collect()
    }

    #[test]
    fn blocks_and_lines() {
        let (b, _) = parse("\n\n# 标题 二行\n\n第一段\n接着。\n   \n第二段。");
        assert_eq!(
            b,
            vec![
                Block {
                    kind: BlockKind::Heading {
                        level: 1,
                        text: "标题 二行".into()
                    },
                    line: 3,
                    last_line: 3
                },
                Block {
                    kind: BlockKind::Text("第一段接着。".into()),
                    line: 5,
                    last_line: 6
                },
                Block {
                    kind: BlockKind::Text("第二段。".into()),
                    line: 8,
                    last_line: 8
                },
            ]
        );
    }

    #[test]
    fn heading_without_blank_line() {
        assert_eq!(
            kinds("### 引题\n## 标题\n正文。"),
            vec![
                BlockKind::Heading {
                    level: 3,
                    text: "引题".into()
                },
                BlockKind::Heading {
                    level: 2,
                    text: "标题".into()
                },
                BlockKind::Text("正文。".into()),
            ]
        );
    }

    #[test]
    fn hashtag_is_text() {
        assert_eq!(
            kinds("#话题#内容"),
            vec![BlockKind::Text("#话题#内容".into())]
        );
    }

    #[test]
    fn whitespace() {
        assert_eq!(
            kinds("\u{3000}\u{3000}缩进的段落。 \t "),
            vec![BlockKind::Text("缩进的段落。".into())]
        );
        assert_eq!(
            kinds("PM2.5  is\nhigh"),
            vec![BlockKind::Text("PM2.5 is high".into())]
        );
        assert_eq!(kinds("a\u{7}b"), vec![BlockKind::Text("ab".into())]);
    }

    #[test]
    fn level_four_is_an_error() {
        let mut w = Vec::new();
        let e = blocks("#### x", Path::new("t.md"), &mut w).unwrap_err();
        assert_eq!((e.line, e.column), (1, 1));
    }

    #[test]
    fn utf8_error_position() {
        let mut w = Vec::new();
        let e = decode(b"ab\n\xE4\xB8\xAD\xFFx", Path::new("t.md"), &mut w).unwrap_err();
        assert_eq!((e.line, e.column), (2, 2));
        let e = decode(b"\xEF\xBB\xBF\xC3", Path::new("t.md"), &mut w).unwrap_err();
        assert_eq!((e.line, e.column), (1, 1));
        assert_eq!(w.len(), 1);
    }
}
