//! The prepared-subset cache: font subsets kept between builds.
//!
//! Subsetting the body face of a CJK page and deflating it is the longest
//! single step of a front page's build, and an editor tuning a layout
//! rebuilds with the same characters again and again. krilla asks this
//! store before subsetting (a broadsheet patch, `vendor/krilla/PATCHED.md`)
//! and offers it each subset it made. An entry is a copy of what krilla
//! computes, checked by krilla when read, so the PDF is the same byte for
//! byte whether or not an entry was found.
//!
//! The folder is `$BROADSHEET_SUBSET_CACHE` (`off` disables the cache),
//! else `$XDG_CACHE_HOME/broadsheet/subsets`, else
//! `$HOME/.cache/broadsheet/subsets`. It holds at most [`MAX_ENTRIES`]
//! entries; the least recently used go first. A folder that cannot be
//! written only costs time.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use krilla::text::SubsetStore;

/// Entries kept: a few builds' worth of faces for each of many editions,
/// about 100–400 KB each.
pub const MAX_ENTRIES: usize = 160;

/// The store installed into krilla.
struct FolderStore;

/// Install the cache for every later PDF of this process.
pub(super) fn install() {
    krilla::text::set_subset_store(Arc::new(FolderStore));
}

/// The cache folder, `None` when caching is off.
pub fn folder() -> Option<PathBuf> {
    let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    if let Some(named) = var("BROADSHEET_SUBSET_CACHE") {
        return (named != "off").then(|| PathBuf::from(named));
    }
    let cache = var("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| var("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
    Some(cache.join("broadsheet").join("subsets"))
}

fn entry_path(folder: &Path, key: u128) -> PathBuf {
    folder.join(format!("{key:032x}.subset"))
}

impl SubsetStore for FolderStore {
    fn load(&self, key: u128) -> Option<Vec<u8>> {
        let path = entry_path(&folder()?, key);
        let bytes = std::fs::read(&path).ok()?;
        // Used again: the last to be pruned.
        if let Ok(file) = std::fs::File::options().append(true).open(&path) {
            let _ = file.set_modified(std::time::SystemTime::now());
        }
        Some(bytes)
    }

    fn save(&self, key: u128, entry: &[u8]) {
        let Some(folder) = folder() else { return };
        if std::fs::create_dir_all(&folder).is_err() {
            return;
        }
        // A name no other process or thread writes, renamed into place so
        // that a reader never sees half an entry.
        static WRITES: AtomicU64 = AtomicU64::new(0);
        let temp = folder.join(format!(
            ".{key:032x}.{}.{}.tmp",
            std::process::id(),
            WRITES.fetch_add(1, Ordering::Relaxed)
        ));
        let path = entry_path(&folder, key);
        if std::fs::write(&temp, entry).is_err() || std::fs::rename(&temp, &path).is_err() {
            let _ = std::fs::remove_file(&temp);
            return;
        }
        prune(&folder);
    }
}

/// Remove the least recently used entries beyond [`MAX_ENTRIES`].
fn prune(folder: &Path) {
    let Ok(dir) = std::fs::read_dir(folder) else {
        return;
    };
    let mut entries: Vec<(std::time::SystemTime, PathBuf)> = dir
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "subset"))
        .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
        .collect();
    if entries.len() <= MAX_ENTRIES {
        return;
    }
    entries.sort();
    for (_, path) in &entries[..entries.len() - MAX_ENTRIES] {
        let _ = std::fs::remove_file(path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pruning_keeps_the_most_recently_used() {
        let dir = std::env::temp_dir().join(format!("bs-subset-prune-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let base =
            std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000);
        for i in 0..MAX_ENTRIES + 5 {
            let path = entry_path(&dir, i as u128);
            std::fs::write(&path, b"x").unwrap();
            let file = std::fs::File::options().append(true).open(&path).unwrap();
            file.set_modified(base + std::time::Duration::from_secs(i as u64))
                .unwrap();
        }
        std::fs::write(dir.join("note.txt"), b"not an entry").unwrap();
        prune(&dir);
        for i in 0..MAX_ENTRIES + 5 {
            assert_eq!(entry_path(&dir, i as u128).exists(), i >= 5, "entry {i}");
        }
        assert!(
            dir.join("note.txt").exists(),
            "pruning removed a file it does not own"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
