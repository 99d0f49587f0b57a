//! Preview pictures of a build (`--png DIR`, `--svg DIR`): each page is
//! rendered as soon as it is drawn into the PDF, and the pictures are
//! written with the PDF and the dump, all of them or none.
//!
//! A picture folder that exists as anything but a folder is refused before
//! composing; the page files (`DIR/page-N.png`, known only once the pages
//! are) are planned with the other outputs after composing and before
//! anything is written, so none of them may replace an input either.

use std::path::{Path, PathBuf};

use super::input_error;
use crate::display::Page;
use crate::fonts::FontDb;
use crate::preview;

/// Which pictures a build writes besides the PDF.
#[derive(Debug, Clone, Default)]
pub struct Pictures {
    /// Folder for `page-N.png`; `None`: no PNG.
    pub png: Option<PathBuf>,
    /// Folder for `page-N.svg`; `None`: no SVG.
    pub svg: Option<PathBuf>,
    /// Resolution, proof overlay and extent of the pictures.
    pub options: preview::Options,
}

/// One rendered picture, waiting to be written.
pub(super) struct Picture {
    /// `PNG page` or `SVG page`, for messages.
    pub(super) role: &'static str,
    /// `DIR/page-N.ext`.
    pub(super) path: PathBuf,
    /// The encoded file.
    pub(super) bytes: Vec<u8>,
}

impl Pictures {
    /// Whether any picture is asked for.
    pub fn any(&self) -> bool {
        self.png.is_some() || self.svg.is_some()
    }

    fn folders(&self) -> impl Iterator<Item = (&'static str, &Path)> {
        let png = self.png.as_deref().map(|d| ("PNG", d));
        let svg = self.svg.as_deref().map(|d| ("SVG", d));
        png.into_iter().chain(svg)
    }

    /// Refuse a picture folder that exists but is not a folder (a file,
    /// perhaps an input, or a device); nothing has been written then.
    pub(super) fn check_folders(&self) -> anyhow::Result<()> {
        for (kind, dir) in self.folders() {
            if dir.as_os_str().is_empty() {
                return Err(input_error(format!(
                    "the {kind} folder is an empty path; name a folder"
                )));
            }
            if let Ok(meta) = std::fs::metadata(dir) {
                if !meta.is_dir() {
                    return Err(input_error(format!(
                        "{}: the {kind} folder is a file, not a folder; name a folder (page-N.{} files are written into it)",
                        dir.display(),
                        kind.to_lowercase()
                    )));
                }
            }
        }
        Ok(())
    }

    /// Render the pictures of one page.
    pub(super) fn render(&self, page: &Page, db: &FontDb) -> anyhow::Result<Vec<Picture>> {
        let mut out = Vec::new();
        if let Some(dir) = &self.png {
            out.push(Picture {
                role: "PNG page",
                path: dir.join(format!("page-{}.png", page.number)),
                bytes: preview::png(page, db, &self.options)?,
            });
        }
        if let Some(dir) = &self.svg {
            out.push(Picture {
                role: "SVG page",
                path: dir.join(format!("page-{}.svg", page.number)),
                bytes: preview::svg(page, db, &self.options).into_bytes(),
            });
        }
        Ok(out)
    }
}
