//! Page furniture: the masthead (报头) on page 1, the running header (报眉)
//! above a rule on every other page.

use std::rc::Rc;

use crate::display::{Cmyk, Item, Page, Role, Rule};
use crate::layout::{masthead, Layout};
use crate::paragraph::Align;
use crate::text::ShapedText;

use super::bind::{Resolved, Styles};
use super::runs::{align_offset, line_runs, set_block, Owner, Paint, Placement, ShaperCell};

/// Furniture text as it was shaped, with the layout key each part of it
/// comes from (byte where the part starts, key), for the missing-glyph
/// report.
pub(super) type Shown = Vec<(Rc<ShapedText>, Vec<(usize, String)>)>;

/// Text made of layout values joined by spaces, with the key of each part.
fn joined(parts: &[(&str, &str)]) -> (String, Vec<(usize, String)>) {
    let mut text = String::new();
    let mut keys = Vec::new();
    for (value, key) in parts {
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        if !text.is_empty() {
            text.push(' ');
        }
        keys.push((text.len(), key.to_string()));
        text.push_str(value);
    }
    (text, keys)
}

/// The layout keys of a row of the masthead's date block
/// ([`masthead::info_rows`]): the date and weekday, the issue, or the first
/// page's section.
fn info_row_keys(row: &str, paper: &crate::layout::Paper) -> Vec<(usize, String)> {
    if row.starts_with("第1版") {
        return vec![(0, "pages[1].section".to_string())];
    }
    if row == paper.issue {
        return vec![(0, "paper.issue".to_string())];
    }
    let weekday = paper.weekday.trim();
    let mut keys = vec![(0, "paper.date".to_string())];
    if !weekday.is_empty() && row.ends_with(weekday) {
        keys.push((row.len() - weekday.len(), "paper.weekday".to_string()));
    }
    keys
}

/// Where a furniture line goes: start x, width to align in, baseline.
struct Place {
    x: f32,
    width: f32,
    baseline: f32,
    align: Align,
}

/// Set one line of furniture text and keep what was shaped in `shown`.
fn text_line(
    page: &mut Page,
    (text, keys): (&str, Vec<(usize, String)>),
    style: &Resolved<'_>,
    at: Place,
    role: Role,
    db: &ShaperCell<'_>,
    shown: &mut Shown,
) {
    let Place {
        x,
        width,
        baseline,
        align,
    } = at;
    if text.is_empty() {
        return;
    }
    // Furniture is one line: a long paper name is set at natural width
    // rather than wrapped.
    let block = set_block(text, style, width.max(style.chain.size * 200.0), db);
    if let Some(bl) = block.first() {
        shown.push((bl.shaped.clone(), keys));
    }
    for bl in block.iter().take(1) {
        let off = align_offset(align, width, bl.line.width);
        page.items.extend(line_runs(
            &bl.shaped.text,
            &bl.line,
            Placement {
                x: x + off,
                baseline,
            },
            Paint {
                color: style.style.color,
                role,
            },
            Owner::default(),
        ));
    }
}

/// A header rule across the type area.
fn rule(page: &mut Page, y: f32, x0: f32, x1: f32, width: f32) {
    page.items.push(Item::Rule(Rule {
        role: Role::HeaderRule,
        x0,
        y0: y,
        x1,
        y1: y,
        width,
        color: Cmyk::BLACK,
    }));
}

/// The masthead (报头) of page 1: the paper's name, the date block, and a
/// thick and a thin rule.
pub(super) fn masthead(
    page: &mut Page,
    layout: &Layout,
    styles: &Styles<'_>,
    db: &ShaperCell<'_>,
    shown: &mut Shown,
) {
    let g = &layout.grid;
    let lines = layout.masthead_lines;
    if lines == 0 {
        return;
    }
    let (_, bottom) = g.masthead_band(lines);
    let width = g.type_width();
    let (name_size, name_baseline) = masthead::name(g, lines, styles.masthead.chain.size);
    let name = styles.masthead.sized(name_size);
    text_line(
        page,
        (&layout.paper.name, vec![(0, "paper.name".to_string())]),
        &name,
        Place {
            x: g.left,
            width,
            baseline: name_baseline,
            align: Align::Start,
        },
        Role::Masthead,
        db,
        shown,
    );
    // The edition's date, issue and page on the right, one per line;
    // layout::masthead_fits made sure they stay above the rule.
    let info = &styles.masthead_info;
    let rows = masthead::info_rows(
        &layout.paper,
        layout.pages.first().map_or("要闻", |s| s.section.as_str()),
    );
    let baselines = masthead::info_baselines(g, lines, info.chain.size, rows.len());
    for (row, y) in rows.iter().zip(baselines) {
        text_line(
            page,
            (row, info_row_keys(row, &layout.paper)),
            info,
            Place {
                x: g.left,
                width,
                baseline: y,
                align: Align::End,
            },
            Role::Masthead,
            db,
            shown,
        );
    }
    // A thick and a thin rule under the masthead.
    rule(
        page,
        bottom - masthead::RULE_RAISE,
        g.left,
        g.left + width,
        masthead::RULE_WIDTH,
    );
    rule(page, bottom + 0.8, g.left, g.left + width, 0.5);
}

/// The running header (报眉) of every other page: name and date outside,
/// section in the middle, page number on the outer edge, a rule below.
pub(super) fn running_header(
    page: &mut Page,
    layout: &Layout,
    styles: &Styles<'_>,
    db: &ShaperCell<'_>,
    (section, section_key): (&str, &str),
    shown: &mut Shown,
) {
    let g = &layout.grid;
    let width = g.type_width();
    let style = &styles.running_header;
    let rule_y = g.top - style.chain.size * 0.6;
    let baseline = rule_y - style.chain.size * 0.5;
    let p = &layout.paper;
    let left = joined(&[
        (&p.name, "paper.name"),
        (&p.date, "paper.date"),
        (&p.weekday, "paper.weekday"),
    ]);
    let number = (format!("第{}版", page.number), Vec::new());
    // Even pages carry the page number outside on the left, odd on the right.
    let (outer_left, outer_right) = if page.number.is_multiple_of(2) {
        (number, left)
    } else {
        (left, number)
    };
    text_line(
        page,
        (&outer_left.0, outer_left.1),
        style,
        Place {
            x: g.left,
            width,
            baseline,
            align: Align::Start,
        },
        Role::RunningHeader,
        db,
        shown,
    );
    text_line(
        page,
        (section, vec![(0, section_key.to_string())]),
        style,
        Place {
            x: g.left,
            width,
            baseline,
            align: Align::Center,
        },
        Role::RunningHeader,
        db,
        shown,
    );
    text_line(
        page,
        (&outer_right.0, outer_right.1),
        style,
        Place {
            x: g.left,
            width,
            baseline,
            align: Align::End,
        },
        Role::RunningHeader,
        db,
        shown,
    );
    rule(page, rule_y, g.left, g.left + width, 0.75);
}
