//! Bold (`**…**`) inside a paragraph, and the 导语 it marks.
//!
//! A delimiter is a run of exactly two ASCII asterisks (a lone `*` or a
//! run of three or more is text). As in CommonMark, a `**` can open bold
//! only when a non-space follows it and close bold only when a non-space
//! precedes it, so `a ** b` stays text, and one between two ASCII letters
//! or digits (`2**10`) is text too. Delimiters pair left to right
//! within one paragraph, print fragments rejoined, so a bold sentence cut
//! by a column end in the extraction stays one span.
//!
//! Byte offsets move after the delimiters are found: fragments are joined
//! and folded punctuation is mapped (`**重点**,` → `重点，`). So each
//! delimiter is replaced by a marker character that travels through those
//! steps, and the spans are read off the final text where the markers are
//! removed ([`strip`]). The markers are Unicode noncharacters, which the
//! line cleaner removes from the input, so they cannot be confused with
//! text; the source rules look through them as through other invisible
//! characters (`**好。**` ends a sentence, `**重点**,` maps its comma).
//!
//! A delimiter left without a partner is a warning at its file:line:col
//! and printed as the two asterisks it was: the file still builds, and the
//! page shows what the writer typed.

use std::ops::Range;

use super::ParagraphKind;

/// Marker of a `**` that can only open bold (a space before it).
const OPEN_ONLY: char = '\u{FDD0}';
/// Marker of a `**` that can only close bold (a space after it).
const CLOSE_ONLY: char = '\u{FDD1}';
/// Marker of a `**` between two non-spaces: it opens or closes.
const EITHER: char = '\u{FDD2}';
/// After pairing: the start of a bold span.
const BEGIN: char = '\u{FDD3}';
/// After pairing: the end of a bold span.
const END: char = '\u{FDD4}';

/// The delimiter as typed.
const DELIMITER: &str = "**";

/// Whether `c` is one of this module's markers.
pub(crate) fn is_marker(c: char) -> bool {
    ('\u{FDD0}'..=END).contains(&c)
}

/// Unicode noncharacters (U+FDD0–U+FDEF and the last two code points of
/// every plane): never text, so the line cleaner drops them and the markers
/// are the only ones left.
pub(crate) fn is_noncharacter(c: char) -> bool {
    let u = c as u32;
    (0xFDD0..=0xFDEF).contains(&u) || (u & 0xFFFE) == 0xFFFE
}

/// A 1-based source line and column (in characters) of a delimiter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Spot {
    /// Source line.
    pub line: usize,
    /// Column in characters.
    pub column: usize,
}

/// The byte ranges of the runs of exactly two asterisks in `text`.
fn delimiter_runs(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut runs = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'*' {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && bytes[i] == b'*' {
            i += 1;
        }
        if i - start == DELIMITER.len() {
            runs.push(start..i);
        }
    }
    runs
}

/// Where each run of two asterisks stands in the source lines of a block
/// (`first` is the block's first line number), in order.
pub(crate) fn spots<'a>(lines: impl Iterator<Item = &'a str>, first: usize) -> Vec<Spot> {
    let mut out = Vec::new();
    for (n, line) in lines.enumerate() {
        for run in delimiter_runs(line) {
            out.push(Spot {
                line: first + n,
                column: 1 + line[..run.start].chars().count(),
            });
        }
    }
    out
}

/// The [`Spot`]s of a text block's runs of two asterisks, read off its
/// source lines `first..=last` of the decoded file `source`; none (and no
/// work) when its text has no `**`.
pub(crate) fn block_spots(source: &str, text: &str, first: usize, last: usize) -> Vec<Spot> {
    if !text.contains(DELIMITER) {
        return Vec::new();
    }
    let lines = super::lines::split_lines(source)
        .skip(first - 1)
        .take(last + 1 - first)
        .map(|(l, _)| l);
    spots(lines, first)
}

/// [`mark`] a block's text in place; the spot of each marker (`spots` as
/// [`block_spots`] found them; the block's first line should cleaning have
/// changed the count).
pub(crate) fn mark_block(text: &mut String, spots: &[Spot], line: usize) -> Vec<Spot> {
    let (marked, which) = mark(text);
    *text = marked;
    let at_block = Spot { line, column: 1 };
    which
        .iter()
        .map(|&r| spots.get(r).copied().unwrap_or(at_block))
        .collect()
}

/// [`pair`] a paragraph's markers (`marks` their spots, `line` its first
/// line), with a warning at each `**` left unpaired.
pub(crate) fn pair_or_warn(
    text: &str,
    marks: &[Spot],
    line: usize,
    file: &std::path::Path,
    warnings: &mut Vec<String>,
) -> String {
    let (paired, unpaired) = pair(text);
    for k in unpaired {
        let at = marks.get(k).copied().unwrap_or(Spot { line, column: 1 });
        warnings.push(super::warning_at(
            file,
            at.line,
            at.column,
            "`**` has no partner in its paragraph, so it is printed as two asterisks: \
             bold is `**text**` (no space inside the asterisks); delete it or add the other `**`",
        ));
    }
    paired
}

