//! The cache of Han ideographs: each distinct ideograph is shaped once per
//! face and locale, alone, and its glyph and advance reused (ideographs
//! take no context from their neighbours in horizontal text). The common
//! block is kept in [`crate::text::faces::SharedFaces`], for every shaper
//! of the build; the rest per shaper.

use super::Shaper;
use crate::fonts::FaceId;
use crate::text::faces::{DENSE_FIRST, DENSE_LAST};
use crate::text::FontChain;

/// A table entry for a character the face does not have.
const NO_GLYPH: u32 = u32::MAX;

impl Shaper<'_> {
    /// The glyph of a Han ideograph from the first face of `chain` that has
    /// it, through the per-face cache.
    pub(super) fn simple_han(&mut self, chain: &FontChain, ch: char) -> Option<(FaceId, u16, i32)> {
        let cp = ch as u32;
        for &id in &chain.faces {
            let entry = if (DENSE_FIRST..=DENSE_LAST).contains(&cp) {
                let locale = self.locale;
                let packed = match self.shared.ideograph(id, locale, cp) {
                    Some(p) => p,
                    None => {
                        let packed = match self.shape_single(id, ch) {
                            Some((g, adv)) if (0..=0xFFFF).contains(&adv) && g != 0xFFFF => {
                                ((g as u32) << 16) | adv as u32
                            }
                            _ => NO_GLYPH,
                        };
                        self.shared.keep_ideograph(id, locale, cp, packed);
                        packed
                    }
                };
                (packed != NO_GLYPH).then_some(((packed >> 16) as u16, (packed & 0xFFFF) as i32))
            } else {
                match self.face(id).han.get(&ch).copied() {
                    Some(e) => e,
                    None => {
                        let e = self.shape_single(id, ch);
                        self.face(id).han.insert(ch, e);
                        e
                    }
                }
            };
            if let Some((g, adv)) = entry {
                return Some((id, g, adv));
            }
        }
        None
    }

    /// Shape one character alone (for the Han cache); `None` if the face
    /// lacks it.
    fn shape_single(&mut self, id: FaceId, ch: char) -> Option<(u16, i32)> {
        if !self.has_glyph(id, ch) {
            return None;
        }
        let mut s = [0u8; 4];
        let s = ch.encode_utf8(&mut s);
        self.run_shaper(id, s, 0, true);
        match (self.infos.as_slice(), self.positions.as_slice()) {
            ([info], [pos]) if info.1 != 0 => Some((info.1, pos.0)),
            _ => None,
        }
    }
}
