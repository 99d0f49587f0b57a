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
//! effective resolution); the back ends read the prepared data. So an RGB
//! photograph, whose conversion and compression are most of a build with
//! pictures, can be [started](Library::start_many): its header is read and
//! checked at once, and the rest is prepared on other threads while the
//! page is composed ([`Asset::data`] waits for it).

mod cache;
mod colour;
mod device_link;
mod encode;
mod jpeg;
mod library;
mod pdf;
mod png_image;
mod screen;

pub use cache::{MediaCache, LOADER_VERSION};
pub use colour::{max_total_ink, INK_LIMIT, NEWSPRINT_PROFILE};
pub use library::{Library, Preparing};
pub use screen::ScreenPixels;

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

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
    /// The prepared data the back ends draw, or why it could not be
    /// prepared; set once, perhaps by another thread (see [`Asset::data`]).
    data: OnceLock<Result<AssetData, MediaError>>,
}

/// The bytes a back end draws an asset from.
#[derive(Clone)]
pub enum AssetData {
    /// A CMYK or YCCK JPEG stored as Photoshop writes them (inverted
    /// samples, Adobe APP14 segment): the file itself for a CMYK JPEG, or
    /// a converted photograph compressed again.
    Jpeg(Arc<Vec<u8>>),
    /// 8-bit CMYK samples, row by row, 4 bytes a pixel.
    Cmyk(Arc<Vec<u8>>),
    /// 8-bit grey samples, row by row, 1 byte a pixel (0 = black).
    Gray(Arc<Vec<u8>>),
    /// The PDF file and the 0-based page to place.
    Pdf(Arc<Vec<u8>>, PdfPage),
}

/// Sizes, not megabytes of samples, in debug output and test failures.
impl std::fmt::Debug for AssetData {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AssetData::Jpeg(b) => write!(f, "Jpeg({} bytes)", b.len()),
            AssetData::Cmyk(b) => write!(f, "Cmyk({} bytes)", b.len()),
            AssetData::Gray(b) => write!(f, "Gray({} bytes)", b.len()),
            AssetData::Pdf(b, page) => write!(f, "Pdf({} bytes, page {page})", b.len()),
        }
    }
}

impl Asset {
    /// The prepared data the back ends draw, waiting for it while the
    /// file is still being prepared on another thread; the error if
    /// preparing it failed (a damaged JPEG whose header was whole).
    pub fn data(&self) -> Result<&AssetData, &MediaError> {
        self.data.wait().as_ref()
    }

    /// An asset whose data is still to come from [`Job::run`].
    fn pending(path: &Path, kind: AssetKind, pixels: (u32, u32)) -> Self {
        Asset {
            path: path.to_path_buf(),
            kind,
            pixels,
            natural: (pixels.0 as f32, pixels.1 as f32),
            data: OnceLock::new(),
        }
    }

    /// Width over height of the asset's natural size.
    pub fn aspect(&self) -> f32 {
        self.natural.0 / self.natural.1
    }

