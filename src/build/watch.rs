//! Rebuilding on every change: watch the folders of the inputs (layout,
//! articles, fonts), wait for a burst of saves to settle, rebuild.

use std::path::{Path, PathBuf};
use std::sync::mpsc::RecvTimeoutError;
use std::time::{Duration, Instant};

use anyhow::Context;
use notify::{EventKind, RecursiveMode, Watcher};

use super::{load_inputs, Observer, Request, Sources};
use crate::layout::ModuleMedia;
use crate::{fonts, layout};

/// Quiet time after the last change before rebuilding: an editor's save is
/// several events in a row, a few ms apart (write a temporary file, rename
/// it over the old one). Every ms of it is latency `serve` shows; a save
/// slower than this only costs one more rebuild.
const DEBOUNCE: Duration = Duration::from_millis(25);

/// Run `rebuild` now and again whenever the layout, the articles or a font
/// changes, until the watcher stops. `rebuild` builds `request` and reports
/// the result; our own outputs changing do not trigger it. An output that
/// would replace an input is refused at once (not reported after every
/// rebuild); warnings from that check go to `observer`.
pub fn watch(
    request: &Request,
    observer: &dyn Observer,
    rebuild: impl FnMut(),
) -> anyhow::Result<()> {
    if let Ok(inputs) = load_inputs(&request.sources, observer) {
        request.plan_outputs(&inputs)?;
    }
    watch_with(&request.sources, Filter::outputs_of(request), rebuild)
}

/// Run `rebuild` now and again whenever the layout, the articles or a font
/// of `sources` changes, for a caller that writes nothing to disk (`serve`).
pub fn watch_sources(sources: &Sources, rebuild: impl FnMut()) -> anyhow::Result<()> {
    watch_with(sources, Vec::new(), rebuild)
}

/// [`watch`] with the outputs whose changes are ours, not the user's.
fn watch_with(
    sources: &Sources,
    own_outputs: Vec<PathBuf>,
    mut rebuild: impl FnMut(),
) -> anyhow::Result<()> {
    let (tx, rx) = std::sync::mpsc::channel::<notify::Result<notify::Event>>();
    let mut watcher = notify::recommended_watcher(tx).context("starting the file watcher")?;
    let mut paths = watched_paths(sources);
    watch_folders(&mut watcher, &paths)?;
    // Watching starts before the first build, so a file saved while it runs
    // is not missed; the build's own writes are told apart by `filter`,
    // made after the build has created the output folder.
    rebuild();
    let filter = Filter::new(own_outputs);
    while let Ok(event) = rx.recv() {
        if !filter.changes(&event, &paths) {
            continue;
        }
        // Wait until the changes have been quiet for a moment; other
        // events do not hold the rebuild back.
        let mut deadline = Instant::now() + DEBOUNCE;
        loop {
            match rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
                Ok(e) if filter.changes(&e, &paths) => deadline = Instant::now() + DEBOUNCE,
                Ok(_) => {}
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return Ok(()),
            }
        }
        rebuild();
        // The layout may now name other font folders.
        let now = watched_paths(sources);
        if now != paths {
            paths = now;
            watch_folders(&mut watcher, &paths)?;
        }
    }
    Ok(())
}

/// Watch the folders of `paths`: editors save by writing a new file and
/// renaming it over the old one, which ends a watch on the file itself.
fn watch_folders(watcher: &mut impl Watcher, paths: &[PathBuf]) -> anyhow::Result<()> {
    let mut dirs: Vec<PathBuf> = paths
        .iter()
        .map(|p| {
            if p.is_dir() {
                p.clone()
            } else {
                p.parent().map(Path::to_path_buf).unwrap_or_default()
            }
        })
        .collect();
    dirs.sort();
    dirs.dedup();
    for d in dirs {
        watcher
            .watch(&d, RecursiveMode::NonRecursive)
            .with_context(|| format!("watching {}", d.display()))?;
    }
    Ok(())
}

