//! One shaping call: a run of characters that share a face and a size goes
//! through rustybuzz (with a cached shape plan per script) and comes back
//! as clusters.

use rustybuzz::{script, Direction, ShapePlan};

use super::{neighbour_is_cjk, Pending, Shaper, SingleGlyphs};
use crate::fonts::FaceId;
use crate::text::class::{class_in_context, is_cjk};
use crate::text::{Cluster, Glyphs, ShapedGlyph, ShapedText};

impl Shaper<'_> {
    /// Shape `s` (at byte `base` of the text) with one face into
    /// `self.infos` (cluster byte, glyph) and `self.positions` (x_advance,
    /// x_offset, y_offset in font units).
    ///
    /// A run of only punctuation and digits has script Common; between
    /// Chinese text (`cjk`) it is shaped as Han so the font's `hani`/zh-Hans
    /// `locl` applies (Noto joins `——` into one two-em glyph only then).
    pub(super) fn run_shaper(&mut self, id: FaceId, s: &str, base: usize, cjk: bool) {
        let mut buffer = self.buffer.take().unwrap_or_default();
        for (i, c) in s.char_indices() {
            buffer.add(c, (base + i) as u32);
        }
        buffer.set_direction(Direction::LeftToRight);
        let language = self.languages[self.locale.index()].clone();
        buffer.set_language(language.clone());
        buffer.guess_segment_properties();
        let mut script = buffer.script();
        if cjk && matches!(script, script::COMMON | script::INHERITED | script::UNKNOWN) {
            script = script::HAN;
            buffer.set_script(script);
        }
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
    pub(super) fn flush(
        &mut self,
        text: &str,
        pending: &mut Option<Pending>,
        out: &mut ShapedText,
    ) {
        let Some(p) = pending.take() else { return };
        // The run may end after the next span's locale was taken up.
        let current = self.locale;
        self.locale = p.locale;
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
        self.shape_pending(&p, run, cjk);
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
        self.locale = current;
    }

    /// Shape the run `run` of `p` into `self.infos` and `self.positions`,
    /// through the face's cache when it is a single character.
    fn shape_pending(&mut self, p: &Pending, run: &str, cjk: bool) {
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
                        let g: SingleGlyphs = self
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
    }
}