    /// A PDF asset's version from its header (`%PDF-1.7` → `(1, 7)`);
    /// `None` for a raster image. A PDF/X file can embed only pages of
    /// its own version or older (1.6 for PDF/X-4, 1.4 for PDF/X-1a).
    pub fn pdf_version(&self) -> Option<(u8, u8)> {
        let Ok(AssetData::Pdf(bytes, _)) = self.data() else {
            return None;
        };
        let head = &bytes[..bytes.len().min(1024)];
        let at = head.windows(5).position(|w| w == b"%PDF-")? + 5;
        match head.get(at..at + 3)? {
            [major, b'.', minor] if major.is_ascii_digit() && minor.is_ascii_digit() => {
                Some((major - b'0', minor - b'0'))
            }
            _ => None,
        }
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

impl MediaError {
    /// `path`: `what`.
    fn new(path: &Path, what: impl std::fmt::Display) -> Self {
        MediaError {
            message: format!("{}: {what}", path.display()),
        }
    }
}

/// A raster image's pixel count against the limit, before any decoding.
fn check_pixels(
    path: &Path,
    width: u32,
    height: u32,
    options: &LoadOptions,
) -> Result<(), MediaError> {
    let pixels = u64::from(width) * u64::from(height);
    if width == 0 || height == 0 {
        return Err(MediaError::new(
            path,
            "the image has no pixels (width or height 0)",
        ));
    }
    if pixels > options.max_pixels {
        return Err(MediaError::new(
            path,
            format!(
                "the image is {width} × {height} = {pixels} pixels, more than the limit of {} pixels; scale it down before placing it",
                options.max_pixels
            ),
        ));
    }
    Ok(())
}

/// Options of loading.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// The newsprint output profile RGB images are converted into; `None`:
    /// the bundled IFRA26S profile.
    pub profile: Option<PathBuf>,
    /// Largest image accepted, in pixels (width × height).
    pub max_pixels: u64,
    /// Where prepared assets are kept between builds.
    pub cache: MediaCache,
}

impl Default for LoadOptions {
    fn default() -> Self {
        Self {
            profile: None,
            max_pixels: 100_000_000,
            cache: MediaCache::default(),
        }
    }
}

/// What a file's first bytes say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FileType {
    Jpeg,
    Png,
    Pdf,
}

/// The file type from its signature, not its name: a `.jpg` that is a PNG
/// is read as the PNG it is.
fn sniff(bytes: &[u8]) -> Option<FileType> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(FileType::Jpeg)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(FileType::Png)
    } else if bytes.len() >= 5
        && bytes[..bytes.len().min(1024)]
            .windows(5)
            .any(|w| w == b"%PDF-")
    {
        Some(FileType::Pdf)
    } else {
        None
    }
}

/// Read and prepare one file: its type from its signature, the pixel limit
/// checked from the header before decoding, RGB converted to CMYK through
/// the output profile, CMYK JPEGs kept byte for byte, grey kept grey, a
/// PDF checked to parse and to have page `page` (0-based). A file prepared
/// by an earlier build and unchanged since is taken from the cache
/// (`options.cache`), with the same result.
pub fn load(path: &Path, page: PdfPage, options: &LoadOptions) -> Result<Asset, MediaError> {
    let (asset, job) = start(path, page, options)?;
    if let Some(job) = job {
        job.run(&asset);
    }
    asset.data().map_err(Clone::clone)?;
    Ok(asset)
}

/// [`load`] up to what composition needs: an RGB picture not in the cache
/// comes back with its header read and checked, and the [`Job`] that
/// prepares its data; every other file comes back prepared.
fn start(
    path: &Path,
    page: PdfPage,
    options: &LoadOptions,
) -> Result<(Asset, Option<Job>), MediaError> {
    let folder = options.cache.folder();
    // A profile that cannot be read is reported by the conversion, for
    // the images that need it; the others load uncached.
    let profile = folder
        .as_ref()
        .and_then(|_| colour::output_profile_hash(options));
    let key_of = |meta: &std::fs::Metadata| profile.and_then(|p| cache::Key::of(meta, page, p));
    if let Some(folder) = &folder {
        let key = std::fs::metadata(path).ok().as_ref().and_then(key_of);
        if let Some(prepared) = key.and_then(|key| cache::read(folder, &key)) {
            if prepared.kind != AssetKind::Pdf {
                check_pixels(path, prepared.pixels.0, prepared.pixels.1, options)?;
            }
            return Ok((prepared.into_asset(path), None));
        }
    }
    // Read before the settle check's clock: a write after it moves the
    // change time past it, so its identity never matches this entry.
    let now = cache::now_ns();
    let (bytes, meta) = read(path)?;
    let store = folder.and_then(|folder| {
        let key = meta.as_ref().and_then(key_of).filter(|k| k.settled(now))?;
        Some((folder, key))
    });
    if let Some(pixels) = conversion_size(path, &bytes, options)? {
        let asset = Asset::pending(path, AssetKind::ConvertedCmyk, pixels);
        let job = Job {
            bytes,
            page,
            options: options.clone(),
            store,
        };
        return Ok((asset, Some(job)));
    }
    let prepared = prepare(path, bytes, page, options)?;
    if let Some((folder, key)) = store {
        cache::write(&folder, &key, &prepared);
    }
    Ok((prepared.into_asset(path), None))
}

