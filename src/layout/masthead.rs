//! Where the parts of the masthead go. Shared by the check that
//! `masthead_lines` is tall enough and by the furniture that draws it, so
//! the two cannot disagree.

use super::model::{Grid, Paper, EM_ASCENT, EM_DESCENT, FIT_TOLERANCE};
use crate::fonts::Locale;

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

/// The fixed words of the masthead and the folio line, in the script of
/// the page's locale: a Traditional page prints 農曆 and 責任編輯, not
/// 农历 and 责任编辑.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Titles {
    /// Before the CN number (as mainland papers print it).
    pub cn: &'static str,
    /// Before the postal subscription code.
    pub postal: &'static str,
    /// Before the lunar date, unless the written date starts with it.
    pub lunar: &'static str,
    /// The heading of the teaser block.
    pub teasers: &'static str,
    /// The folio line's page editor.
    pub editor: &'static str,
    /// The folio line's designer.
    pub designer: &'static str,
    /// The folio line's proofreader.
    pub proofreader: &'static str,
}

/// [`Titles`] in Simplified characters.
pub const SIMPLIFIED_TITLES: Titles = Titles {
    cn: "国内统一刊号",
    postal: "邮发代号",
    lunar: "农历",
    teasers: "导读",
    editor: "责任编辑",
    designer: "美编",
    proofreader: "校对",
};

/// [`Titles`] in Traditional characters.
pub const TRADITIONAL_TITLES: Titles = Titles {
    cn: "國內統一刊號",
    postal: "郵發代號",
    lunar: "農曆",
    teasers: "導讀",
    editor: "責任編輯",
    designer: "美編",
    proofreader: "校對",
};

/// The [`Titles`] a page set in `locale` prints.
pub fn titles(locale: Locale) -> &'static Titles {
    match locale.is_hant() {
        true => &TRADITIONAL_TITLES,
        false => &SIMPLIFIED_TITLES,
    }
}

/// One row of the masthead's date block: its text and the layout keys
/// its parts come from (byte where each part starts, key), for the
/// missing-glyph report.
#[derive(Debug, Clone, PartialEq)]
pub struct InfoRow {
    /// The row as printed.
    pub text: String,
    /// (byte offset, layout key) of each part.
    pub keys: Vec<(usize, String)>,
}

/// A row of a title and one layout value (`国内统一刊号 CN14-0052`); no row
/// for an empty value.
fn titled(title: &str, value: &str, key: &str) -> Option<InfoRow> {
    let value = value.trim();
    (!value.is_empty()).then(|| {
        let text = if title.is_empty() || value.starts_with(title) {
            value.to_string()
        } else {
            format!("{title} {value}")
        };
        InfoRow {
            keys: vec![(0, key.to_string())],
            text,
        }
    })
}

/// The right-hand block: date and weekday, 农历 date, weather, issue,
/// 国内统一刊号, 邮发代号, page and section; rows with nothing to print
/// are left out.
pub fn info_rows(paper: &Paper, first_section: &str, titles: &Titles) -> Vec<InfoRow> {
    let date = paper.date.trim();
    let weekday = paper.weekday.trim();
    let dated = match (date.is_empty(), weekday.is_empty()) {
        (true, true) => None,
        (false, true) => titled("", date, "paper.date"),
        (true, false) => titled("", weekday, "paper.weekday"),
        (false, false) => Some(InfoRow {
            text: format!("{date} {weekday}"),
            keys: vec![
                (0, "paper.date".to_string()),
                (date.len() + 1, "paper.weekday".to_string()),
            ],
        }),
    };
    let lunar = paper.lunar_date.trim();
    let lunar = (!lunar.is_empty()).then(|| InfoRow {
        text: if lunar.starts_with(titles.lunar) {
            lunar.to_string()
        } else {
            format!("{}{lunar}", titles.lunar)
        },
        keys: vec![(0, "paper.lunar_date".to_string())],
    });
    let page = format!("第1版 {first_section}").trim().to_string();
    [
        dated,
        lunar,
        titled("", &paper.weather, "paper.weather"),
        titled("", &paper.issue, "paper.issue"),
        titled(titles.cn, &paper.cn, "paper.cn"),
        titled(titles.postal, &paper.postal_code, "paper.postal_code"),
        titled("", &page, "pages[1].section"),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// Rows of the teaser block: its heading and one per 导读; none without
/// teasers.
pub fn teaser_rows(paper: &Paper) -> usize {
    match paper.teasers.len() {
        0 => 0,
        n => n + 1,
    }
}

/// Rows of the taller of the date block and the teaser block, which
/// share the band's height and its centring.
pub fn rows(paper: &Paper, first_section: &str) -> usize {
    // The titles change no row's presence, only its words.
    info_rows(paper, first_section, &SIMPLIFIED_TITLES)
        .len()
        .max(teaser_rows(paper))
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
