//! The shaping engine behind [`super::shape`]: font fallback per character,
//! rustybuzz at language zh-Hans, and the fixes Chinese punctuation needs on
//! top of the font (CJK-RULES §2, §3, §5).
//!
//! Parsing a rustybuzz face for a CJK font costs ~0.1 ms (its GSUB/GPOS
//! lookup tables are indexed up front), more than shaping a whole
//! paragraph. A [`Shaper`] therefore keeps every face it has parsed, its
//! shape plans and a per-face glyph cache for Han ideographs; callers that
//! shape many paragraphs should keep one `Shaper` for the whole run.

use std::collections::HashMap;

use rustybuzz::{script, Direction, Language, Script, ShapePlan, UnicodeBuffer};

use super::class::{class_in_context, is_cjk, is_curly_quote, is_simple_han, CharClass};
use super::{Cluster, FontChain, Glyphs, MissingChar, ShapedGlyph, ShapedText, StyleSpan};
use crate::fonts::{FaceId, FontDb};

/// First and last code point of the dense ideograph cache.
const DENSE_FIRST: u32 = 0x3400;
const DENSE_LAST: u32 = 0x9FFF;
/// A dense-cache entry for a character the face does not have.
const NO_GLYPH: u32 = u32::MAX;

/// Size used for characters that no span covers (a caller mistake) so they
/// still show as placeholder boxes.
const FALLBACK_SIZE: f32 = 10.0;

/// One parsed face with its caches.
struct FaceCache<'db> {
    face: rustybuzz::Face<'db>,
    upem: f32,
    /// Shape plans for LTR zh-Hans text, one per script met so far.
    plans: Vec<(Script, ShapePlan)>,
    /// Glyph and advance (font units) of Han ideographs shaped on their own:
    /// ideographs have no context in horizontal text, so one shaping call per
    /// distinct character is enough (this is most of a Chinese page). The
    /// common block U+3400–9FFF is a dense table (`glyph << 16 | advance`,
    /// 0 = not looked up yet, [`NO_GLYPH`] = the face lacks it), the rest a map.
    han_dense: Vec<u32>,
    han: HashMap<char, Option<(u16, i32)>>,
    /// Shaping results of one-character runs (a mark between ideographs),
    /// keyed by character and whether it was shaped as Han.
    #[allow(clippy::type_complexity)]
    single: HashMap<(char, bool), Vec<(u16, (i32, i32, i32))>>,
    /// Horizontal ink extent (font units) of punctuation glyphs.
    ink: HashMap<u16, Option<(i16, i16)>>,
    /// The face has Han ideographs: `…`, `—` and curly quotes between Chinese
    /// text are taken from such a face (CJK-RULES §3, §5).
    cjk: bool,
}

/// Shapes text against a [`FontDb`], caching parsed faces between calls.
pub struct Shaper<'db> {
    db: &'db FontDb,
    faces: Vec<Option<Box<FaceCache<'db>>>>,
    language: Language,
    buffer: Option<UnicodeBuffer>,
    /// Use the per-face ideograph cache. Filling it costs a shaping call per
    /// distinct ideograph, which pays off only over many paragraphs.
    reuse: bool,
    /// Scratch space reused between shaping calls: (cluster, glyph),
    /// (x_advance, x_offset, y_offset) and cluster starts.
    infos: Vec<(u32, u16)>,
    positions: Vec<(i32, i32, i32)>,
    starts: Vec<u32>,
}

/// Where a character's glyph comes from.
#[derive(Clone, Copy, PartialEq)]
enum Source {
    /// Shaped with this face (index into the chain's faces resolved to an id).
    Face(FaceId),
    /// No face of the chain has it.
    Missing,
    /// A control character: no glyph at all.
    Control,
}

/// A run of characters waiting for one shaping call.
struct Pending {
    start: usize,
    end: usize,
    face: FaceId,
    size: f32,
}

impl<'db> Shaper<'db> {
    pub fn new(db: &'db FontDb) -> Self {
        Shaper {
            db,
            faces: Vec::new(),
            language: "zh-Hans".parse().expect("zh-Hans is a valid language tag"),
            buffer: Some(UnicodeBuffer::new()),
            reuse: true,
            infos: Vec::new(),
            positions: Vec::new(),
            starts: Vec::new(),
        }
    }

