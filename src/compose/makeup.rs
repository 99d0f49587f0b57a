//! Make-up of the planned modules: where each stands once the modules
//! above it are placed (a top that stacks, a height taken from the text),
//! and how its body columns are cut so that text shorter than the module
//! ends level (齐栏, the algorithm in `balance`).

use super::balance::{balance, Column};
use super::bind::Assignment;
use super::fill::Cursor;
use super::module::{ModuleBox, Setting, Slot};
use super::report::{HeadFit, Holder, ModuleFit};
use super::runs::{align_offset, line_runs, set_block, Owner, Paint, Placement};
use super::{Composer, EPSILON_PT};
use crate::display::{Cmyk, Item, ModuleFrame, Rect, Role};
use crate::layout::ModuleSpec;
use crate::paragraph::Align;

/// How far above the module's foot the overset note's baseline stands, in
/// em of the body size.
const OVERSET_NOTE_RAISE_EM: f32 = 0.3;
/// How far the baseline of a placeholder's label stands below the middle of
/// its frame, in em: about half an ideograph's height, which centres it.
const LABEL_RAISE_EM: f32 = 0.38;
/// The grid lines a module was given on its page, 1-based inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct ModuleLines {
    pub(super) first: u32,
    pub(super) last: u32,
}

/// Where the text of a planned module stands once it is set.
pub(super) struct ModuleSet {
    /// Where the text stands if it did not all fit.
    pub(super) rest: Option<Cursor>,
    /// The lines the module took.
    pub(super) lines: ModuleLines,
}

impl<'a> Composer<'a> {
    /// Set module `mi` of page `pi`: its article, the continuation it
    /// receives, its placeholder or its empty frame; record the lines it
    /// took in `placed` and where its text goes on in `continued_into`.
    pub(super) fn set_planned_module(
        &mut self,
        pi: usize,
        mi: usize,
        plan: &Assignment,
        continued_into: &mut [Vec<Option<Cursor>>],
        placed: &mut [Option<ModuleLines>],
    ) {
        let m = &self.place_module(pi, mi, placed);
        let whole = ModuleLines {
            first: m.lines.0,
            last: m.lines.1,
        };
        let cursor = match (plan.articles[pi][mi], &m.article, continued_into[pi][mi]) {
            (Some(_), Some(_), _) => Some(Cursor::default()),
            (Some(_), None, Some(cursor)) => Some(cursor),
            _ => None,
        };
        let (Some(article), Some(cursor)) = (plan.articles[pi][mi], cursor) else {
            match &m.placeholder {
                Some(label) => self.placeholder(pi, mi, m, label),
                None if m.media.is_some() => self.media_module(pi, mi, m),
                // A continuation target whose source fitted: nothing to set;
                // one that takes its height from its text takes a line.
                None => {
                    let frame = ModuleSpec {
                        lines: (m.lines.0, if m.auto_bottom { m.lines.0 } else { m.lines.1 }),
                        ..m.clone()
                    };
                    self.empty_module(pi, mi, &frame);
                    placed[mi] = Some(ModuleLines {
                        first: frame.lines.0,
                        last: frame.lines.1,
                    });
                    return;
                }
            }
            placed[mi] = Some(whole);
            return;
        };
        let setting = Setting {
            page: pi,
            module: mi,
            spec: m,
            article,
        };
        if m.lines.0 > m.lines.1 {
            self.no_room(setting, cursor);
            placed[mi] = Some(ModuleLines {
                first: m.lines.0,
                last: m.lines.0 - 1,
            });
            return;
        }
        let set = self.set_module(setting, cursor);
        placed[mi] = Some(set.lines);
        if let (Some(rest), Some(to)) = (set.rest, m.continue_to) {
            continued_into[to.page - 1][to.module - 1] = Some(rest);
        }
    }

