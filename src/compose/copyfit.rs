//! The copyfit ladder (issue 14): a fixed-height module whose text is a
//! little short or a little over is closed up by changing its headline
//! block, one rung at a time within the layout's `[fit]` bounds: the
//! headline one 字号 larger or smaller; a short module's headline in one
//! line more; then more or fewer blank grid lines under the block. The body size, the line pitch and the spacing of Han
//! text never change (the grid is sacred), so every rung only moves the
//! line where the body starts; the text's lines are counted once.
//!
//! Not rungs: one headline line fewer (the headline breaker already takes
//! the fewest lines that break between words) and 破栏 (`body_columns`,
//! not yet); a gap the ladder cannot close is reported as before.

use super::fill::Cursor;
use super::headline::{size_name, zihao_below, SIZE_EPSILON_PT};
use super::module::Setting;
use super::report::Copyfit;
use super::{Composer, EPSILON_PT};
use crate::layout::units::ZIHAO;
use crate::layout::ModuleSpec;

/// Blank grid lines under a headline block as set without the ladder.
const SPACE_BELOW: u32 = 1;

/// The next named 字号 above `size` pt; `None` at 初号 and above.
fn zihao_above(size: f32) -> Option<f32> {
    ZIHAO
        .iter()
        .rev()
        .map(|&(_, pt)| pt)
        .find(|&pt| pt > size + SIZE_EPSILON_PT)
}

/// One rung tried: the headline size and the blank lines under the block.
#[derive(Debug, Clone, Copy)]
struct Rung {
    /// Headline size, pt.
    size: f32,
    /// 字号 steps from the size asked: + larger, − smaller.
    steps: i32,
    /// The first headline line in one line more than it needs.
    extra_line: bool,
    /// Blank grid lines under the block.
    space: u32,
}

/// A module's body geometry as the ladder sees it.
struct Geometry {
    /// First grid line of the module.
    top: u32,
    /// Last grid line the body may take.
    bottom: u32,
    /// Body columns below the headline.
    below: u32,
    /// Body columns beside it (the headline spans fewer columns).
    beside: u32,
}

impl Geometry {
    /// Body lines the columns hold under a headline block of `head` lines.
    fn capacity(&self, head: u32) -> u32 {
        let span = |first: u32| (self.bottom + 1).saturating_sub(first);
        self.below * span(self.top + head) + self.beside * span(self.top)
    }
}

impl<'a> Composer<'a> {
    /// Run the ladder for a planned article module: the rung that makes its
    /// text fit, with the module as it is to be set, or `None` when the
    /// ladder is off, the module takes its height from its text, the gap
    /// is closed already or too wide for `[fit]`, or no rung closes it.
    pub(super) fn copyfit(
        &mut self,
        s: Setting<'_>,
        cursor: Cursor,
    ) -> Option<(Copyfit, ModuleSpec)> {
        let fit = &self.layout.fit;
        let m = s.spec;
        // An article's pictures take whole lines of their own; the ladder
        // counts text lines only.
        let pictures = !self.edition.articles[s.article].pictures.is_empty()
            || self.has_spanning_quotes(s.article);
        if !fit.enabled
            || m.auto_bottom
            || m.boxing.padding > 0
            || m.article.is_none()
            || cursor != Cursor::default()
            || pictures
        {
            return None;
        }
        let g = self.grid();
        let columns = self.body_columns(m);
        let measure = columns.first()?.1;
        // Balancing, which the ladder aims at, needs equal measures.
        if columns.iter().any(|c| (c.1 - measure).abs() > EPSILON_PT) {
            return None;
        }
        let width = g.span_chars(m.headline_columns) as f32 * g.body_size;
        let head_right = self.module_box(m).x0 + width + EPSILON_PT;
        let below = columns.iter().filter(|c| c.0 < head_right).count() as u32;
        let geometry = Geometry {
            top: m.lines.0,
            bottom: if m.lines.1 < g.lines && m.lines.1 > m.lines.0 {
                m.lines.1 - 1
            } else {
                m.lines.1
            },
            below,
            beside: columns.len() as u32 - below,
        };
        let asked = Rung {
            size: m.headline_size.unwrap_or_else(|| {
                let level = self.edition.articles[s.article].level;
                self.styles.level(level).headline.chain.size
            }),
            steps: 0,
            extra_line: false,
            space: SPACE_BELOW,
        };
        let block = self.measure_headline(s.article, width, m.headline_size, false);
        let available = geometry.capacity(block);
        let max_gap = fit.max_gap(columns.len() as u32, available);
        let limit = available + max_gap + 1;
        let text = self.line_marks(s.article, cursor, measure, limit).len() as i64;
        let gap = available as i64 - text;
        let short = gap > columns.len() as i64;
        let over = gap < 0 && m.continue_to.is_none();
        if !(short || over) || gap.unsigned_abs() > u64::from(max_gap) {
            return None;
        }
        let closes = |g: i64| {
            if short {
                (0..=columns.len() as i64).contains(&g)
            } else {
                g >= 0
            }
        };
        let module_lines = geometry.bottom + 1 - geometry.top;
        for rung in self.rungs(asked, short) {
            let head = self.measure_headline(s.article, width, Some(rung.size), rung.extra_line)
                - SPACE_BELOW
                + rung.space;
            if head > module_lines {
                continue;
            }
            let after = geometry.capacity(head) as i64 - text;
            if closes(after) {
                let done = self.copyfit_note(s, asked, rung, gap, after);
                let spec = ModuleSpec {
                    headline_size: (rung.steps != 0).then_some(rung.size).or(m.headline_size),
                    ..m.clone()
                };
                return Some((done, spec));
            }
        }
        None
    }

