//! Folded punctuation: text extracted from print (or typed on a Western
//! keyboard) carries ASCII `,:;()!?` where the paper printed `，：；（）！？`.
//!
//! The decision is local: a mark is mapped back to full width when a
//! neighbour is CJK, so ASCII inside Latin words and numbers (`3,000`,
//! `7:30`, `www.a.cn`, `PM2.5`) stays as it is. Brackets are decided per
//! pair, so `(PM2.5)` after a Han character becomes `（PM2.5）` and never a
//! mixed `（PM2.5)`.

use std::collections::HashMap;

use super::chars::{is_cjk_in_prose, is_curly_quote, is_invisible};

/// The full-width form of a foldable ASCII mark.
fn full_width(c: char) -> Option<char> {
    Some(match c {
        ',' => '，',
        ':' => '：',
        ';' => '；',
        '!' => '！',
        '?' => '？',
        '(' => '（',
        ')' => '）',
        _ => return None,
    })
}

/// How many curly quotes to look through for the real neighbour; bounded so
/// that a run of quotes cannot make the pass quadratic.
const QUOTE_LOOKAROUND: usize = 4;

/// The nearest neighbour of `chars[i]` in one direction, looking through
/// curly quotes and invisible format characters: in `“温度”,` the comma's
/// neighbour that matters is `度`.
fn neighbour(chars: &[char], i: usize, forward: bool) -> Option<char> {
    let mut j = i;
    for _ in 0..=QUOTE_LOOKAROUND {
        if forward {
            j += 1;
            if j >= chars.len() {
                return None;
            }
        } else {
            if j == 0 {
                return None;
            }
            j -= 1;
        }
        let c = chars[j];
        if !is_curly_quote(c) && !is_invisible(c) {
            return Some(c);
        }
    }
    None
}

fn beside_cjk(chars: &[char], i: usize) -> bool {
    neighbour(chars, i, false).is_some_and(is_cjk_in_prose)
        || neighbour(chars, i, true).is_some_and(is_cjk_in_prose)
}

/// Map ASCII punctuation next to CJK text to full width.
pub(crate) fn fold(text: &str) -> String {
    if !text
        .bytes()
        .any(|b| matches!(b, b',' | b':' | b';' | b'!' | b'?' | b'(' | b')'))
    {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();

    // Pair brackets first (full-width ones take part, so `（记者 李婷)` pairs
    // too); a pair is full width when either bracket touches CJK.
    let mut pair_full: HashMap<usize, bool> = HashMap::new();
    let mut open: Vec<usize> = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '(' | '（' => open.push(i),
            ')' | '）' => {
                if let Some(o) = open.pop() {
                    if chars[o] == '(' || c == ')' {
                        let full = chars[o] == '（'
                            || c == '）'
                            || beside_cjk(&chars, o)
                            || beside_cjk(&chars, i);
                        pair_full.insert(o, full);
                        pair_full.insert(i, full);
                    }
                }
            }
            _ => {}
        }
    }

    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for (i, &c) in chars.iter().enumerate() {
        match full_width(c) {
            Some(fw) => {
                let full = match pair_full.get(&i) {
                    Some(&f) => f,
                    None => beside_cjk(&chars, i),
                };
                out.push(if full { fw } else { c });
            }
            None => out.push(c),
        }
    }
    out
}

/// Full-width punctuation: its glyph already carries the space around it.
fn is_fullwidth_punct(c: char) -> bool {
    matches!(c,
        '\u{3001}'..='\u{3003}' | '\u{3008}'..='\u{3011}' | '\u{3014}'..='\u{301F}'
        | '\u{FF01}'..='\u{FF0F}' | '\u{FF1A}'..='\u{FF20}' | '\u{FF3B}'..='\u{FF40}'
        | '\u{FF5B}'..='\u{FF65}'
    )
}

/// Drop ASCII spaces beside full-width punctuation (`近日， 会议` from a
/// tab or a stray keystroke): a Chinese comma or bracket has its own white
/// space, an extra one would print as a visible hole. Spaces between
/// words and names (`（记者 李婷）`, a slogan's two halves) are kept.
pub(crate) fn tidy_spaces(text: &str) -> String {
    if !text.contains(' ') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == ' ' {
            let before = out.chars().next_back().is_some_and(is_fullwidth_punct);
            let after = chars.peek().copied().is_some_and(is_fullwidth_punct);
            if before || after {
                continue;
            }
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{fold, tidy_spaces};

    #[test]
    fn spaces_beside_fullwidth_punctuation() {
        assert_eq!(tidy_spaces("近日， 会议召开 。"), "近日，会议召开。");
        assert_eq!(
            tidy_spaces("运城晚报讯 （记者 李婷） 近日"),
            "运城晚报讯（记者 李婷）近日"
        );
        assert_eq!(tidy_spaces("进社区 融入群众"), "进社区 融入群众");
        assert_eq!(tidy_spaces("PM2.5 is high, ok"), "PM2.5 is high, ok");
    }

    #[test]
    fn maps_next_to_cjk() {
        assert_eq!(fold("近日,市妇联召开"), "近日，市妇联召开");
        assert_eq!(fold("临猗住建局:助力"), "临猗住建局：助力");
        assert_eq!(fold("全面发展;宣传"), "全面发展；宣传");
        assert_eq!(fold("好!真的?"), "好！真的？");
        assert_eq!(fold("有“温度”,暖心"), "有“温度”，暖心");
        assert_eq!(fold("说:“‘住建"), "说：“‘住建");
        assert_eq!(fold("近日\u{200B},会议"), "近日\u{200B}，会议");
        assert_eq!(fold("a\u{2060}:b"), "a\u{2060}:b");
    }

    #[test]
    fn keeps_latin_and_numbers() {
        for s in [
            "3,000",
            "7:30",
            "www.a.cn",
            "PM2.5",
            "Hello, world!",
            "a (b) c",
            "http://a.cn/?q=1;2",
        ] {
            assert_eq!(fold(s), s);
        }
        assert_eq!(fold("诉求3,000余次"), "诉求3,000余次");
        assert_eq!(fold("时间:7:30开始"), "时间：7:30开始");
        assert_eq!(fold("网址:http://a.cn"), "网址：http://a.cn");
    }

    #[test]
    fn brackets_by_pair() {
        assert_eq!(
            fold("运城晚报讯(记者 李婷)近日"),
            "运城晚报讯（记者 李婷）近日"
        );
        assert_eq!(fold("浓度(PM2.5)超标"), "浓度（PM2.5）超标");
        assert_eq!(fold("(1)加强管理"), "（1）加强管理");
        assert_eq!(fold("建设北路(菜市场)等地"), "建设北路（菜市场）等地");
        assert_eq!(fold("（记者 李婷)近日"), "（记者 李婷）近日");
        assert_eq!(fold("Windows (64-bit) 版"), "Windows (64-bit) 版");
        assert_eq!(fold("a(中(b)c)d"), "a（中（b）c）d");
        // Unpaired brackets are decided alone; nothing panics.
        assert_eq!(fold("中(("), "中（(");
        assert_eq!(fold("))中"), ")）中");
    }

    #[test]
    fn nothing_to_do() {
        assert_eq!(fold(""), "");
        assert_eq!(fold("纯中文。"), "纯中文。");
        assert_eq!(fold(",,,"), ",,,");
    }
}
