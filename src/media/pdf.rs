//! PDF advertisements: the file is parsed with hayro-syntax (the reader
//! krilla embeds pages with) to prove it whole, to find the page asked
//! for, and to read that page's box, which is the ad's natural size. The
//! bytes are kept; the export places the page as a form XObject.

use std::path::Path;
use std::sync::Arc;

use hayro_syntax::{LoadPdfError, Pdf};

use super::{AssetData, AssetKind, MediaError, PdfPage, Prepared};

/// How far from the end of the file its `%%EOF` marker may be: a PDF
/// without one near the end was cut short (a failed upload or copy), and
/// hayro would otherwise repair it silently, perhaps without its last
/// objects.
const EOF_WINDOW: usize = 1024;

/// Whether the file ends with a `%%EOF` marker.
fn ends_whole(bytes: &[u8]) -> bool {
    let tail = &bytes[bytes.len().saturating_sub(EOF_WINDOW)..];
    tail.windows(5).any(|w| w == b"%%EOF")
}

/// Read and check a PDF ad; `page` is 0-based.
pub(super) fn load(path: &Path, bytes: Vec<u8>, page: PdfPage) -> Result<Prepared, MediaError> {
    if !ends_whole(&bytes) {
        return Err(MediaError::new(
            path,
            "the PDF file is truncated (no %%EOF at its end); export it again",
        ));
    }
    let bytes = Arc::new(bytes);
    let pdf = Pdf::new(bytes.clone()).map_err(|e| match e {
        LoadPdfError::Decryption(_) => MediaError::new(
            path,
            "the PDF file is encrypted; ask the advertiser for an unprotected file",
        ),
        LoadPdfError::Invalid => MediaError::new(path, "the PDF file is damaged or not a PDF"),
    })?;
    let pages = pdf.pages();
    let Some(chosen) = pages.get(page) else {
        return Err(MediaError::new(
            path,
            format!(
                "the PDF has {} page{}, so it has no page {}",
                pages.len(),
                if pages.len() == 1 { "" } else { "s" },
                page + 1
            ),
        ));
    };
    let (width, height) = chosen.render_dimensions();
    if !(width.is_finite() && height.is_finite() && width >= 1.0 && height >= 1.0) {
        return Err(MediaError::new(
            path,
            format!(
                "page {} of the PDF has an empty page box ({width} × {height} pt)",
                page + 1
            ),
        ));
    }
    Ok(Prepared {
        kind: AssetKind::Pdf,
        pixels: (width.round() as u32, height.round() as u32),
        natural: (width, height),
        data: AssetData::Pdf(bytes, page),
    })
}
