//! Credit (署名) detection: an article's last block made only of role words
//! and names — `记者 刘凯华 樊朋展`, `文/图 张三`, `(李四 整理)`,
//! `本报记者 王五 摄`, `通讯员：赵六`.
//!
//! It must be strict: a wrongly taken credit drops a paragraph out of the
//! body flow, so every token has to be a known role word or look like a
//! personal name, and at least one of each must be present.

use super::chars::is_han;

/// Longer than any sign-off; a longer block is body text.
const MAX_CREDIT_CHARS: usize = 60;

const ROLES: &[&str] = &[
    "记者",
    "本报记者",
    "特约记者",
    "见习记者",
    "实习记者",
    "首席记者",
    "摄影记者",
    "融媒体记者",
    "通讯员",
    "特约通讯员",
    "本报通讯员",
    "实习生",
    "摄影",
    "摄",
    "文",
    "图",
    "文/图",
    "图/文",
    "文／图",
    "图／文",
    "文图",
    "图文",
    "整理",
    "编辑",
    "责任编辑",
    "责编",
    "编译",
    "校对",
    "撰稿",
    "执笔",
    "报道",
    "供图",
    "制图",
    "绘图",
    "美编",
    "翻译",
    "采写",
    "口述",
    "视频",
];

fn is_role(token: &str) -> bool {
    if ROLES.contains(&token) {
        return true;
    }
    // `新华社记者`, `运城晚报记者`: a publisher name glued to the role.
    ["记者", "通讯员"].iter().any(|r| {
        token
            .strip_suffix(r)
            .is_some_and(|pre| (1..=8).contains(&pre.chars().count()) && pre.chars().all(is_han))
    })
}

/// 2–4 Han characters, or a transcribed name with a middle dot
/// (`买买提·艾力`).
fn is_name(token: &str) -> bool {
    let n = token.chars().count();
    if token.contains(['·', '•', '・']) {
        return (3..=12).contains(&n)
            && token
                .split(['·', '•', '・'])
                .all(|part| !part.is_empty() && part.chars().all(is_han));
    }
    (2..=4).contains(&n) && token.chars().all(is_han)
}

/// Role and name glued together: `记者刘凯华`, `张三摄`, `李四整理`.
fn is_role_and_name(token: &str) -> bool {
    ROLES.iter().any(|r| {
        token.strip_prefix(r).is_some_and(is_name)
            || (r.chars().count() <= 2 && token.strip_suffix(r).is_some_and(is_name))
    })
}

/// Whether a whole block is a credit line.
pub(crate) fn is_credit(block: &str) -> bool {
    let text = block.trim();
    if text.is_empty() || text.chars().take(MAX_CREDIT_CHARS + 1).count() > MAX_CREDIT_CHARS {
        return false;
    }
    // One bracket pair around the whole line is allowed: `(李四 整理)`.
    let inner = strip_outer_brackets(text);
    if inner.contains([
        '。', '！', '？', '，', ',', '；', ';', '!', '?', '“', '”', '"', '(', ')', '（', '）',
    ]) {
        return false;
    }
    let (mut roles, mut names) = (0, 0);
    for token in inner.split(|c: char| c.is_whitespace() || matches!(c, '、' | ':' | '：')) {
        if token.is_empty() {
            continue;
        }
        if is_role(token) {
            roles += 1;
        } else if is_role_and_name(token) {
            // Before the name test: `记者张三` is four Han characters too.
            roles += 1;
            names += 1;
        } else if is_name(token) {
            names += 1;
        } else {
            return false;
        }
    }
    roles > 0 && names > 0
}

fn strip_outer_brackets(text: &str) -> &str {
    for (open, close) in [
        ('(', ')'),
        ('（', '）'),
        ('(', '）'),
        ('（', ')'),
        ('【', '】'),
    ] {
        if let Some(inner) = text.strip_prefix(open).and_then(|t| t.strip_suffix(close)) {
            return inner;
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::is_credit;

    #[test]
    fn credits() {
        for c in [
            "记者 刘凯华 樊朋展",
            "文/图 张三",
            "(李四 整理)",
            "（李四 整理）",
            "通讯员 王五",
            "摄影 赵六",
            "本报记者 张三 摄",
            "记者刘凯华",
            "记者张三",
            "新华社记者 张三 李四",
            "通讯员：赵六",
            "记者 张三、李四",
            "记者 买买提·艾力",
        ] {
            assert!(is_credit(c), "{c}");
        }
    }

    #[test]
    fn not_credits() {
        for c in [
            "会议要求，各成员单位要深刻认识。",
            "记者",
            "刘凯华 樊朋展",
            "记者从会上获悉，今年全市",
            "态发言。",
            "记者 走进社区 看到了变化",
            "",
            "（完）",
        ] {
            assert!(!is_credit(c), "{c}");
        }
    }
}