    /// The rungs in the order tried: the headline size alone, one step and
    /// then the next; a short module's headline in one line more, at each
    /// size; then the space under the block, at each size.
    fn rungs(&self, asked: Rung, short: bool) -> Vec<Rung> {
        let fit = &self.layout.fit;
        let step = |size: f32| {
            if short {
                zihao_above(size)
            } else {
                zihao_below(size)
            }
        };
        let mut sizes = vec![(asked.size, 0)];
        // A made-up module's headline size comes from its rank: kept.
        let steps = if self.making_up {
            0
        } else {
            fit.headline_steps
        };
        for i in 1..=steps as i32 {
            let Some(&(last, _)) = sizes.last() else {
                break;
            };
            match step(last) {
                Some(next) => sizes.push((next, if short { i } else { -i })),
                None => break,
            }
        }
        let spaces: Vec<u32> = if short {
            (SPACE_BELOW + 1..=fit.space_below_max).collect()
        } else {
            (fit.space_below_min..SPACE_BELOW).rev().collect()
        };
        let rung = |&(size, steps): &(f32, i32), extra_line, space| Rung {
            size,
            steps,
            extra_line,
            space,
        };
        let mut out: Vec<Rung> = sizes[1..]
            .iter()
            .map(|s| rung(s, false, SPACE_BELOW))
            .collect();
        if short && fit.add_headline_line {
            out.extend(sizes.iter().map(|s| rung(s, true, SPACE_BELOW)));
        }
        for s in &sizes {
            out.extend(spaces.iter().map(|&space| rung(s, false, space)));
        }
        out
    }

    /// What the ladder did, for the report.
    fn copyfit_note(
        &self,
        s: Setting<'_>,
        asked: Rung,
        rung: Rung,
        gap: i64,
        after: i64,
    ) -> Copyfit {
        let mut did = Vec::new();
        if rung.steps != 0 {
            let (n, way) = (
                rung.steps.unsigned_abs(),
                if rung.steps > 0 { "larger" } else { "smaller" },
            );
            let steps = if n == 1 {
                "one 字号".to_string()
            } else {
                format!("{n} 字号")
            };
            did.push(format!(
                "headline set {steps} {way} ({} → {})",
                size_name(asked.size),
                size_name(rung.size)
            ));
        }
        if rung.extra_line {
            did.push("headline in one line more".to_string());
        }
        if rung.space != asked.space {
            did.push(format!(
                "{} blank grid line(s) under the headline instead of {}",
                rung.space, asked.space
            ));
        }
        let why = if gap > 0 {
            format!("to fill {gap} empty line(s)")
        } else {
            format!("to fit {} overset line(s)", -gap)
        };
        Copyfit {
            note: format!(
                "page {} module {}: {} {why}; {after} empty line(s) left",
                s.page + 1,
                s.module + 1,
                did.join(" and ")
            ),
            headline_size: [asked.size, rung.size],
            space_below: [asked.space, rung.space],
            headline_line_added: rung.extra_line,
            gap_before: gap as i32,
            gap_after: after as i32,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_step_up_is_the_next_named_size_and_stops_at_chuhao() {
        assert_eq!(zihao_above(22.0), Some(24.0)); // 二号 → 小一
        assert_eq!(zihao_above(26.0), Some(36.0)); // 一号 → 小初
        assert_eq!(zihao_above(30.0), Some(36.0)); // between: the next up
        assert_eq!(zihao_above(42.0), None); // 初号
        assert_eq!(zihao_above(60.0), None);
    }

    #[test]
    fn a_module_gives_its_body_the_lines_the_headline_leaves() {
        // Four columns under the headline from line 13 to 40: 28 lines each.
        let g = Geometry {
            top: 13,
            bottom: 40,
            below: 4,
            beside: 0,
        };
        assert_eq!(g.capacity(0), 112);
        assert_eq!(g.capacity(6), 88);
        // A narrower headline costs only the columns below it.
        let g = Geometry {
            below: 1,
            beside: 3,
            ..g
        };
        assert_eq!(g.capacity(6), 106);
    }
}
