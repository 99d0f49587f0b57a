//! Markdown habits the article format does not have: a `#` glued to its
//! headline (`##标题`), a full-width `＃`, `**bold**` on a heading line
//! (bold is for body paragraphs) and `![alt](x.jpg)` inside a paragraph.
//! (A `> ` line is a 引语, a pull quote: see `lines::quote_line`.)
//!
//! Each is read as ordinary text, so without a word the first two silently
//! merge a story into the one before it and the others print their markup
//! on the page. They are reported as warnings at file:line:col with the fix
//! (the file still builds) until the format gives them a meaning. Checks
//! run on the raw source line, so columns are those an editor shows.

use std::path::Path;

use super::warning_at;

/// Quote at most this many characters of the offending text.
const QUOTE_CHARS: usize = 40;

fn quote(text: &str) -> String {
    let mut out: String = text.chars().take(QUOTE_CHARS).collect();
    if text.chars().nth(QUOTE_CHARS).is_some() {
        out.push('…');
    }
    out
}

/// The 1-based column of byte offset `at` in `line`.
fn column(line: &str, at: usize) -> usize {
    1 + line[..at].chars().count()
}

/// Warn about every Markdown habit on one raw source line.
pub(crate) fn check(raw: &str, number: usize, file: &Path, warnings: &mut Vec<String>) {
    let start = raw.len() - raw.trim_start().len();
    let rest = &raw[start..];
    let col = column(raw, start);
    let mut warn = |column: usize, message: String| {
        warnings.push(warning_at(file, number, column, message));
    };

    if let Some(message) = heading_habit(rest) {
        warn(col, message);
    }

    // `**bold**` on a heading line: bold is for body paragraphs
    // (`emphasis`); a headline has its own style.
    if rest.starts_with(['#', '＃']) {
        if let Some(open) = raw.find("**") {
            if let Some(close) = raw[open + 2..].find("**") {
                let inner = &raw[open + 2..open + 2 + close];
                if !inner.trim().is_empty() {
                    warn(
                        column(raw, open),
                        format!(
                            "`**{}**` on a heading line: bold is for body paragraphs, a headline is \
                             set in its own style; the asterisks would be printed, delete them",
                            quote(inner)
                        ),
                    );
                }
            }
        }
    }

    // `![alt](target)` inside a paragraph; one opening a line is a
    // picture (`picture`).
    let mut from = if rest.starts_with("![") { raw.len() } else { 0 };
    while let Some(i) = raw[from..].find("![") {
        let open = from + i;
        let Some(mid) = raw[open + 2..].find("](").map(|m| open + 2 + m) else {
            break;
        };
        let Some(close) = raw[mid + 2..].find(')').map(|c| mid + 2 + c) else {
            break;
        };
        warn(
            column(raw, open),
            format!(
                "`{}` is a Markdown image inside a paragraph, which the article format does not have: \
                 the text would be printed as it is; put the picture on a line of its own",
                quote(&raw[open..=close])
            ),
        );
        from = close + 1;
    }
}

/// A line that looks like a headline but is not one: `##标题` (no space),
/// `#　标题` (an ideographic space), `＃＃ 标题` (full-width).
fn heading_habit(line: &str) -> Option<String> {
    let marks = line.chars().take_while(|&c| c == '#' || c == '＃').count();
    if !(1..=3).contains(&marks) {
        return None;
    }
    let mark_bytes: usize = line.chars().take(marks).map(char::len_utf8).sum();
    let after = &line[mark_bytes..];
    let full_width = line[..mark_bytes].contains('＃');
    // `#` then an ASCII space or tab is a real heading.
    if !full_width && (after.is_empty() || after.starts_with([' ', '\t'])) {
        return None;
    }
    let text = after.trim();
    // `#话题#` is a hashtag, and a lone mark is no headline.
    if text.is_empty() || text.contains(['#', '＃']) {
        return None;
    }
    let fixed = format!("{} {}", "#".repeat(marks), quote(text));
    let what = if full_width {
        "uses the full-width `＃`"
    } else {
        "has no ASCII space after the `#`"
    };
    Some(format!(
        "`{}` looks like a headline but {what}, so it is read as body text: write `{fixed}`",
        quote(line.trim_end()),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn warnings(line: &str) -> Vec<String> {
        let mut w = Vec::new();
        check(line, 7, Path::new("t.md"), &mut w);
        w
    }

    #[test]
    fn glued_and_full_width_headings() {
        let w = warnings("##标题");
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(w[0].starts_with("t.md:7:1: `##标题` looks like a headline"));
        assert!(w[0].ends_with("write `## 标题`"), "{}", w[0]);
        let w = warnings("  ＃＃ 标题");
        assert!(w[0].starts_with("t.md:7:3: ") && w[0].contains("full-width"));
        assert!(w[0].ends_with("write `## 标题`"), "{}", w[0]);
        assert_eq!(warnings("#\u{3000}标题").len(), 1);
        for quiet in [
            "# 标题",
            "##\t标题",
            "#话题#正文",
            "#",
            "＃",
            "#### 四级",
            "正文#1",
        ] {
            assert!(warnings(quiet).is_empty(), "{quiet}");
        }
    }

    #[test]
    fn bold_image_and_quote() {
        // Bold is the format's own in a paragraph, a habit on a heading.
        assert!(warnings("正文**重点**正文").is_empty());
        let w = warnings("## 标题**重点**");
        assert_eq!(w.len(), 1);
        assert!(w[0].starts_with("t.md:7:6: `**重点**` on a heading line"));
        let w = warnings("见图![现场](a.jpg)。");
        assert_eq!(w.len(), 1);
        assert!(w[0].starts_with("t.md:7:3: `![现场](a.jpg)` is a Markdown image"));
        // A quote line is a pull quote now, not a habit.
        assert!(warnings("> 引用的话").is_empty());
        assert!(warnings(">引用").is_empty());
        for quiet in [
            "2**10",
            "a ** b",
            "!现场",
            ">5",
            ">= 3",
            "“>”",
            "  ![图](a.jpg)",
        ] {
            assert!(warnings(quiet).is_empty(), "{quiet}");
        }
    }
}
