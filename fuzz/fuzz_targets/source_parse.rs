//! The article parser on arbitrary bytes: never a panic; an error names a
//! line of the file; an accepted file loses no character (every visible
//! character other than markup comes out once, in order). Markup is `#`
//! (headings, 小标题), `*` (`**` bold), `>` (引语), whole front lines
//! (`{ rubric = … }`) and whole picture lines (`![说明](photo.jpg)`), whose
//! text lives in the article's front and pictures, not its text.
#![no_main]

use std::path::Path;

use broadsheet::source::{self, ParseOptions};
use libfuzzer_sys::fuzz_target;

/// Markup characters, left out on both sides of the comparison.
fn is_markup(c: char) -> bool {
    matches!(c, '#' | '*' | '>')
}

/// Unicode noncharacters: never text, the parser drops them.
fn is_noncharacter(c: char) -> bool {
    let u = c as u32;
    (0xFDD0..=0xFDEF).contains(&u) || (u & 0xFFFE) == 0xFFFE
}

/// Visible characters, folded punctuation compared by its ASCII form.
fn normalise(s: &str) -> Vec<char> {
    s.chars()
        .filter(|&c| {
            !c.is_whitespace()
                && !c.is_control()
                && c != '\u{FEFF}'
                && !is_markup(c)
                && !is_noncharacter(c)
        })
        .map(|c| match c {
            '，' => ',',
            '：' => ':',
            '；' => ';',
            '！' => '!',
            '？' => '?',
            '（' => '(',
            '）' => ')',
            c => c,
        })
        .collect()
}

/// Lines as the parser counts them (docs/source-format.md, "Lines"): LF,
/// CRLF, a lone CR, U+2028 and U+2029 each end one.
fn line_count(data: &[u8]) -> usize {
    let mut lines = 1;
    let mut i = 0;
    while i < data.len() {
        match data[i] {
            b'\n' => lines += 1,
            b'\r' => {
                lines += 1;
                if data.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
            }
            0xE2 if data.get(i + 1) == Some(&0x80)
                && matches!(data.get(i + 2), Some(0xA8 | 0xA9)) =>
            {
                lines += 1;
                i += 2;
            }
            _ => {}
        }
        i += 1;
    }
    lines
}

fuzz_target!(|data: &[u8]| {
    let lines = line_count(data);
    for full in [true, false] {
        let options = ParseOptions {
            fullwidth_punctuation: full,
            ..ParseOptions::default()
        };
        match source::parse(data, Path::new("fuzz.md"), &options) {
            Ok(edition) => {
                let text = std::str::from_utf8(data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data))
                    .expect("accepted invalid UTF-8");
                // Front and picture lines carry no article text.
                let kept: String = text
                    .split(['\n', '\r', '\u{2028}', '\u{2029}'])
                    .filter(|line| {
                        // As the parser's line cleaner leaves it.
                        let cleaned: String = line
                            .chars()
                            .filter(|&c| !c.is_control() && c != '\u{FEFF}' && !is_noncharacter(c))
                            .collect();
                        let t = cleaned.trim();
                        !(t.starts_with('{') && t.ends_with('}')) && !t.starts_with("![")
                    })
                    .collect::<Vec<_>>()
                    .join("\n");
                let file = normalise(&kept);
                let mut got = Vec::new();
                for a in &edition.articles {
                    assert!(!a.headline.is_empty() && !a.paragraphs.is_empty());
                    if let (Some(d), Some(r)) = (&a.dateline, &a.dateline_range) {
                        assert_eq!(a.paragraphs[a.dateline_paragraph()].get(r.clone()), Some(d.as_str()));
                    }
                    for part in a
                        .kicker
                        .iter()
                        .chain(&a.headline)
                        .chain(&a.subheadline)
                        .chain(&a.byline)
                        .chain(&a.paragraphs)
                        .chain(&a.credit)
                    {
                        got.extend(normalise(part));
                    }
                }
                // In order …
                let mut rest = file.iter();
                for c in &got {
                    assert!(rest.any(|f| f == c), "{c:?} not found in order");
                }
                // … and all of it.
                assert_eq!(got.len(), file.len(), "characters lost");
            }
            Err(e) => {
                assert!(
                    e.line >= 1 && e.line <= lines,
                    "error at line {} of {lines}: {e}",
                    e.line
                );
                assert!(e.column >= 1, "{e}");
            }
        }
    }
});
