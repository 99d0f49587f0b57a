//! Display lines (headlines, kickers, subheadlines) broken by meaning.
//!
//! A headline is not a paragraph: a desk breaks it between words and
//! phrases, never inside a word (`灵宝至永济高 / 速公路`) or a number, and
//! sets its lines to near-equal length. [`break_display`] takes the same
//! prepared units as [`super::break_lines`] and chooses among the breaks
//! that are both 禁则-clean (tier `ALLOWED`) and word boundaries of
//! [`crate::text::words`]: of all break sequences with the fewest lines
//! that fit, the one of least raggedness (Σ of each line's slack², in em²)
//! plus a penalty per break by how weak it is (after punctuation or before
//! a preposition costs least; after 的 or between a number and its unit
//! most) and a large one for a last line of one or two characters under a
//! line of five or more. The committed lines are the paragraph engine's
//! own ([`super::finalize`]), so width, marks and flags mean the same.

use super::linebreak::Ctx;
use super::prepare::{prepare, tier, Prep};
use super::{break_lines, finalize, Line, ParagraphSettings};
use crate::text::{words, CharClass, ShapedText};

/// Penalties per break, in em² of raggedness (a line one em shorter than
/// the measure costs 1): a phrase break beats an ordinary word boundary
/// when it leaves the lines at most about one character less even.
mod weakness {
    /// After a full stop, comma, colon or closing mark, before an opening one.
    pub const PUNCTUATION: f64 = 0.0;
    /// Before a preposition or conjunction, after an aspect or modal particle.
    pub const PHRASE: f64 = 1.0;
    /// Between two other words.
    pub const WORD: f64 = 3.0;
    /// After 的/之/地, after 第, or between a number and its unit: the
    /// modifier is torn from its head.
    pub const WEAK: f64 = 8.0;
}

/// Added for a short last line (see [`short_last_line`]): far above any
/// raggedness a headline reaches, so another break of the same line count
/// always wins.
const SHORT_LAST_LINE_PENALTY: f64 = 1e4;

/// A last line this short (characters) under a line of [`LONG_LINE_CHARS`]
/// or more is a widow; a one-character last line always is.
const SHORT_LINE_CHARS: usize = 2;

/// See [`SHORT_LINE_CHARS`].
const LONG_LINE_CHARS: usize = 5;

/// Single-character words that open a phrase: a break before them reads
/// as the desk's (`第十二届菊花文化节 / 在滨河公园开幕`).
const PHRASE_OPENERS: &[&str] = &[
    "在", "于", "与", "和", "及", "并", "为", "将", "对", "向", "从", "把", "被", "由", "让", "给",
    "同", "跟", "以", "或", "而", "但", "且", "又", "再", "也", "还", "已", "仍", "均", "正",
];

/// Single-character words that close a phrase: a break after them is one.
const PHRASE_CLOSERS: &[&str] = &["了", "着", "过", "吗", "呢", "吧"];

/// Words after which the next word is their head: a break there is weak.
const MODIFIER_ENDS: &[&str] = &["的", "之", "地", "第"];

/// How well a display text could be broken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Broken at word boundaries into the fewest lines the width allows
    /// for any break at all, with no short last line (or one line).
    Good,
    /// Word boundaries fit only in more lines than breaking anywhere would.
    MoreLines,
    /// The best word breaks leave a last line of one or two characters.
    ShortLastLine,
    /// No set of word breaks fits (a word wider than the measure): broken
    /// as body text, inside a word.
    NoWordBreak,
}

/// A display text broken into lines, and how well.
#[derive(Debug, Clone)]
pub struct DisplayBreak {
    /// The lines, as [`break_lines`] makes them.
    pub lines: Vec<Line>,
    /// Whether the breaks are ones a desk would choose.
    pub verdict: Verdict,
}

