//! The fixes Chinese punctuation needs on top of the font: full-width
//! curly quotes, a centred ½-em interpunct, marks centred in their em box
//! where the locale wants them there (Taiwan), and the ink box the
//! paragraph engine compresses from (CJK-RULES §2, §5).

/// Height of the ideographic em box's middle above the baseline, in em:
/// the box runs from 0.12 em below to 0.88 em above (DESIGN §3).
const EM_BOX_MIDDLE: f32 = 0.38;

use super::{neighbour_is_cjk, Shaper};
use crate::fonts::{FaceId, CENTRED_MARKS};
use crate::text::class::{is_curly_quote, CharClass};
use crate::text::Cluster;

impl Shaper<'_> {
    /// Widths the font may get wrong for Chinese text, and the ink box the
    /// paragraph engine compresses from (CJK-RULES §2: compression is computed
    /// from metrics and the glyph's ink, never from `chws`/`halt`).
    pub(super) fn fix_punctuation(&mut self, text: &str, c: &mut Cluster) {
        let em = c.size;
        if c.class == CharClass::Space && c.glyphs.iter().all(|g| g.glyph_id == 0) {
            // A face without a space glyph would draw its notdef box.
            c.glyphs.clear();
            return;
        }
        if !c.class.is_cjk_punct() || c.glyphs.is_empty() {
            return;
        }
        let ch = text[c.range.start..].chars().next().unwrap_or(' ');
        let face_id = c.glyphs[0].face;
        let scale = em / self.face(face_id).upem;
        match c.class {
            CharClass::Opening | CharClass::Closing
                if is_curly_quote(ch) && c.advance < 0.9 * em =>
            {
                // A proportional quote (LXGW WenKai) between Chinese text:
                // force the full-width cell, ink on the closed side.
                let old = c.advance;
                if c.class == CharClass::Opening {
                    c.glyphs[0].x_offset += em - old;
                }
                let n = c.glyphs.len();
                c.glyphs[n - 1].advance += em - old;
                c.advance = em;
            }
            CharClass::Interpunct
                if c.glyphs.len() == 1 && neighbour_is_cjk(text, c.range.start, ch) =>
            {
                // `·` is ½ em centred whatever the font says (CJK-RULES §5).
                let g = &mut c.glyphs[0];
                if let Some(b) = self.ink_box(face_id, g.glyph_id) {
                    let centre = (b.x_min as f32 + b.x_max as f32) / 2.0 * scale + g.x_offset;
                    g.x_offset += 0.25 * em - centre;
                }
                g.advance = 0.5 * em;
                c.advance = 0.5 * em;
            }
            _ if self.locale.centres_punctuation()
                && !self.is_vertical()
                && c.glyphs.len() == 1
                && CENTRED_MARKS.contains(&ch)
                && (c.advance - em).abs() <= 0.1 * em =>
            {
                // Taiwan's standard centres the mark both ways; a face drawn
                // for another locale (LXGW WenKai) puts it in the corner.
                let g = &mut c.glyphs[0];
                if let Some(b) = self.ink_box(face_id, g.glyph_id) {
                    let x = (b.x_min as f32 + b.x_max as f32) / 2.0 * scale;
                    let y = (b.y_min as f32 + b.y_max as f32) / 2.0 * scale;
                    g.x_offset = 0.5 * c.advance - x;
                    g.y_offset = EM_BOX_MIDDLE * em - y;
                }
            }
            _ => {}
        }
        if c.class.is_compressible() || c.class == CharClass::Interpunct {
            let mut pen = 0.0;
            let mut lo = f32::INFINITY;
            let mut hi = f32::NEG_INFINITY;
            for g in &c.glyphs {
                if let Some(b) = self.ink_box(g.face, g.glyph_id) {
                    lo = lo.min(pen + g.x_offset + b.x_min as f32 * scale);
                    hi = hi.max(pen + g.x_offset + b.x_max as f32 * scale);
                }
                pen += g.advance;
            }
            if lo <= hi {
                c.ink = Some([lo, hi]);
            }
        }
    }

    /// The ink box of a glyph in font units, cached: reading a CFF glyph's
    /// box means interpreting its charstring.
    fn ink_box(&mut self, face: FaceId, glyph: u16) -> Option<ttf_parser::Rect> {
        let cache = self.face(face);
        if let Some(&e) = cache.ink.get(&glyph) {
            return e;
        }
        let e = cache.face.glyph_bounding_box(ttf_parser::GlyphId(glyph));
        cache.ink.insert(glyph, e);
        e
    }
}