/// Replace each `**` of a block's (cleaned) text that can open or close
/// bold by a marker; the others stay text. Returns the new text and, for
/// each marker in order, the index of its run among all runs of two
/// asterisks (to find its [`Spot`]).
pub(crate) fn mark(text: &str) -> (String, Vec<usize>) {
    let runs = delimiter_runs(text);
    if runs.is_empty() {
        return (text.to_string(), Vec::new());
    }
    let mut out = String::with_capacity(text.len());
    let mut which = Vec::new();
    let mut from = 0;
    for (r, run) in runs.into_iter().enumerate() {
        let before = text[..run.start].chars().next_back();
        let after = text[run.end..].chars().next();
        // `2**10`, `a**b`: an exponent or code, not bold.
        if before.is_some_and(|c| c.is_ascii_alphanumeric())
            && after.is_some_and(|c| c.is_ascii_alphanumeric())
        {
            continue;
        }
        let opens = after.is_some_and(|c| !c.is_whitespace());
        let closes = before.is_some_and(|c| !c.is_whitespace());
        let marker = match (opens, closes) {
            (true, true) => EITHER,
            (true, false) => OPEN_ONLY,
            (false, true) => CLOSE_ONLY,
            (false, false) => continue,
        };
        out.push_str(&text[from..run.start]);
        out.push(marker);
        which.push(r);
        from = run.end;
    }
    out.push_str(&text[from..]);
    (out, which)
}

/// What pairing made of one marker.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Role {
    Begin,
    End,
    Unpaired,
}

/// Pair markers left to right: each marker's role, in order.
fn roles(markers: impl Iterator<Item = char>) -> Vec<Role> {
    let mut roles = Vec::new();
    // Index in `roles` of the marker holding a span open.
    let mut open: Option<usize> = None;
    for c in markers {
        let k = roles.len();
        match open {
            Some(_) if c != OPEN_ONLY => {
                open = None;
                roles.push(Role::End);
            }
            // `**a **b**`: the first never closes; the second opens.
            Some(first) => {
                roles[first] = Role::Unpaired;
                open = Some(k);
                roles.push(Role::Begin);
            }
            None if c != CLOSE_ONLY => {
                open = Some(k);
                roles.push(Role::Begin);
            }
            None => roles.push(Role::Unpaired),
        }
    }
    if let Some(first) = open {
        roles[first] = Role::Unpaired;
    }
    roles
}

/// Pair the markers of a whole paragraph left to right. Paired ones become
/// span starts and ends, the others the `**` they were. Returns the text
/// and the ordinals (among the paragraph's markers) of those left unpaired.
pub(crate) fn pair(text: &str) -> (String, Vec<usize>) {
    if !text.chars().any(is_marker) {
        return (text.to_string(), Vec::new());
    }
    let roles = roles(text.chars().filter(|&c| is_marker(c)));
    let mut out = String::with_capacity(text.len());
    let mut k = 0;
    for c in text.chars() {
        if !is_marker(c) {
            out.push(c);
            continue;
        }
        match roles[k] {
            Role::Begin => out.push(BEGIN),
            Role::End => out.push(END),
            Role::Unpaired => out.push_str(DELIMITER),
        }
        k += 1;
    }
    let unpaired = (0..roles.len())
        .filter(|&k| roles[k] == Role::Unpaired)
        .collect();
    (out, unpaired)
}

/// Remove the span markers [`pair`] left: the text as printed and the
/// byte ranges of its bold spans, in order.
pub(crate) fn strip(text: &str) -> (String, Vec<Range<usize>>) {
    if !text.chars().any(is_marker) {
        return (text.to_string(), Vec::new());
    }
    let mut out = String::with_capacity(text.len());
    let mut spans = Vec::new();
    let mut start = None;
    for c in text.chars() {
        match c {
            BEGIN => start = Some(out.len()),
            END => {
                if let Some(s) = start.take() {
                    if out.len() > s {
                        spans.push(s..out.len());
                    }
                }
            }
            c if is_marker(c) => {}
            c => out.push(c),
        }
    }
    (out, spans)
}

