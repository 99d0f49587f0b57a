//! A place to keep prepared font subsets between documents (broadsheet
//! patch, see PATCHED.md).
//!
//! Subsetting a CJK font and deflating its program is the costliest step
//! of writing a short document, and an editor who rebuilds after changing
//! the layout usually needs the very same subset again. krilla stays free
//! of file-system policy: the application installs a store, krilla asks it
//! before subsetting and offers it what it prepared. An entry is only ever
//! a copy of what krilla would compute, so the document's bytes never
//! depend on the store.

use std::sync::{Arc, OnceLock};

/// Keeps prepared subsets, keyed by a hash of the font's table directory,
/// face index, variation coordinates and the glyphs of the subset.
pub trait SubsetStore: Send + Sync {
    /// The entry saved under `key`, if there is one.
    fn load(&self, key: u128) -> Option<Vec<u8>>;
    /// Keep `entry` under `key`; failures are the store's to swallow.
    fn save(&self, key: u128, entry: &[u8]);
}

static STORE: OnceLock<Arc<dyn SubsetStore>> = OnceLock::new();

/// Install the store used by every later document of this process; only
/// the first call has an effect. Returns whether this call installed it.
pub fn set_subset_store(store: Arc<dyn SubsetStore>) -> bool {
    STORE.set(store).is_ok()
}

pub(crate) fn subset_store() -> Option<&'static Arc<dyn SubsetStore>> {
    STORE.get()
}
