//! The assets of an edition, each file loaded once however often it is
//! placed, several files at a time; photographs prepared on threads of
//! their own while the caller goes on ([`Library::start_many`]).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use super::{load, start, Asset, Job, LoadOptions, MediaError, PdfPage};

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
        let (started, preparing) = self.start_many(requests, options);
        preparing.wait();
        let answers: Vec<_> = started
            .into_iter()
            .map(|r| {
                r.and_then(|asset| match asset.data() {
                    Ok(_) => Ok(asset),
                    Err(e) => Err(e.clone()),
                })
            })
            .collect();
        // As if never loaded: a file that failed is tried again next time.
        self.assets.retain(|_, asset| asset.data().is_ok());
        answers
    }

    /// [`Library::load_many`] up to what composition needs: each answer is
    /// the asset with its size and kind, or the error its header or its
    /// preparation gave; an RGB photograph's data is still being prepared
    /// on other threads when this returns, and [`Asset::data`] waits for
    /// it (or [`Preparing::wait`] for all of them).
    pub fn start_many(
        &mut self,
        requests: &[(PathBuf, PdfPage)],
        options: &LoadOptions,
    ) -> (Vec<Result<Arc<Asset>, MediaError>>, Preparing) {
        let mut missing: Vec<&(PathBuf, PdfPage)> = requests
            .iter()
            .filter(|key| !self.assets.contains_key(*key))
            .collect();
        missing.sort();
        missing.dedup();
        let started = start_side_by_side(&missing, options);
        let mut failed = BTreeMap::new();
        let mut jobs = Vec::new();
        for (key, result) in missing.into_iter().zip(started) {
            match result {
                Ok((asset, job)) => {
                    let asset = Arc::new(asset);
                    jobs.extend(job.map(|job| (asset.clone(), job)));
                    self.assets.insert(key.clone(), asset);
                }
                Err(e) => {
                    failed.insert(key, e);
                }
            }
        }
        let answers = requests
            .iter()
            .map(|key| match self.assets.get(key) {
                Some(asset) => Ok(asset.clone()),
                None => Err(failed[key].clone()),
            })
            .collect();
        (answers, Preparing::spawn(jobs))
    }

    /// Every loaded asset, in path order.
    pub fn assets(&self) -> impl Iterator<Item = &Arc<Asset>> {
        self.assets.values()
    }
}

/// Photographs being prepared on threads of their own.
#[derive(Debug)]
#[must_use = "the photographs are not ready until waited for"]
pub struct Preparing {
    threads: Vec<std::thread::JoinHandle<()>>,
}

impl Preparing {
    /// Start `jobs` on up to one thread per core, each taking the next
    /// job as it finishes one: the threads run on while the caller
    /// composes, so they are not scoped to it.
    fn spawn(jobs: Vec<(Arc<Asset>, Job)>) -> Self {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let threads = cores.min(jobs.len());
        let queue = Arc::new(Mutex::new(jobs.into_iter()));
        let threads = (0..threads)
            .map(|_| {
                let queue = queue.clone();
                std::thread::spawn(move || loop {
                    let next = queue.lock().unwrap_or_else(|e| e.into_inner()).next();
                    let Some((asset, job)) = next else { break };
                    job.run(&asset);
                })
            })
            .collect();
        Preparing { threads }
    }

    /// Wait until every photograph is prepared or has failed (its
    /// [`Asset::data`] says which).
    pub fn wait(self) {
        for thread in self.threads {
            // A job that panicked leaves its asset unset; `Asset::data`
            // would wait for it forever, so the panic goes on here.
            if let Err(panic) = thread.join() {
                std::panic::resume_unwind(panic);
            }
        }
    }
}

/// A file started: its asset, and what is left to prepare, if anything.
type Started = Result<(Asset, Option<Job>), MediaError>;

/// Each of `files` started, in order, on up to one thread per core taking
/// the next file as they finish.
fn start_side_by_side(files: &[&(PathBuf, PdfPage)], options: &LoadOptions) -> Vec<Started> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads = cores.min(files.len());
    if threads <= 1 {
        return files
            .iter()
            .map(|(p, page)| start(p, *page, options))
            .collect();
    }
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Started>>> = Mutex::new(files.iter().map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| loop {
                let at = next.fetch_add(1, Ordering::Relaxed);
                let Some((path, page)) = files.get(at) else {
                    break;
                };
                let result = start(path, *page, options);
                results.lock().unwrap_or_else(|e| e.into_inner())[at] = Some(result);
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .map(|r| r.expect("every file is started once the threads are joined"))
        .collect()
}
