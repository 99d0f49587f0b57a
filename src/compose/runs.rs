//! Turning broken lines into display-list glyph runs.

use super::bind::Resolved;
use crate::display::{Cmyk, GlyphRun, Item, Rect, Role, RunGlyph};
use crate::paragraph::{
    break_display, break_display_in, break_lines, Align, Line, PlacedGlyph, Verdict,
};
use crate::text::{ShapedText, Shaper, StyleSpan};

/// One shaper for a whole composition: it keeps parsed faces and shaping
/// plans between calls.
pub(crate) type ShaperCell<'db> = std::cell::RefCell<Shaper<'db>>;

/// A short piece of display text (headline, jump line) broken into lines.
#[derive(Clone)]
pub struct BlockLine {
    /// The whole text shaped, shared by its lines.
    pub shaped: std::rc::Rc<ShapedText>,
    /// This line.
    pub line: Line,
}

/// Shape and break a one-style text at `width` with the style's settings,
/// as body text (jump lines).
pub(crate) fn set_block(
    text: &str,
    style: &Resolved<'_>,
    width: f32,
    shaper: &ShaperCell<'_>,
) -> Vec<BlockLine> {
    let shaped = shape_block(text, style, shaper);
    let lines = break_lines(&shaped, width, &style.style.paragraph);
    block_lines(&shaped, lines)
}

/// A credit (`记者 秦望舒 实习生 贺一鸣`, `摄影 记者 张三`) broken into
/// lines of `width`: at its spaces and word boundaries, as display text is,
/// so no name or title (实习生) is torn across lines.
pub(crate) fn set_credit(
    text: &str,
    style: &Resolved<'_>,
    width: f32,
    shaper: &ShaperCell<'_>,
) -> Vec<BlockLine> {
    set_display(text, style, width, shaper).lines
}

/// A display text (headline, kicker) broken by meaning, and how well.
#[derive(Clone)]
pub(crate) struct DisplaySet {
    /// The lines.
    pub lines: Vec<BlockLine>,
    /// Whether the breaks are a desk's (see [`Verdict`]).
    pub verdict: Verdict,
}

/// Shape a one-style display text and break it at word boundaries into
/// balanced lines of `width` ([`break_display`]).
pub(crate) fn set_display(
    text: &str,
    style: &Resolved<'_>,
    width: f32,
    shaper: &ShaperCell<'_>,
) -> DisplaySet {
    let shaped = shape_block(text, style, shaper);
    let broken = break_display(&shaped, width, &style.style.paragraph);
    DisplaySet {
        lines: block_lines(&shaped, broken.lines),
        verdict: broken.verdict,
    }
}

/// [`set_display`] in exactly `lines` lines, all broken well; `None` when
/// the text cannot be.
pub(crate) fn set_display_in(
    text: &str,
    style: &Resolved<'_>,
    width: f32,
    shaper: &ShaperCell<'_>,
    lines: usize,
) -> Option<DisplaySet> {
    let shaped = shape_block(text, style, shaper);
    let broken = break_display_in(&shaped, width, &style.style.paragraph, lines)?;
    Some(DisplaySet {
        lines: block_lines(&shaped, broken.lines),
        verdict: broken.verdict,
    })
}

/// Shape a one-style text.
fn shape_block(
    text: &str,
    style: &Resolved<'_>,
    shaper: &ShaperCell<'_>,
) -> std::rc::Rc<ShapedText> {
    let spans = [StyleSpan {
        range: 0..text.len(),
        chain: style.chain.clone(),
    }];
    std::rc::Rc::new(shaper.borrow_mut().shape(text, &spans))
}

