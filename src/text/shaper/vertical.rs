//! Vertical shaping (top to bottom): the font's `vert` forms (brackets,
//! dashes and marks rotated or replaced), vertical advances from `vmtx` and
//! origins from `VORG`, through rustybuzz in direction TTB.
//!
//! Each character takes the first face of the chain that has it, as in
//! horizontal text; runs of one face are shaped together so a `——` pair
//! still joins. Glyph positions follow HarfBuzz's vertical convention,
//! converted to pt: the pen is the glyph's vertical origin (the middle of
//! the top of its cell), `advance` is how far the pen moves down, and
//! (`x_offset`, `y_offset`) lead from the pen to the point the outline is
//! drawn from (its horizontal origin), y up.

use rustybuzz::{script, Direction, UnicodeBuffer};

use super::Shaper;
use crate::fonts::FaceId;
use crate::text::class::class_in_context;
use crate::text::{Cluster, FontChain, Glyphs, MissingChar, ShapedGlyph, ShapedText};

impl Shaper<'_> {
    /// Shape `text` as one vertical line set in `chain`. Clusters come in
    /// logical order, each `advance` the pen's move down in pt; a character
    /// no face has is a one-em box (glyph 0) and is listed in `missing`.
    pub fn shape_vertical(&mut self, text: &str, chain: &FontChain) -> ShapedText {
        self.locale = chain.locale;
        let mut out = ShapedText {
            text: text.to_string(),
            clusters: Vec::new(),
            missing: Vec::new(),
        };
        // Runs of consecutive characters that share a face.
        let mut runs: Vec<(usize, usize, Option<FaceId>)> = Vec::new();
        for (at, ch) in text.char_indices() {
            let face = chain
                .faces
                .iter()
                .copied()
                .find(|&id| self.has_glyph(id, ch));
            match runs.last_mut() {
                Some(last) if last.2 == face && last.1 == at && face.is_some() => {
                    last.1 = at + ch.len_utf8();
                }
                _ => runs.push((at, at + ch.len_utf8(), face)),
            }
        }
        for (start, end, face) in runs {
            match face {
                Some(face) => self.vertical_run(text, start..end, face, chain.size, &mut out),
                None => {
                    let ch = text[start..].chars().next().unwrap_or(' ');
                    out.missing.push(MissingChar { ch, byte: start });
                    out.clusters.push(Cluster {
                        range: start..end,
                        glyphs: smallvec::smallvec![ShapedGlyph {
                            face: chain.faces.first().copied().unwrap_or(FaceId(0)),
                            glyph_id: 0,
                            size: chain.size,
                            advance: chain.size,
                            x_offset: -chain.size / 2.0,
                            y_offset: -crate::text::EM_BOX_ASCENT * chain.size,
                        }],
                        advance: chain.size,
                        missing: true,
                        class: class_in_context(text, start, ch),
                        size: chain.size,
                        ink: None,
                    });
                }
            }
        }
        out
    }

    /// Shape `range` of `text` with one face top to bottom and append its
    /// clusters.
    fn vertical_run(
        &mut self,
        text: &str,
        range: std::ops::Range<usize>,
        face: FaceId,
        size: f32,
        out: &mut ShapedText,
    ) {
        let language = self.languages[self.locale.index()].clone();
        let cache = self.face(face);
        let scale = size / cache.upem;
        let mut buffer = UnicodeBuffer::new();
        for (i, c) in text[range.clone()].char_indices() {
            buffer.add(c, (range.start + i) as u32);
        }
        buffer.set_direction(Direction::TopToBottom);
        buffer.set_script(script::HAN);
        buffer.set_language(language);
        let glyphs = rustybuzz::shape(&cache.face, &[], buffer);
        let first = out.clusters.len();
        for (info, pos) in glyphs.glyph_infos().iter().zip(glyphs.glyph_positions()) {
            let start = info.cluster as usize;
            let glyph = ShapedGlyph {
                face,
                glyph_id: info.glyph_id as u16,
                size,
                // HarfBuzz moves the pen down by a negative y advance.
                advance: -pos.y_advance as f32 * scale,
                x_offset: pos.x_offset as f32 * scale,
                y_offset: pos.y_offset as f32 * scale,
            };
            match out.clusters[first..].last_mut() {
                Some(c) if c.range.start == start => {
                    c.advance += glyph.advance;
                    c.glyphs.push(glyph);
                }
                _ => {
                    let ch = text[start..].chars().next().unwrap_or(' ');
                    out.clusters.push(Cluster {
                        range: start..start,
                        advance: glyph.advance,
                        glyphs: Glyphs::from_elem(glyph, 1),
                        missing: false,
                        class: class_in_context(text, start, ch),
                        size,
                        ink: None,
                    });
                }
            }
        }
        // Each cluster runs to the next one's start; the last to the run's end.
        let n = out.clusters.len();
        for k in first..n {
            let end = out.clusters.get(k + 1).map_or(range.end, |c| c.range.start);
            out.clusters[k].range.end = end;
        }
        if let Some(c) = out.clusters.get_mut(first) {
            c.range.start = range.start;
        }
    }
}

/// Join each number of at most `most` ASCII digits (not part of a longer
/// run of letters, digits or a decimal point) into one cluster one em wide
/// that breaks like an ideograph: on a vertical page it stands upright in
/// one cell (纵中横). Its glyphs' advances are scaled to share the em.
pub(super) fn upright_numbers(out: &mut ShapedText, most: u8) {
    let bytes = out.text.as_bytes();
    let joins = |b: u8| b.is_ascii_alphanumeric() || b == b'.' || b == b',';
    let mut k = 0;
    while k < out.clusters.len() {
        let start = out.clusters[k].range.start;
        let is_digit =
            |c: &Cluster| c.range.len() == 1 && bytes[c.range.start].is_ascii_digit() && !c.missing;
        if !is_digit(&out.clusters[k]) || (start > 0 && joins(bytes[start - 1])) {
            k += 1;
            continue;
        }
        let mut end = k;
        while end < out.clusters.len() && is_digit(&out.clusters[end]) {
            end += 1;
        }
        let stop = out.clusters[end - 1].range.end;
        let joined_after = bytes.get(stop).is_some_and(|&b| joins(b));
        if end - k > most as usize || joined_after {
            k = end;
            continue;
        }
        let size = out.clusters[k].size;
        let natural: f32 = out.clusters[k..end].iter().map(|c| c.advance).sum();
        let scale = if natural > 0.0 { size / natural } else { 1.0 };
        let mut glyphs = Glyphs::new();
        for c in &out.clusters[k..end] {
            glyphs.extend(c.glyphs.iter().map(|g| ShapedGlyph {
                advance: g.advance * scale,
                ..g.clone()
            }));
        }
        let merged = Cluster {
            range: start..stop,
            glyphs,
            advance: size,
            missing: false,
            class: crate::text::CharClass::Han,
            size,
            ink: None,
        };
        out.clusters.splice(k..end, std::iter::once(merged));
        k += 1;
    }
}
