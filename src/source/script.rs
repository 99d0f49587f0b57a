//! Which script an article is written in, and corner quotes.
//!
//! A Traditional article set under `zh-Hans` gets Simplified glyph forms
//! and corner punctuation: the build warns and suggests the locale. The
//! evidence is a count of very common characters that exist in one script
//! only (a table, not a converter: a handful of frequent pairs decide any
//! real paragraph), so a Simplified text with a Traditional name in it is
//! not mistaken for a Traditional one.

/// Frequent characters written only in Traditional Chinese, each at the
/// position of its Simplified form in [`SIMPLIFIED`].
const TRADITIONAL: &str = "這個們來說時會為對國學發經過當實現點麼與種沒還從開關頭應長問動請認讓將錢電車書東變聽萬義樂鄉歲區條專業員際處話無體報記語總統華陽陰鐵門見間運進氣熱聯產設場綠邊隊陳農廠歷";
/// The Simplified forms of [`TRADITIONAL`], position by position.
const SIMPLIFIED: &str = "这个们来说时会为对国学发经过当实现点么与种没还从开关头应长问动请认让将钱电车书东变听万义乐乡岁区条专业员际处话无体报记语总统华阳阴铁门见间运进气热联产设场绿边队陈农厂历";

/// Characters of each script found in a text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ScriptEvidence {
    /// Characters written only in Traditional Chinese.
    pub traditional: usize,
    /// Their Simplified counterparts.
    pub simplified: usize,
}

/// The fewest Traditional-only characters that make a text Traditional:
/// fewer is a quoted name or title, not the text's script.
const MIN_TRADITIONAL: usize = 8;

impl ScriptEvidence {
    /// Count the table's characters in `text`.
    pub fn of(text: &str) -> ScriptEvidence {
        let mut e = ScriptEvidence::default();
        for c in text.chars() {
            if TRADITIONAL.contains(c) {
                e.traditional += 1;
            } else if SIMPLIFIED.contains(c) {
                e.simplified += 1;
            }
        }
        e
    }

    /// Whether the text reads as Traditional Chinese: enough
    /// Traditional-only characters, and more of them than Simplified ones.
    pub fn is_traditional(self) -> bool {
        self.traditional >= MIN_TRADITIONAL && self.traditional > 2 * self.simplified
    }
}

/// Turn “” into 「」 and ‘’ into 『』 in Chinese text (`[text] quotes =
/// "corner"`). A quote between Latin letters (an apostrophe, an English
/// quotation) stays. Byte lengths are unchanged (every one of these marks is
/// three bytes in UTF-8), so ranges into the text stay valid.
pub fn corner_quotes(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let latin = |c: Option<&char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    chars
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            let before = i.checked_sub(1).and_then(|j| chars.get(j));
            let after = chars.get(i + 1);
            let english = match c {
                '“' | '‘' => latin(after) && !before.is_some_and(|b| crate::chars::is_han(*b)),
                '”' | '’' => latin(before) && !after.is_some_and(|a| crate::chars::is_han(*a)),
                _ => false,
            };
            match c {
                _ if english => c,
                '“' => '「',
                '”' => '」',
                '‘' => '『',
                '’' => '』',
                _ => c,
            }
        })
        .collect()
}

/// [`corner_quotes`] over every text of an article that is printed.
pub fn corner_quotes_in(article: &mut super::Article) {
    let convert = |s: &mut String| *s = corner_quotes(s);
    article.headline.iter_mut().for_each(convert);
    article.paragraphs.iter_mut().for_each(convert);
    for s in [
        &mut article.kicker,
        &mut article.subheadline,
        &mut article.dateline,
        &mut article.byline,
        &mut article.credit,
        &mut article.front.rubric,
    ]
    .into_iter()
    .flatten()
    {
        convert(s);
    }
    for p in &mut article.pictures {
        convert(&mut p.caption);
        p.credit.iter_mut().for_each(convert);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tables_pair_up() {
        assert_eq!(TRADITIONAL.chars().count(), SIMPLIFIED.chars().count());
    }

    #[test]
    fn traditional_text_is_told_from_simplified() {
        let hant = "這個城市的人們說，今年秋天來得特別早，國際學者認為與氣候變化有關。";
        let hans = "这个城市的人们说，今年秋天来得特别早，国际学者认为与气候变化有关。";
        assert!(ScriptEvidence::of(hant).is_traditional());
        assert!(!ScriptEvidence::of(hans).is_traditional());
        // A Traditional name quoted in Simplified text is not enough.
        let quoted = "记者在台北看到的招牌写着「國際書展」，这个展览很热闹。";
        assert!(!ScriptEvidence::of(quoted).is_traditional());
    }

    #[test]
    fn corner_quotes_keep_english_and_byte_lengths() {
        let s = "他說：“我們‘一定’會來。”It’s “fine”.";
        let c = corner_quotes(s);
        assert_eq!(c, "他說：「我們『一定』會來。」It’s “fine”.");
        assert_eq!(c.len(), s.len());
    }
}
