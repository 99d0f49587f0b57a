//! Turning broken lines into display-list glyph runs.

use super::bind::Resolved;
use crate::display::{Cmyk, GlyphRun, Item, Rect, Role, RunGlyph};
use crate::paragraph::{break_lines, Align, Line};
use crate::text::{ShapedText, Shaper, StyleSpan};

/// One shaper for a whole composition: it keeps parsed faces and shaping
/// plans between calls.
pub(crate) type ShaperCell<'db> = std::cell::RefCell<Shaper<'db>>;

/// A short piece of display text (headline, jump line) broken into lines.
pub struct BlockLine {
    pub shaped: std::rc::Rc<ShapedText>,
    pub line: Line,
}

/// Shape and break a one-style text at `width` with the style's settings.
pub(crate) fn set_block(
    text: &str,
    style: &Resolved<'_>,
    width: f32,
    shaper: &ShaperCell<'_>,
) -> Vec<BlockLine> {
    let spans = [StyleSpan {
        range: 0..text.len(),
        chain: style.chain.clone(),
    }];
    let shaped = std::rc::Rc::new(shaper.borrow_mut().shape(text, &spans));
    let lines = break_lines(&shaped, width, &style.style.paragraph);
    lines
        .into_iter()
        .map(|line| BlockLine {
            shaped: shaped.clone(),
            line,
        })
        .collect()
}

/// Where a line of natural width starts inside its measure.
pub(crate) fn align_offset(align: Align, measure: f32, width: f32) -> f32 {
    let slack = (measure - width).max(0.0);
    match align {
        Align::Center => slack / 2.0,
        Align::End => slack,
        Align::Justify | Align::Start => 0.0,
    }
}

/// Display runs for one line: one run per (face, size, role), plus a
/// placeholder box for each glyph no font has.
#[allow(clippy::too_many_arguments)]
pub fn line_runs(
    text: &str,
    line: &Line,
    x: f32,
    baseline: f32,
    color: Cmyk,
    role: Role,
    article: Option<usize>,
    module: Option<usize>,
    column: Option<usize>,
    grid_line: Option<u32>,
) -> Vec<Item> {
    line_runs_split(
        text,
        line,
        x,
        baseline,
        (color, role),
        None,
        (article, module, column, grid_line),
    )
}

type Meta = (Option<usize>, Option<usize>, Option<usize>, Option<u32>);

/// Like [`line_runs`], with text before byte `split.0` set as `split.1`.
pub(crate) fn line_runs_split(
    text: &str,
    line: &Line,
    x: f32,
    baseline: f32,
    (color, role): (Cmyk, Role),
    split: Option<(usize, Cmyk, Role)>,
    (article, module, column, grid_line): Meta,
) -> Vec<Item> {
    let mut items = Vec::new();
    let mut boxes = Vec::new();
    // The run being built and the byte offset in `text` its text starts at.
    let mut current: Option<(GlyphRun, usize)> = None;
    let style_at = |start: usize| match split {
        Some((end, c, r)) if start < end => (c, r),
        _ => (color, role),
    };
    for g in &line.glyphs {
        let (c, r) = style_at(g.range.start);
        let continues = current.as_ref().is_some_and(|(run, base)| {
            run.face == g.face
                && run.size == g.size
                && run.role == r
                && run.color == c
                && g.range.start >= *base
        });
        if !continues {
            // Text between two runs (a joiner, a zero-width space) and
            // before the first glyph of the line goes with the run that
            // follows it, so the text layer loses none.
            let start = match current.take() {
                Some((run, base)) => {
                    let end = base + run.text.len();
                    items.push(Item::Glyphs(run));
                    end
                }
                None => line.range.start,
            };
            let run = GlyphRun {
                role: r,
                x: x + g.x,
                y: baseline,
                face: g.face,
                font: String::new(),
                size: g.size,
                color: c,
                text: String::new(),
                glyphs: Vec::new(),
                article,
                module,
                column,
                grid_line,
            };
            current = Some((run, start.min(g.range.start)));
        }
        let (run, base) = current.as_mut().expect("a run was just started");
        // Glyphs of one cluster share its text: append each byte once, and
        // keep characters that made no glyph so the text layer loses none.
        let have = *base + run.text.len();
        if g.range.end > have {
            run.text.push_str(&text[have..g.range.end]);
        }
        run.glyphs.push(RunGlyph {
            id: if g.missing { 0 } else { g.glyph_id },
            x: x + g.x - run.x,
            y_offset: g.y_offset,
            advance: g.advance,
            range: (g.range.start - *base)..(g.range.end - *base),
        });
        if g.missing {
            boxes.push(Item::Rect(Rect {
                role: Role::MissingGlyph,
                x: x + g.x + g.size * 0.1,
                y: baseline - 0.8 * g.size,
                width: (g.advance - g.size * 0.2).max(1.0),
                height: g.size * 0.9,
                fill: None,
                stroke: Some(Cmyk(0.0, 100.0, 0.0, 0.0)),
                stroke_width: 0.5,
            }));
        }
    }
    if let Some((mut run, base)) = current.take() {
        let have = base + run.text.len();
        if let Some(rest) = text.get(have..line.range.end) {
            run.text.push_str(rest);
        }
        items.push(Item::Glyphs(run));
    }
    items.append(&mut boxes);
    items
}
