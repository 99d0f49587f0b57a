//! Boxed and tinted modules (issue 19 item 6): the frame in its rule
//! style, the tint beneath the module's text, and the inner padding that
//! moves the text inwards while keeping it on the grid.
//!
//! Padding is in 字: the measure shrinks by that many body characters on
//! each side (so lines stay whole characters) and the text starts and ends
//! that far inside the box, rounded up to whole grid lines (so every
//! baseline stays on the page's grid).

use super::module::{ModuleBox, Setting};
use super::{Composer, GRID_SNAP};
use crate::display::{Cmyk, Item, Rect, Role, Rule};
use crate::layout::{BoxRule, LeadLook, ModuleSpec};

/// Space between the two rules of a double or thick-thin frame, pt.
const DOUBLE_GAP_PT: f32 = 1.5;
/// The thick rule of a thick-thin frame, in the layout's rule width.
const THICK_RULES: f32 = 3.0;
/// A dotted frame's dots are square, this many rule widths apart (centre
/// to centre), and never smaller than [`MIN_DOT_PT`].
const DOT_PITCH: f32 = 3.0;
/// The smallest dot of a dotted frame, pt: finer dots vanish on newsprint.
const MIN_DOT_PT: f32 = 0.75;
/// A tinted 导语's ground: 10 % black, light enough for text on newsprint.
const LEAD_TINT: Cmyk = Cmyk(0.0, 0.0, 0.0, 10.0);
/// How far a 导语's frame or tint reaches into the gutter, in gutters: the
/// text keeps its measure and the frame stays clear of the next column.
const LEAD_REACH_GUTTERS: f32 = 0.25;

impl<'a> Composer<'a> {
    /// Grid lines the module's padding takes at its top and at its foot.
    pub(super) fn pad_lines(&self, m: &ModuleSpec) -> u32 {
        let g = self.grid();
        match m.boxing.padding {
            0 => 0,
            p => (p as f32 * g.body_size / g.pitch - GRID_SNAP).ceil() as u32,
        }
    }

    /// The module's padding across, pt.
    pub(super) fn pad_x(&self, m: &ModuleSpec) -> f32 {
        m.boxing.padding as f32 * self.grid().body_size
    }

    /// The box a frame and a tint are drawn on: half a gutter outside the
    /// module's columns, its first grid line to its last.
    fn frame_box(&self, m: &ModuleSpec) -> ModuleBox {
        let g = self.grid();
        let area = self.module_box(m);
        ModuleBox {
            x0: area.x0 - g.gutter() / 2.0,
            x1: area.x1 + g.gutter() / 2.0,
            ..area
        }
    }

    /// The tint of a module, put beneath everything drawn for it since
    /// item `first_item` of its page.
    pub(super) fn module_tint(&mut self, s: Setting<'_>, first_item: usize) {
        let Some(tint) = s.spec.boxing.tint else {
            return;
        };
        let b = self.frame_box(s.spec);
        let rect = Item::Rect(Rect {
            role: Role::Tint,
            x: b.x0,
            y: b.y0,
            width: b.x1 - b.x0,
            height: b.y1 - b.y0,
            fill: Some(tint),
            stroke: None,
            stroke_width: 0.0,
        });
        let items = &mut self.page_mut(s.page).items;
        items.insert(first_item.min(items.len()), rect);
    }