    /// Module `mi` of page `pi` with its lines placed: a top that stacks
    /// goes below the modules written before it that share a column; a
    /// height from the text may reach down to the line above the next
    /// module below in its columns, or the grid's last line. The first line
    /// is below the last when the modules above leave no room.
    fn place_module(&self, pi: usize, mi: usize, placed: &[Option<ModuleLines>]) -> ModuleSpec {
        let page = &self.layout.pages[pi];
        let m = &page.modules[mi];
        let shares = |o: &ModuleSpec| o.columns.0 <= m.columns.1 && m.columns.0 <= o.columns.1;
        let mut top = m.lines.0;
        if m.auto_top {
            for (o, at) in page.modules[..mi].iter().zip(placed) {
                if let (true, Some(at)) = (shares(o), at) {
                    top = top.max(at.last + 1);
                }
            }
        }
        let mut last = m.lines.1;
        if m.auto_bottom {
            for (oi, o) in page.modules.iter().enumerate() {
                if oi == mi || !shares(o) {
                    continue;
                }
                // A later module that stacks goes below this one.
                let o_top = match placed.get(oi).copied().flatten() {
                    Some(at) => Some(at.first),
                    None => (!o.auto_top).then_some(o.lines.0),
                };
                if let Some(t) = o_top.filter(|&t| t >= top) {
                    last = last.min(t - 1);
                }
            }
        }
        ModuleSpec {
            lines: (top, last),
            ..m.clone()
        }
    }

    /// A module the modules above left no line: its text is reported as
    /// not set, with a warning saying why.
    fn no_room(&mut self, s: Setting<'_>, cursor: Cursor) {
        let measure = self
            .body_columns(s.spec)
            .first()
            .map_or(self.grid().column_width(), |c| c.1);
        let overset = self.count_remaining_lines(s.article, cursor, measure);
        self.report.warnings.push(format!(
            "page {} module {}: the modules above it end at grid line {}, below its last line {}: article {} is not set",
            s.page + 1,
            s.module + 1,
            s.spec.lines.0 - 1,
            s.spec.lines.1,
            s.article + 1
        ));
        // An empty frame keeps the page's frames numbered as its modules.
        let none = ModuleSpec {
            lines: (s.spec.lines.0, s.spec.lines.0 - 1),
            ..s.spec.clone()
        };
        let name = format!("page {} module {} (no room)", s.page + 1, s.module + 1);
        let frame = ModuleFrame {
            module: Some(s.module + 1),
            article: Some(s.article + 1),
            ..self.module_box(&none).frame(name, Vec::new())
        };
        self.page_mut(s.page).modules.push(frame);
        let overset_at = self.paragraph_line(s.article, cursor.paragraph);
        self.report.modules.push(ModuleFit {
            page: s.page as u32 + 1,
            module: s.module + 1,
            article: s.article + 1,
            headline: self.edition.articles[s.article].headline.concat(),
            lines_set: 0,
            lines_available: 0,
            overset,
            overset_at,
            continued: false,
            continued_on: None,
            empty: 0,
            lines: [s.spec.lines.0, s.spec.lines.0],
            auto_height: s.spec.auto_bottom,
            chars_per_line: self.chars_per_line(measure),
            columns: self.body_columns(s.spec).len() as u32,
            grid_lines: 0,
            head: HeadFit::default(),
            copyfit: None,
        });
    }

    /// Cut the slots where the balanced text from `cursor` ends in each
    /// (齐栏); false, leaving them whole, when the text does not fit.
    pub(super) fn balance_columns(
        &mut self,
        article: usize,
        cursor: Cursor,
        slots: &mut [Slot],
    ) -> bool {
        let Some(measure) = slots.first().map(|s| s.measure) else {
            return false;
        };
        // Balancing deals lines broken once at one measure (破栏 columns
        // are equal too).
        if slots
            .iter()
            .any(|s| (s.measure - measure).abs() > EPSILON_PT)
        {
            return false;
        }
        let capacity: u32 = slots.iter().map(Slot::capacity).sum();
        let marks = self.line_marks(article, cursor, measure, capacity);
        if marks.is_empty() {
            for slot in slots.iter_mut() {
                slot.last_line = slot.first_line - 1;
            }
            return true;
        }
        let columns: Vec<Column> = slots
            .iter()
            .map(|s| Column {
                first: s.first_line,
                last: s.last_line,
            })
            .collect();
        let Some(ends) = balance(&columns, &marks) else {
            return false;
        };
        for (slot, end) in slots.iter_mut().zip(ends) {
            slot.last_line = end;
        }
        true
    }

