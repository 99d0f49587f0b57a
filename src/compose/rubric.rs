//! The 栏目 tag (issue 19 item 5): the name of the column an article runs
//! under, set above its headline as a tag, reversed (white on a ground) or
//! in a rule box, left-aligned, in whole grid lines of the headline block.
//!
//! An article's rubric is its front line's `rubric`, or its kicker when
//! the layout's `[rubric] names` lists it (the kicker is then not set as a
//! kicker too).

use super::headline::BlockPlace;
use super::report::Holder;
use super::runs::{line_runs, set_block, BlockLine, Owner, Paint, Placement};
use super::{Composer, ASCENT_EM, GRID_SNAP};
use crate::display::{Cmyk, Item, Rect, Role};
use crate::layout::RubricLook;

/// Space between the tag's text and its ground's or box's sides, in the
/// rubric's size.
const PAD_X_EM: f32 = 0.5;
/// Space above and below the text inside the ground, in the rubric's size.
const PAD_Y_EM: f32 = 0.3;

/// An article's rubric and where it is written.
struct RubricText {
    text: String,
    /// 1-based line of the article's file: its front line or its kicker.
    line: Option<usize>,
}

/// A rubric broken into lines at the headline's width, and its geometry.
struct SetRubric {
    lines: Vec<BlockLine>,
    /// One line's height, pt.
    lead: f32,
    /// The ground's height, pt.
    height: f32,
    /// Grid lines the tag takes.
    grid_lines: u32,
    line: Option<usize>,
}

impl<'a> Composer<'a> {
    /// Whether an article's kicker is set as its rubric rather than as a
    /// kicker: it has no front-line rubric and the layout names the kicker.
    pub(super) fn kicker_is_rubric(&self, article: usize) -> bool {
        let a = &self.edition.articles[article];
        a.front.rubric.is_none()
            && a.kicker
                .as_deref()
                .is_some_and(|k| self.layout.rubric.names_kicker(k))
    }

    fn rubric_text(&self, article: usize) -> Option<RubricText> {
        let a = &self.edition.articles[article];
        if let Some(r) = &a.front.rubric {
            return Some(RubricText {
                text: r.trim().to_string(),
                line: Some(a.front.origin.line).filter(|&l| l > 0),
            });
        }
        self.kicker_is_rubric(article).then(|| RubricText {
            text: a.kicker.clone().unwrap_or_default().trim().to_string(),
            line: a.origin.kicker_line,
        })
    }

    fn set_rubric(&self, article: usize, width: f32) -> Option<SetRubric> {
        let RubricText { text, line } = self.rubric_text(article)?;
        let style = &self.styles.rubric;
        let size = style.chain.size;
        let lines = set_block(&text, style, width - 2.0 * PAD_X_EM * size, &self.shaper);
        let lead = style.style.leading * size / style.style.size;
        let height = lines.len() as f32 * lead + 2.0 * PAD_Y_EM * size;
        let pitch = self.grid().pitch;
        Some(SetRubric {
            grid_lines: (height / pitch - GRID_SNAP).ceil() as u32,
            lines,
            lead,
            height,
            line,
        })
    }

    /// Grid lines an article's rubric tag takes across `width`; 0 for none.
    pub(super) fn rubric_lines(&self, article: usize, width: f32) -> u32 {
        self.set_rubric(article, width).map_or(0, |r| r.grid_lines)
    }

    /// Draw an article's rubric tag from the top of the place's first line:
    /// its ground or box, then its text; returns the grid lines it takes.
    pub(super) fn rubric_tag(&mut self, place: BlockPlace) -> u32 {
        let Some(set) = self.set_rubric(place.article, place.width) else {
            return 0;
        };
        let style = self.styles.rubric.clone();
        let size = style.chain.size;
        let g = self.grid();
        let (pad_x, pad_y) = (PAD_X_EM * size, PAD_Y_EM * size);
        let text_width = set.lines.iter().map(|l| l.line.width).fold(0.0, f32::max);
        let top = g.line_top(place.top_line) + (set.grid_lines as f32 * g.pitch - set.height) / 2.0;
        let (ground, text_color) = match self.layout.rubric.look {
            RubricLook::Reversed(c) => ((Some(c), None), Cmyk::WHITE),
            RubricLook::Boxed => ((None, Some(Cmyk::BLACK)), style.style.color),
        };
        let mut items = vec![Item::Rect(Rect {
            role: Role::Rubric,
            x: place.x,
            y: top,
            width: (text_width + 2.0 * pad_x).min(place.width),
            height: set.height,
            fill: ground.0,
            stroke: ground.1,
            stroke_width: self.layout.rule_width,
        })];
        let owner = Owner {
            article: Some(place.article + 1),
            module: Some(place.module),
            source_line: set.line,
            ..Owner::default()
        };
        let paint = Paint {
            color: text_color,
            role: Role::Rubric,
        };
        for (i, bl) in set.lines.iter().enumerate() {
            let y = top + pad_y + i as f32 * set.lead;
            let at = Placement {
                x: place.x + pad_x,
                baseline: y + (set.lead - size) / 2.0 + ASCENT_EM * size,
            };
            items.extend(line_runs(&bl.shaped.text, &bl.line, at, paint, owner));
        }
        if let Some(first) = set.lines.first() {
            let holder = Holder::article(place.article, "rubric", set.line);
            self.note_missing_in(holder, 0, &first.shaped.clone());
        }
        self.page_mut(place.page).items.extend(items);
        set.grid_lines
    }
}
