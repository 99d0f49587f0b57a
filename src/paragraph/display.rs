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
    /// Inside quotes or brackets: a quoted phrase (`“各有顾虑”`) is read
    /// as one name, so it costs about as much as five characters of
    /// imbalance between two lines.
    pub const QUOTED: f64 = 16.0;
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

/// Longest display text, in clusters, broken by meaning; a longer one is
/// broken as body text (the choice keeps a table of lines × boundaries).
const MAX_DISPLAY_UNITS: usize = 400;

/// Single-character words that open a phrase: a break before them reads
/// as the desk's (`第十二届菊花文化节 / 在滨河公园开幕`).
const PHRASE_OPENERS: &[&str] = &[
    "在", "于", "与", "和", "及", "并", "为", "将", "对", "向", "从", "把", "被", "由", "让", "给",
    "同", "跟", "以", "或", "而", "但", "且", "又", "再", "也", "还", "已", "仍", "均", "正",
];

/// Single-character words that close a phrase: a break after them is one.
const PHRASE_CLOSERS: &[&str] = &["了", "着", "过", "吗", "呢", "吧"];

/// Classifiers that count what follows them (`10个月`, `3项措施`); a
/// time unit (`2025年 / 第3季度`) closes its phrase and is not one.
const COUNT_CLASSIFIERS: &[&str] = &[
    "个", "号", "位", "名", "家", "所", "项", "条", "次", "件", "种", "批", "只", "台", "辆", "座",
    "栋", "户", "张", "篇", "部", "支", "架", "艘", "头", "株", "棵", "款", "份", "轮", "场", "届",
];

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
    /// The best word breaks tear a modifier from its head, a number from
    /// its unit or a quoted phrase apart.
    WeakBreak,
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
    if n > MAX_DISPLAY_UNITS {
        // Not a headline but a paragraph in a display style: the tables
        // below grow with the square of its length.
        return DisplayBreak {
            lines: break_lines(shaped, measure, settings),
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
    match best_judged(shaped, &ctx, &mut breaks, None) {
        Some(chosen) => {
            let verdict = if fewest_anywhere.is_some_and(|f| chosen.lines.len() > f) {
                Verdict::MoreLines
            } else if chosen.short_last {
                Verdict::ShortLastLine
            } else if chosen.lines[..chosen.lines.len() - 1]
                .iter()
                .any(|&(_, b)| breaks[b].weakness >= weakness::WEAK)
            {
                Verdict::WeakBreak
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

/// Break a display text at word boundaries into exactly `lines` balanced
/// lines of `measure` pt, for the copyfit ladder (a headline set in one
/// line more than it needs fills a short module); `None` unless every
/// break is a good one (a word boundary, not weak, no short last line).
pub fn break_display_in(
    shaped: &ShapedText,
    measure: f32,
    settings: &ParagraphSettings,
    lines: usize,
) -> Option<DisplayBreak> {
    let n = shaped.clusters.len();
    if n == 0 || !measure.is_finite() || lines < 2 {
        return None;
    }
    let prep = prepare(shaped, settings);
    let indent = if settings.indent.is_finite() {
        (settings.indent * prep.em).clamp(0.0, measure)
    } else {
        0.0
    };
    let ctx = Ctx {
        prep: &prep,
        measure: measure.max(0.0),
        settings,
        indent,
    };
    let mut breaks = candidates(shaped, &prep);
    let chosen = best_judged(shaped, &ctx, &mut breaks, Some(lines))?;
    let weak = chosen.lines[..chosen.lines.len() - 1]
        .iter()
        .any(|&(_, b)| breaks[b].weakness >= weakness::WEAK);
    if chosen.short_last || weak {
        return None;
    }
    Some(DisplayBreak {
        lines: finalize::commit(shaped, &ctx, &chosen.lines),
        verdict: Verdict::Good,
    })
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
    // Opening marks not yet closed before each boundary.
    let mut open = 0usize;
    (0..=n)
        .map(|b| {
            if b > 0 {
                match prep.units[b - 1].class {
                    CharClass::Opening => open += 1,
                    CharClass::Closing => open = open.saturating_sub(1),
                    _ => {}
                }
            }
            let rule_ok = b > 0 && b < n && prep.bounds[b].tier == tier::ALLOWED;
            let byte = shaped.clusters.get(b).map_or(text.len(), |c| c.range.start);
            // The word ending here, if the boundary is one.
            let before = words.iter().position(|w| w.end == byte);
            let word_ok = rule_ok && before.is_some();
            let weakness = match before {
                Some(k) if word_ok => {
                    let word = |k: usize| words.get(k).map_or("", |w| &text[w.clone()]);
                    let around = Around {
                        before_that: k.checked_sub(1).map_or("", word),
                        before: word(k),
                        after: word(k + 1),
                        quoted: open > 0,
                    };
                    break_weakness(&around, prep, b)
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

/// The words around a word boundary.
struct Around<'t> {
    /// The word before `before`.
    before_that: &'t str,
    /// The word ending at the boundary.
    before: &'t str,
    /// The word starting there.
    after: &'t str,
    /// The boundary is inside quotes or brackets.
    quoted: bool,
}

/// [`best_at_words`], with each chosen break also judged as the make-up
/// metrics judge it ([`words::splits_word`], six characters each side):
/// a break that fails is struck and the choice made again. Judging only
/// the chosen breaks keeps the cost at one or two windows a headline.
fn best_judged(
    shaped: &ShapedText,
    ctx: &Ctx<'_>,
    breaks: &mut [Candidate],
    lines: Option<usize>,
) -> Option<Chosen> {
    let text = shaped.text.as_str();
    loop {
        let chosen = best_at_words(ctx, breaks, lines)?;
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

/// How weak a break at boundary `b` between the words `at` names is.
fn break_weakness(at: &Around<'_>, prep: &Prep, b: usize) -> f64 {
    let class_before = prep.units[b - 1].class;
    let class_after = prep.units[b].class;
    let numeric = |w: &str| w.chars().any(|c| c.is_ascii_digit());
    if matches!(class_before, CharClass::Stop | CharClass::Closing)
        || class_after == CharClass::Opening
        || class_before == CharClass::Space
    {
        weakness::PUNCTUATION
    } else if at.quoted {
        weakness::QUOTED
    } else if MODIFIER_ENDS.contains(&at.before)
        || at.after == "的"
        || (numeric(at.before) && class_after == CharClass::Han)
        // `10个 / 月`, `3项 / 措施`: a count and what it counts.
        || (numeric(at.before_that) && COUNT_CLASSIFIERS.contains(&at.before))
    {
        weakness::WEAK
    } else if PHRASE_OPENERS.contains(&at.after) || PHRASE_CLOSERS.contains(&at.before) {
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

/// The best break sequence at word boundaries with the fewest lines, or
/// with exactly `lines` when given: a dynamic programme over (boundary,
/// lines so far).
fn best_at_words(ctx: &Ctx<'_>, breaks: &[Candidate], lines: Option<usize>) -> Option<Chosen> {
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
    let k = match lines {
        Some(k) => (1..=n)
            .contains(&k)
            .then_some(k)
            .filter(|&k| cost[k][n].is_finite())?,
        None => (1..=n).find(|&k| cost[k][n].is_finite())?,
    };
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
