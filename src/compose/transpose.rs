//! Vertical pages (`[page] writing = "vertical"`): a page composed as a
//! horizontal page of a transposed frame, turned into vertical lines when
//! it is finished.
//!
//! The frame is the page turned a quarter: its width is the trim's height
//! and frame point (x', y') is page point (W − y', x'), W the trim's width.
//! The frame's horizontal lines become vertical lines read top to bottom,
//! its lines advancing down become lines advancing leftward, its columns
//! become the page's tiers (段) top to bottom and its masthead stands at
//! the page's right. Grid, balancing, 禁则, compression, jumps and the fit
//! report are the horizontal engine's, unchanged; only the marks are
//! turned here. The map is a rotation, so rules and boxes keep their
//! shape; each horizontal glyph run is cut into pieces:
//!
//! - full-width characters take the font's vertical forms (`vert`,
//!   `vmtx`, `VORG`, [`crate::text::Shaper::shape_vertical`]), each in the
//!   em box its horizontal glyph had along the line: a compressed mark
//!   keeps the half its ink is in, as its vertical form has it there too;
//! - numbers the shaper joined into one em (纵中横) stand upright side by
//!   side in that em, smaller when they are wider than it;
//! - everything else (Latin words, longer numbers) is turned 90°
//!   clockwise with the line, as a rotated run.
//!
//! Each piece keeps its characters, so the text layer reads in order.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::{Composer, DESCENT_EM};
use crate::display::{GlyphRun, Item, RunGlyph};
use crate::fonts::{FaceId, Locale};
use crate::text::{FontChain, ShapedGlyph, EM_BOX_ASCENT};

/// A glyph whose font advance is at least this part of an em stands
/// upright in a vertical line; narrower ones (Latin) are turned.
const FULL_WIDTH_EM: f32 = 0.9;
/// The share of an em a number set upright may fill across the line.
const UPRIGHT_NUMBER_EM: f32 = 0.95;

/// How a cluster is set in a vertical line.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Kind {
    /// The font's vertical form, upright.
    Upright,
    /// A number standing upright side by side in one em (纵中横).
    Number,
    /// Turned 90° clockwise with the line.
    Turned,
}

/// The vertical forms of the clusters met so far, by face, locale and
/// text: a page has a few thousand distinct characters and shaping each
/// once is what turning costs. Every glyph of an edition is looked up, so
/// the keys hash with FNV-1a rather than SipHash.
#[derive(Default)]
pub(super) struct Forms {
    /// Clusters of one character (nearly all): their form's index.
    single: HashMap<(FaceId, Locale, char), usize, BuildHasherDefault<Fnv>>,
    /// Longer clusters (a `——` pair).
    multi: HashMap<(FaceId, Locale, String), usize, BuildHasherDefault<Fnv>>,
    forms: Vec<Form>,
}

/// FNV-1a, for the small keys of [`Forms`].
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// A number's glyphs have no form: they stand as they are.
const NO_FORM: usize = usize::MAX;

/// A cluster as a vertical line sets it.
struct Form {
    kind: Kind,
    /// Its vertical glyphs (upright clusters only).
    glyphs: Vec<ShapedGlyph>,
}

/// The quarter turn from the frame to the page.
#[derive(Clone, Copy)]
struct Turn {
    /// The trim's width (the frame's height).
    page_width: f32,
}

/// Float noise allowed when telling a picture cropped to fill its frame
/// from one fitted inside it, pt.
const FIT_EPSILON_PT: f32 = 0.01;

/// A picture stays upright on a turned page: only its frame turns. The
/// asset is drawn again at its own aspect ratio, centred, filling the
/// turned frame (cropped) when it filled the frame before, else inside it
/// (an ad), and its effective resolution follows its new size.
fn refit_upright(i: &mut crate::display::Image, covered: bool) {
    let (_, _, w, h) = i.placed;
    if w <= 0.0 || h <= 0.0 || i.width <= 0.0 || i.height <= 0.0 {
        return;
    }
    let by_width = i.width / w;
    let by_height = i.height / h;
    let scale = match covered {
        true => by_width.max(by_height),
        false => by_width.min(by_height),
    };
    let (nw, nh) = (w * scale, h * scale);
    i.placed = (
        i.x + (i.width - nw) / 2.0,
        i.y + (i.height - nh) / 2.0,
        nw,
        nh,
    );
    i.ppi = i.ppi.map(|ppi| ppi / scale);
}

