//! Large editions for benchmarks and scale tests, made from a real one.

use super::Edition;

/// Write `edition`'s articles `copies` times back into the source format,
/// each copy with its paragraphs rotated by the copy number so that no two
/// copies set alike. Only the first copy keeps a level-1 headline.
pub fn repeated_edition(edition: &Edition, copies: usize) -> String {
    edition_copies(edition, copies, false)
}

/// Like [`repeated_edition`], but every copy after the first also has the
/// characters of each paragraph rotated (the closing marks stay last), so
/// no paragraph recurs: the same characters and lengths, nothing to share.
pub fn unique_edition(edition: &Edition, copies: usize) -> String {
    edition_copies(edition, copies, true)
}

fn rotated(paragraph: &str, by: usize) -> String {
    let chars: Vec<char> = paragraph.chars().collect();
    // The closing marks stay at the end, so the paragraph still ends a
    // sentence and is not taken for a fragment.
    let tail = chars
        .iter()
        .rev()
        .take_while(|c| !c.is_alphanumeric())
        .count();
    if chars.len() < tail + 3 {
        return paragraph.to_string();
    }
    let (body, last) = chars.split_at(chars.len() - tail);
    // Cut where no space would end up at either end (the parser trims it).
    let n = body.len();
    let k = (0..n)
        .map(|d| (by + d) % n)
        .find(|&k| !body[k].is_whitespace() && !body[(k + n - 1) % n].is_whitespace())
        .unwrap_or(0);
    body[k..].iter().chain(&body[..k]).chain(last).collect()
}

fn edition_copies(edition: &Edition, copies: usize, unique: bool) -> String {
    let mut out = String::new();
    for copy in 0..copies {
        for a in &edition.articles {
            if let Some(k) = &a.kicker {
                out.push_str(&format!("### {k}\n\n"));
            }
            let marks = if a.level <= 1 && copy == 0 { "#" } else { "##" };
            out.push_str(&format!("{marks} {}\n\n", a.headline.join(" ")));
            if let Some(s) = &a.subheadline {
                out.push_str(&format!("### {s}\n\n"));
            }
            let n = a.paragraphs.len();
            for i in 0..n {
                let p = &a.paragraphs[(i + copy) % n];
                if unique && copy > 0 {
                    out.push_str(&rotated(p, copy * 7 + i));
                } else {
                    out.push_str(p);
                }
                out.push_str("\n\n");
            }
            if let Some(c) = &a.credit {
                out.push_str(c);
                out.push_str("\n\n");
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{parse, ParseOptions};

    const SAMPLE: &str = "## 城市书房再添新址\n\n清河晚报讯（记者 李华）第十二家城市书房开门迎客，藏书三千册。\n\n书房每天开放到晚上十点，市民可以凭借阅证免费入内。\n\n（本报记者 李华）\n";

    fn body_chars(e: &Edition) -> usize {
        e.articles
            .iter()
            .flat_map(|a| &a.paragraphs)
            .map(|p| p.chars().count())
            .sum()
    }

    #[test]
    fn repeated_copies_share_paragraphs_and_unique_copies_do_not() {
        let file = std::path::Path::new("sample.md");
        let one = parse(SAMPLE.as_bytes(), file, &ParseOptions::default()).unwrap();
        for (text, shared) in [
            (repeated_edition(&one, 4), true),
            (unique_edition(&one, 4), false),
        ] {
            let many = parse(text.as_bytes(), file, &ParseOptions::default()).unwrap();
            assert_eq!(many.articles.len(), 4);
            assert_eq!(body_chars(&many), 4 * body_chars(&one));
            let paragraphs: Vec<&String> =
                many.articles.iter().flat_map(|a| &a.paragraphs).collect();
            let distinct: std::collections::HashSet<&&String> = paragraphs.iter().collect();
            assert_eq!(distinct.len() < paragraphs.len(), shared, "{paragraphs:?}");
        }
    }
}