    /// A shaper for a single call: ideographs are shaped with their run
    /// instead of being cached one by one.
    pub(crate) fn one_shot(db: &'db FontDb) -> Self {
        Shaper {
            reuse: false,
            ..Shaper::new(db)
        }
    }

    fn face(&mut self, id: FaceId) -> &mut FaceCache<'db> {
        let i = id.0 as usize;
        if self.faces.len() <= i {
            self.faces.resize_with(i + 1, || None);
        }
        let db = self.db;
        self.faces[i].get_or_insert_with(|| {
            let face = db.rb_face(id);
            let upem = face.units_per_em() as f32;
            let cjk = face.glyph_index('中').is_some();
            Box::new(FaceCache {
                face,
                upem,
                plans: Vec::new(),
                han_dense: Vec::new(),
                han: HashMap::new(),
                single: HashMap::new(),
                ink: HashMap::new(),
                cjk,
            })
        })
    }

    fn has_glyph(&mut self, id: FaceId, ch: char) -> bool {
        self.face(id).face.glyph_index(ch).is_some()
    }

    /// Shape `text`; see [`super::shape`].
    pub fn shape(&mut self, text: &str, spans: &[StyleSpan]) -> ShapedText {
        let mut out = ShapedText {
            text: text.to_string(),
            clusters: Vec::with_capacity(text.len() / 3 + 1),
            missing: Vec::new(),
        };
        let mut span_i = 0usize;
        let mut pending: Option<Pending> = None;
        let mut chars = text.char_indices().peekable();
        // The source of the previous character, for marks that ride on it.
        let mut prev_source = Source::Control;
        while let Some((at, ch)) = chars.next() {
            let next = chars.peek().map(|&(_, c)| c);
            // Spans are in order: advance to the one holding `at`.
            while span_i + 1 < spans.len() && spans[span_i].range.end <= at {
                span_i += 1;
            }
            let chain = spans.get(span_i).map(|s| &s.chain);
            let size = chain.map_or(FALLBACK_SIZE, |c| c.size);
            let simple = is_simple_han(ch);
            let class = if simple {
                CharClass::Han
            } else {
                class_in_context(text, at, ch)
            };
            let next_is_mark = next.is_some_and(may_be_mark);

            // Fast path: a Han ideograph from the first face that has it.
            if simple && !next_is_mark && self.reuse {
                if let Some((face, glyph, advance)) = chain.and_then(|c| self.simple_han(c, ch)) {
                    self.flush(text, &mut pending, &mut out);
                    let upem = self.face(face).upem;
                    let advance = advance as f32 * size / upem;
                    out.clusters.push(Cluster {
                        range: at..at + ch.len_utf8(),
                        glyphs: smallvec::smallvec![ShapedGlyph {
                            face,
                            glyph_id: glyph,
                            size,
                            advance,
                            x_offset: 0.0,
                            y_offset: 0.0,
                        }],
                        advance,
                        missing: false,
                        class,
                        size,
                        ink: None,
                    });
                    prev_source = Source::Face(face);
                    continue;
                }
            }

            let source = match class {
                CharClass::Control => Source::Control,
                CharClass::Mark if prev_source != Source::Control => prev_source,
                _ => match chain {
                    Some(chain) => self.pick_face(chain, text, at, ch, class),
                    None => Source::Missing,
                },
            };
            prev_source = source;
            match source {
                Source::Face(face) => {
                    let same = pending
                        .as_ref()
                        .is_some_and(|p| p.face == face && p.size == size && p.end == at);
                    if same {
                        if let Some(p) = pending.as_mut() {
                            p.end = at + ch.len_utf8();
                        }
                    } else {
                        self.flush(text, &mut pending, &mut out);
                        pending = Some(Pending {
                            start: at,
                            end: at + ch.len_utf8(),
                            face,
                            size,
                        });
                    }
                }
                Source::Missing => {
                    self.flush(text, &mut pending, &mut out);
                    if class == CharClass::Mark {
                        // A stray mark after a missing character joins its box.
                        if let Some(last) = out.clusters.last_mut() {
                            if last.missing && last.range.end == at {
                                last.range.end = at + ch.len_utf8();
                                continue;
                            }
                        }
                    }
                    out.missing.push(MissingChar { ch, byte: at });
                    let face = chain
                        .and_then(|c| c.faces.first().copied())
                        .unwrap_or(FaceId(0));
                    out.clusters.push(Cluster {
                        range: at..at + ch.len_utf8(),
                        glyphs: smallvec::smallvec![ShapedGlyph {
                            face,
                            glyph_id: 0,
                            size,
                            advance: size,
                            x_offset: 0.0,
                            y_offset: 0.0,
                        }],
                        advance: size,
                        missing: true,
                        class: CharClass::Han,
                        size,
                        ink: None,
                    });
                }
                Source::Control => {
                    self.flush(text, &mut pending, &mut out);
                    // An invisible format character (U+200B, U+2060, U+FEFF)
                    // gets a glyph that draws nothing, so the text layer can
                    // carry it; a line break or other control gets none.
                    let glyphs = match chain.and_then(|c| c.faces.first()) {
                        Some(&face) if !ch.is_control() && !ch.is_whitespace() => self
                            .blank_glyph(face, ch)
                            .map(|glyph_id| {
                                smallvec::smallvec![ShapedGlyph {
                                    face,
                                    glyph_id,
                                    size,
                                    advance: 0.0,
                                    x_offset: 0.0,
                                    y_offset: 0.0,
                                }]
                            })
                            .unwrap_or_default(),
                        _ => Glyphs::new(),
                    };
                    out.clusters.push(Cluster {
                        range: at..at + ch.len_utf8(),
                        glyphs,
                        advance: 0.0,
                        missing: false,
                        class: CharClass::Control,
                        size,
                        ink: None,
                    });
                }
            }
        }
        self.flush(text, &mut pending, &mut out);
        out
    }

    /// A glyph of `face` that draws nothing, to stand for the invisible
    /// character `ch`: the face's own glyph for it, else its space.
    fn blank_glyph(&mut self, face: FaceId, ch: char) -> Option<u16> {
        let f = &self.face(face).face;
        [ch, ' ']
            .into_iter()
            .filter_map(|c| f.glyph_index(c))
            .map(|g| g.0)
            .find(|&g| g != 0)
    }

    /// The glyph of a Han ideograph from the first face of `chain` that has
    /// it, through the per-face cache.
    fn simple_han(&mut self, chain: &FontChain, ch: char) -> Option<(FaceId, u16, i32)> {
        let cp = ch as u32;
        for &id in &chain.faces {
            let entry = if (DENSE_FIRST..=DENSE_LAST).contains(&cp) {
                let slot = (cp - DENSE_FIRST) as usize;
                let cache = self.face(id);
                if cache.han_dense.is_empty() {
                    cache.han_dense = vec![0; (DENSE_LAST - DENSE_FIRST + 1) as usize];
                }
                let packed = match cache.han_dense[slot] {
                    0 => {
                        let e = self.shape_single(id, ch);
                        let packed = match e {
                            Some((g, adv)) if (0..=0xFFFF).contains(&adv) && g != 0xFFFF => {
                                ((g as u32) << 16) | adv as u32
                            }
                            _ => NO_GLYPH,
                        };
                        self.face(id).han_dense[slot] = packed;
                        packed
                    }
                    p => p,
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

    /// Choose the face for a character that is not a cached ideograph.
    fn pick_face(
        &mut self,
        chain: &FontChain,
        text: &str,
        at: usize,
        ch: char,
        class: CharClass,
    ) -> Source {
        // Ellipsis, dashes, interpuncts and quotes between Chinese text come
        // from a CJK face even when a Latin face is first in the chain: a
        // Latin `…` sits on the baseline and a Latin `“` is proportional
        // (CJK-RULES §3, §5).
        let prefer_cjk = matches!(ch, '…' | '⋯' | '—' | '·')
            || (is_curly_quote(ch) && class != CharClass::Latin);
        if prefer_cjk {
            let cjk_context = class != CharClass::Latin || neighbour_is_cjk(text, at, ch);
            if cjk_context {
                for &id in &chain.faces {
                    if self.face(id).cjk && self.has_glyph(id, ch) {
                        return Source::Face(id);
                    }
                }
            }
        }
        for &id in &chain.faces {
            if self.has_glyph(id, ch) {
                return Source::Face(id);
            }
        }
        // A space or joiner missing from every face is not worth a box: any
        // face sets it from its notdef advance, which we then override.
        if matches!(class, CharClass::Space | CharClass::Mark) {
            if let Some(&id) = chain.faces.first() {
                return Source::Face(id);
            }
        }
        Source::Missing
    }

    /// Shape `s` (at byte `base` of the text) with one face into
    /// `self.infos` (cluster byte, glyph) and `self.positions` (x_advance,
    /// x_offset, y_offset in font units).
    ///
    /// A run of only punctuation and digits has script Common; between
    /// Chinese text (`cjk`) it is shaped as Han so the font's `hani`/zh-Hans
    /// `locl` applies (Noto joins `——` into one two-em glyph only then).
    fn run_shaper(&mut self, id: FaceId, s: &str, base: usize, cjk: bool) {
        let mut buffer = self.buffer.take().unwrap_or_default();
        for (i, c) in s.char_indices() {
            buffer.add(c, (base + i) as u32);
        }
        buffer.set_direction(Direction::LeftToRight);
        buffer.set_language(self.language.clone());
        buffer.guess_segment_properties();
        let mut script = buffer.script();
        if cjk && matches!(script, script::COMMON | script::INHERITED | script::UNKNOWN) {
            script = script::HAN;
            buffer.set_script(script);
        }
        let language = self.language.clone();
        let cache = self.face(id);
        let plan_i = match cache.plans.iter().position(|(s, _)| *s == script) {
            Some(i) => i,
            None => {
                let plan = ShapePlan::new(
                    &cache.face,
                    Direction::LeftToRight,
                    Some(script),
                    Some(&language),
                    &[],
                );
                cache.plans.push((script, plan));
                cache.plans.len() - 1
            }
        };
        let glyphs = rustybuzz::shape_with_plan(&cache.face, &cache.plans[plan_i].1, buffer);
        self.infos.clear();
        self.infos.extend(
            glyphs
                .glyph_infos()
                .iter()
                .map(|g| (g.cluster, g.glyph_id as u16)),
        );
        self.positions.clear();
        self.positions.extend(
            glyphs
                .glyph_positions()
                .iter()
                .map(|p| (p.x_advance, p.x_offset, p.y_offset)),
        );
        self.buffer = Some(glyphs.clear());
    }

    /// Shape the pending run and append its clusters.
    fn flush(&mut self, text: &str, pending: &mut Option<Pending>, out: &mut ShapedText) {
        let Some(p) = pending.take() else { return };
        let run = &text[p.start..p.end];
        let cjk = run
            .chars()
            .any(|c| is_cjk(c) || matches!(c, '“' | '”' | '‘' | '’' | '—' | '…' | '·'))
            && (run.chars().any(is_cjk)
                || neighbour_is_cjk(text, p.start, run.chars().next().unwrap_or(' '))
                || {
                    let last = run.chars().next_back().unwrap_or(' ');
                    neighbour_is_cjk(text, p.end - last.len_utf8(), last)
                });
        let mut it = run.chars();
        let single = match (it.next(), it.next()) {
            (Some(c), None) => Some(c),
            _ => None,
        };
        match single {
            // A lone mark between ideographs (most punctuation) has no
            // context to shape against: reuse its earlier result.
            Some(ch) => {
                let key = (ch, cjk);
                let cached = self.face(p.face).single.get(&key).cloned();
                let glyphs = match cached {
                    Some(g) => g,
                    None => {
                        self.run_shaper(p.face, run, p.start, cjk);
                        let g: Vec<(u16, (i32, i32, i32))> = self
                            .infos
                            .iter()
                            .zip(&self.positions)
                            .map(|(i, pos)| (i.1, *pos))
                            .collect();
                        self.face(p.face).single.insert(key, g.clone());
                        g
                    }
                };
                self.infos.clear();
                self.positions.clear();
                for (g, pos) in glyphs {
                    self.infos.push((p.start as u32, g));
                    self.positions.push(pos);
                }
            }
            None => self.run_shaper(p.face, run, p.start, cjk),
        }
        let infos = std::mem::take(&mut self.infos);
        let positions = std::mem::take(&mut self.positions);
        let mut starts = std::mem::take(&mut self.starts);
        let upem = self.face(p.face).upem;
        let scale = p.size / upem;
        let first_new = out.clusters.len();
        // Glyphs come in logical order for LTR text; cluster values are byte
        // offsets of the first character of each cluster.
        starts.clear();
        starts.extend(infos.iter().map(|g| g.0));
        starts.dedup();
        starts.sort_unstable();
        starts.dedup();
        for (k, &start) in starts.iter().enumerate() {
            let start = start as usize;
            let end = starts.get(k + 1).map_or(p.end, |&e| e as usize);
            let ch = text[start..].chars().next().unwrap_or(' ');
            let class = class_in_context(text, start, ch);
            out.clusters.push(Cluster {
                range: start..end,
                glyphs: Glyphs::new(),
                advance: 0.0,
                missing: false,
                class,
                size: p.size,
                ink: None,
            });
        }
        // A cluster value that was not at the run start (cannot happen for
        // a well-formed buffer) would leave bytes uncovered: stretch the
        // first cluster back to the run start.
        if let Some(c) = out.clusters.get_mut(first_new) {
            c.range.start = p.start;
        }
        for (info, pos) in infos.iter().zip(&positions) {
            let k = starts.partition_point(|&s| s <= info.0).saturating_sub(1);
            let cluster = &mut out.clusters[first_new + k];
            let advance = pos.0 as f32 * scale;
            cluster.advance += advance;
            cluster.glyphs.push(ShapedGlyph {
                face: p.face,
                glyph_id: info.1,
                size: p.size,
                advance,
                x_offset: pos.1 as f32 * scale,
                y_offset: pos.2 as f32 * scale,
            });
        }
        self.infos = infos;
        self.positions = positions;
        self.starts = starts;
        for c in &mut out.clusters[first_new..] {
            self.fix_punctuation(text, c);
        }
    }

    /// Widths the font may get wrong for Chinese text, and the ink box the
    /// paragraph engine compresses from (CJK-RULES §2: compression is computed
    /// from metrics and the glyph's ink, never from `chws`/`halt`).
    fn fix_punctuation(&mut self, text: &str, c: &mut Cluster) {
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
                if let Some((l, r)) = self.ink_units(face_id, g.glyph_id) {
                    let centre = (l as f32 + r as f32) / 2.0 * scale + g.x_offset;
                    g.x_offset += 0.25 * em - centre;
                }
                g.advance = 0.5 * em;
                c.advance = 0.5 * em;
            }
            _ => {}
        }
        if c.class.is_compressible() || c.class == CharClass::Interpunct {
            let mut pen = 0.0;
            let mut lo = f32::INFINITY;
            let mut hi = f32::NEG_INFINITY;
            for g in &c.glyphs {
                if let Some((l, r)) = self.ink_units(g.face, g.glyph_id) {
                    lo = lo.min(pen + g.x_offset + l as f32 * scale);
                    hi = hi.max(pen + g.x_offset + r as f32 * scale);
                }
                pen += g.advance;
            }
            if lo <= hi {
                c.ink = Some([lo, hi]);
            }
        }
    }

    /// The horizontal ink extent of a glyph in font units, cached: reading
    /// a CFF glyph's box means interpreting its charstring.
    fn ink_units(&mut self, face: FaceId, glyph: u16) -> Option<(i16, i16)> {
        let cache = self.face(face);
        if let Some(&e) = cache.ink.get(&glyph) {
            return e;
        }
        let e = cache
            .face
            .glyph_bounding_box(ttf_parser::GlyphId(glyph))
            .map(|b| (b.x_min, b.x_max));
        cache.ink.insert(glyph, e);
        e
    }
}

/// Whether `c` could be a combining mark, joiner or variation selector
/// (cheap for the common cases).
fn may_be_mark(c: char) -> bool {
    let cp = c as u32;
    cp >= 0x300 && !is_simple_han(c) && super::class::class_of(c) == CharClass::Mark
}

/// Whether a character next to `text[at]` (skipping quotes) is Chinese.
fn neighbour_is_cjk(text: &str, at: usize, ch: char) -> bool {
    let before = text[..at]
        .chars()
        .rev()
        .find(|&c| !is_curly_quote(c) && c != ch);
    let after = text[at + ch.len_utf8()..]
        .chars()
        .find(|&c| !is_curly_quote(c) && c != ch);
    before.is_some_and(is_cjk) || after.is_some_and(is_cjk)
}