impl Turn {
    /// The page point of frame point (`x`, `y`).
    fn point(self, x: f32, y: f32) -> (f32, f32) {
        (self.page_width - y, x)
    }

    /// The page rectangle (x, y, width, height) of a frame rectangle.
    fn rect(self, x: f32, y: f32, width: f32, height: f32) -> (f32, f32, f32, f32) {
        (self.page_width - y - height, x, height, width)
    }
}

/// Consecutive glyphs of a run with one kind: glyph indices and clusters.
struct Piece {
    kind: Kind,
    glyphs: std::ops::Range<usize>,
}

impl<'a> Composer<'a> {
    /// Turn finished page `index` from its frame to the vertical page.
    pub(super) fn turn_page(&mut self, index: usize) {
        let page = &mut self.pages[index];
        let turn = Turn {
            page_width: page.height,
        };
        (page.width, page.height) = (page.height, page.width);
        // The grid's distances from the frame's top are the page's from
        // its right edge.
        page.grid.vertical = true;
        for m in &mut page.modules {
            (m.x, m.y, m.width, m.height) = turn.rect(m.x, m.y, m.width, m.height);
            // Columns are (x, width) boxes: a tier is none, and the frame's
            // would mislead the thread beads and the proof view.
            m.columns.clear();
            m.body_lines.clear();
        }
        let items = std::mem::take(&mut page.items);
        let mut out = Vec::with_capacity(items.len() * 2);
        for item in items {
            match item {
                Item::Glyphs(run) => self.turn_run(turn, run, &mut out),
                Item::Rule(mut r) => {
                    (r.x0, r.y0) = turn.point(r.x0, r.y0);
                    (r.x1, r.y1) = turn.point(r.x1, r.y1);
                    out.push(Item::Rule(r));
                }
                Item::Rect(mut r) => {
                    (r.x, r.y, r.width, r.height) = turn.rect(r.x, r.y, r.width, r.height);
                    out.push(Item::Rect(r));
                }
                Item::Image(mut i) => {
                    let covered = i.placed.2 >= i.width - FIT_EPSILON_PT
                        && i.placed.3 >= i.height - FIT_EPSILON_PT;
                    (i.x, i.y, i.width, i.height) = turn.rect(i.x, i.y, i.width, i.height);
                    refit_upright(&mut i, covered);
                    out.push(Item::Image(i));
                }
            }
        }
        self.pages[index].items = out;
    }

    /// Cut a frame run into the upright, number and turned pieces of its
    /// vertical line and push them in reading order.
    fn turn_run(&mut self, turn: Turn, run: GlyphRun, out: &mut Vec<Item>) {
        if run.vertical || run.glyphs.is_empty() {
            // Nothing to cut: keep the run where its origin goes, turned.
            let (x, y) = turn.point(run.x, run.y);
            out.push(Item::Glyphs(GlyphRun {
                x,
                y,
                rotated: !run.vertical,
                ..run
            }));
            return;
        }
        let locale = run
            .article
            .and_then(|a| self.locales.get(a - 1).copied())
            .unwrap_or(self.layout.text_settings.locale);
        let kinds: Vec<(Kind, usize)> = (0..run.glyphs.len())
            .map(|i| self.kind_of(&run, i, locale))
            .collect();
        let mut pieces: Vec<Piece> = Vec::new();
        for (i, &(kind, _)) in kinds.iter().enumerate() {
            match pieces.last_mut() {
                Some(p) if p.kind == kind && kind != Kind::Number => p.glyphs.end = i + 1,
                Some(p) if p.kind == kind && run.glyphs[i].range == run.glyphs[i - 1].range => {
                    p.glyphs.end = i + 1
                }
                _ => pieces.push(Piece {
                    kind,
                    glyphs: i..i + 1,
                }),
            }
        }
        // Each piece carries the text from its first glyph's to the next
        // piece's, so text no glyph stands for is not lost.
        let starts: Vec<usize> = pieces
            .iter()
            .enumerate()
            .map(|(k, p)| match k {
                0 => 0,
                _ => run.glyphs[p.glyphs.start].range.start,
            })
            .collect();
        for (k, piece) in pieces.iter().enumerate() {
            let text = starts[k]..starts.get(k + 1).copied().unwrap_or(run.text.len());
            let turned = match piece.kind {
                Kind::Turned => turned_piece(turn, &run, piece, text),
                Kind::Number => self.number_piece(turn, &run, piece, text),
                Kind::Upright => self.upright_piece(turn, &run, piece, text, &kinds),
            };
            out.push(Item::Glyphs(turned));
        }
    }

