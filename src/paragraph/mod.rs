//! Paragraph stage: shaped text + measure → justified [`Line`]s.
//!
//! Third stage of the pipeline (DESIGN §4), between shaping and the
//! composer. Contract used by composition: `break_lines(shaped, measure,
//! settings)` returns lines whose glyph x positions are relative to the
//! line's start edge; every non-final line of a justified paragraph is
//! exactly `measure` wide; the lines' byte ranges partition the text.
//!
//! The paragraph goes `prepare → linebreak → finalize`:
//! - `prepare`: widths, the removable blanks of full-width marks
//!   (CJK-RULES §2), Han–Latin/digit gaps (§3) and break penalties from
//!   UAX #14 plus the prohibition table (§1);
//! - `linebreak`: a total-fit pass choosing all breaks at once (§4);
//! - `finalize`: compression and justification applied, glyphs placed.
//!
//! Everything here is infallible: text that cannot be set by the rules is
//! set anyway and flagged on its [`Line`] (`overfull`, `broken_rule`).

use std::fmt::Write as _;
use std::ops::Range;

use crate::fonts::FaceId;
use crate::text::ShapedText;

pub use display::{break_display, break_display_in, DisplayBreak, Verdict};

mod bounds;
mod display;
mod finalize;
mod kinsoku;
mod linebreak;
mod prepare;
mod units;

/// Line-start/line-end prohibition level (CJK-RULES §1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Prohibition {
    /// Any mark may start or end a line; only what holds at every level
    /// stays: `——`/`……` whole, a sign with its number, no break in a word.
    None,
    /// Stops, pauses, closing marks, connectors, interpuncts and iteration
    /// marks never start a line, opening marks never end one (rows A–E, I);
    /// the short-measure relaxation of CJK-RULES §6.
    Basic,
    /// `basic` plus GB/T 15834's solidus rule: `／` or `/` neither starts
    /// nor ends a line (row F).
    Gb,
    /// `gb` plus `——`, `……`, a lone ellipsis, a postfix sign and `゠` kept
    /// off the line start (rows G, H, J); the default.
    #[default]
    Strict,
}

/// Punctuation compression style (CJK-RULES §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PunctStyle {
    /// 全角: every mark keeps its full em cell; its blank half goes only
    /// where a rule asks (two marks adjacent, a line's edge, push-in to fit).
    #[default]
    Quanjiao,
    /// 开明: `。？！` keep their full cell (narrowed only at a line end);
    /// every other mark is set half an em wide everywhere.
    Kaiming,
    /// 半角: every full-width mark is set half an em wide everywhere.
    Banjiao,
    /// Marks keep their full cell everywhere, line ends included: nothing
    /// is compressed.
    Plain,
}

/// Where lines sit in the measure (the layout's `align`). The breaker sets
/// the line widths; the composer offsets centred and flush-end lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Align {
    /// Every line but the last (and one ending in a forced break) is
    /// spread or squeezed to exactly the measure; the last sits flush start.
    #[default]
    Justify,
    /// Flush start, ragged end: lines filled as far as they go, only the
    /// last may be short.
    Start,
    /// Each line centred, breaks chosen so the lines (the last included)
    /// come out of similar length: headlines.
    Center,
    /// Flush end, lines balanced as for `Center`: credits and jump lines.
    End,
}

/// How a paragraph is set: one layout style's line rules (`[styles.NAME]`
/// in docs/layout.md); the default is the body text's.
#[derive(Debug, Clone, PartialEq)]
pub struct ParagraphSettings {
    /// Which marks are kept off a line's start or end (default `strict`).
    pub prohibition: Prohibition,
    /// How much of a full-width mark's blank half is set (the layout's
    /// `punctuation`, default `quanjiao`).
    pub punct: PunctStyle,
    /// Gap between Han and Latin letters, in em (default 0.25).
    pub han_latin_gap: f32,
    /// Gap between Han and digits, in em (default 0).
    pub han_digit_gap: f32,
    /// Hang 、，。 into the margin at line end (default off).
    pub hanging: bool,
    /// First-line indent in em (default 2).
    pub indent: f32,
    /// Justified, flush start, centred or flush end (default justified).
    pub align: Align,
    /// Avoid a last line of one character (孤字) (default on).
    pub avoid_orphan_char: bool,
}

impl Default for ParagraphSettings {
    fn default() -> Self {
        Self {
            prohibition: Prohibition::Strict,
            punct: PunctStyle::Quanjiao,
            han_latin_gap: 0.25,
            han_digit_gap: 0.0,
            hanging: false,
            indent: 2.0,
            align: Align::Justify,
            avoid_orphan_char: true,
        }
    }
}

/// A glyph placed on a line.
#[derive(Debug, Clone)]
pub struct PlacedGlyph {
    /// Face to draw with, from the cluster's font chain.
    pub face: FaceId,
    /// Glyph index in `face` (the `.notdef` box when `missing`).
    pub glyph_id: u16,
    /// Font size in pt.
    pub size: f32,
    /// Pen position in pt from the line's start edge: where the glyph is
    /// drawn. A glyph set off its cell (a centred `·`, a compressed opening
    /// mark whose blank half was removed) has its offset folded in here.
    pub x: f32,
    /// Vertical offset in pt (HarfBuzz convention: positive raises).
    pub y_offset: f32,
    /// Advance in pt after compression: `x + advance` is the right edge of
    /// the glyph's cell. Justification space lies between cells, so the
    /// next glyph's `x` may be larger.
    pub advance: f32,
    /// Bytes of the shaped text this glyph's cluster covers.
    pub range: Range<usize>,
    /// A character no font covers: draw a placeholder box of `advance` width.
    pub missing: bool,
}

