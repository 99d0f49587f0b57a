//! Pictures and ads on the PDF page: each asset drawn at its placed
//! rectangle, clipped to its frame.
//!
//! A CMYK JPEG goes in as its own bytes (DCTDecode, Photoshop's inverted
//! samples marked by krilla's Decode array); converted CMYK and grey
//! samples as DeviceCMYK and DeviceGray images (deflated); a PDF ad as a
//! form XObject made from its page, vectors and fonts kept. No image gets
//! an ICC profile of its own: the page's colour is the output intent's.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use krilla::geom::{PathBuilder, Rect as KRect, Size, Transform};
use krilla::image::{BitsPerComponent, CustomImage, Image as KImage, ImageColorspace};
use krilla::paint::FillRule;
use krilla::pdf::{Pdf, PdfDocument};
use krilla::surface::Surface;

use super::{conformance, ExportError};
use crate::display::{Image, Item, Page, PdfStandard};
use crate::media::{Asset, AssetData};

/// Decoded samples krilla writes as a deflated image.
#[derive(Clone)]
struct Samples {
    /// Names the asset in the hash: the samples are prepared once per
    /// file, so its path and size tell them apart without hashing
    /// megabytes on every page.
    identity: String,
    size: (u32, u32),
    space: ImageColorspace,
    data: Arc<Vec<u8>>,
}

impl Hash for Samples {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.identity.hash(state);
        self.size.hash(state);
        self.space.hash(state);
        self.data.len().hash(state);
    }
}

impl CustomImage for Samples {
    fn color_channel(&self) -> &[u8] {
        &self.data
    }
    fn alpha_channel(&self) -> Option<&[u8]> {
        None
    }
    fn bits_per_component(&self) -> BitsPerComponent {
        BitsPerComponent::Eight
    }
    fn size(&self) -> (u32, u32) {
        self.size
    }
    fn icc_profile(&self) -> Option<&[u8]> {
        None
    }
    fn color_space(&self) -> ImageColorspace {
        self.space
    }
}

/// What krilla draws an asset as, made once per asset per document.
#[derive(Clone)]
enum Drawable {
    Raster(KImage),
    Page(PdfDocument, usize),
}

/// The krilla images and embedded documents of the assets drawn so far,
/// by asset.
pub(super) struct Drawables {
    /// The PDF version written, which an embedded ad may not pass.
    version: (u8, u8),
    /// Keyed by the asset's address; the asset is held so the address is
    /// not reused by another while the document is written.
    made: HashMap<usize, (Arc<Asset>, Drawable)>,
}

fn failed(asset: &Asset, what: impl std::fmt::Display) -> ExportError {
    ExportError::Pdf(format!("{}: {what}", asset.path.display()))
}

impl Drawables {
    /// None drawn yet, for a file of `standard`.
    pub(super) fn new(standard: PdfStandard) -> Self {
        let version = conformance::pdf_version(standard);
        let number = |part: Option<&str>| part.and_then(|p| p.parse().ok()).unwrap_or(7);
        let mut parts = version.split('.');
        Drawables {
            version: (number(parts.next()), number(parts.next())),
            made: HashMap::new(),
        }
    }

    /// Make every picture and ad of `page` drawable, before the page is
    /// started: a file that cannot be embedded stops the export there, not
    /// halfway through drawing.
    pub(super) fn prepare(&mut self, page: &Page) -> Result<(), ExportError> {
        for item in &page.items {
            if let Item::Image(image) = item {
                self.get(&image.asset)?;
            }
        }
        Ok(())
    }

    fn get(&mut self, asset: &Arc<Asset>) -> Result<Drawable, ExportError> {
        let key = Arc::as_ptr(asset) as usize;
        if let Some((_, made)) = self.made.get(&key) {
            return Ok(made.clone());
        }
        let samples = |space, data: &Arc<Vec<u8>>| {
            let samples = Samples {
                identity: asset.path.display().to_string(),
                size: asset.pixels,
                space,
                data: data.clone(),
            };
            KImage::from_custom(samples, false).map(Drawable::Raster)
        };
        let data = asset.data().map_err(|e| failed(asset, e))?;
        let made = match data {
            // With no profile of its own the JPEG is DeviceCMYK, the
            // output intent's space; the file's bytes are untouched.
            AssetData::Jpeg(bytes) => {
                let data: Arc<dyn AsRef<[u8]> + Send + Sync> = bytes.clone();
                KImage::from_jpeg_with_icc(data.into(), None, false).map(Drawable::Raster)
            }
            AssetData::Cmyk(data) => samples(ImageColorspace::Cmyk, data),
            AssetData::Gray(data) => samples(ImageColorspace::Luma, data),
            AssetData::Pdf(..) if asset.pdf_version() > Some(self.version) => {
                let (major, minor) = asset.pdf_version().unwrap_or_default();
                let (ours_major, ours_minor) = self.version;
                Err(format!(
                    "the ad is a PDF {major}.{minor} file, newer than the PDF {ours_major}.{ours_minor} this file is written in; ask for it as PDF/X (PDF/X-1a for 1.4, PDF/X-4 for 1.6)"
                ))
            }
            AssetData::Pdf(bytes, page) => Pdf::new(bytes.clone())
                .map(|pdf| Drawable::Page(PdfDocument::new(Arc::new(pdf)), *page))
                .map_err(|e| format!("{e:?}")),
        }
        .map_err(|e| failed(asset, e))?;
        self.made.insert(key, (asset.clone(), made.clone()));
        Ok(made)
    }
}

/// Draw `image`'s asset at its placed rectangle, clipped to its frame;
/// `drawables` has been [prepared](Drawables::prepare) for its page.
pub(super) fn draw_image(surface: &mut Surface<'_>, image: &Image, drawables: &Drawables) {
    let key = Arc::as_ptr(&image.asset) as usize;
    let Some((_, drawable)) = drawables.made.get(&key).cloned() else {
        debug_assert!(false, "{} was not prepared", image.asset.path.display());
        return;
    };
    let (x, y, width, height) = image.placed;
    let (Some(frame), Some(size)) = (
        KRect::from_xywh(image.x, image.y, image.width, image.height),
        Size::from_wh(width, height),
    ) else {
        return; // an empty frame shows nothing
    };
    let mut clip = PathBuilder::new();
    clip.push_rect(frame);
    let Some(clip) = clip.finish() else {
        return;
    };
    surface.push_clip_path(&clip, &FillRule::NonZero);
    surface.push_transform(&Transform::from_translate(x, y));
    match drawable {
        Drawable::Raster(raster) => surface.draw_image(raster, size),
        Drawable::Page(document, page) => surface.draw_pdf_page(&document, size, page),
    }
    surface.pop();
    surface.pop();
}