    /// How glyph `i` of `run` is set and the index of its cluster's
    /// vertical form, looked up (and shaped the first time).
    fn kind_of(&mut self, run: &GlyphRun, i: usize, locale: Locale) -> (Kind, usize) {
        let g = &run.glyphs[i];
        let text = &run.text[g.range.clone()];
        if self.is_upright_number(&run.text, g.range.clone()) {
            return (Kind::Number, NO_FORM);
        }
        let mut chars = text.chars();
        let single = match (chars.next(), chars.next()) {
            (Some(c), None) => Some(c),
            _ => None,
        };
        let found = match single {
            Some(c) => self.forms.single.get(&(run.face, locale, c)),
            None => self.forms.multi.get(&(run.face, locale, text.to_string())),
        };
        if let Some(&at) = found {
            return (self.forms.forms[at].kind, at);
        }
        let face = self.db.ttf_face(run.face);
        let em = f32::from(face.units_per_em());
        let full = g.id == 0
            || face
                .glyph_hor_advance(ttf_parser::GlyphId(g.id))
                .is_some_and(|a| f32::from(a) >= FULL_WIDTH_EM * em);
        let form = match full {
            true => {
                let chain = FontChain {
                    faces: vec![run.face],
                    size: run.size,
                    locale,
                };
                let shaped = self.shaper.borrow_mut().shape_vertical(text, &chain);
                let glyphs = shaped
                    .clusters
                    .iter()
                    .flat_map(|c| {
                        c.glyphs.iter().map(|v| ShapedGlyph {
                            glyph_id: if c.missing { 0 } else { v.glyph_id },
                            // Stored per em, so one form serves every size.
                            advance: v.advance / run.size,
                            x_offset: v.x_offset / run.size,
                            y_offset: v.y_offset / run.size,
                            ..v.clone()
                        })
                    })
                    .collect();
                Form {
                    kind: Kind::Upright,
                    glyphs,
                }
            }
            false => Form {
                kind: Kind::Turned,
                glyphs: Vec::new(),
            },
        };
        let kind = form.kind;
        let at = self.forms.forms.len();
        self.forms.forms.push(form);
        match single {
            Some(c) => self.forms.single.insert((run.face, locale, c), at),
            None => self
                .forms
                .multi
                .insert((run.face, locale, text.to_string()), at),
        };
        (kind, at)
    }

    /// Whether `range` of a line's text is a number the shaper joined
    /// into one em (纵中横).
    fn is_upright_number(&self, text: &str, range: std::ops::Range<usize>) -> bool {
        let most = self.body_style.upright_digits.unwrap_or(0) as usize;
        let bytes = text.as_bytes();
        let joins = |b: u8| b.is_ascii_alphanumeric() || b == b'.' || b == b',';
        !range.is_empty()
            && range.len() <= most
            && bytes[range.clone()].iter().all(u8::is_ascii_digit)
            && !(range.start > 0 && joins(bytes[range.start - 1]))
            && !bytes.get(range.end).is_some_and(|&b| joins(b))
    }