/// Break a display text at word boundaries into balanced lines of
/// `measure` pt (see the module doc); never fails.
pub fn break_display(
    shaped: &ShapedText,
    measure: f32,
    settings: &ParagraphSettings,
) -> DisplayBreak {
    let n = shaped.clusters.len();
    let measure = if measure.is_finite() {
        measure.max(0.0)
    } else {
        0.0
    };
    let prep = prepare(shaped, settings);
    let indent = if settings.indent.is_finite() {
        (settings.indent * prep.em).clamp(0.0, measure)
    } else {
        0.0
    };
    let ctx = Ctx {
        prep: &prep,
        measure,
        settings,
        indent,
    };
    if n == 0 {
        return DisplayBreak {
            lines: Vec::new(),
            verdict: Verdict::Good,
        };
    }
    if ctx.fit(0, n).over <= 0.0 {
        return DisplayBreak {
            lines: finalize::commit(shaped, &ctx, &[(0, n)]),
            verdict: Verdict::Good,
        };
    }
    let mut breaks = candidates(shaped, &prep);
    let fewest_anywhere = fewest_lines(&ctx, |b| breaks[b].rule_ok);
    match best_judged(shaped, &ctx, &mut breaks) {
        Some(chosen) => {
            let verdict = if fewest_anywhere.is_some_and(|f| chosen.lines.len() > f) {
                Verdict::MoreLines
            } else if chosen.short_last {
                Verdict::ShortLastLine
            } else {
                Verdict::Good
            };
            DisplayBreak {
                lines: finalize::commit(shaped, &ctx, &chosen.lines),
                verdict,
            }
        }
        None => DisplayBreak {
            lines: break_lines(shaped, measure, settings),
            verdict: Verdict::NoWordBreak,
        },
    }
}

/// What the boundary before unit `b` is worth as a break.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    /// 禁则 allow a break here.
    rule_ok: bool,
    /// A word boundary too: a break by meaning may fall here.
    word_ok: bool,
    /// Its weakness penalty, em².
    weakness: f64,
}

/// The boundaries `0..=n` as break candidates.
fn candidates(shaped: &ShapedText, prep: &Prep) -> Vec<Candidate> {
    let text = shaped.text.as_str();
    let words = words::segment(text);
    let n = prep.units.len();
    (0..=n)
        .map(|b| {
            let rule_ok = b > 0 && b < n && prep.bounds[b].tier == tier::ALLOWED;
            let byte = shaped.clusters.get(b).map_or(text.len(), |c| c.range.start);
            // The words ending and starting here, if the boundary is one.
            let before = words.iter().position(|w| w.end == byte);
            let word_ok = rule_ok && before.is_some();
            let weakness = match before {
                Some(k) if word_ok => {
                    let after = words.get(k + 1).map_or("", |w| &text[w.clone()]);
                    break_weakness(&text[words[k].clone()], after, prep, b)
                }
                _ => weakness::WORD,
            };
            Candidate {
                rule_ok,
                word_ok,
                weakness,
            }
        })
        .collect()
}

/// [`best_at_words`], with each chosen break also judged as the make-up
/// metrics judge it ([`words::splits_word`], six characters each side):
/// a break that fails is struck and the choice made again. Judging only
/// the chosen breaks keeps the cost at one or two windows a headline.
fn best_judged(shaped: &ShapedText, ctx: &Ctx<'_>, breaks: &mut [Candidate]) -> Option<Chosen> {
    let text = shaped.text.as_str();
    loop {
        let chosen = best_at_words(ctx, breaks)?;
        let failed = chosen.lines[..chosen.lines.len() - 1]
            .iter()
            .find(|&&(_, b)| {
                let byte = shaped.clusters[b].range.start;
                words::splits_word(&text[..byte], &text[byte..])
            });
        match failed {
            Some(&(_, b)) => breaks[b].word_ok = false,
            None => return Some(chosen),
        }
    }
}

/// How weak a break between word `before` and word `after` is.
fn break_weakness(before: &str, after: &str, prep: &Prep, b: usize) -> f64 {
    let class_before = prep.units[b - 1].class;
    let class_after = prep.units[b].class;
    let numeric = |w: &str| w.chars().any(|c| c.is_ascii_digit());
    if matches!(class_before, CharClass::Stop | CharClass::Closing)
        || class_after == CharClass::Opening
        || class_before == CharClass::Space
    {
        weakness::PUNCTUATION
    } else if MODIFIER_ENDS.contains(&before)
        || after == "的"
        || (numeric(before) && class_after == CharClass::Han)
    {
        weakness::WEAK
    } else if PHRASE_OPENERS.contains(&after) || PHRASE_CLOSERS.contains(&before) {
        weakness::PHRASE
    } else {
        weakness::WORD
    }
}

