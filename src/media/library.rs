//! The assets of an edition, each file loaded once however often it is
//! placed, several files at a time.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use super::{load, Asset, LoadOptions, MediaError, PdfPage};

/// Every asset of an edition, by file and page, loaded once however often
/// it is placed.
#[derive(Debug, Default, Clone)]
pub struct Library {
    assets: BTreeMap<(PathBuf, PdfPage), Arc<Asset>>,
}

impl Library {
    /// The asset loaded for `path` (page `page` of a PDF, 0 otherwise).
    pub fn get(&self, path: &Path, page: PdfPage) -> Option<&Arc<Asset>> {
        self.assets.get(&(path.to_path_buf(), page))
    }

    /// Load `path` unless it is loaded already.
    pub fn load(
        &mut self,
        path: &Path,
        page: PdfPage,
        options: &LoadOptions,
    ) -> Result<Arc<Asset>, MediaError> {
        let key = (path.to_path_buf(), page);
        if let Some(asset) = self.assets.get(&key) {
            return Ok(asset.clone());
        }
        let asset = Arc::new(load(path, page, options)?);
        self.assets.insert(key, asset.clone());
        Ok(asset)
    }

    /// Load every `(file, page)` of `requests` not loaded yet, distinct
    /// ones side by side (at most one thread per core), and answer each
    /// request in order: the same as calling [`Library::load`] for each in
    /// turn, with the same assets and errors, in less time.
    pub fn load_many(
        &mut self,
        requests: &[(PathBuf, PdfPage)],
        options: &LoadOptions,
    ) -> Vec<Result<Arc<Asset>, MediaError>> {
        let mut missing: Vec<&(PathBuf, PdfPage)> = requests
            .iter()
            .filter(|key| !self.assets.contains_key(*key))
            .collect();
        missing.sort();
        missing.dedup();
        let loaded = load_side_by_side(&missing, options);
        let mut failed = BTreeMap::new();
        for (key, result) in missing.into_iter().zip(loaded) {
            match result {
                Ok(asset) => {
                    self.assets.insert(key.clone(), Arc::new(asset));
                }
                Err(e) => {
                    failed.insert(key, e);
                }
            }
        }
        requests
            .iter()
            .map(|key| match self.assets.get(key) {
                Some(asset) => Ok(asset.clone()),
                None => Err(failed[key].clone()),
            })
            .collect()
    }

    /// Every loaded asset, in path order.
    pub fn assets(&self) -> impl Iterator<Item = &Arc<Asset>> {
        self.assets.values()
    }
}

/// Each of `files` loaded, in order, on up to one thread per core taking
/// the next file as they finish.
fn load_side_by_side(
    files: &[&(PathBuf, PdfPage)],
    options: &LoadOptions,
) -> Vec<Result<Asset, MediaError>> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads = cores.min(files.len());
    if threads <= 1 {
        return files
            .iter()
            .map(|(p, page)| load(p, *page, options))
            .collect();
    }
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Result<Asset, MediaError>>>> =
        Mutex::new(files.iter().map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| loop {
                let at = next.fetch_add(1, Ordering::Relaxed);
                let Some((path, page)) = files.get(at) else {
                    break;
                };
                let result = load(path, *page, options);
                results.lock().unwrap_or_else(|e| e.into_inner())[at] = Some(result);
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .map(|r| r.expect("every file is loaded once the threads are joined"))
        .collect()
}
