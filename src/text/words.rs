//! Chinese word segmentation for breaking display lines by meaning.
//!
//! The dictionary is jieba's (`dict.txt`, MIT: `LICENSE-jieba-MIT.txt` beside
//! this file; 349 046 words with their
//! frequencies) compiled into a finite-state transducer, `words.fst`
//! (3.2 MB), which is included in the binary and opened in O(1): no
//! parsing or trie building at run time, so a build that never breaks a
//! headline pays nothing and one that does pays a few microseconds per
//! headline. The empty key holds the sum of all frequencies.
//!
//! [`segment`] is jieba's `cut(text, HMM=False)`: the text is split into
//! runs of Han, ASCII letters, digits and `+#&._%-`; every other character
//! is a word of its own; inside a run each character starts the
//! dictionary words that begin there (a DAG), the route of maximal
//! probability (`ln freq − ln total` summed, a character outside the
//! dictionary counting as frequency 1, ties to the longer word) picks the
//! words, and single ASCII letters or digits in a row are joined into one
//! word. Matching jieba exactly matters because the make-up metrics
//! (`page_metrics.py`) judge headline breaks with it.
//!
//! Regenerate the dictionary with `JIEBA_DICT=/path/to/dict.txt cargo test
//! --release --lib regenerate_word_dictionary -- --ignored`.

use std::ops::Range;
use std::sync::OnceLock;

use fst::raw::{Fst, Output};

/// The compiled dictionary: word → frequency, `""` → total frequency.
static WORDS_FST: &[u8] = include_bytes!("words.fst");

/// The dictionary, opened once (reading its header; nothing is parsed).
fn dictionary() -> &'static Dictionary {
    static DICT: OnceLock<Dictionary> = OnceLock::new();
    DICT.get_or_init(|| {
        let fst = Fst::new(WORDS_FST).expect("the bundled word dictionary is a valid fst");
        let total = fst.get(b"").map_or(1, |o| o.value()).max(1);
        Dictionary {
            fst,
            ln_total: (total as f64).ln(),
        }
    })
}

/// The transducer and the logarithm of its total frequency.
struct Dictionary {
    fst: Fst<&'static [u8]>,
    ln_total: f64,
}

impl Dictionary {
    /// Every dictionary word starting at byte `start` of `run` (within the
    /// run), as (end byte, ln frequency).
    fn words_at(&self, run: &str, start: usize, out: &mut Vec<(usize, f64)>) {
        out.clear();
        let fst = &self.fst;
        let mut node = fst.root();
        let mut acc = Output::zero();
        let rest = &run[start..];
        for (k, ch) in rest.char_indices() {
            let mut buf = [0u8; 4];
            for &b in ch.encode_utf8(&mut buf).as_bytes() {
                match node.find_input(b) {
                    Some(t) => {
                        let tr = node.transition(t);
                        acc = acc.cat(tr.out);
                        node = fst.node(tr.addr);
                    }
                    None => return,
                }
            }
            if node.is_final() {
                let freq = acc.cat(node.final_output()).value();
                if freq > 0 {
                    out.push((start + k + ch.len_utf8(), (freq as f64).ln()));
                }
            }
        }
    }
}

/// Whether jieba keeps `ch` in a run that is segmented by the dictionary
/// (`re_han_default`: U+4E00–U+9FD5, ASCII letters and digits, `+#&._%-`).
fn in_run(ch: char) -> bool {
    ('\u{4E00}'..='\u{9FD5}').contains(&ch)
        || ch.is_ascii_alphanumeric()
        || matches!(ch, '+' | '#' | '&' | '.' | '_' | '%' | '-')
}

/// The words of `text` as byte ranges, in order, covering it.
pub fn segment(text: &str) -> Vec<Range<usize>> {
    let mut words = Vec::new();
    let mut run_start = None;
    for (at, ch) in text.char_indices() {
        if in_run(ch) {
            run_start.get_or_insert(at);
            continue;
        }
        if let Some(s) = run_start.take() {
            segment_run(text, s..at, &mut words);
        }
        words.push(at..at + ch.len_utf8());
    }
    if let Some(s) = run_start {
        segment_run(text, s..text.len(), &mut words);
    }
    words
}

/// The byte offsets strictly inside `text` where one word ends and the
/// next begins.
pub fn word_boundaries(text: &str) -> Vec<usize> {
    segment(text)
        .into_iter()
        .map(|w| w.end)
        .filter(|&e| e < text.len())
        .collect()
}

/// Characters on each side of a break that [`splits_word`] segments.
const BREAK_WINDOW_CHARS: usize = 6;

/// Whether a line break between `before` and `after` splits a word: two
/// letters, digits or a number's `.`/`%` on both sides, or a word of two
/// or more characters with Han in it across the break when the six
/// characters on each side are segmented. This is `mid_word` of the
/// make-up metrics (`page_metrics.py`), which judge headlines by it.
pub fn splits_word(before: &str, after: &str) -> bool {
    let tight = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '%');
    match (before.chars().next_back(), after.chars().next()) {
        (Some(a), Some(b)) if tight(a) && tight(b) => return true,
        (Some(_), Some(_)) => {}
        _ => return false,
    }
    let head_start = before
        .char_indices()
        .rev()
        .nth(BREAK_WINDOW_CHARS - 1)
        .map_or(0, |(k, _)| k);
    let head = &before[head_start..];
    let tail_end = after
        .char_indices()
        .nth(BREAK_WINDOW_CHARS)
        .map_or(after.len(), |(k, _)| k);
    let joined = format!("{head}{}", &after[..tail_end]);
    let cut = head.len();
    segment(&joined).into_iter().any(|w| {
        w.start < cut
            && cut < w.end
            && joined[w.clone()].chars().count() >= 2
            && joined[w]
                .chars()
                .any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c))
    })
}

