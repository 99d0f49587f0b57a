//! Shaping and breaking paragraphs ahead of composition, in parallel and in
//! the order composition will want them.
//!
//! Once a paragraph's measure is known it does not depend on any other, so
//! the paragraphs of the whole edition are shaped and broken on the rayon
//! pool while the composer deals the lines of those already done and the
//! export draws the pages already dealt. Work goes in batches of about
//! [`BATCH_CHARS`] characters, at most [`BATCHES_AHEAD`] batches ahead of the
//! composer, which keeps the memory of a long edition bounded. A paragraph
//! that recurs with the same text, dateline and measure is done once and
//! shared.

use std::collections::HashMap;
use std::sync::mpsc::{Receiver, SyncSender};
use std::sync::{Arc, Mutex, PoisonError};

use super::fill::{Broken, BrokenParagraph};
use super::inline::{paragraph_source, BodyStyle};
use crate::paragraph::break_lines;
use crate::source::{Edition, ParagraphKind};
use crate::text::{Shaper, SharedFaces};

/// Characters per batch: about a page of a broadsheet.
const BATCH_CHARS: usize = 8_000;
/// Batches done and not yet taken by the composer.
pub(super) const BATCHES_AHEAD: usize = 3;

/// A paragraph to break.
#[derive(Debug, Clone, Copy)]
pub(super) struct Job {
    /// 0-based article.
    pub(super) article: usize,
    /// 0-based paragraph of the article.
    pub(super) paragraph: usize,
    /// Measure, pt.
    pub(super) measure: f32,
}

/// The composer's side: results as they arrive, by job. The default plans
/// nothing: every paragraph is broken when asked for.
#[derive(Default)]
pub(super) struct Prebroken {
    /// (article, paragraph, measure bits) → distinct paragraph.
    index: HashMap<(usize, usize, u32), usize>,
    /// Batch of each distinct paragraph.
    batch_of: Vec<usize>,
    done: Vec<Option<Broken>>,
    /// Jobs that will still ask for each distinct paragraph.
    uses_left: Vec<u32>,
    batches_received: usize,
    incoming: Option<Receiver<Vec<(usize, Broken)>>>,
    /// Paragraphs broken while measuring a module's text for balancing,
    /// by (article, paragraph, byte offset, measure bits), kept for the
    /// dealing that follows so no paragraph is broken twice.
    kept: HashMap<(usize, usize, usize, u32), Broken>,
}

impl Prebroken {
    /// The result for a job, waiting for its batch if need be. Each job is
    /// answered once; `None` when it was not planned (the caller breaks it).
    pub fn take(&mut self, article: usize, paragraph: usize, measure: f32) -> Option<Broken> {
        let u = self
            .index
            .remove(&(article, paragraph, measure.to_bits()))?;
        while self.batches_received <= self.batch_of[u] {
            let batch = self.incoming.as_ref()?.recv().ok()?;
            for (v, broken) in batch {
                self.done[v] = Some(broken);
            }
            self.batches_received += 1;
        }
        self.uses_left[u] -= 1;
        if self.uses_left[u] == 0 {
            self.done[u].take()
        } else {
            self.done[u].clone()
        }
    }

    /// Keep a paragraph broken at `measure` from byte `offset` ahead of
    /// its dealing.
    pub fn keep(
        &mut self,
        article: usize,
        paragraph: usize,
        offset: usize,
        measure: f32,
        broken: Broken,
    ) {
        self.kept
            .insert((article, paragraph, offset, measure.to_bits()), broken);
    }

    /// A paragraph [`Prebroken::keep`] kept, once.
    pub fn take_kept(
        &mut self,
        article: usize,
        paragraph: usize,
        offset: usize,
        measure: f32,
    ) -> Option<Broken> {
        self.kept
            .remove(&(article, paragraph, offset, measure.to_bits()))
    }

    /// Forget the paragraphs kept for other articles than `article`, which
    /// bounds the memory of a long edition. Those of this one are still
    /// good (a paragraph broken at one offset and measure breaks the same),
    /// and the copyfit ladder counted them just before.
    pub fn forget_kept_but(&mut self, article: usize) {
        self.kept.retain(|&(a, ..), _| a == article);
    }
}

