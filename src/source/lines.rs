//! Bytes → lines → blocks: decoding, line ends, whitespace, and the block
//! structure (headings and runs of text lines between blank lines).
//!
//! Everything here is about the file's surface; the meaning of blocks
//! (kicker, credit, fragments) is decided by the caller.
//!
//! Line ends: LF, CRLF, a lone CR (classic Mac OS, some extraction tools)
//! and U+2028 LINE SEPARATOR each end one line; U+2029 PARAGRAPH SEPARATOR
//! ends one line and also the block, as a blank line would. Line numbers
//! in messages count every one of them, so they match an editor that
//! honours them all.

use std::path::Path;

use super::chars::soft_break_needs_space;
use super::{error, habits, warning, SourceError};

/// One block of the file.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Block {
    pub kind: BlockKind,
    /// First and last source line (1-based).
    pub line: usize,
    pub last_line: usize,
    /// The source had an ASCII space or tab before the block's first
    /// character (on its first line) or after its last one (on its last
    /// line). A print fragment rejoined across a blank line keeps such a
    /// space between Latin letters or digits, and only then.
    pub space_before: bool,
    pub space_after: bool,
}

/// What ended a source line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LineEnd {
    Lf,
    CrLf,
    /// A CR not followed by LF.
    Cr,
    /// U+2028 LINE SEPARATOR: a line break, like LF.
    LineSeparator,
    /// U+2029 PARAGRAPH SEPARATOR: a line break that also ends the block.
    ParagraphSeparator,
    /// The last line, with no line end after it.
    Eof,
}

/// The file's lines without their line ends, each with what ended it. The
/// text after the last line end is a line too (possibly empty), as in an
/// editor.
pub(crate) fn split_lines(text: &str) -> impl Iterator<Item = (&str, LineEnd)> {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let t = rest?;
        match t.find(['\n', '\r', '\u{2028}', '\u{2029}']) {
            None => {
                rest = None;
                Some((t, LineEnd::Eof))
            }
            Some(i) => {
                let (end, len) = match t[i..].chars().next() {
                    Some('\n') => (LineEnd::Lf, 1),
                    Some('\r') if t[i + 1..].starts_with('\n') => (LineEnd::CrLf, 2),
                    Some('\r') => (LineEnd::Cr, 1),
                    Some('\u{2028}') => (LineEnd::LineSeparator, 3),
                    _ => (LineEnd::ParagraphSeparator, 3),
                };
                rest = Some(&t[i + len..]);
                Some((&t[..i], end))
            }
        }
    })
}

/// Line `number` (1-based) of `text` as [`split_lines`] counts lines: its
/// byte offset and its text without the line end; past the end, an empty
/// line at the end of the text.
pub(crate) fn line_at(text: &str, number: usize) -> (usize, &str) {
    let mut start = 0;
    for (i, (line, _)) in split_lines(text).enumerate() {
        // Every line is a subslice of `text`, so its offset is exact.
        start = line.as_ptr() as usize - text.as_ptr() as usize;
        if i + 1 == number {
            return (start, line);
        }
        start += line.len();
    }
    (start.min(text.len()), "")
}

