//! Paragraph stage: shaped text + measure → justified [`Line`]s.
//!
//! OWNED BY THE PARAGRAPH-ENGINE HELPER. Contract used by composition:
//! `break_lines(shaped, measure, settings)` returns lines whose glyph x
//! positions are relative to the line's start edge; every non-final line of a
//! justified paragraph is exactly `measure` wide.

use std::ops::Range;

use crate::fonts::FaceId;
use crate::text::ShapedText;

/// Line-start/line-end prohibition level (CJK-RULES §1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Prohibition {
    None,
    Basic,
    Gb,
    #[default]
    Strict,
}

/// Punctuation compression style (CJK-RULES §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PunctStyle {
    #[default]
    Quanjiao,
    Kaiming,
    Banjiao,
    Plain,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Align {
    #[default]
    Justify,
    Start,
    Center,
    End,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ParagraphSettings {
    pub prohibition: Prohibition,
    pub punct: PunctStyle,
    /// Gap between Han and Latin letters, in em (default 0.25).
    pub han_latin_gap: f32,
    /// Gap between Han and digits, in em (default 0).
    pub han_digit_gap: f32,
    /// Hang 、，。 into the margin at line end (default off).
    pub hanging: bool,
    /// First-line indent in em (default 2).
    pub indent: f32,
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
    pub face: FaceId,
    pub glyph_id: u16,
    pub size: f32,
    /// Pen position in pt from the line's start edge.
    pub x: f32,
    pub y_offset: f32,
    /// Advance in pt after compression/justification.
    pub advance: f32,
    /// Bytes of the shaped text this glyph's cluster covers.
    pub range: Range<usize>,
    /// A character no font covers: draw a placeholder box of `advance` width.
    pub missing: bool,
}

#[derive(Debug, Clone)]
pub struct Line {
    /// Bytes of the shaped text on this line.
    pub range: Range<usize>,
    pub glyphs: Vec<PlacedGlyph>,
    /// Set width in pt (equals the measure for justified non-final lines).
    pub width: f32,
    /// Last line of the paragraph.
    pub last: bool,
    /// Wider than the measure even after every adjustment (reported).
    pub overfull: bool,
    /// A prohibition that had to be broken to make this line, if any.
    pub broken_rule: Option<String>,
}

/// Break a shaped paragraph into lines of `measure` pt.
pub fn break_lines(_shaped: &ShapedText, _measure: f32, _settings: &ParagraphSettings) -> Vec<Line> {
    todo!("paragraph-engine helper")
}