/// Batches of distinct paragraphs, each with the job that stands for it.
pub(super) type Batches = Vec<Vec<(usize, Job)>>;
/// Where [`run`] sends each finished batch.
pub(super) type BatchSender = SyncSender<Vec<(usize, Broken)>>;

/// Plan the jobs (given in the order composition will ask for them): the
/// composer's side, the batches for [`run`] and the channel to send them on.
pub(super) fn plan(edition: &Edition, jobs: &[Job]) -> (Prebroken, Batches, BatchSender) {
    // Paragraphs are the same work when text, kind, dateline, bold spans
    // and measure are.
    type Key<'e> = (
        &'e str,
        ParagraphKind,
        Option<std::ops::Range<usize>>,
        &'e [std::ops::Range<usize>],
        u32,
    );
    let mut distinct: HashMap<Key<'_>, usize> = HashMap::new();
    let mut index = HashMap::new();
    let mut batch_of = Vec::new();
    let mut uses_left: Vec<u32> = Vec::new();
    let mut batches: Vec<Vec<(usize, Job)>> = Vec::new();
    let mut batch_chars = 0usize;
    for &job in jobs {
        let Job {
            article,
            paragraph: p,
            measure,
        } = job;
        let a = &edition.articles[article];
        let dateline = if p == a.dateline_paragraph() {
            a.dateline_range.clone()
        } else {
            None
        };
        let text = a.paragraphs[p].as_str();
        let kind = a.paragraph_kinds.get(p).copied().unwrap_or_default();
        let bold = a.emphasis.get(p).map_or(&[][..], Vec::as_slice);
        let key = (text, kind, dateline, bold, measure.to_bits());
        let u = match distinct.get(&key) {
            Some(&u) => u,
            None => {
                let u = batch_of.len();
                distinct.insert(key, u);
                if batches.is_empty() || batch_chars >= BATCH_CHARS {
                    batches.push(Vec::new());
                    batch_chars = 0;
                }
                batch_chars += text.len() / 3 + 1;
                batches
                    .last_mut()
                    .expect("a batch was just opened")
                    .push((u, job));
                batch_of.push(batches.len() - 1);
                uses_left.push(0);
                u
            }
        };
        if index.insert((article, p, measure.to_bits()), u).is_none() {
            uses_left[u] += 1;
        }
    }
    let (send, receive) = std::sync::mpsc::sync_channel(BATCHES_AHEAD);
    let done = vec![None; batch_of.len()];
    let prebroken = Prebroken {
        index,
        batch_of,
        done,
        uses_left,
        batches_received: 0,
        incoming: Some(receive),
        kept: HashMap::new(),
    };
    (prebroken, batches, send)
}

/// Shape and break the batches in order, each in parallel with one shaper
/// per pool thread, and send them on. Stops early when the composer is gone.
pub(super) fn run<'db>(
    edition: &Edition,
    faces: &Arc<SharedFaces<'db>>,
    style: &BodyStyle,
    batches: Batches,
    send: BatchSender,
) {
    use rayon::prelude::*;
    let db = faces.db();
    // A shaper keeps shape plans and marks of its own: one per pool thread
    // for the whole edition.
    let shapers: Vec<Mutex<Shaper<'db>>> = (0..rayon::current_num_threads())
        .map(|_| Mutex::new(style.shaper(faces)))
        .collect();
    for batch in batches {
        let done: Vec<(usize, Broken)> = batch
            .par_iter()
            .map(|&(u, job)| {
                let slot = rayon::current_thread_index().unwrap_or(0) % shapers.len();
                let source = paragraph_source(edition, style, db, job.article, job.paragraph, 0);
                let shaped = shapers[slot]
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .shape(&source.text, &source.spans);
                let settings = style.settings(source.kind, false);
                let lines = break_lines(&shaped, job.measure, &settings);
                let broken = BrokenParagraph {
                    shaped,
                    lines,
                    kind: source.kind,
                    accents: source.accents,
                };
                (u, Arc::new(broken))
            })
            .collect();
        if send.send(done).is_err() {
            return;
        }
    }
}