/// The fewest lines that set units `0..n` breaking only where `ok` says,
/// every line fitting the measure; `None` if none does.
fn fewest_lines(ctx: &Ctx<'_>, ok: impl Fn(usize) -> bool) -> Option<usize> {
    let n = ctx.prep.units.len();
    let mut fewest = vec![usize::MAX; n + 1];
    fewest[0] = 0;
    for j in 1..=n {
        if j < n && !ok(j) {
            continue;
        }
        for i in (0..j).rev() {
            if ctx.fit(i, j).over > 0.0 {
                break;
            }
            if fewest[i] != usize::MAX && (i == 0 || ok(i)) {
                fewest[j] = fewest[j].min(fewest[i] + 1);
            }
        }
    }
    (fewest[n] != usize::MAX).then_some(fewest[n])
}

/// The breaks chosen at word boundaries.
struct Chosen {
    /// Lines as unit ranges.
    lines: Vec<(usize, usize)>,
    /// The last line is a widow even so.
    short_last: bool,
}

/// Characters of a line that count for its length (not spaces or controls).
fn chars_in(prep: &Prep, i: usize, j: usize) -> usize {
    prep.units[i..j]
        .iter()
        .filter(|u| !matches!(u.class, CharClass::Space | CharClass::Control))
        .count()
}

/// A last line of [`SHORT_LINE_CHARS`] or fewer under one of
/// [`LONG_LINE_CHARS`] or more, or of a single character.
fn short_last_line(last: usize, before: usize) -> bool {
    last <= 1 || (last <= SHORT_LINE_CHARS && before >= LONG_LINE_CHARS)
}

