//! Page furniture: the masthead (报头) on page 1, the running header (报眉)
//! above a rule on every other page.

use crate::display::{Cmyk, Item, Page, Role, Rule};
use crate::layout::{masthead, Layout};
use crate::paragraph::Align;

use super::lines::{align_offset, line_runs, set_block, ShaperCell};
use super::{Resolved, Styles};

/// Where a furniture line goes: start x, width to align in, baseline.
struct Place {
    x: f32,
    width: f32,
    baseline: f32,
    align: Align,
}

fn text_line(
    page: &mut Page,
    text: &str,
    style: &Resolved<'_>,
    at: Place,
    role: Role,
    db: &ShaperCell<'_>,
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
    for bl in block.iter().take(1) {
        let off = align_offset(align, width, bl.line.width);
        page.items.extend(line_runs(
            &bl.shaped.text,
            &bl.line,
            x + off,
            baseline,
            style.style.color,
            role,
            None,
            None,
            None,
            None,
        ));
    }
}

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

pub(super) fn masthead(page: &mut Page, layout: &Layout, styles: &Styles<'_>, db: &ShaperCell<'_>) {
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
        &layout.paper.name,
        &name,
        Place {
            x: g.left,
            width,
            baseline: name_baseline,
            align: Align::Start,
        },
        Role::Masthead,
        db,
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
            row,
            info,
            Place {
                x: g.left,
                width,
                baseline: y,
                align: Align::End,
            },
            Role::Masthead,
            db,
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

pub(super) fn running_header(
    page: &mut Page,
    layout: &Layout,
    styles: &Styles<'_>,
    db: &ShaperCell<'_>,
    section: &str,
) {
    let g = &layout.grid;
    let width = g.type_width();
    let style = &styles.running_header;
    let rule_y = g.top - style.chain.size * 0.6;
    let baseline = rule_y - style.chain.size * 0.5;
    let p = &layout.paper;
    let left = format!("{} {} {}", p.name, p.date, p.weekday)
        .trim()
        .to_string();
    let number = format!("第{}版", page.number);
    // Even pages carry the page number outside on the left, odd on the right.
    let (outer_left, outer_right) = if page.number.is_multiple_of(2) {
        (number.clone(), left.clone())
    } else {
        (left.clone(), number.clone())
    };
    text_line(
        page,
        &outer_left,
        style,
        Place {
            x: g.left,
            width,
            baseline,
            align: Align::Start,
        },
        Role::RunningHeader,
        db,
    );
    text_line(
        page,
        section,
        style,
        Place {
            x: g.left,
            width,
            baseline,
            align: Align::Center,
        },
        Role::RunningHeader,
        db,
    );
    text_line(
        page,
        &outer_right,
        style,
        Place {
            x: g.left,
            width,
            baseline,
            align: Align::End,
        },
        Role::RunningHeader,
        db,
    );
    rule(page, rule_y, g.left, g.left + width, 0.75);
}