    /// A reserved picture or advertisement space: a tinted frame with its
    /// label in the middle.
    pub(super) fn placeholder(&mut self, pi: usize, mi: usize, m: &ModuleSpec, label: &str) {
        let g = self.grid();
        let mut area = self.module_box(m);
        if m.lines.1 < g.lines {
            // Keep the blank last line like every module above another.
            area.y1 -= g.pitch;
        }
        let ModuleBox { x0, y0, x1, y1 } = area;
        let stroke_width = self.layout.rule_width;
        self.page_mut(pi).items.push(Item::Rect(Rect {
            role: Role::Placeholder,
            x: x0,
            y: y0 + g.pitch / 2.0,
            width: x1 - x0,
            height: y1 - y0 - g.pitch / 2.0,
            fill: Some(Cmyk(0.0, 0.0, 0.0, 12.0)),
            stroke: Some(Cmyk::BLACK),
            stroke_width,
        }));
        let style = self.styles.continuation_headline.clone();
        let block = set_block(label, &style, x1 - x0, &self.shaper);
        if let Some(bl) = block.first() {
            let key = format!("pages[{}].modules[{}].placeholder", pi + 1, mi + 1);
            let shaped = bl.shaped.clone();
            self.note_missing_in(Holder::layout(&key), 0, &shaped);
            let at = Placement {
                x: x0 + align_offset(Align::Center, x1 - x0, bl.line.width),
                baseline: (y0 + y1) / 2.0 + style.chain.size * LABEL_RAISE_EM,
            };
            let paint = Paint {
                color: style.style.color,
                role: Role::Placeholder,
            };
            let owner = Owner {
                module: Some(mi),
                ..Owner::default()
            };
            let items = line_runs(&bl.shaped.text, &bl.line, at, paint, owner);
            self.page_mut(pi).items.extend(items);
        }
        let name = format!("page {} module {} ({label})", pi + 1, mi + 1);
        let frame = ModuleFrame {
            module: Some(mi + 1),
            ..area.frame(name, Vec::new())
        };
        self.page_mut(pi).modules.push(frame);
    }

    /// Mark overset on a proof: a magenta frame round the module and a
    /// note of the lines that did not fit.
    pub(super) fn overset_mark(&mut self, pi: usize, area: ModuleBox, lines: u32) {
        let ModuleBox { x0, y0, x1, y1 } = area;
        // Magenta frame and a note: visible on proofs, and the report
        // already failed the build unless overset was allowed.
        let magenta = Cmyk(0.0, 100.0, 0.0, 0.0);
        self.page_mut(pi).items.push(Item::Rect(Rect {
            role: Role::OversetMark,
            x: x0 - 2.0,
            y: y0 - 2.0,
            width: x1 - x0 + 4.0,
            height: y1 - y0 + 4.0,
            fill: None,
            stroke: Some(magenta),
            stroke_width: 2.0,
        }));
        let size = self.grid().body_size;
        let text = format!("超版 {lines} 行 OVERSET");
        let style = self.styles.jump.clone();
        let runs = set_block(&text, &style, x1 - x0, &self.shaper);
        if let Some(line) = runs.first() {
            let mut items = line_runs(
                &line.shaped.text,
                &line.line,
                Placement {
                    x: x0,
                    baseline: y1 - size * OVERSET_NOTE_RAISE_EM,
                },
                Paint {
                    color: magenta,
                    role: Role::OversetMark,
                },
                Owner::default(),
            );
            self.page_mut(pi).items.append(&mut items);
        }
    }
}