    /// The upright glyphs of a piece: each cluster's vertical form from
    /// the top of the em box its horizontal glyph had.
    fn upright_piece(
        &self,
        turn: Turn,
        run: &GlyphRun,
        piece: &Piece,
        text: std::ops::Range<usize>,
        kinds: &[(Kind, usize)],
    ) -> GlyphRun {
        let size = run.size;
        let (left, first_top) = turn.point(run.x + run.glyphs[piece.glyphs.start].x, run.y);
        // The em box's left edge: its depth below the baseline turns right.
        let left = left - DESCENT_EM * size;
        let centre = left + size / 2.0;
        let (x, y) = (left, first_top + EM_BOX_ASCENT * size);
        let mut glyphs = Vec::new();
        let mut i = piece.glyphs.start;
        while i < piece.glyphs.end {
            let g = &run.glyphs[i];
            // The cluster's glyphs share its range; its form sets them all.
            let mut end = i + 1;
            while end < piece.glyphs.end && run.glyphs[end].range == g.range {
                end += 1;
            }
            let last = &run.glyphs[end - 1];
            let (top, bottom) = (run.x + g.x, run.x + last.x + last.advance);
            let form = self.forms.forms.get(kinds[i].1);
            let mut pen = top;
            let vertical = form.map_or(&[][..], |f| &f.glyphs[..]);
            for (k, v) in vertical.iter().enumerate() {
                let (ox, oy) = (centre + v.x_offset * size, pen - v.y_offset * size);
                let mut advance = v.advance * size;
                if k + 1 == vertical.len() {
                    // The cell may be compressed or justified: the line
                    // moves on where the horizontal cell ended.
                    advance = bottom - pen;
                }
                glyphs.push(RunGlyph {
                    id: v.glyph_id,
                    x: ox - x,
                    y_offset: y - oy,
                    advance,
                    range: g.range.start - text.start..g.range.end - text.start,
                });
                pen += v.advance * size;
            }
            i = end;
        }
        GlyphRun {
            x,
            y,
            text: run.text[text].to_string(),
            glyphs,
            vertical: true,
            rotated: false,
            ..run.clone()
        }
    }

    /// A number upright side by side in its em, centred, at a smaller size
    /// when its digits are wider than the em.
    fn number_piece(
        &self,
        turn: Turn,
        run: &GlyphRun,
        piece: &Piece,
        text: std::ops::Range<usize>,
    ) -> GlyphRun {
        let size = run.size;
        let first = &run.glyphs[piece.glyphs.start];
        let (right, top) = turn.point(run.x + first.x, run.y - EM_BOX_ASCENT * size);
        let face = self.db.ttf_face(run.face);
        let units = 1.0 / f32::from(face.units_per_em());
        let natural: Vec<f32> = run.glyphs[piece.glyphs.clone()]
            .iter()
            .map(|g| {
                face.glyph_hor_advance(ttf_parser::GlyphId(g.id))
                    .map_or(0.5, |a| f32::from(a) * units)
            })
            .collect();
        let width_em: f32 = natural.iter().sum();
        let scaled = size * (UPRIGHT_NUMBER_EM / width_em.max(f32::EPSILON)).min(1.0);
        let width = width_em * scaled;
        // Centred in the em box both ways: its middle is 0.38 em above the
        // baseline (DESIGN §3).
        let middle = EM_BOX_ASCENT - 0.5;
        let x = right - size + (size - width) / 2.0;
        let y = top + size / 2.0 + middle * scaled;
        let mut pen = 0.0;
        let glyphs = run.glyphs[piece.glyphs.clone()]
            .iter()
            .zip(&natural)
            .map(|(g, &em)| {
                let glyph = RunGlyph {
                    id: g.id,
                    x: pen,
                    y_offset: 0.0,
                    advance: em * scaled,
                    range: g.range.start - text.start..g.range.end - text.start,
                };
                pen += em * scaled;
                glyph
            })
            .collect();
        GlyphRun {
            x,
            y,
            size: scaled,
            text: run.text[text].to_string(),
            glyphs,
            vertical: false,
            rotated: false,
            ..run.clone()
        }
    }
}

/// A piece turned 90° clockwise about its first glyph's origin, its glyphs
/// placed as along the frame's line.
fn turned_piece(
    turn: Turn,
    run: &GlyphRun,
    piece: &Piece,
    text: std::ops::Range<usize>,
) -> GlyphRun {
    let first_x = run.glyphs[piece.glyphs.start].x;
    let (x, y) = turn.point(run.x + first_x, run.y);
    let glyphs = run.glyphs[piece.glyphs.clone()]
        .iter()
        .map(|g| RunGlyph {
            x: g.x - first_x,
            range: g.range.start - text.start..g.range.end - text.start,
            ..g.clone()
        })
        .collect();
    GlyphRun {
        x,
        y,
        text: run.text[text].to_string(),
        glyphs,
        vertical: false,
        rotated: true,
        ..run.clone()
    }
}
