//! Loading every picture and ad a build places, before composing: the
//! articles' `![…](…)` pictures and the layout's `picture` and `ad`
//! modules, each file read once through the media stage.
//!
//! A file that cannot be placed (missing, unreadable, of a type the media
//! stage does not read, too large) stops the build with exit 2 at the
//! article's `![` or the layout key that named it: nothing is written.

use std::path::PathBuf;

use super::{layout_error, source_error};
use crate::layout::{Layout, ModuleMedia};
use crate::media::{Library, LoadOptions, MediaError};
use crate::source::{Edition, SourceError};

/// Load every picture of `edition` and every picture and ad module of
/// `layout` into one library, with RGB images converted into the layout's
/// output profile.
pub fn load_media(layout: &Layout, edition: &Edition) -> anyhow::Result<Library> {
    let options = LoadOptions {
        profile: layout.output.profile.as_ref().map(|p| p.path.clone()),
        ..LoadOptions::default()
    };
    // Who named each file, to put an error where it was written: the
    // articles' picture lines first, then the layout's keys.
    enum Namer<'a> {
        Article(&'a crate::source::PictureOrigin),
        Layout(std::ops::Range<usize>),
    }
    let mut requests = Vec::new();
    let mut namers = Vec::new();
    for article in &edition.articles {
        for picture in &article.pictures {
            requests.push((picture.path.clone(), 0));
            namers.push(Namer::Article(&picture.origin));
        }
    }
    for page in &layout.pages {
        for module in &page.modules {
            let (file, pdf_page) = match &module.media {
                Some(ModuleMedia::Picture { file, .. }) => (file, 0),
                Some(ModuleMedia::Ad { file, page, .. }) => (file, *page),
                None => continue,
            };
            requests.push((file.path.clone(), pdf_page));
            namers.push(Namer::Layout(file.span.clone()));
        }
    }
    // Distinct files are prepared in parallel: converting a photo is the
    // longest step of a build with pictures.
    let mut library = Library::default();
    let loaded = library.load_many(&requests, &options);
    for (result, namer) in loaded.into_iter().zip(namers) {
        let Err(e) = result else { continue };
        return Err(match namer {
            Namer::Article(o) => source_error(SourceError {
                file: o.file.clone(),
                line: o.line,
                column: o.column,
                message: e.message,
            }),
            Namer::Layout(span) => layout_error(layout_media_error(layout, span, e)),
        });
    }
    Ok(library)
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
