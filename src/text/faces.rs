//! Faces parsed for shaping, and the glyphs of Han ideographs found in
//! them, shared by every [`super::Shaper`] of a build.
//!
//! Parsing a CJK face for rustybuzz indexes its GSUB and GPOS lookups up
//! front (0.1–0.5 ms a face); finding an ideograph's glyph costs a shaping
//! call. Each shaper used to do both for itself, so the pool threads that
//! break paragraphs and the composer parsed the same faces and looked up
//! the same ideographs again. What is kept here is a pure function of the
//! font and the locale, so whichever thread finds it first, the result is
//! the same: sharing it changes no glyph.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;

use crate::fonts::{FaceId, FontDb, Locale, LOCALES};

/// First and last code point of the ideograph tables: the CJK Unified
/// Ideographs and Extension A, most of a Chinese page.
pub(super) const DENSE_FIRST: u32 = 0x3400;
pub(super) const DENSE_LAST: u32 = 0x9FFF;

/// A table entry not looked up yet.
const UNKNOWN: u32 = 0;

/// The faces of one font database, each parsed once, and per face and
/// locale the glyph and advance of each ideograph looked up so far.
pub struct SharedFaces<'db> {
    db: &'db FontDb,
    parsed: Vec<OnceLock<rustybuzz::Face<'db>>>,
    /// Slot `face × LOCALES.len() + locale`: one entry per code point of
    /// [`DENSE_FIRST`]..=[`DENSE_LAST`], `glyph << 16 | advance` (font units),
    /// [`UNKNOWN`] until looked up.
    ideographs: Vec<OnceLock<Box<[AtomicU32]>>>,
}

impl<'db> SharedFaces<'db> {
    /// Nothing parsed yet.
    pub fn new(db: &'db FontDb) -> Self {
        SharedFaces {
            db,
            parsed: (0..db.len()).map(|_| OnceLock::new()).collect(),
            ideographs: (0..db.len() * LOCALES.len())
                .map(|_| OnceLock::new())
                .collect(),
        }
    }

    /// The font database the faces come from.
    pub fn db(&self) -> &'db FontDb {
        self.db
    }

    /// Face `id`, parsed on first use.
    pub(super) fn face(&self, id: FaceId) -> &rustybuzz::Face<'db> {
        self.parsed[id.0 as usize].get_or_init(|| self.db.rb_face(id))
    }

    /// Parse `faces` now, on the thread pool, so that whoever shapes with
    /// them later finds them ready.
    pub fn parse_ahead(&self, faces: impl IntoIterator<Item = FaceId>) {
        use rayon::prelude::*;
        let mut ids: Vec<FaceId> = faces.into_iter().collect();
        ids.sort_by_key(|id| id.0);
        ids.dedup();
        ids.par_iter().for_each(|&id| {
            self.face(id);
        });
    }

    /// The ideograph table of face `id` in `locale`.
    fn table(&self, id: FaceId, locale: Locale) -> &[AtomicU32] {
        let slot = id.0 as usize * LOCALES.len() + locale.index();
        self.ideographs[slot].get_or_init(|| {
            (DENSE_FIRST..=DENSE_LAST)
                .map(|_| AtomicU32::new(UNKNOWN))
                .collect()
        })
    }

    /// The packed entry of ideograph `cp` (in the table's range) for face
    /// `id` in `locale`, if looked up already.
    pub(super) fn ideograph(&self, id: FaceId, locale: Locale, cp: u32) -> Option<u32> {
        let entry = self.table(id, locale)[(cp - DENSE_FIRST) as usize].load(Ordering::Relaxed);
        (entry != UNKNOWN).then_some(entry)
    }

    /// Keep what ideograph `cp` was found to be (never [`UNKNOWN`]).
    pub(super) fn keep_ideograph(&self, id: FaceId, locale: Locale, cp: u32, packed: u32) {
        debug_assert_ne!(packed, UNKNOWN);
        self.table(id, locale)[(cp - DENSE_FIRST) as usize].store(packed, Ordering::Relaxed);
    }
}
