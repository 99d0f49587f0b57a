//! Loading every picture and ad a build places, before composing: the
//! articles' `![…](…)` pictures and the layout's `picture` and `ad`
//! modules, each file read once through the media stage.
//!
//! A file that cannot be placed (missing, unreadable, of a type the media
//! stage does not read, too large) stops the build with exit 2 at the
//! article's `![` or the layout key that named it: nothing is written.
//! A build may [start](start_media) the media instead: composition needs
//! only each picture's size, so photographs are converted and compressed
//! while the page is composed, and [`PendingMedia::finish`] reports a
//! file whose data turned out damaged the same way, before anything is
//! drawn.

use std::path::PathBuf;

use super::{layout_error, source_error};
use crate::layout::{Layout, ModuleMedia};
use crate::media::{Library, LoadOptions, MediaError, PdfPage, Preparing};
use crate::source::{Edition, PictureOrigin, SourceError};

/// Who named a file, to put an error where it was written.
enum Namer {
    /// An article's `![…](…)` line.
    Article(PictureOrigin),
    /// A layout key, by its span.
    Layout(std::ops::Range<usize>),
}

/// Photographs still being prepared after [`start_media`], with who named
/// each file.
#[must_use = "the photographs are not ready until finished"]
pub struct PendingMedia {
    preparing: Preparing,
    requests: Vec<((PathBuf, PdfPage), Namer)>,
}

impl PendingMedia {
    /// Wait for every photograph; a file whose preparation failed is an
    /// error at the first article line or layout key that named it.
    pub fn finish(self, layout: &Layout, library: &Library) -> anyhow::Result<()> {
        self.preparing.wait();
        for ((path, page), namer) in self.requests {
            let Some(Err(e)) = library.get(&path, page).map(|a| a.data()) else {
                continue;
            };
            return Err(located(layout, namer, e.clone()));
        }
        Ok(())
    }
}

/// `e` at the place `namer` names.
fn located(layout: &Layout, namer: Namer, e: MediaError) -> anyhow::Error {
    match namer {
        Namer::Article(o) => source_error(SourceError {
            file: o.file,
            line: o.line,
            column: o.column,
            message: e.message,
        }),
        Namer::Layout(span) => layout_error(layout_media_error(layout, span, e)),
    }
}

/// Load every picture of `edition` and every picture and ad module of
/// `layout` into one library, with RGB images converted into the layout's
/// output profile.
pub fn load_media(layout: &Layout, edition: &Edition) -> anyhow::Result<Library> {
    let (library, pending) = start_media(layout, edition)?;
    pending.finish(layout, &library)?;
    Ok(library)
}

/// [`load_media`] with the photographs still being prepared on other
/// threads: every file is read and its header checked (an error there is
/// returned now), and the library has each asset's size and kind for
/// composing.
pub fn start_media(layout: &Layout, edition: &Edition) -> anyhow::Result<(Library, PendingMedia)> {
    let options = LoadOptions {
        profile: layout.output.profile.as_ref().map(|p| p.path.clone()),
        ..LoadOptions::default()
    };
    // The articles' picture lines first, then the layout's keys.
    let mut requests = Vec::new();
    for article in &edition.articles {
        for picture in &article.pictures {
            let namer = Namer::Article(picture.origin.clone());
            requests.push(((picture.path.clone(), 0), namer));
        }
    }
    for page in &layout.pages {
        for module in &page.modules {
            let (file, pdf_page) = match &module.media {
                Some(ModuleMedia::Picture { file, .. }) => (file, 0),
                Some(ModuleMedia::Ad { file, page, .. }) => (file, *page),
                None => continue,
            };
            let namer = Namer::Layout(file.span.clone());
            requests.push(((file.path.clone(), pdf_page), namer));
        }
    }
    // Distinct files are read side by side, and photographs prepared on
    // threads of their own: converting a photo is the longest step of a
    // build with pictures.
    let mut library = Library::default();
    let keys: Vec<_> = requests.iter().map(|(key, _)| key.clone()).collect();
    let (started, preparing) = library.start_many(&keys, &options);
    let failure = started
        .into_iter()
        .enumerate()
        .find_map(|(at, result)| result.err().map(|e| (at, e)));
    if let Some((at, e)) = failure {
        // The photographs already started are left to finish unwaited.
        drop(preparing);
        let (_, namer) = requests.swap_remove(at);
        return Err(located(layout, namer, e));
    }
    Ok((
        library,
        PendingMedia {
            preparing,
            requests,
        },
    ))
}

/// A file a layout key names that cannot be placed, at that key.
fn layout_media_error(
    layout: &Layout,
    span: std::ops::Range<usize>,
    e: MediaError,
) -> crate::layout::LayoutError {
    layout.locator().error(
        span,
        e.message,
        Some("name a JPEG, PNG or PDF file, relative to the layout file".into()),
    )
}

/// Every picture and ad file a build reads, which no output may replace.
pub(super) fn media_files(library: &Library) -> Vec<PathBuf> {
    library.assets().map(|a| a.path.clone()).collect()
}