    /// The frame or tint of the module's 导语 lines (`[elements] lead`), one
    /// per column it stands in, on whole grid lines: a tint goes beneath
    /// everything drawn for the module since item `first_item`.
    pub(super) fn lead_grounds(&mut self, s: Setting<'_>, first_item: usize) {
        let look = self.layout.elements.lead;
        if look == LeadLook::Plain {
            return;
        }
        let g = self.grid();
        let reach = g.gutter() * LEAD_REACH_GUTTERS;
        let mut columns: Vec<LeadExtent> = Vec::new();
        let items = &self.page_mut(s.page).items;
        for item in items.iter().skip(first_item) {
            let Item::Glyphs(run) = item else { continue };
            let (Role::Lead, Some(column), Some(line)) = (run.role, run.column, run.grid_line)
            else {
                continue;
            };
            if run.module != Some(s.module) {
                continue;
            }
            match columns.iter_mut().find(|c| c.column == column) {
                Some(c) => {
                    c.left = c.left.min(run.x);
                    c.right = c.right.max(run.end_x());
                    c.first_line = c.first_line.min(line);
                    c.last_line = c.last_line.max(line);
                }
                None => columns.push(LeadExtent {
                    column,
                    left: run.x,
                    right: run.end_x(),
                    first_line: line,
                    last_line: line,
                }),
            }
        }
        let width = self.layout.rule_width;
        let grounds = columns.into_iter().map(|c| {
            let (y0, y1) = (g.line_top(c.first_line), g.line_top(c.last_line) + g.pitch);
            let (fill, stroke) = match look {
                LeadLook::Tinted => (Some(LEAD_TINT), None),
                _ => (None, Some(Cmyk::BLACK)),
            };
            Item::Rect(Rect {
                role: Role::Lead,
                x: c.left - reach,
                y: y0,
                width: c.right - c.left + 2.0 * reach,
                height: y1 - y0,
                fill,
                stroke,
                stroke_width: if stroke.is_some() { width } else { 0.0 },
            })
        });
        let grounds: Vec<Item> = grounds.collect();
        let items = &mut self.page_mut(s.page).items;
        match look {
            LeadLook::Tinted => {
                let at = first_item.min(items.len());
                items.splice(at..at, grounds);
            }
            _ => items.extend(grounds),
        }
    }

    /// The frame of a boxed module in its rule style.
    pub(super) fn module_frame(&mut self, s: Setting<'_>) {
        let Some(rule) = s.spec.boxing.rule else {
            return;
        };
        let b = self.frame_box(s.spec);
        let width = self.layout.rule_width;
        let inset = |by: f32| ModuleBox {
            x0: b.x0 + by,
            y0: b.y0 + by,
            x1: b.x1 - by,
            y1: b.y1 - by,
        };
        let items = match rule {
            BoxRule::Single => vec![outline(b, width)],
            BoxRule::Double => vec![
                outline(b, width),
                outline(inset(width + DOUBLE_GAP_PT), width),
            ],
            BoxRule::ThickThin => {
                let thick = width * THICK_RULES;
                // The thick rule's inner edge, then the gap, then the thin.
                let thin_at = thick / 2.0 + DOUBLE_GAP_PT + width / 2.0;
                vec![outline(b, thick), outline(inset(thin_at), width)]
            }
            BoxRule::Dotted => dots(b, width.max(MIN_DOT_PT)),
        };
        self.page_mut(s.page).items.extend(items);
    }
}

/// A rectangle stroked in black, nothing filled.
fn outline(b: ModuleBox, width: f32) -> Item {
    Item::Rect(Rect {
        role: Role::ModuleRule,
        x: b.x0,
        y: b.y0,
        width: b.x1 - b.x0,
        height: b.y1 - b.y0,
        fill: None,
        stroke: Some(Cmyk::BLACK),
        stroke_width: width,
    })
}

/// A dotted frame: square dots (a stroke as long as it is wide) evenly
/// spaced along each side, one at every corner.
fn dots(b: ModuleBox, dot: f32) -> Vec<Item> {
    let pitch = dot * DOT_PITCH;
    let mut items = Vec::new();
    let mut side = |(x0, y0): (f32, f32), (x1, y1): (f32, f32)| {
        let length = ((x1 - x0).powi(2) + (y1 - y0).powi(2)).sqrt();
        let n = (length / pitch).round().max(1.0) as usize;
        // Each side's dots run from its first corner up to, not including,
        // its last: the next side starts there.
        for i in 0..n {
            let t = i as f32 / n as f32;
            let (x, y) = (x0 + (x1 - x0) * t, y0 + (y1 - y0) * t);
            items.push(Item::Rule(Rule {
                role: Role::ModuleRule,
                x0: x - dot / 2.0,
                y0: y,
                x1: x + dot / 2.0,
                y1: y,
                width: dot,
                color: Cmyk::BLACK,
            }));
        }
    };
    side((b.x0, b.y0), (b.x1, b.y0));
    side((b.x1, b.y0), (b.x1, b.y1));
    side((b.x1, b.y1), (b.x0, b.y1));
    side((b.x0, b.y1), (b.x0, b.y0));
    items
}

/// Where a module's 导语 stands in one column: the x its lines start and
/// end at, and its first and last grid line.
struct LeadExtent {
    column: usize,
    left: f32,
    right: f32,
    first_line: u32,
    last_line: u32,
}