/// The best break sequence at word boundaries with the fewest lines: a
/// dynamic programme over (boundary, lines so far).
fn best_at_words(ctx: &Ctx<'_>, breaks: &[Candidate]) -> Option<Chosen> {
    let p = ctx.prep;
    let n = p.units.len();
    let em = f64::from(p.em);
    // cost[k][j]: least cost of units 0..j in k lines; from[k][j] its last start.
    let mut cost = vec![vec![f64::INFINITY; n + 1]; n + 1];
    let mut from = vec![vec![usize::MAX; n + 1]; n + 1];
    cost[0][0] = 0.0;
    for j in 1..=n {
        if j < n && !breaks[j].word_ok {
            continue;
        }
        for i in (0..j).rev() {
            if i > 0 && !breaks[i].word_ok {
                continue;
            }
            let fit = ctx.fit(i, j);
            if fit.over > 0.0 {
                break;
            }
            let slack = (f64::from(ctx.avail(i)) - f64::from(fit.natural)) / em;
            let line = slack * slack + if j < n { breaks[j].weakness } else { 0.0 };
            for k in 1..=j {
                let base = cost[k - 1][i];
                if !base.is_finite() {
                    continue;
                }
                let mut c = base + line;
                if j == n && k > 1 {
                    let prev = from[k - 1][i];
                    if short_last_line(chars_in(p, i, j), chars_in(p, prev, i)) {
                        c += SHORT_LAST_LINE_PENALTY;
                    }
                }
                if c < cost[k][j] {
                    cost[k][j] = c;
                    from[k][j] = i;
                }
            }
        }
    }
    let k = (1..=n).find(|&k| cost[k][n].is_finite())?;
    let mut lines = Vec::with_capacity(k);
    let mut j = n;
    for kk in (1..=k).rev() {
        let i = from[kk][j];
        lines.push((i, j));
        j = i;
    }
    lines.reverse();
    let short_last = k > 1 && {
        let (i, j) = lines[k - 1];
        let (pi, pj) = lines[k - 2];
        short_last_line(chars_in(p, i, j), chars_in(p, pi, pj))
    };
    Some(Chosen { lines, short_last })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fonts::FontDb;
    use crate::paragraph::Align;
    use crate::text::{shape, FontChain, StyleSpan};

    /// Em of the test headlines, pt.
    const EM: f32 = 20.0;

    fn shaped(text: &str) -> ShapedText {
        let mut db = FontDb::new();
        db.load_dir(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts"))
            .unwrap();
        let chain = FontChain {
            faces: vec![db.find("Noto Sans CJK SC", 700).unwrap()],
            size: EM,
        };
        let spans = [StyleSpan {
            range: 0..text.len(),
            chain,
        }];
        shape(text, &spans, &db)
    }

    fn headline_settings() -> ParagraphSettings {
        ParagraphSettings {
            indent: 0.0,
            align: Align::Center,
            ..ParagraphSettings::default()
        }
    }

    /// The lines of `text` broken by meaning at `chars` em, and the verdict.
    fn display(text: &str, chars: f32) -> (Vec<String>, Verdict) {
        let s = shaped(text);
        let b = break_display(&s, chars * EM, &headline_settings());
        let lines = b
            .lines
            .iter()
            .map(|l| s.text[l.range.clone()].to_string())
            .collect();
        (lines, b.verdict)
    }

    /// The lines the body breaker makes of `text` at `chars` em.
    fn body(text: &str, chars: f32) -> Vec<String> {
        let s = shaped(text);
        break_lines(&s, chars * EM, &headline_settings())
            .iter()
            .map(|l| s.text[l.range.clone()].to_string())
            .collect()
    }

    fn assert_no_split_word(lines: &[String]) {
        for pair in lines.windows(2) {
            assert!(
                !words::splits_word(&pair[0], &pair[1]),
                "a word is split between {:?} and {:?}",
                pair[0],
                pair[1]
            );
        }
    }

    #[test]
    fn headline_keeps_yi_ke_together_where_the_body_breaker_split_it() {
        let text = "我国科研人员发现一颗新的近地小行星";
        assert_eq!(body(text, 9.0), ["我国科研人员发现一", "颗新的近地小行星"]);
        let (lines, verdict) = display(text, 9.0);
        assert_eq!(lines, ["我国科研人员发现", "一颗新的近地小行星"]);
        assert_eq!(verdict, Verdict::Good);
    }

    #[test]
    fn headline_keeps_gaosu_gonglu_whole_and_balances_the_lines() {
        let text = "我市召开灵宝至永济高速公路项目对接洽谈会";
        let old = body(text, 11.0);
        assert!(
            old.windows(2).any(|p| words::splits_word(&p[0], &p[1])),
            "{old:?}"
        );
        let (lines, verdict) = display(text, 11.0);
        assert_eq!(lines, ["我市召开灵宝至永济", "高速公路项目对接洽谈会"]);
        assert_eq!(verdict, Verdict::Good);
        assert_no_split_word(&lines);
    }

    #[test]
    fn headline_breaks_before_the_preposition_not_inside_wenhuajie() {
        let text = "第十二届菊花文化节在滨河公园开幕";
        assert_eq!(body(text, 9.0), ["第十二届菊花文化", "节在滨河公园开幕"]);
        let (lines, _) = display(text, 9.0);
        assert_eq!(lines, ["第十二届菊花文化节", "在滨河公园开幕"]);
    }

    #[test]
    fn headline_never_breaks_inside_a_number_or_between_number_and_unit() {
        let text = "2025年第3季度全市GDP同比增长12.5%";
        for width in [6.0, 8.0, 10.0, 12.0] {
            let (lines, verdict) = display(text, width);
            assert_no_split_word(&lines);
            assert_ne!(verdict, Verdict::NoWordBreak, "at {width} em: {lines:?}");
            for pair in lines.windows(2) {
                assert!(
                    !pair[0].ends_with('第') && !pair[0].ends_with('3'),
                    "number torn from its unit at {width} em: {lines:?}"
                );
            }
        }
    }

    #[test]
    fn headline_avoids_a_two_character_last_line() {
        // Breaking anywhere near the measure would leave `开幕` alone.
        let text = "第十二届菊花文化节在滨河公园隆重开幕";
        let (lines, verdict) = display(text, 16.0);
        let last = lines.last().unwrap().chars().count();
        assert!(lines.len() == 2 && last > 2, "{lines:?}");
        assert_eq!(verdict, Verdict::Good);
    }

    #[test]
    fn a_word_wider_than_the_measure_is_broken_inside_and_said_so() {
        let (lines, verdict) = display("高速公路", 2.0);
        assert_eq!(lines, ["高速", "公路"]);
        assert_eq!(verdict, Verdict::NoWordBreak);
    }

    #[test]
    fn word_breaks_that_need_another_line_are_said_so() {
        // Three lines of four fit anywhere; at words `高速公路` and
        // `洽谈会` take whole lines.
        let (lines, verdict) = display("灵宝至永济高速公路洽谈会", 4.0);
        assert!(lines.len() > 3, "{lines:?}");
        assert_eq!(verdict, Verdict::MoreLines);
        assert_no_split_word(&lines);
    }

    #[test]
    fn a_headline_that_fits_stays_on_one_line() {
        let (lines, verdict) = display("我市召开洽谈会", 10.0);
        assert_eq!(lines, ["我市召开洽谈会"]);
        assert_eq!(verdict, Verdict::Good);
    }
}