/// One set line of a paragraph: its glyphs placed from the line's start
/// edge, its width, and what had to give to set it.
#[derive(Debug, Clone)]
pub struct Line {
    /// Bytes of the shaped text on this line.
    pub range: Range<usize>,
    /// The line's glyphs in text order, `x` in pt from the start edge.
    pub glyphs: Vec<PlacedGlyph>,
    /// Set width in pt (equals the measure for justified non-final lines).
    pub width: f32,
    /// Last line of the paragraph.
    pub last: bool,
    /// Wider than the measure even after every adjustment (reported).
    pub overfull: bool,
    /// A prohibition that had to be broken to make this line, if any.
    pub broken_rule: Option<String>,
    /// What was adjusted to set this line.
    pub adjust: LineAdjust,
}

/// Which rule narrowed a mark (CJK-RULES §2, §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Compression {
    /// Two adjacent marks share one blank (§2 rule 1).
    Adjacent,
    /// A mark at the line end takes ½ em (§2 rule 2, first shrink of §4).
    LineEnd,
    /// An opening mark at the line start drops its leading ½ em (§2 rule 3).
    LineStart,
    /// A mid-line bracket or comma squeezed so the line fits (§4 push-in;
    /// a last resort, since it makes marks uneven inside the column).
    PushIn,
}

/// One half-em blank removed from a mark.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct MarkAdjust {
    /// Byte offset of the mark in the shaped text.
    pub byte: usize,
    /// Which rule removed the blank (`adj`, `end`… in [`dump_lines`]).
    pub rule: Compression,
    /// Width removed, pt.
    pub amount: f32,
}

/// The line-level record of what was adjusted (issue 3 item 8).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct LineAdjust {
    /// Content width before justification (after the adjacent-mark rule), pt.
    pub natural: f32,
    /// Space added between neighbouring characters at each spread point, pt.
    pub spread: f32,
    /// Total change to word spaces, pt (negative: shrunk).
    pub spaces: f32,
    /// Total change to Han–Latin / Han–digit gaps, pt.
    pub gaps: f32,
    /// Blanks removed from marks on this line.
    pub marks: Vec<MarkAdjust>,
    /// The last mark hangs past the measure (`hanging`).
    pub hung: bool,
}

/// Break a shaped paragraph into lines of `measure` pt.
///
/// Never fails: an empty text gives no lines; a unit wider than the
/// measure gets a line of its own marked `overfull`; where the rules leave
/// no way to break, the least serious rule is broken and named in
/// `broken_rule`.
pub fn break_lines(shaped: &ShapedText, measure: f32, settings: &ParagraphSettings) -> Vec<Line> {
    if shaped.clusters.is_empty() {
        return Vec::new();
    }
    let measure = if measure.is_finite() {
        measure.max(0.0)
    } else {
        0.0
    };
    let prep = prepare::prepare(shaped, settings);
    let indent = if settings.indent.is_finite() {
        (settings.indent * prep.em).clamp(0.0, measure)
    } else {
        0.0
    };
    let ctx = linebreak::Ctx {
        prep: &prep,
        measure,
        settings,
        indent,
    };
    let breaks = linebreak::total_fit(&ctx);
    finalize::commit(shaped, &ctx, &breaks)
}

/// A text dump of lines, one output line per line: number, set width,
/// flags (`L` last, `!` overfull, `R` a rule broken, `H` hung), the spread
/// and the marks narrowed, then the line's text between bars.
pub fn dump_lines(shaped: &ShapedText, lines: &[Line]) -> String {
    let mut out = String::new();
    for (n, line) in lines.iter().enumerate() {
        let text = shaped
            .text
            .get(line.range.clone())
            .unwrap_or("")
            .replace('\n', "⏎");
        let mut flags = String::new();
        if line.last {
            flags.push('L');
        }
        if line.overfull {
            flags.push('!');
        }
        if line.broken_rule.is_some() {
            flags.push('R');
        }
        if line.adjust.hung {
            flags.push('H');
        }
        let _ = write!(
            out,
            "{:>3} {:>7.2} {:<3} |{}|",
            n + 1,
            line.width,
            flags,
            text
        );
        if line.adjust.spread.abs() > 0.005 {
            let _ = write!(out, " spread={:.3}", line.adjust.spread);
        }
        for m in &line.adjust.marks {
            let ch = shaped
                .text
                .get(m.byte..)
                .and_then(|s| s.chars().next())
                .unwrap_or('?');
            let rule = match m.rule {
                Compression::Adjacent => "adj",
                Compression::LineEnd => "end",
                Compression::LineStart => "start",
                Compression::PushIn => "push-in",
            };
            let _ = write!(out, " {ch}:{rule}");
        }
        if let Some(r) = &line.broken_rule {
            let _ = write!(out, " rule: {r}");
        }
        out.push('\n');
    }
    out
}