/// The 1-based line and column of the character right after `prefix`, with
/// lines counted as [`split_lines`] counts them and columns in characters.
pub(crate) fn position_after(prefix: &str) -> (usize, usize) {
    let mut line = 0;
    let mut last = "";
    for (l, _) in split_lines(prefix) {
        line += 1;
        last = l;
    }
    (line, 1 + last.chars().count())
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum BlockKind {
    /// `#`, `##` or `###` with its (trimmed, whitespace-collapsed) text.
    Heading { level: u8, text: String },
    /// Consecutive text lines, joined.
    Text(String),
    /// A picture line, `![说明](photo.jpg "摄影 张三")`.
    Picture(Box<super::picture::Picture>),
    /// An article's front line, `{ rubric = "…" }`, before its headline.
    Front(Box<super::front::Front>),
    /// A 引语 (pull quote): lines opened by `> `, the markers removed.
    Quote(String),
}

/// The text of a pull-quote line without its `>` marker: `>` then a
/// space, another `>`, Chinese text or a curly quote. `>5` or `>= 3` is a
/// comparison and stays text, and so does a `>` with nothing after it.
pub(crate) fn quote_line(line: &str) -> Option<&str> {
    let after = line.strip_prefix('>')?;
    after
        .chars()
        .next()
        .is_none_or(|c| {
            c.is_whitespace()
                || c == '>'
                || super::chars::is_cjk_in_prose(c)
                || super::chars::is_curly_quote(c)
        })
        .then(|| after.trim_start_matches(['>', ' ']).trim_start())
        // A lone `>` quotes nothing: it stays text, printed.
        .filter(|quoted| !quoted.is_empty())
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
        let good = std::str::from_utf8(&bytes[..e.valid_up_to()])
            .expect("the prefix before the first invalid byte is valid UTF-8");
        let (line, column) = position_after(good);
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

/// Characters the line cleaner removes: controls, a stray byte-order mark
/// and noncharacters (the bold markers are noncharacters, so none may come
/// from the file). Anything that reads a raw line must skip them too.
pub(crate) fn is_removed(c: char) -> bool {
    c.is_control() || c == '\u{FEFF}' || super::emphasis::is_noncharacter(c)
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
                ' ' | '\t' => {
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
                c if is_removed(c) => {
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
fn heading(line: &str, number: usize, file: &Path) -> Result<Option<BlockKind>, SourceError> {
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
    let (level, text) = (hashes as u8, text.to_string());
    Ok(Some(BlockKind::Heading { level, text }))
}

/// Append a source line to a block's text, with a space only where two
/// Latin words or numbers meet.
fn push_line(acc: &mut String, line: &str) {
    if let (Some(a), Some(b)) = (acc.chars().next_back(), line.chars().next()) {
        if soft_break_needs_space(a, b) {
            acc.push(' ');
        }
    }
    acc.push_str(line);
}

/// Split decoded text into blocks. A heading line is always a block of its
/// own, even without blank lines around it.
pub(crate) fn blocks(
    text: &str,
    file: &Path,
    warnings: &mut Vec<String>,
) -> Result<Vec<Block>, SourceError> {
    let mut crlf_seen = false;
    let mut cr_seen = false;
    let mut blocks = Vec::new();
    let mut open: Option<Block> = None;
    let mut cleaner = Cleaner {
        file,
        warnings,
        tab_seen: false,
        control_seen: false,
    };
    for (i, (raw, end)) in split_lines(text).enumerate() {
        let number = i + 1;
        let seen = match end {
            LineEnd::CrLf => Some((&mut crlf_seen, "CRLF (Windows) line ends accepted")),
            LineEnd::Cr => Some((
                &mut cr_seen,
                "CR line ends (classic Mac OS) accepted: each CR ends a line",
            )),
            _ => None,
        };
        if let Some((seen, message)) = seen {
            if !*seen {
                *seen = true;
                cleaner.warnings.push(warning(file, number, message));
            }
        }
        habits::check(raw, number, file, cleaner.warnings);
        let line = cleaner.clean(raw, number);
        if line.is_empty() {
            blocks.extend(open.take());
            continue;
        }
        let own = match super::picture::parse_line(raw, number, file)? {
            Some(picture) => Some(BlockKind::Picture(Box::new(picture))),
            None if super::front::is_front_line(&line) => Some(BlockKind::Front(Box::new(
                super::front::parse_line(raw, number, file)?,
            ))),
            None => heading(&line, number, file)?,
        };
        if let Some(kind) = own {
            blocks.extend(open.take());
            blocks.push(Block {
                kind,
                line: number,
                last_line: number,
                space_before: false,
                space_after: false,
            });
            continue;
        }
        let space_after = raw.ends_with([' ', '\t']);
        if let Some(quoted) = quote_line(&line) {
            // A quote opens a block of its own and takes the lines after
            // it up to the next blank line, `>` or not, as Markdown does.
            match &mut open {
                Some(Block {
                    kind: BlockKind::Quote(acc),
                    last_line,
                    ..
                }) => {
                    push_line(acc, quoted);
                    *last_line = number;
                }
                _ => {
                    blocks.extend(open.take());
                    open = Some(Block {
                        kind: BlockKind::Quote(quoted.to_string()),
                        line: number,
                        last_line: number,
                        space_before: false,
                        space_after: false,
                    });
                }
            }
            if end == LineEnd::ParagraphSeparator {
                blocks.extend(open.take());
            }
            continue;
        }
        match &mut open {
            Some(Block {
                kind: BlockKind::Text(acc) | BlockKind::Quote(acc),
                last_line,
                space_after: after,
                ..
            }) => {
                push_line(acc, &line);
                *last_line = number;
                *after = space_after;
            }
            _ => {
                open = Some(Block {
                    kind: BlockKind::Text(line),
                    line: number,
                    last_line: number,
                    space_before: raw.starts_with([' ', '\t']),
                    space_after,
                })
            }
        }
        if end == LineEnd::ParagraphSeparator {
            blocks.extend(open.take());
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
                    last_line: 3,
                    space_before: false,
                    space_after: false,
                },
                Block {
                    kind: BlockKind::Text("第一段接着。".into()),
                    line: 5,
                    last_line: 6,
                    space_before: false,
                    space_after: false,
                },
                Block {
                    kind: BlockKind::Text("第二段。".into()),
                    line: 8,
                    last_line: 8,
                    space_before: false,
                    space_after: false,
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
    fn every_line_end() {
        let ends: Vec<(&str, LineEnd)> = split_lines("a\nb\r\nc\rd\u{2028}e\u{2029}f").collect();
        assert_eq!(
            ends,
            [
                ("a", LineEnd::Lf),
                ("b", LineEnd::CrLf),
                ("c", LineEnd::Cr),
                ("d", LineEnd::LineSeparator),
                ("e", LineEnd::ParagraphSeparator),
                ("f", LineEnd::Eof),
            ]
        );
        assert_eq!(split_lines("").collect::<Vec<_>>(), [("", LineEnd::Eof)]);
        assert_eq!(
            split_lines("x\r").collect::<Vec<_>>(),
            [("x", LineEnd::Cr), ("", LineEnd::Eof)]
        );
        assert_eq!(position_after("ab\r\ncd\re\u{2029}中文"), (4, 3));
        assert_eq!(position_after(""), (1, 1));
        let text = "a\r\nbc\rd\u{2029}e";
        assert_eq!(line_at(text, 1), (0, "a"));
        assert_eq!(line_at(text, 2), (3, "bc"));
        assert_eq!(line_at(text, 4), (10, "e"));
        assert_eq!(line_at(text, 9), (11, ""));
    }

    #[test]
    fn lone_cr_and_separators_break_lines_and_blocks() {
        let want = vec![
            BlockKind::Heading {
                level: 1,
                text: "标题".into(),
            },
            BlockKind::Text("第一段续行。".into()),
            BlockKind::Text("第二段。".into()),
        ];
        assert_eq!(kinds("# 标题\r\r第一段\r续行。\r\r第二段。\r"), want);
        assert_eq!(
            kinds("# 标题\u{2029}第一段\u{2028}续行。\u{2029}第二段。"),
            want
        );
        assert_eq!(
            kinds("# 标题\n\n第一段\u{2028}续行。\n\u{2029}第二段。"),
            want
        );
        let (b, w) = parse("# 标题\r\r第一段\r续行。\r\r第二段。\r");
        assert_eq!((b[1].line, b[1].last_line, b[2].line), (3, 4, 6));
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(w[0].starts_with("t.md:1: CR line ends"));
    }

    #[test]
    fn spaces_at_block_edges_are_remembered() {
        let (b, _) = parse("甲 \n乙\n\n 丙\n丁\t\n\n\u{3000}戊");
        let edges: Vec<(bool, bool)> = b.iter().map(|b| (b.space_before, b.space_after)).collect();
        assert_eq!(edges, [(false, false), (true, true), (false, false)]);
    }

    #[test]
    fn quote_lines_make_a_quote_block() {
        assert_eq!(
            kinds("正文。\n\n> 引语第一行\n>第二行\n续行\n\n正文。"),
            vec![
                BlockKind::Text("正文。".into()),
                BlockKind::Quote("引语第一行第二行续行".into()),
                BlockKind::Text("正文。".into()),
            ]
        );
        assert_eq!(
            kinds("甲\n> 乙").len(),
            2,
            "a quote line opens its own block"
        );
        for text in [">5 人", ">= 3", "a > b"] {
            assert_eq!(kinds(text), vec![BlockKind::Text(text.into())]);
        }
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
        // Lone CR and U+2029 count as line ends here too.
        let e = decode(b"a\rb\r\r\xE2\x80\xA9cd\xFF", Path::new("t.md"), &mut w).unwrap_err();
        assert_eq!((e.line, e.column), (5, 3));
        assert_eq!(w.len(), 1);
    }
}
