//! Where the parts of the masthead go. Shared by the check that
//! `masthead_lines` is tall enough and by the furniture that draws it, so
//! the two cannot disagree.

use super::model::{Grid, Paper, EM_ASCENT, EM_DESCENT, FIT_TOLERANCE};

/// Baseline-to-baseline distance of the date block, in its size.
pub const INFO_LEAD: f32 = 1.5;
/// Width of the thick rule under the masthead, in pt.
pub const RULE_WIDTH: f32 = 2.0;
/// Distance of that rule's centre above the band's bottom, in pt.
pub const RULE_RAISE: f32 = 2.0;
/// The most of the band's height the paper's name may take, so a large
/// `masthead` size is shrunk rather than crossing the rules.
const NAME_MAX_SHARE: f32 = 0.8;
/// How far below the band's middle the name's baseline sits, in its size:
/// the em box's ascent less half an em, which centres the box in the band.
const NAME_BASELINE_DROP: f32 = 0.38;

/// The right-hand block: date and weekday, issue, page and section.
pub fn info_rows(paper: &Paper, first_section: &str) -> Vec<String> {
    [
        format!("{} {}", paper.date, paper.weekday)
            .trim()
            .to_string(),
        paper.issue.clone(),
        format!("第1版 {first_section}").trim().to_string(),
    ]
    .into_iter()
    .filter(|s| !s.is_empty())
    .collect()
}

/// The paper name's size (shrunk to fit the band) and baseline.
pub fn name(grid: &Grid, lines: u32, size: f32) -> (f32, f32) {
    let (top, bottom) = grid.masthead_band(lines);
    let size = size.min((bottom - top) * NAME_MAX_SHARE);
    (size, top + (bottom - top) / 2.0 + size * NAME_BASELINE_DROP)
}

/// Baselines of the date block's rows, centred in the band.
pub fn info_baselines(grid: &Grid, lines: u32, size: f32, rows: usize) -> Vec<f32> {
    let (top, bottom) = grid.masthead_band(lines);
    let lead = size * INFO_LEAD;
    let first = top + (bottom - top - lead * rows as f32) / 2.0 + size;
    (0..rows).map(|i| first + i as f32 * lead).collect()
}

/// Whether the name and the date block stay between the top of the
/// band and the thick rule.
pub fn fits(grid: &Grid, lines: u32, name_size: f32, info_size: f32, rows: usize) -> bool {
    let (top, bottom) = grid.masthead_band(lines);
    let rule_top = bottom - RULE_RAISE - RULE_WIDTH / 2.0;
    let (ns, nb) = name(grid, lines, name_size);
    let name_ok = nb + EM_DESCENT * ns <= rule_top + FIT_TOLERANCE;
    let info = info_baselines(grid, lines, info_size, rows);
    let info_ok = match (info.first(), info.last()) {
        (Some(first), Some(last)) => {
            first - EM_ASCENT * info_size >= top - FIT_TOLERANCE
                && last + EM_DESCENT * info_size <= rule_top + FIT_TOLERANCE
        }
        _ => true,
    };
    name_ok && info_ok
}
