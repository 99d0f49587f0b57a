//! The article parser on arbitrary bytes: never a panic; an error names a
//! line of the file; an accepted file loses no character (every visible
//! character other than `#` markup comes out once, in order).
#![no_main]

use std::path::Path;

use broadsheet::source::{self, ParseOptions};
use libfuzzer_sys::fuzz_target;

/// Visible characters, folded punctuation compared by its ASCII form.
fn normalise(s: &str) -> Vec<char> {
    s.chars()
        .filter(|c| !c.is_whitespace() && !c.is_control() && *c != '\u{FEFF}')
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
                let file = normalise(text);
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
                // … and all of it but the `#` markup.
                let count = |v: &[char]| v.iter().filter(|&&c| c != '#').count();
                assert_eq!(count(&got), count(&file), "characters lost");
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
