//! The shaping engine behind [`super::shape`]: font fallback per character,
//! rustybuzz at language zh-Hans, and the fixes Chinese punctuation needs on
//! top of the font (CJK-RULES §2, §3, §5).
//!
//! Parsing a rustybuzz face for a CJK font costs 0.1–0.5 ms (its GSUB/GPOS
//! lookup tables are indexed up front), more than shaping a whole
//! paragraph. Parsed faces and the glyphs of Han ideographs are kept in
//! [`SharedFaces`], shared by the shapers of a build; a [`Shaper`] keeps its
//! own shape plans and caches besides. Callers that shape many paragraphs
//! should keep one `Shaper` for the whole run.

use std::collections::HashMap;
use std::sync::Arc;

use rustybuzz::{Language, Script, ShapePlan, UnicodeBuffer};

use super::class::{class_in_context, is_cjk, is_curly_quote, is_simple_han, CharClass};
use super::faces::SharedFaces;
use super::{Cluster, FontChain, Glyphs, MissingChar, ShapedGlyph, ShapedText, StyleSpan};
use crate::fonts::{FaceId, FontDb, Locale, LOCALES};

mod han;
mod punct;
mod run;
mod vertical;

/// Size used for characters that no span covers (a caller mistake) so they
/// still show as placeholder boxes.
const FALLBACK_SIZE: f32 = 10.0;

/// The glyphs a lone character shaped to: glyph id and (x_advance,
/// x_offset, y_offset) in font units.
type SingleGlyphs = Vec<(u16, (i32, i32, i32))>;

/// One parsed face with its caches.
struct FaceCache<'db> {
    face: rustybuzz::Face<'db>,
    upem: f32,
    /// Shape plans for LTR zh-Hans text, one per script met so far.
    plans: Vec<(Script, ShapePlan)>,
    /// Glyph and advance (font units) of Han ideographs shaped on their own
    /// outside the shared tables' block (`SharedFaces::ideograph`):
    /// ideographs have no context in horizontal text, so one shaping call
    /// per distinct character is enough.
    han: HashMap<char, Option<(u16, i32)>>,
    /// Shaping results of one-character runs (a mark between ideographs),
    /// keyed by character and whether it was shaped as Han.
    single: HashMap<(char, bool), SingleGlyphs>,
    /// Ink box (font units) of punctuation glyphs.
    ink: HashMap<u16, Option<ttf_parser::Rect>>,
    /// The face has Han ideographs: `…`, `—` and curly quotes between Chinese
    /// text are taken from such a face (CJK-RULES §3, §5).
    cjk: bool,
}

/// Shapes text against a [`FontDb`], caching parsed faces between calls.
pub struct Shaper<'db> {
    shared: Arc<SharedFaces<'db>>,
    /// One cache per face and locale (slot `face × 3 + locale`): a face's
    /// plans, ideographs and marks depend on the `locl` language.
    faces: Vec<Option<Box<FaceCache<'db>>>>,
    /// The locale of the text being shaped now; selects the cache slot.
    locale: Locale,
    /// The shaping language of each locale, in [`LOCALES`] order.
    languages: [Language; 3],
    buffer: Option<UnicodeBuffer>,
    /// Use the per-face ideograph cache. Filling it costs a shaping call per
    /// distinct ideograph, which pays off only over many paragraphs.
    reuse: bool,
    /// Scratch space reused between shaping calls: (cluster, glyph),
    /// (x_advance, x_offset, y_offset) and cluster starts.
    infos: Vec<(u32, u16)>,
    positions: Vec<(i32, i32, i32)>,
    starts: Vec<u32>,
    /// Text for a vertical page's transposed frame ([`Shaper::vertical_pages`]):
    /// numbers of up to this many digits become one-em clusters.
    upright_digits: Option<u8>,
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
    locale: Locale,
}

impl<'db> Shaper<'db> {
    /// A shaper with empty caches, for a run of many paragraphs.
    pub fn new(db: &'db FontDb) -> Self {
        Self::sharing(Arc::new(SharedFaces::new(db)))
    }

