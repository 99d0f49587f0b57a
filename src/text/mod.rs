//! Text stage: a string with font spans → [`ShapedText`].
//!
//! OWNED BY THE PARAGRAPH-ENGINE HELPER. Contract used by composition:
//! `shape(text, spans, db)` returns clusters in logical order, each with its
//! byte range in `text`, its glyphs and advances in pt.

use std::ops::Range;

use crate::fonts::{FaceId, FontDb};

/// A fallback chain of faces at one size: the first face that has a glyph
/// for a character sets it.
#[derive(Debug, Clone, PartialEq)]
pub struct FontChain {
    pub faces: Vec<FaceId>,
    /// Font size in pt.
    pub size: f32,
}

/// The font chain for a byte range of the text. Spans cover the text without
/// gaps or overlaps, in order.
#[derive(Debug, Clone)]
pub struct StyleSpan {
    pub range: Range<usize>,
    pub chain: FontChain,
}

#[derive(Debug, Clone)]
pub struct ShapedGlyph {
    pub face: FaceId,
    pub glyph_id: u16,
    /// Font size in pt.
    pub size: f32,
    /// Advance in pt.
    pub advance: f32,
    pub x_offset: f32,
    pub y_offset: f32,
}

/// The smallest unit the breaker places: one or more characters that shape
/// to one or more glyphs (a `——` pair is one cluster).
#[derive(Debug, Clone)]
pub struct Cluster {
    pub range: Range<usize>,
    pub glyphs: Vec<ShapedGlyph>,
    /// Natural advance in pt.
    pub advance: f32,
    /// No face of the chain has this character: drawn as a placeholder box.
    pub missing: bool,
}

/// A character no face of its chain covers.
#[derive(Debug, Clone, PartialEq)]
pub struct MissingChar {
    pub ch: char,
    /// Byte offset in the text.
    pub byte: usize,
}

#[derive(Debug, Clone, Default)]
pub struct ShapedText {
    pub text: String,
    pub clusters: Vec<Cluster>,
    pub missing: Vec<MissingChar>,
}

/// Shape `text` with rustybuzz (language zh-Hans), per-character fallback
/// along each span's chain.
pub fn shape(_text: &str, _spans: &[StyleSpan], _db: &FontDb) -> ShapedText {
    todo!("paragraph-engine helper")
}