/// Lines that share one shaped text.
fn block_lines(shaped: &std::rc::Rc<ShapedText>, lines: Vec<Line>) -> Vec<BlockLine> {
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

/// Where a line is set: the pen position of its start and its baseline, pt.
#[derive(Debug, Clone, Copy)]
pub struct Placement {
    /// Left edge of the line's first glyph cell.
    pub x: f32,
    /// Baseline, from the top of the page.
    pub baseline: f32,
}

/// How a run is painted and what it is.
#[derive(Debug, Clone, Copy)]
pub struct Paint {
    /// Fill colour of the glyphs.
    pub color: Cmyk,
    /// What the text is (body, headline…), for the frame check and back ends.
    pub role: Role,
}

/// What a run belongs to, for the frame check, the layout dump and the
/// reports; `None` where the run belongs to no such thing.
#[derive(Debug, Clone, Copy, Default)]
pub struct Owner {
    /// 1-based article number.
    pub article: Option<usize>,
    /// Index of the module frame on its page.
    pub module: Option<usize>,
    /// 0-based body column in the module.
    pub column: Option<usize>,
    /// 1-based grid line of the baseline.
    pub grid_line: Option<u32>,
    /// 1-based line of the article's file the text comes from.
    pub source_line: Option<usize>,
}

/// A stretch of a line's text painted otherwise than the line (a dateline
/// at the head of the first paragraph, a bold span).
#[derive(Debug, Clone)]
pub(crate) struct PaintSpan {
    /// Bytes of the text.
    pub range: std::ops::Range<usize>,
    /// How they are painted.
    pub paint: Paint,
}

/// Display runs for one line: one run per (face, size, role), plus a
/// placeholder box for each glyph no font has.
pub fn line_runs(text: &str, line: &Line, at: Placement, paint: Paint, owner: Owner) -> Vec<Item> {
    line_runs_split(text, line, at, paint, &[], owner)
}

/// Like [`line_runs`], with the text of each of `spans` (in order, not
/// overlapping) painted as it says.
pub(crate) fn line_runs_split(
    text: &str,
    line: &Line,
    at: Placement,
    paint: Paint,
    spans: &[PaintSpan],
    owner: Owner,
) -> Vec<Item> {
    let Placement { x, baseline } = at;
    let mut items = Vec::new();
    let mut boxes = Vec::new();
    // The run being built and the byte offset in `text` its text starts at.
    let mut current: Option<(GlyphRun, usize)> = None;
    // Glyphs come in text order, so the span that may hold the next one
    // only moves forward.
    let mut span = spans.partition_point(|s| s.range.end <= line.range.start);
    for g in &line.glyphs {
        while spans
            .get(span)
            .is_some_and(|s| s.range.end <= g.range.start)
        {
            span += 1;
        }
        let Paint { color: c, role: r } = match spans.get(span) {
            Some(s) if s.range.start <= g.range.start => s.paint,
            _ => paint,
        };
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
            let run = new_run(g, x, baseline, Paint { color: c, role: r }, owner);
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
            boxes.push(missing_box(g, x, baseline));
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

/// An empty run starting at glyph `g` of a line set at `x`.
fn new_run(g: &PlacedGlyph, x: f32, baseline: f32, paint: Paint, owner: Owner) -> GlyphRun {
    GlyphRun {
        role: paint.role,
        x: x + g.x,
        y: baseline,
        face: g.face,
        font: String::new(),
        size: g.size,
        color: paint.color,
        text: String::new(),
        glyphs: Vec::new(),
        article: owner.article,
        module: owner.module,
        column: owner.column,
        grid_line: owner.grid_line,
        source_line: owner.source_line,
        paragraph: None,
        vertical: false,
        rotated: false,
    }
}

/// The magenta box drawn over the cell of a glyph no font has.
fn missing_box(g: &PlacedGlyph, x: f32, baseline: f32) -> Item {
    Item::Rect(Rect {
        role: Role::MissingGlyph,
        x: x + g.x + g.size * 0.1,
        y: baseline - 0.8 * g.size,
        width: (g.advance - g.size * 0.2).max(1.0),
        height: g.size * 0.9,
        fill: None,
        stroke: Some(Cmyk(0.0, 100.0, 0.0, 0.0)),
        stroke_width: 0.5,
    })
}