    /// A shaper that takes its parsed faces and ideographs from `shared`
    /// and adds to them, for one of several threads shaping one build.
    pub fn sharing(shared: Arc<SharedFaces<'db>>) -> Self {
        Shaper {
            shared,
            faces: Vec::new(),
            locale: Locale::Hans,
            languages: LOCALES.map(|l| l.tag().parse().expect("locale tags are valid BCP 47")),
            buffer: Some(UnicodeBuffer::new()),
            reuse: true,
            infos: Vec::new(),
            positions: Vec::new(),
            starts: Vec::new(),
            upright_digits: None,
        }
    }

    /// This shaper sets text for vertical pages, which are composed as
    /// horizontal lines of a transposed frame and turned at the end: a
    /// number of at most `upright_digits` ASCII digits is one cluster one
    /// em wide, set upright in its cell (纵中横), and marks keep the
    /// font's own place in the em box, since their vertical forms replace
    /// them (Taiwan's centring is the vertical form's).
    pub fn vertical_pages(mut self, upright_digits: u8) -> Self {
        self.upright_digits = Some(upright_digits);
        self
    }

    /// Whether this shaper sets text for vertical pages.
    pub(super) fn is_vertical(&self) -> bool {
        self.upright_digits.is_some()
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
        let i = id.0 as usize * LOCALES.len() + self.locale.index();
        if self.faces.len() <= i {
            self.faces.resize_with(i + 1, || None);
        }
        let shared = &self.shared;
        self.faces[i].get_or_insert_with(|| {
            let face = shared.face(id).clone();
            let upem = face.units_per_em() as f32;
            let cjk = face.glyph_index('中').is_some();
            Box::new(FaceCache {
                face,
                upem,
                plans: Vec::new(),
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
            let locale = chain.map_or(Locale::Hans, |c| c.locale);
            self.locale = locale;
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
                    out.clusters
                        .push(one_glyph_cluster(at, ch, face, glyph, size, advance, class));
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
                    let joins = pending.as_ref().is_some_and(|p| {
                        p.face == face && p.size == size && p.end == at && p.locale == locale
                    });
                    if joins {
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
                            locale,
                        });
                    }
                }
                Source::Missing => {
                    self.flush(text, &mut pending, &mut out);
                    push_missing(&mut out, chain, at, ch, class, size);
                }
                Source::Control => {
                    self.flush(text, &mut pending, &mut out);
                    self.push_control(&mut out, chain, at, ch, size);
                }
            }
        }
        self.flush(text, &mut pending, &mut out);
        if let Some(n) = self.upright_digits.filter(|&n| n > 0) {
            vertical::upright_numbers(&mut out, n);
        }
        out
    }

    /// Append the cluster of a control or invisible format character.
    fn push_control(
        &mut self,
        out: &mut ShapedText,
        chain: Option<&FontChain>,
        at: usize,
        ch: char,
        size: f32,
    ) {
        // An invisible format character (U+200B, U+2060, U+FEFF) gets a
        // glyph that draws nothing, so the text layer can carry it; a line
        // break or other control gets none.
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
}

/// A cluster of one character set with one unpositioned glyph.
fn one_glyph_cluster(
    at: usize,
    ch: char,
    face: FaceId,
    glyph_id: u16,
    size: f32,
    advance: f32,
    class: CharClass,
) -> Cluster {
    Cluster {
        range: at..at + ch.len_utf8(),
        glyphs: smallvec::smallvec![ShapedGlyph {
            face,
            glyph_id,
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
    }
}

/// Append the placeholder box of a character no face of the chain has, and
/// record it as missing.
fn push_missing(
    out: &mut ShapedText,
    chain: Option<&FontChain>,
    at: usize,
    ch: char,
    class: CharClass,
    size: f32,
) {
    if class == CharClass::Mark {
        // A stray mark after a missing character joins its box.
        if let Some(last) = out.clusters.last_mut() {
            if last.missing && last.range.end == at {
                last.range.end = at + ch.len_utf8();
                return;
            }
        }
    }
    out.missing.push(MissingChar { ch, byte: at });
    let face = chain
        .and_then(|c| c.faces.first().copied())
        .unwrap_or(FaceId(0));
    // The box is one em wide and stands in for a Han character's cell.
    out.clusters.push(Cluster {
        missing: true,
        ..one_glyph_cluster(at, ch, face, 0, size, size, CharClass::Han)
    });
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
