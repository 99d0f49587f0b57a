//! Column balancing (齐栏): where each body column of a module should end
//! so that text shorter than the module ends on the same grid line in
//! every column, or one line higher in the last ones.
//!
//! The text is already broken: at one measure a paragraph's lines do not
//! depend on the column they fall in (DESIGN §4: a column break is a cut in
//! the line list), so 禁则 and 孤字 are decided before balancing and
//! balancing only chooses the cuts. Among the cuts that keep the columns'
//! last lines within one grid line of each other it prefers, in order: no
//! subhead or pull quote cut from what it is kept with (issue 19: a 小标题
//! never ends a column; such a cut is taken one level lower rather than at
//! all), no paragraph's single last line at the top of a column (寡行), the
//! longer columns first, no
//! paragraph's single first line at the foot of a column. A column may end
//! two lines above the others only when a keep asks for it.

/// A body column's grid lines, 1-based inclusive (`last < first`: none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Column {
    /// First grid line the column gives text.
    pub(super) first: u32,
    /// Last grid line it may give text.
    pub(super) last: u32,
}

impl Column {
    /// Lines the column holds when it ends at grid line `level`.
    fn held(&self, level: u32) -> u32 {
        let end = level.min(self.last);
        if end < self.first {
            0
        } else {
            end - self.first + 1
        }
    }
}

/// Where a line stands in its paragraph (or in the credit block).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) struct LineMark {
    /// The paragraph's first line.
    pub(super) starts_paragraph: bool,
    /// The paragraph's last line.
    pub(super) ends_paragraph: bool,
    /// The line may not end a column: a subhead's, the lines it is kept
    /// with, a pull quote's but the last.
    pub(super) keep_with_next: bool,
    /// A subhead's blank line above it, left out at a column's top.
    pub(super) space: bool,
}

/// Cost of a line that must not end a column ending one (a subhead, the
/// lines it is kept with, a pull quote cut in two): never chosen while a
/// cut without it exists at some level.
const KEEP_COST: u64 = 1_000_000_000;
/// Cost of a paragraph's last line alone at the top of a column (寡行):
/// avoided before anything else.
const WIDOW_COST: u64 = 1_000_000;
/// Cost of a column ending two lines above the level, which only a keep
/// asks for: worse than a 寡行.
const TWO_SHORT_COST: u64 = 10_000_000;
/// Cost of each shorter column standing before a longer one: the first
/// columns are the longer ones unless a 寡行 forces otherwise.
const ORDER_COST: u64 = 1_000;
/// Cost of a paragraph's first line alone at the foot of a column.
const ORPHAN_COST: u64 = 1;

/// The last grid line of each column for the balanced text, or `None`
/// when the text does not fit the columns (they are then filled in turn).
/// A column given no line ends at `first - 1`. The lines handed out add up
/// to the text's lines exactly, so dealing the text into columns cut at
/// these lines ends where planned. Columns end on the lowest level that
/// holds the text, or one or two lines above it; when only cutting a
/// keep-with-next line would do there, on the next level down, and `None`
/// when no level keeps them.
pub(super) fn balance(columns: &[Column], marks: &[LineMark]) -> Option<Vec<u32>> {
    let total = marks.len() as u32;
    let top = columns.iter().map(|c| c.last).max()?;
    let held = |level: u32| columns.iter().map(|c| c.held(level)).sum::<u32>();
    if total == 0 || held(top) < total {
        return None;
    }
    let lowest = columns.iter().map(|c| c.first).min()?;
    // The lowest grid line every column may end on that could hold the
    // text, were every subhead's blank line left out at a column's head.
    let spaces = marks.iter().filter(|m| m.space).count() as u32;
    let level = (lowest..=top).find(|&l| held(l) + spaces >= total)?;
    (level..=top).find_map(|l| {
        let (cost, used) = cut_at_level(columns, marks, l)?;
        (cost < KEEP_COST).then(|| {
            columns
                .iter()
                .zip(used)
                .map(|(c, n)| c.first + n - 1)
                .collect()
        })
    })
}

/// A search state: lines dealt so far and how many of the columns before
/// could have ended lower (one line, two lines above the level).
type State = (u32, u8, u8);

