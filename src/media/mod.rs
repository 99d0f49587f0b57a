//! Media stage: picture and advertisement files → [`Asset`]s the page can
//! place, between reading the inputs and composing.
//!
//! Every file an article (`![说明](photo.jpg "摄影 张三")`) or the layout
//! (`picture = …`, `ad = …`) names is read, decoded enough to know its size
//! and colour, and prepared for newsprint once, before composition: a CMYK
//! JPEG is kept byte for byte, an RGB image is converted to CMYK through the
//! output profile, a grey one stays grey, a PDF ad keeps its vectors. Errors
//! are [`MediaError`]s without a position; the caller knows which article or
//! layout line named the file and adds it.
//!
//! Composition reads only [`Asset::aspect`] and the pixel size (for the
//! effective resolution); the back ends read the prepared data.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Which page of a PDF ad to place; 0-based inside, `page = 1` in the layout.
pub type PdfPage = usize;

/// What kind of file an asset was and how the back ends draw it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AssetKind {
    /// A JPEG already in CMYK (or YCCK), embedded unchanged.
    CmykJpeg,
    /// A raster image converted to CMYK through the output profile.
    ConvertedCmyk,
    /// A greyscale raster image, kept grey (DeviceGray).
    Gray,
    /// A page of a PDF, placed as a form XObject with its vectors and fonts.
    Pdf,
}

/// A picture or ad file, read and prepared for the page.
#[derive(Debug)]
pub struct Asset {
    /// The file as the article or layout named it, resolved against that
    /// file's folder.
    pub path: PathBuf,
    /// How the asset is drawn.
    pub kind: AssetKind,
    /// Width and height in pixels; for a PDF, its page box in pt rounded.
    pub pixels: (u32, u32),
    /// Natural size in pt: a PDF's page box; a raster image's pixels at 72
    /// ppi unless the file says otherwise. Only its ratio matters for
    /// placement.
    pub natural: (f32, f32),
    /// The prepared data the back ends draw.
    pub data: AssetData,
}

/// The bytes a back end draws an asset from.
#[derive(Debug, Clone)]
pub enum AssetData {
    /// The JPEG file itself (CMYK or YCCK; Adobe-inverted ones too).
    Jpeg(Arc<Vec<u8>>),
    /// 8-bit CMYK samples, row by row, 4 bytes a pixel.
    Cmyk(Arc<Vec<u8>>),
    /// 8-bit grey samples, row by row, 1 byte a pixel (0 = black).
    Gray(Arc<Vec<u8>>),
    /// The PDF file and the 0-based page to place.
    Pdf(Arc<Vec<u8>>, PdfPage),
}

impl Asset {
    /// Width over height of the asset's natural size.
    pub fn aspect(&self) -> f32 {
        self.natural.0 / self.natural.1
    }

    /// Effective resolution in pixels per inch when the whole asset is drawn
    /// `width_pt` wide; `None` for vector artwork.
    pub fn ppi(&self, width_pt: f32) -> Option<f32> {
        match self.kind {
            AssetKind::Pdf => None,
            _ => Some(self.pixels.0 as f32 * 72.0 / width_pt),
        }
    }
}

/// Why a file cannot be placed; the caller adds who named it.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{message}")]
pub struct MediaError {
    /// What is wrong and, where there is one, the fix.
    pub message: String,
}

/// Options of loading.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// The newsprint output profile RGB images are converted into; `None`:
    /// the bundled IFRA26S profile.
    pub profile: Option<PathBuf>,
    /// Largest image accepted, in pixels (width × height).
    pub max_pixels: u64,
}

impl Default for LoadOptions {
    fn default() -> Self {
        Self {
            profile: None,
            max_pixels: 100_000_000,
        }
    }
}

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

    /// Every loaded asset, in path order.
    pub fn assets(&self) -> impl Iterator<Item = &Arc<Asset>> {
        self.assets.values()
    }
}

/// Read and prepare one file.
///
/// Interim: reads only a raster image's pixel size, so placement can be
/// built; decoding, colour conversion and PDF ads replace it.
pub fn load(path: &Path, page: PdfPage, options: &LoadOptions) -> Result<Asset, MediaError> {
    let _ = (options, page);
    let fail = |message: String| MediaError { message };
    let bytes =
        std::fs::read(path).map_err(|e| fail(format!("cannot read {}: {e}", path.display())))?;
    let size = imagesize::blob_size(&bytes).map_err(|e| {
        fail(format!(
            "{} is not an image broadsheet can read: {e}",
            path.display()
        ))
    })?;
    let pixels = (size.width as u32, size.height as u32);
    Ok(Asset {
        path: path.to_path_buf(),
        kind: AssetKind::ConvertedCmyk,
        pixels,
        natural: (pixels.0 as f32, pixels.1 as f32),
        data: AssetData::Cmyk(Arc::new(Vec::new())),
    })
}