/// What each paragraph is: the first is the 导语 when it is bold from its
/// first character to its last and other paragraphs follow it (a story of
/// one bold paragraph is a bold paragraph). The 导语's `**` only said so:
/// its spans are dropped, it is set in its own style.
pub(crate) fn kinds(
    mut kinds: Vec<ParagraphKind>,
    paragraphs: &[String],
    bold: &mut [Vec<Range<usize>>],
) -> Vec<ParagraphKind> {
    let whole = |p: usize| matches!(bold.get(p).map(Vec::as_slice), Some([r]) if *r == (0..paragraphs[p].len()));
    if paragraphs.len() >= 2 && kinds.first() == Some(&ParagraphKind::Body) && whole(0) {
        kinds[0] = ParagraphKind::Lead;
        bold[0].clear();
    }
    kinds
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The whole pipeline on one paragraph: text, spans, unpaired ordinals.
    fn bold(s: &str) -> (String, Vec<Range<usize>>, Vec<usize>) {
        let (marked, _) = mark(s);
        let (paired, unpaired) = pair(&marked);
        let (text, spans) = strip(&paired);
        (text, spans, unpaired)
    }

    fn spans_text(s: &str) -> (String, Vec<String>, Vec<usize>) {
        let (text, spans, unpaired) = bold(s);
        let words = spans.iter().map(|r| text[r.clone()].to_string()).collect();
        (text, words, unpaired)
    }

    #[test]
    fn pairs_become_spans_without_asterisks() {
        let (text, words, unpaired) = spans_text("正文**重点**正文，**再一处**。");
        assert_eq!(text, "正文重点正文，再一处。");
        assert_eq!(words, ["重点", "再一处"]);
        assert!(unpaired.is_empty());
        let (text, spans, _) = bold("**全段加粗。**");
        assert_eq!(
            (text.as_str(), spans),
            ("全段加粗。", vec![Range { start: 0, end: 15 }])
        );
    }

    #[test]
    fn spaced_and_long_runs_are_text() {
        for s in ["a ** b", "2***3", "*强调*", "****", "** **", "2**10"] {
            let (text, spans, unpaired) = bold(s);
            assert_eq!(text, s);
            assert!(spans.is_empty() && unpaired.is_empty(), "{s}");
        }
    }

    #[test]
    fn unpaired_delimiters_are_printed_and_named() {
        let (text, spans, unpaired) = bold("开头**没有结尾");
        assert_eq!(
            (text.as_str(), spans.len(), unpaired),
            ("开头**没有结尾", 0, vec![0])
        );
        // `**a **b**`: the first never closes, the second opens and closes.
        let (text, words, unpaired) = spans_text("**甲 **乙**");
        assert_eq!(
            (text.as_str(), words, unpaired),
            ("**甲 乙", vec!["乙".to_string()], vec![0])
        );
        let (text, _, unpaired) = bold("甲** 乙");
        assert_eq!((text.as_str(), unpaired), ("甲** 乙", vec![0]));
        let (text, words, unpaired) = spans_text("**一**二**");
        assert_eq!(
            (text.as_str(), words, unpaired),
            ("一二**", vec!["一".to_string()], vec![2])
        );
    }

    #[test]
    fn a_wholly_bold_first_paragraph_is_the_lead() {
        let paragraphs = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let p = paragraphs(&["导语。", "正文。"]);
        let mut b = vec![vec![0..9], vec![]];
        assert_eq!(
            kinds(vec![ParagraphKind::Body; 2], &p, &mut b),
            [ParagraphKind::Lead, ParagraphKind::Body]
        );
        assert!(b[0].is_empty());
        // Bold in part, or a story of one paragraph: body.
        let mut b = vec![vec![0..6], vec![]];
        assert_eq!(
            kinds(vec![ParagraphKind::Body; 2], &p, &mut b)[0],
            ParagraphKind::Body
        );
        let mut b = vec![vec![0..9]];
        assert_eq!(
            kinds(vec![ParagraphKind::Body], &p[..1], &mut b),
            [ParagraphKind::Body]
        );
        assert_eq!(b[0], [Range { start: 0, end: 9 }]);
        // Only the first paragraph can be the lead.
        let mut b = vec![vec![], vec![0..9]];
        assert_eq!(
            kinds(vec![ParagraphKind::Body; 2], &p, &mut b)[1],
            ParagraphKind::Body
        );
        // A pull quote wholly in bold stays a pull quote.
        let mut b = vec![vec![0..9], vec![]];
        let quote = vec![ParagraphKind::PullQuote, ParagraphKind::Body];
        assert_eq!(kinds(quote.clone(), &p, &mut b), quote);
    }

    #[test]
    fn spots_count_columns_in_characters() {
        let s = spots(["第一行**重点", "a ** b **完**"].into_iter(), 5);
        assert_eq!(
            s,
            [
                Spot { line: 5, column: 4 },
                Spot { line: 6, column: 3 },
                Spot { line: 6, column: 8 },
                Spot {
                    line: 6,
                    column: 11
                },
            ]
        );
        assert!(is_noncharacter('\u{FDD0}') && is_noncharacter('\u{FFFF}'));
        assert!(!is_noncharacter('中') && !is_noncharacter('\u{E000}'));
    }
}