/// Segment one run by the route of maximal probability.
fn segment_run(text: &str, range: Range<usize>, words: &mut Vec<Range<usize>>) {
    let dict = dictionary();
    let run = &text[range.clone()];
    let starts: Vec<usize> = run.char_indices().map(|(k, _)| k).collect();
    let n = starts.len();
    // route[c]: best (log probability, end byte) from character c on.
    let mut score = vec![0.0f64; n + 1];
    let mut end = vec![run.len(); n + 1];
    let mut found = Vec::new();
    let char_at = |byte: usize| starts.partition_point(|&s| s < byte);
    for c in (0..n).rev() {
        dict.words_at(run, starts[c], &mut found);
        let single = starts.get(c + 1).copied().unwrap_or(run.len());
        if found.is_empty() {
            // Not in the dictionary: the character alone, frequency 1.
            found.push((single, 0.0));
        }
        let mut best: Option<(f64, usize)> = None;
        for &(e, ln_freq) in &found {
            let s = ln_freq - dict.ln_total + score[char_at(e)];
            // jieba takes max((score, end)): ties go to the longer word.
            if best.is_none_or(|(bs, be)| s > bs || (s == bs && e > be)) {
                best = Some((s, e));
            }
        }
        let (s, e) = best.expect("a character always makes a word");
        score[c] = s;
        end[c] = e;
    }
    // Read the route; single ASCII letters or digits in a row are one word.
    let mut c = 0;
    let mut ascii: Option<usize> = None;
    while c < n {
        let (s, e) = (starts[c], end[c]);
        let word = &run[s..e];
        let lone_ascii = word.len() == 1 && word.as_bytes()[0].is_ascii_alphanumeric();
        if lone_ascii {
            ascii.get_or_insert(s);
        } else {
            if let Some(a) = ascii.take() {
                words.push(range.start + a..range.start + s);
            }
            words.push(range.start + s..range.start + e);
        }
        c = char_at(e);
    }
    if let Some(a) = ascii {
        words.push(range.start + a..range.end);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cut(text: &str) -> Vec<&str> {
        segment(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn segments_as_jieba_does_without_hmm() {
        // Expected values from Python jieba 0.42, `jieba.cut(s, HMM=False)`.
        assert_eq!(
            cut("我国科研人员发现一颗新的近地小行星"),
            [
                "我国",
                "科研人员",
                "发现",
                "一颗",
                "新",
                "的",
                "近地",
                "小行星"
            ]
        );
        assert_eq!(
            cut("我市召开灵宝至永济高速公路项目对接洽谈会"),
            [
                "我市",
                "召开",
                "灵宝",
                "至",
                "永济",
                "高速公路",
                "项目",
                "对接",
                "洽谈会"
            ]
        );
        assert_eq!(
            cut("第十二届菊花文化节在滨河公园开幕"),
            ["第十二届", "菊花", "文化节", "在", "滨河公园", "开幕"]
        );
        assert_eq!(
            cut("PM2.5浓度，2025年"),
            ["PM2", ".", "5", "浓度", "，", "2025", "年"]
        );
    }

    #[test]
    fn a_break_splits_a_word_as_the_metrics_judge_it() {
        assert!(splits_word("我国科研人员发现一", "颗新的近地小行星"));
        assert!(splits_word("我市召开灵宝至永济高", "速公路"));
        assert!(!splits_word("我国科研人员发现", "一颗新的近地小行星"));
        assert!(splits_word("增长12.", "5%"));
        assert!(!splits_word("我市启动", "“城市书房”"));
    }

    #[test]
    fn boundaries_fall_between_words_only() {
        let t = "发现一颗";
        assert_eq!(word_boundaries(t), [6]);
        assert!(word_boundaries("").is_empty());
    }

    #[test]
    #[ignore = "regenerates src/text/words.fst from JIEBA_DICT"]
    fn regenerate_word_dictionary() {
        let path = std::env::var("JIEBA_DICT").expect("set JIEBA_DICT to jieba's dict.txt");
        let text = std::fs::read_to_string(path).expect("jieba's dict.txt reads");
        let mut words = std::collections::BTreeMap::new();
        let mut total = 0u64;
        for line in text.lines() {
            let mut fields = line.split(' ');
            let word = fields.next().expect("a word");
            let freq: u64 = fields
                .next()
                .and_then(|f| f.parse().ok())
                .expect("a frequency");
            total += freq;
            // A repeated word keeps its last frequency, as jieba does.
            words.insert(word.to_string(), freq);
        }
        words.insert(String::new(), total);
        let mut b = fst::MapBuilder::memory();
        for (k, v) in &words {
            b.insert(k, *v).expect("sorted keys");
        }
        let bytes = b.into_inner().expect("fst written");
        let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/text/words.fst");
        std::fs::write(out, bytes).expect("words.fst written");
    }
}
