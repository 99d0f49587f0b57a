//! Dateline (电头) detection at the start of an article's first paragraph:
//! `运城晚报讯（记者 李婷）`, `本报讯`, `新华社北京7月21日电`,
//! `中新社电（记者 张三）`, `央广网北京7月21日消息`.
//!
//! `讯` and `电` are ordinary characters too (`通讯技术…`, `国家电网…`), so
//! a candidate is only taken when its prefix names a publisher or a date
//! (ends in 报/网/社/台/刊/端/日) or a bracket with a reporter role follows.

use super::chars::is_han;

/// The longest prefix before `讯`/`电` we consider: `新华社乌鲁木齐12月31日` fits.
const MAX_PREFIX_CHARS: usize = 24;
/// The longest bracket content: several reporters and correspondents.
const MAX_BRACKET_CHARS: usize = 48;

const TERMINATORS: [&str; 3] = ["讯", "电", "消息"];
const PUBLISHER_ENDS: [char; 7] = ['报', '网', '社', '台', '刊', '端', '日'];
const ROLES: [&str; 6] = ["记者", "通讯员", "实习生", "见习", "特约", "摄影"];

fn prefix_char(c: char) -> bool {
    is_han(c) || c.is_ascii_alphanumeric() || ('０'..='９').contains(&c)
}

/// The byte length of the dateline at the start of `p`, if there is one.
pub(crate) fn find(p: &str) -> Option<usize> {
    for (count, (i, c)) in p.char_indices().enumerate() {
        if count > MAX_PREFIX_CHARS || !prefix_char(c) {
            return None;
        }
        if count >= 2 {
            let prefix = &p[..i];
            for term in TERMINATORS {
                if let Some(rest) = p[i..].strip_prefix(term) {
                    let after = i + term.len();
                    let bracket = bracket_at(rest);
                    let publisher = prefix
                        .chars()
                        .next_back()
                        .is_some_and(|l| PUBLISHER_ENDS.contains(&l));
                    let reporter = bracket
                        .is_some_and(|(_, content)| ROLES.iter().any(|r| content.contains(r)));
                    if publisher || reporter {
                        return Some(after + bracket.map_or(0, |(len, _)| len));
                    }
                }
            }
        }
    }
    None
}

/// A bracket group right after the terminator (one optional space allowed):
/// its byte length and its content.
fn bracket_at(rest: &str) -> Option<(usize, &str)> {
    let lead = if rest.starts_with(' ') { 1 } else { 0 };
    let body = &rest[lead..];
    if !body.starts_with(['（', '(']) {
        return None;
    }
    let open_len = body.chars().next()?.len_utf8();
    for (n, (j, c)) in body[open_len..].char_indices().enumerate() {
        if n > MAX_BRACKET_CHARS {
            return None;
        }
        // Either closing form: with the mapping off, an extracted file may
        // mix them (`（记者 李婷)`).
        if c == '）' || c == ')' {
            let content = &body[open_len..open_len + j];
            if content.trim().is_empty() {
                return None;
            }
            return Some((lead + open_len + j + c.len_utf8(), content));
        }
        // A sentence inside is not a byline.
        if matches!(
            c,
            '（' | '(' | '。' | '，' | ',' | '！' | '？' | '!' | '?' | '；' | ';'
        ) {
            return None;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::find;

    fn dateline(p: &str) -> Option<&str> {
        find(p).map(|n| &p[..n])
    }

    #[test]
    fn finds_datelines() {
        assert_eq!(
            dateline("运城晚报讯（记者 李婷）近日，市妇联"),
            Some("运城晚报讯（记者 李婷）")
        );
        assert_eq!(
            dateline("运城晚报讯(记者 祁克宁 通讯员 薛焜)7月21日下午"),
            Some("运城晚报讯(记者 祁克宁 通讯员 薛焜)")
        );
        assert_eq!(dateline("本报讯 近日，"), Some("本报讯"));
        assert_eq!(
            dateline("本报讯（记者 张三、李四）昨天"),
            Some("本报讯（记者 张三、李四）")
        );
        assert_eq!(
            dateline("新华社北京7月21日电 记者从"),
            Some("新华社北京7月21日电")
        );
        assert_eq!(
            dateline("新华社北京7月21日电（记者 王五）当地"),
            Some("新华社北京7月21日电（记者 王五）")
        );
        assert_eq!(
            dateline("中国电信讯（记者 赵六）"),
            Some("中国电信讯（记者 赵六）")
        );
        assert_eq!(
            dateline("央广网北京7月21日消息（记者 孙七）"),
            Some("央广网北京7月21日消息（记者 孙七）")
        );
        assert_eq!(
            dateline("本报北京7月21日讯（记者 张三）"),
            Some("本报北京7月21日讯（记者 张三）")
        );
        assert_eq!(
            dateline("运城晚报讯 （记者 李婷）近日"),
            Some("运城晚报讯 （记者 李婷）")
        );
    }

    #[test]
    fn ignores_ordinary_text() {
        for p in [
            "通讯技术发展迅速。",
            "国家电网运城供电公司",
            "电视台报道，",
            "“真心感谢临猗县住建局的工作人员",
            "会上，各成员单位",
            "讯",
            "",
            "本报",
            "本报讯（近日，天气）",
        ] {
            let d = dateline(p);
            // `本报讯` alone is still a dateline when the bracket holds a sentence.
            if p.starts_with("本报讯") {
                assert_eq!(d, Some("本报讯"), "{p}");
            } else {
                assert_eq!(d, None, "{p}");
            }
        }
    }
}
