//! Text stage: a string with font spans → [`ShapedText`].
//!
//! Second stage of the pipeline (DESIGN §4): after the source parser, before
//! the paragraph engine. Contract used by composition: `shape(text, spans,
//! db)` returns clusters in logical order, each with its byte range in
//! `text`, its glyphs and advances in pt; the clusters partition the text.
//!
//! Shaping is rustybuzz at the chain's locale (zh-Hans unless a layout or
//! article says otherwise), so `locl` picks the Chinese forms (full-width
//! curly quotes, a joined `——`); each character takes the
//! first face of its span's [`FontChain`] that has it, and a character no
//! face has becomes a one-em placeholder cluster reported in
//! [`ShapedText::missing`]. Metrics are on the ideographic em box (DESIGN
//! §5): every advance is in pt at the span's size. [`class`] holds the
//! character table of CJK-RULES §1 shared with the paragraph engine.

use std::ops::Range;

use crate::fonts::{FaceId, FontDb, Locale};

pub mod class;
mod faces;
mod shaper;
pub mod words;

pub use class::CharClass;
pub use faces::SharedFaces;
pub use shaper::Shaper;

/// Height of the ideographic em box above the baseline, in em (DESIGN
/// §3): where a vertical line's first cell puts its glyphs' baseline below
/// the cell's top.
pub const EM_BOX_ASCENT: f32 = 0.88;

/// A fallback chain of faces at one size: the first face that has a glyph
/// for a character sets it.
#[derive(Debug, Clone, PartialEq)]
pub struct FontChain {
    /// Faces to try, in order; the first also sets the placeholder box of a
    /// character none of them has.
    pub faces: Vec<FaceId>,
    /// Font size in pt.
    pub size: f32,
    /// The locale the text is shaped for: the `locl` language system and
    /// where `，。` sit (see [`FontChain::localized`] for its faces).
    pub locale: Locale,
}

impl FontChain {
    /// The chain for `locale`: each face replaced by its locale's face of
    /// the same family ([`FontDb::localized`]).
    pub fn localized(&self, locale: Locale, db: &FontDb) -> FontChain {
        FontChain {
            faces: self
                .faces
                .iter()
                .map(|&id| db.localized(id, locale))
                .collect(),
            size: self.size,
            locale,
        }
    }
}

/// The font chain for a byte range of the text. Spans cover the text without
/// gaps or overlaps, in order.
#[derive(Debug, Clone)]
pub struct StyleSpan {
    /// Byte range of the text (not char indices) this span styles.
    pub range: Range<usize>,
    /// The faces and size that set the range.
    pub chain: FontChain,
}

/// One glyph of a cluster as rustybuzz positioned it, before line breaking
/// adds compression and justification.
#[derive(Debug, Clone)]
pub struct ShapedGlyph {
    /// Face the glyph id belongs to.
    pub face: FaceId,
    /// Glyph index in `face`; 0 (`.notdef`) for a missing character's box.
    pub glyph_id: u16,
    /// Font size in pt.
    pub size: f32,
    /// Advance in pt.
    pub advance: f32,
    /// Offset of the glyph from its pen position in pt (HarfBuzz
    /// convention: positive `y_offset` raises the glyph).
    pub x_offset: f32,
    /// Vertical offset from the pen position in pt (positive raises).
    pub y_offset: f32,
}

/// A cluster's glyphs. Nearly every cluster has exactly one (an ideograph,
/// a mark): keeping that one inline spares an allocation per character,
/// and the free of it when the paragraph is dropped on another thread.
pub type Glyphs = smallvec::SmallVec<[ShapedGlyph; 1]>;

/// The smallest unit the breaker places: one or more characters that shape
/// to one or more glyphs (a `——` pair is one cluster).
#[derive(Debug, Clone)]
pub struct Cluster {
    /// Byte range in [`ShapedText::text`]; the clusters' ranges partition it
    /// in logical order.
    pub range: Range<usize>,
    /// The glyphs drawn for the range, one after another from the cluster's
    /// pen position; usually exactly one.
    pub glyphs: Glyphs,
    /// Natural advance in pt.
    pub advance: f32,
    /// No face of the chain has this character: drawn as a placeholder box.
    pub missing: bool,
    /// What the cluster's first character is for line composition, curly
    /// quotes resolved by their neighbours (CJK-RULES §1).
    pub class: CharClass,
    /// Font size (the em) in pt.
    pub size: f32,
    /// Horizontal ink extent `[left, right]` in pt from the cluster's pen
    /// position, for punctuation only: the paragraph engine compresses the
    /// blank half of a mark only when the ink really sits in the other half.
    pub ink: Option<[f32; 2]>,
}

/// A character no face of its chain covers.
#[derive(Debug, Clone, PartialEq)]
pub struct MissingChar {
    /// The character, as the missing-glyph report names it.
    pub ch: char,
    /// Byte offset in the text.
    pub byte: usize,
}

/// A shaped paragraph, the input of [`crate::paragraph::break_lines`].
#[derive(Debug, Clone, Default)]
pub struct ShapedText {
    /// The text shaped; cluster and line ranges are byte ranges into it.
    pub text: String,
    /// Clusters in logical order, together covering every byte of `text`.
    pub clusters: Vec<Cluster>,
    /// Characters no face of their chain has, in text order, each set as a
    /// one-em box; composition reports them.
    pub missing: Vec<MissingChar>,
}

/// Shape `text` with rustybuzz (each span's locale), per-character fallback
/// along each span's chain.
///
/// Parses each face it needs once per call; to shape many paragraphs keep a
/// [`Shaper`] instead, which caches faces, plans and ideograph glyphs.
pub fn shape(text: &str, spans: &[StyleSpan], db: &FontDb) -> ShapedText {
    Shaper::one_shot(db).shape(text, spans)
}
