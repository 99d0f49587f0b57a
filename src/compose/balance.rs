//! Column balancing (齐栏): where each body column of a module should end
//! so that text shorter than the module ends on the same grid line in
//! every column, or one line higher in the last ones.
//!
//! The text is already broken: at one measure a paragraph's lines do not
//! depend on the column they fall in (DESIGN §4: a column break is a cut in
//! the line list), so 禁则 and 孤字 are decided before balancing and
//! balancing only chooses the cuts. Among the cuts that keep the columns'
//! last lines within one grid line of each other it prefers, in order: no
//! paragraph's single last line at the top of a column (寡行), the longer
//! columns first, no paragraph's single first line at the foot of a column.

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
}

/// Cost of a paragraph's last line alone at the top of a column (寡行):
/// avoided before anything else.
const WIDOW_COST: u64 = 1_000_000;
/// Cost of each shorter column standing before a longer one: the first
/// columns are the longer ones unless a 寡行 forces otherwise.
const ORDER_COST: u64 = 1_000;
/// Cost of a paragraph's first line alone at the foot of a column.
const ORPHAN_COST: u64 = 1;

/// The last grid line of each column for the balanced text, or `None`
/// when the text does not fit the columns (they are then filled in turn).
/// A column given no line ends at `first - 1`. The lines handed out add up
/// to the text's lines exactly, so dealing the text into columns cut at
/// these lines ends where planned.
pub(super) fn balance(columns: &[Column], marks: &[LineMark]) -> Option<Vec<u32>> {
    let total = marks.len() as u32;
    let top = columns.iter().map(|c| c.last).max()?;
    let held = |level: u32| columns.iter().map(|c| c.held(level)).sum::<u32>();
    if total == 0 || held(top) < total {
        return None;
    }
    let lowest = columns.iter().map(|c| c.first).min()?;
    // The lowest grid line every column may end on that holds the text.
    let level = (lowest..=top).find(|&l| held(l) >= total)?;
    let short: Vec<u32> = columns.iter().map(|c| c.held(level - 1)).collect();
    let can_grow: Vec<bool> = columns
        .iter()
        .zip(&short)
        .map(|(c, &s)| c.held(level) > s)
        .collect();
    let longs = total - short.iter().sum::<u32>();
    let long = choose_long_columns(&short, &can_grow, longs as usize, marks)?;
    Some(
        columns
            .iter()
            .zip(&long)
            .map(|(c, &l)| {
                let end = if l { level } else { level - 1 };
                end.min(c.last).max(c.first - 1)
            })
            .collect(),
    )
}

/// Which columns take one line more than `short` (exactly `longs` of
/// those that `can_grow`), at the least cost: a dynamic programme over the
/// columns whose state is the number of long columns so far.
fn choose_long_columns(
    short: &[u32],
    can_grow: &[bool],
    longs: usize,
    marks: &[LineMark],
) -> Option<Vec<bool>> {
    let n = short.len();
    // best[i][j]: least cost of columns 0..i with j of them long, and
    // whether column i - 1 was long on that path.
    let mut best: Vec<Vec<Option<(u64, bool)>>> = vec![vec![None; longs + 1]; n + 1];
    best[0][0] = Some((0, false));
    let mut before = 0u32; // lines of the short columns before column i
    let mut grown_before = 0usize; // columns before i that could grow
    for i in 0..n {
        for j in 0..=longs {
            let Some((cost, _)) = best[i][j] else {
                continue;
            };
            let start = (before + j as u32) as usize;
            let mut step = |long: bool, extra: u64| {
                let lines = short[i] + u32::from(long);
                let c = cost + extra + cut_cost(marks, start, lines);
                let to = &mut best[i + 1][j + usize::from(long)];
                if to.is_none_or(|(old, _)| c < old) {
                    *to = Some((c, long));
                }
            };
            step(false, 0);
            if can_grow[i] && j < longs {
                // Every column before that could have grown and did not.
                let shorter_before = (grown_before - j) as u64;
                step(true, shorter_before * ORDER_COST);
            }
        }
        before += short[i];
        grown_before += usize::from(can_grow[i]);
    }
    best[n][longs]?;
    let mut long = vec![false; n];
    let mut j = longs;
    for i in (0..n).rev() {
        let (_, was_long) = best[i + 1][j]?;
        long[i] = was_long;
        j -= usize::from(was_long);
    }
    Some(long)
}

/// Cost of a column starting at line `start` of the text and holding
/// `lines`: a 寡行 at its top (below an earlier column) and a paragraph's
/// lone first line at its foot (above a later one).
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