/// Tells the events that call for a rebuild from the rest. Only changes to
/// content count: opening or reading a file (which every build does, ours
/// and any other process's) must not trigger a rebuild. Our own writes (the
/// PDF, the dump, their temporary files) may land in a watched folder: they
/// must not trigger the next rebuild either.
struct Filter {
    own_outputs: Vec<PathBuf>,
    temp_prefix: String,
}

impl Filter {
    /// The outputs `request` writes, whose changes are ours.
    fn outputs_of(request: &Request) -> Vec<PathBuf> {
        std::iter::once(request.output_path())
            .chain(request.dump.clone())
            .collect()
    }

    fn new(own_outputs: Vec<PathBuf>) -> Self {
        Filter {
            own_outputs: own_outputs.iter().map(|p| absolute_output(p)).collect(),
            temp_prefix: format!(".broadsheet-{}-", std::process::id()),
        }
    }

    /// One of our outputs or their temporary files.
    fn is_ours(&self, p: &Path) -> bool {
        self.own_outputs.iter().any(|o| o == p)
            || p.file_name().is_some_and(|n| {
                let n = n.to_string_lossy();
                n.starts_with(&self.temp_prefix) && n.ends_with(".tmp")
            })
    }

    /// Whether `event` changes the content of one of `paths` (or of a file
    /// in one of them that is a folder).
    fn changes(&self, event: &notify::Result<notify::Event>, paths: &[PathBuf]) -> bool {
        let Ok(event) = event else { return false };
        let content = match event.kind {
            EventKind::Create(_) | EventKind::Remove(_) => true,
            EventKind::Modify(m) => !matches!(m, notify::event::ModifyKind::Metadata(_)),
            _ => false,
        };
        content
            && event.paths.iter().any(|e| {
                let p = absolute_output(e);
                !self.is_ours(&p)
                    && paths
                        .iter()
                        .any(|w| *w == p || (w.is_dir() && p.starts_with(w)))
            })
    }
}

/// Files a build reads: the layout, the articles, the font folders, the
/// pictures and ads.
fn watched_paths(sources: &Sources) -> Vec<PathBuf> {
    let layout = sources.layout_path();
    let articles = sources.articles_path();
    let mut paths = vec![layout.clone(), articles.clone(), fonts::bundled_font_dir()];
    let mut media = Vec::new();
    if let Ok(l) = layout::load(&layout) {
        paths.extend(l.font_dirs.into_iter().map(|(d, _)| d));
        paths.extend(l.font_files.into_iter().map(|f| f.path));
        let files = l.pages.iter().flat_map(|p| &p.modules);
        media.extend(files.filter_map(|m| match &m.media {
            Some(ModuleMedia::Picture { file, .. } | ModuleMedia::Ad { file, .. }) => {
                Some(file.path.clone())
            }
            None => None,
        }));
    }
    // The pictures the articles name, as far as the file reads now.
    if let Ok(edition) = crate::source::parse_file(&articles, &Default::default()) {
        let pictures = edition.articles.into_iter().flat_map(|a| a.pictures);
        media.extend(pictures.map(|p| p.path));
    }
    // A folder that is not there cannot be watched; the build says the
    // file is missing.
    paths.extend(
        media
            .into_iter()
            .filter(|p| p.parent().is_some_and(Path::is_dir)),
    );
    paths
        .into_iter()
        .map(|p| std::fs::canonicalize(&p).unwrap_or(p))
        .collect()
}

/// A path made absolute through its folder, so it compares equal to a
/// watcher's event path whether or not the file exists right now.
fn absolute_output(p: &Path) -> PathBuf {
    if let Ok(real) = std::fs::canonicalize(p) {
        return real;
    }
    match (p.parent(), p.file_name()) {
        (Some(dir), Some(name)) => {
            let dir = if dir.as_os_str().is_empty() {
                Path::new(".")
            } else {
                dir
            };
            std::fs::canonicalize(dir)
                .map(|d| d.join(name))
                .unwrap_or_else(|_| p.to_path_buf())
        }
        _ => p.to_path_buf(),
    }
}
