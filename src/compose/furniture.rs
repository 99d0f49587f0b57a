//! Page furniture: the masthead (报头) on page 1 with its date block and
//! 导读, the running header (报眉) above a rule on every other page, and
//! the folio line naming a page's editor, designer and proofreader.

use std::rc::Rc;

use crate::display::{Cmyk, Item, Page, Rect, Role, Rule};
use crate::layout::{masthead, Layout, PageCredits, EM_ASCENT};
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

/// Where a furniture line goes: start x, width to align in, baseline.
struct Place {
    x: f32,
    width: f32,
    baseline: f32,
    align: Align,
}

/// Set one line of furniture text and keep what was shaped in `shown`;
/// returns the line's width (0 for no text).
fn text_line(
    page: &mut Page,
    (text, keys): (&str, Vec<(usize, String)>),
    style: &Resolved<'_>,
    at: Place,
    role: Role,
    db: &ShaperCell<'_>,
    shown: &mut Shown,
) -> f32 {
    let Place {
        x,
        width,
        baseline,
        align,
    } = at;
    if text.is_empty() {
        return 0.0;
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
    block.first().map_or(0.0, |bl| bl.line.width)
}

/// The width of a furniture text set on one line.
fn natural_width(text: &str, style: &Resolved<'_>, db: &ShaperCell<'_>) -> f32 {
    set_block(text, style, style.chain.size * 200.0, db)
        .first()
        .map_or(0.0, |bl| bl.line.width)
}

/// Space between the teaser block and the name or the date block, and
/// between a teaser's title and its page, in the info size.
const TEASER_GAP_EM: f32 = 2.0;
/// Space between the teaser block's frame and its text, in the info size.
const TEASER_PAD_EM: f32 = 0.5;
/// The smallest size a long teaser title is shrunk to, pt (八号): below
/// it a title is unreadable, and running into the date block is the
/// lesser harm (a masthead that narrow has no room for 导读 at all).
const TEASER_MIN_SIZE: f32 = 5.0;
/// Width of the teaser block's frame, pt.
const TEASER_FRAME: f32 = 0.5;

/// Where the 导读 block goes: its text's left edge and width, and the
/// baselines of its heading and rows.
struct TeaserBlock {
    x: f32,
    width: f32,
    baselines: Vec<f32>,
}

impl TeaserBlock {
    /// A furniture line of the block on `baseline`.
    fn at(&self, baseline: f32, align: Align) -> Place {
        Place {
            x: self.x,
            width: self.width,
            baseline,
            align,
        }
    }
}

/// The teaser block's heading in the script of the page: 导读 or 導讀.
fn teaser_heading(layout: &Layout) -> &'static str {
    masthead::titles(layout.text_settings.locale).teasers
}

/// The 导读 block as wide as its widest row needs (title, a gap, page),
/// at most the room between the name and the date block (`left`,
/// `right`), centred in that room; `None` without teasers.
fn teaser_block(
    layout: &Layout,
    info: &Resolved<'_>,
    (left, right): (f32, f32),
    db: &ShaperCell<'_>,
) -> Option<TeaserBlock> {
    let paper = &layout.paper;
    if paper.teasers.is_empty() {
        return None;
    }
    let size = info.chain.size;
    let needed = paper
        .teasers
        .iter()
        .map(|t| {
            natural_width(&t.title, info, db)
                + size * TEASER_GAP_EM
                + natural_width(&teaser_page(t.page), info, db)
        })
        .fold(natural_width(teaser_heading(layout), info, db), f32::max);
    let width = needed
        .min(right - left - 2.0 * size * TEASER_PAD_EM)
        .max(0.0);
    let rows = masthead::teaser_rows(paper);
    Some(TeaserBlock {
        x: (left + right) / 2.0 - width / 2.0,
        width,
        baselines: masthead::info_baselines(&layout.grid, layout.masthead_lines, size, rows),
    })
}

/// How a teaser names its page.
fn teaser_page(page: u32) -> String {
    format!("第{page}版")
}

