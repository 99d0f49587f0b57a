//! Pages being composed: new pages with their furniture, rules, and the
//! hand-off of finished pages to the frame check and a streaming sink.

use super::report::Holder;
use super::{frames, furniture, Composer};
use crate::display::{BaselineGrid, Cmyk, Item, Page, Role, Rule};

impl<'a> Composer<'a> {
    /// A page still being composed. Touching a page already handed to the
    /// sink would lose what is added, so it is a bug and stops here.
    pub(super) fn page_mut(&mut self, index: usize) -> &mut Page {
        assert!(
            index >= self.handed_off,
            "page {} was changed after it was finished",
            index + 1
        );
        &mut self.pages[index]
    }

    /// Pages before `upto` are finished: give them to the sink, if any.
    pub(super) fn hand_off(&mut self, upto: usize) {
        // Finished pages get the frame check before anyone sees them.
        let overhang = if self.layout.styles.body.paragraph.hanging {
            self.layout.grid.body_size
        } else {
            0.0
        };
        for i in self.handed_off..upto.min(self.pages.len()) {
            let found = frames::check_page(
                &mut self.pages[i],
                self.layout,
                self.edition,
                overhang,
                (self.db, &mut self.inks),
            );
            self.report.outside_frame.extend(found);
            if self.layout.page.vertical {
                self.turn_page(i);
            }
        }
        let Some(sink) = self.sink.as_mut() else {
            self.handed_off = self.handed_off.max(upto);
            return;
        };
        while self.handed_off < upto.min(self.pages.len()) {
            let done = &mut self.pages[self.handed_off];
            let page = Page {
                modules: std::mem::take(&mut done.modules),
                items: std::mem::take(&mut done.items),
                ..done.clone()
            };
            sink(page);
            self.handed_off += 1;
        }
    }

    /// The layout's grid.
    pub(super) fn grid(&self) -> &'a crate::layout::Grid {
        &self.layout.grid
    }

    /// Start page `index` (0-based) with its furniture: the masthead on
    /// page 1, the running header with `section` on the others.
    pub(super) fn new_page(&mut self, index: usize, section: &str) {
        let l = self.layout;
        let g = &l.grid;
        let mut page = Page {
            number: index as u32 + 1,
            width: l.page.width,
            height: l.page.height,
            bleed: l.page.bleed,
            crop_marks: l.page.crop_marks,
            grid: BaselineGrid {
                top: g.line_top(1),
                first: g.baseline(1),
                pitch: g.pitch,
                lines: g.lines,
                vertical: false,
            },
            modules: Vec::new(),
            items: Vec::new(),
        };
        let mut shown = Vec::new();
        if index == 0 {
            furniture::masthead(&mut page, l, &self.styles, &self.shaper, &mut shown);
        } else {
            let key = format!("pages[{}].section", index + 1);
            let section = (section, key.as_str());
            furniture::running_header(
                &mut page,
                l,
                &self.styles,
                &self.shaper,
                section,
                &mut shown,
            );
        }
        if let Some(spec) = l.pages.get(index) {
            let credits = (&spec.credits, index);
            furniture::folio(
                &mut page,
                l,
                credits,
                &self.styles,
                &self.shaper,
                &mut shown,
            );
        }
        self.pages.push(page);
        for (shaped, keys) in shown {
            for m in &shaped.missing {
                let key = keys
                    .iter()
                    .rev()
                    .find(|(start, _)| *start <= m.byte)
                    .map_or("styles.running_header", |(_, k)| k.as_str());
                let one = crate::text::ShapedText {
                    missing: vec![m.clone()],
                    ..Default::default()
                };
                self.note_missing_in(Holder::layout(key), 0, &one);
            }
        }
    }

    /// A rule on a page in the layout's rule width.
    pub(super) fn rule(&mut self, page: usize, role: Role, x0: f32, y0: f32, x1: f32, y1: f32) {
        let width = self.layout.rule_width;
        self.page_mut(page).items.push(Item::Rule(Rule {
            role,
            x0,
            y0,
            x1,
            y1,
            width,
            color: Cmyk::BLACK,
        }));
    }
}