/// The cheapest grid lines per column ending each column on `level`, one
/// line above it or two, holding the text exactly: a dynamic programme
/// over the columns. A subhead's blank line at the head of a column is
/// left out (dealing leaves it out too), so such a column holds one line
/// of the text more than it has grid lines.
fn cut_at_level(columns: &[Column], marks: &[LineMark], level: u32) -> Option<(u64, Vec<u32>)> {
    use std::collections::HashMap;
    let total = marks.len() as u32;
    // Only a keep may ask a column to end two lines short.
    let shorts: &[u32] = if marks.iter().any(|m| m.keep_with_next) {
        &[0, 1, 2]
    } else {
        &[0, 1]
    };
    // steps[i]: state after column i → (cost, state before, grid lines of i).
    let mut steps: Vec<HashMap<State, (u64, State, u32)>> = Vec::with_capacity(columns.len());
    let mut current: HashMap<State, u64> = HashMap::from([((0, 0, 0), 0)]);
    for c in columns {
        let full = c.held(level);
        let mut next: HashMap<State, (u64, State, u32)> = HashMap::new();
        for (&(placed, one, two), &cost) in &current {
            let dropped =
                u32::from(placed > 0 && marks.get(placed as usize).is_some_and(|m| m.space));
            for (short, used) in shorts.iter().map(|&k| (k, c.held(level.saturating_sub(k)))) {
                // A column that cannot end lower gains nothing by trying.
                if short > 0 && used == full {
                    continue;
                }
                let lines = if used > 0 { used + dropped } else { 0 };
                if placed + lines > total {
                    continue;
                }
                let extra = match short {
                    0 => ORDER_COST * u64::from(one + two),
                    1 => ORDER_COST * u64::from(two),
                    _ => TWO_SHORT_COST,
                };
                let c2 = cost + extra + cut_cost(marks, placed as usize, lines);
                let state = (
                    placed + lines,
                    one + u8::from(short == 1),
                    two + u8::from(short == 2),
                );
                let from = (placed, one, two);
                if next.get(&state).is_none_or(|&(old, ..)| c2 < old) {
                    next.insert(state, (c2, from, used));
                }
            }
        }
        current = next.iter().map(|(&k, &(cost, ..))| (k, cost)).collect();
        steps.push(next);
    }
    // The cheapest end holding every line; ties broken by state for a
    // deterministic answer.
    let (&end, &cost) = current
        .iter()
        .filter(|((placed, ..), _)| *placed == total)
        .min_by_key(|(&state, &cost)| (cost, state))?;
    let mut used = vec![0; columns.len()];
    let mut state = end;
    for i in (0..columns.len()).rev() {
        let (_, from, n) = steps[i][&state];
        used[i] = n;
        state = from;
    }
    Some((cost, used))
}

/// Cost of a column starting at line `start` of the text and holding
/// `lines`: a 寡行 at its top (below an earlier column), a paragraph's lone first line or a line kept with the next at
/// its foot (above a later one).
fn cut_cost(marks: &[LineMark], start: usize, lines: u32) -> u64 {
    if lines == 0 {
        return 0;
    }
    let end = start + lines as usize; // first line of the next column
    let mut cost = 0;
    if start > 0 {
        if let Some(m) = marks.get(start) {
            if m.ends_paragraph && !m.starts_paragraph {
                cost += WIDOW_COST;
            }
        }
    }
    if end < marks.len() {
        if let Some(m) = marks.get(end - 1) {
            if m.starts_paragraph && !m.ends_paragraph {
                cost += ORPHAN_COST;
            }
            if m.keep_with_next {
                cost += KEEP_COST;
            }
        }
    }
    cost
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(n: usize) -> Vec<LineMark> {
        vec![LineMark::default(); n]
    }

    fn columns(n: usize, first: u32, last: u32) -> Vec<Column> {
        vec![Column { first, last }; n]
    }

    #[test]
    fn short_text_ends_level_with_the_first_columns_longer() {
        // 25 lines in three columns of 20: 9, 8, 8.
        let b = balance(&columns(3, 1, 20), &plain(25)).unwrap();
        assert_eq!(b, vec![9, 8, 8]);
    }

    #[test]
    fn text_longer_than_the_columns_is_not_balanced() {
        assert_eq!(balance(&columns(2, 1, 5), &plain(11)), None);
        assert_eq!(balance(&columns(2, 1, 5), &plain(10)), Some(vec![5, 5]));
    }

    #[test]
    fn columns_beside_a_narrower_headline_end_on_the_same_line() {
        // Column 1 below a 4-line headline, column 2 beside it from the top.
        let cols = [Column { first: 5, last: 30 }, Column { first: 1, last: 30 }];
        let b = balance(&cols, &plain(16)).unwrap();
        assert_eq!(b, vec![10, 10]);
    }

    #[test]
    fn a_paragraphs_last_line_is_kept_off_a_column_top() {
        // A paragraph of 6 lines, then one of 3, in two columns: the plain
        // cut 5 | 4 would put the first paragraph's last line at the top
        // of column 2.
        let mut marks = plain(9);
        marks[0].starts_paragraph = true;
        marks[5].ends_paragraph = true;
        marks[6].starts_paragraph = true;
        marks[8].ends_paragraph = true;
        let b = balance(&columns(2, 1, 20), &marks).unwrap();
        assert_eq!(b, vec![4, 5], "one line shifted: 4 | 5");
    }
}