/// The 导读 of page 1's masthead, between the name and the date block
/// (`room`, left and right x): a heading and one row per teaser, the
/// title at the left and its page (`第3版`) at the right, in a thin frame.
/// A title too long for the room is set smaller rather than over the date
/// block.
fn teasers(
    page: &mut Page,
    layout: &Layout,
    info: &Resolved<'_>,
    room: (f32, f32),
    db: &ShaperCell<'_>,
    shown: &mut Shown,
) {
    let Some(block) = teaser_block(layout, info, room, db) else {
        return;
    };
    let (Some(&first), Some(&last)) = (block.baselines.first(), block.baselines.last()) else {
        return;
    };
    let size = info.chain.size;
    let pad = size * TEASER_PAD_EM;
    page.items.push(Item::Rect(Rect {
        role: Role::Masthead,
        x: block.x - pad,
        y: first - EM_ASCENT * size - pad,
        width: block.width + 2.0 * pad,
        height: last - first + size + 2.0 * pad,
        fill: None,
        stroke: Some(Cmyk::BLACK),
        stroke_width: TEASER_FRAME,
    }));
    let heading = (teaser_heading(layout), Vec::new());
    let at = block.at(first, Align::Start);
    text_line(page, heading, info, at, Role::Masthead, db, shown);
    for (i, (teaser, &y)) in layout
        .paper
        .teasers
        .iter()
        .zip(&block.baselines[1..])
        .enumerate()
    {
        let key = |part: &str| vec![(0, format!("masthead.teasers[{}].{part}", i + 1))];
        // The title is drawn before its page so the text layer reads the
        // row in order.
        let number = teaser_page(teaser.page);
        let room = block.width - natural_width(&number, info, db) - size * TEASER_GAP_EM;
        let title_width = natural_width(&teaser.title, info, db);
        let style = if title_width > room && title_width > 0.0 {
            info.sized((size * room / title_width).max(TEASER_MIN_SIZE))
        } else {
            info.clone()
        };
        let title = (teaser.title.as_str(), key("title"));
        let at = block.at(y, Align::Start);
        text_line(page, title, &style, at, Role::Masthead, db, shown);
        let at = block.at(y, Align::End);
        text_line(
            page,
            (&number, key("page")),
            info,
            at,
            Role::Masthead,
            db,
            shown,
        );
    }
}

/// Space between the type area's foot and the folio line's baseline, in
/// the running header's size.
const FOLIO_DROP_EM: f32 = 1.6;

/// The folio line under the type area of a page whose plan names its
/// people: `责任编辑 张三　美编 李四　校对 王五`, at the left.
pub(super) fn folio(
    page: &mut Page,
    layout: &Layout,
    (credits, index): (&PageCredits, usize),
    styles: &Styles<'_>,
    db: &ShaperCell<'_>,
    shown: &mut Shown,
) {
    let text = credits.line(masthead::titles(layout.text_settings.locale));
    if text.is_empty() {
        return;
    }
    let g = &layout.grid;
    let style = &styles.running_header;
    let foot = g.line_top(g.lines) + g.pitch;
    let key = format!("pages[{}].editor", index + 1);
    text_line(
        page,
        (&text, vec![(0, key)]),
        style,
        Place {
            x: g.left,
            width: g.type_width(),
            baseline: foot + style.chain.size * FOLIO_DROP_EM,
            align: Align::Start,
        },
        Role::RunningHeader,
        db,
        shown,
    );
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
    let name_width = text_line(
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
    // The edition's date, 农历, weather, issue, numbers and page on the
    // right, one per line; layout::masthead_fits made sure they stay above
    // the rule.
    let info = &styles.masthead_info;
    let rows = masthead::info_rows(
        &layout.paper,
        layout.pages.first().map_or("要闻", |s| s.section.as_str()),
        masthead::titles(layout.text_settings.locale),
    );
    let baselines = masthead::info_baselines(g, lines, info.chain.size, rows.len());
    let mut info_width: f32 = 0.0;
    for (row, y) in rows.into_iter().zip(baselines) {
        let set = text_line(
            page,
            (&row.text, row.keys),
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
        info_width = info_width.max(set);
    }
    let gap = info.chain.size * TEASER_GAP_EM;
    teasers(
        page,
        layout,
        info,
        (g.left + name_width + gap, g.left + width - info_width - gap),
        db,
        shown,
    );
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