/// The pixel size of a raster file that will be converted to CMYK, read
/// and checked from its header alone; `None` for any other file.
fn conversion_size(
    path: &Path,
    bytes: &[u8],
    options: &LoadOptions,
) -> Result<Option<(u32, u32)>, MediaError> {
    match sniff(bytes) {
        Some(FileType::Jpeg) => jpeg::conversion_size(path, bytes, options),
        Some(FileType::Png) => png_image::conversion_size(path, bytes, options),
        Some(FileType::Pdf) | None => Ok(None),
    }
}

/// The rest of preparing a file [`start`] left: decoding, converting and
/// compressing a photograph, then keeping it in the cache.
pub(crate) struct Job {
    bytes: Vec<u8>,
    page: PdfPage,
    options: LoadOptions,
    /// Where the prepared file is kept, if it may be.
    store: Option<(PathBuf, cache::Key)>,
}

impl Job {
    /// Prepare `asset`'s data (the asset [`start`] made with this job).
    fn run(self, asset: &Asset) {
        let Job {
            bytes,
            page,
            options,
            store,
        } = self;
        let prepared = prepare(&asset.path, bytes, page, &options);
        if let (Ok(prepared), Some((folder, key))) = (&prepared, store) {
            cache::write(&folder, &key, prepared);
        }
        let data = prepared.map(|p| {
            debug_assert!(p.kind == asset.kind && p.pixels == asset.pixels);
            p.data
        });
        // Only this job sets the data of the asset it came with.
        let _ = asset.data.set(data);
    }
}

/// The file's bytes and the metadata of the file they were read from.
fn read(path: &Path) -> Result<(Vec<u8>, Option<std::fs::Metadata>), MediaError> {
    use std::io::Read;
    let cannot = |e: std::io::Error| MediaError::new(path, format!("cannot read the file: {e}"));
    let mut file = std::fs::File::open(path).map_err(cannot)?;
    let meta = file.metadata().ok();
    let mut bytes = Vec::with_capacity(meta.as_ref().map_or(0, |m| m.len() as usize));
    file.read_to_end(&mut bytes).map_err(cannot)?;
    Ok((bytes, meta))
}

/// Prepare a file's `bytes` by their type.
fn prepare(
    path: &Path,
    bytes: Vec<u8>,
    page: PdfPage,
    options: &LoadOptions,
) -> Result<Prepared, MediaError> {
    match sniff(&bytes) {
        Some(FileType::Jpeg) => jpeg::load(path, bytes, options),
        Some(FileType::Png) => png_image::load(path, &bytes, options),
        Some(FileType::Pdf) => pdf::load(path, bytes, page),
        None => Err(MediaError::new(
            path,
            "not a picture broadsheet can place: JPEG, PNG and PDF files are supported (this file starts with none of their signatures)",
        )),
    }
}

/// What a format's loader returns; [`load`] adds the path.
struct Prepared {
    kind: AssetKind,
    pixels: (u32, u32),
    natural: (f32, f32),
    data: AssetData,
}

impl Prepared {
    /// The asset of `path` this prepared file is.
    fn into_asset(self, path: &Path) -> Asset {
        Asset {
            path: path.to_path_buf(),
            kind: self.kind,
            pixels: self.pixels,
            natural: self.natural,
            data: OnceLock::from(Ok(self.data)),
        }
    }

    /// A raster image at 72 ppi (only the ratio matters for placement).
    fn raster(kind: AssetKind, (width, height): (u32, u32), data: AssetData) -> Self {
        Prepared {
            kind,
            pixels: (width, height),
            natural: (width as f32, height as f32),
            data,
        }
    }
}
