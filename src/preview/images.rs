//! Pictures and ads in the previews. A raster asset is shrunk to about the
//! preview's resolution, its inks turned into screen colour like every
//! other mark ([`super::cmyk_to_rgb`]), and drawn over its placed
//! rectangle clipped to its frame. A PDF ad is rendered by hayro
//! ([`super::pdf_ad`]); one that does not render is drawn as a grey box
//! with a cross, labelled with the file's name.

use std::collections::VecDeque;
use std::hash::Hasher;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use siphasher::sip128::{Hasher128, SipHasher13};

use super::proof::{label, label_face, Label};
use super::{cmyk_to_rgb, Area, Canvas, Outlines, Rgba};
use crate::display::{Cmyk, Image, Page};
use crate::media::{Asset, AssetData, ScreenPixels};

/// A picture ready for a canvas: opaque RGBA, row by row.
pub(crate) struct Picture {
    pub(crate) width: u32,
    pub(crate) height: u32,
    pub(crate) rgba: Vec<u8>,
    /// The picture as a PNG `data:` URI, made once when an SVG first
    /// needs it.
    pub(crate) data_uri: OnceLock<Option<String>>,
}

impl Picture {
    pub(crate) fn new(width: u32, height: u32, rgba: Vec<u8>) -> Picture {
        Picture {
            width,
            height,
            rgba,
            data_uri: OnceLock::new(),
        }
    }
}

/// What a screen picture is made from: a hash of the asset's bytes, the
/// PDF page, and the size in pixels asked for.
type ScreenKey = (u128, usize, u32, u32);

/// How many screen pictures are kept: `serve` draws the same pictures on
/// every rebuild, and decoding, shrinking and rendering an ad cost more
/// than composing the page.
const SCREEN_CACHE_ENTRIES: usize = 16;

/// Screen pictures made lately, oldest first. The same bytes at the same
/// size make the same picture, so output does not depend on it.
static SCREEN_CACHE: Mutex<VecDeque<(ScreenKey, Arc<Picture>)>> = Mutex::new(VecDeque::new());

/// The screen picture of `asset` at about `width` × `height` pixels, made
/// by `make` unless made lately.
fn screen_picture(
    asset: &Asset,
    width: u32,
    height: u32,
    make: impl FnOnce() -> Option<Picture>,
) -> Option<Arc<Picture>> {
    let (bytes, page) = match asset.data().ok()? {
        AssetData::Jpeg(b) | AssetData::Cmyk(b) | AssetData::Gray(b) => (b, 0),
        AssetData::Pdf(b, page) => (b, *page),
    };
    let mut hasher = SipHasher13::new();
    hasher.write(bytes);
    let key = (hasher.finish128().as_u128(), page, width, height);
    let cache = || SCREEN_CACHE.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some((_, picture)) = cache().iter().find(|(k, _)| *k == key) {
        return Some(Arc::clone(picture));
    }
    let picture = Arc::new(make()?);
    let mut cache = cache();
    if cache.len() == SCREEN_CACHE_ENTRIES {
        cache.pop_front();
    }
    cache.push_back((key, Arc::clone(&picture)));
    Some(picture)
}

/// The box standing for a PDF ad.
const AD_FILL: Rgba = Rgba::opaque(235, 235, 235);
const AD_LINE: Rgba = Rgba::opaque(150, 150, 150);
const AD_LINE_PT: f32 = 0.5;
const AD_LABEL_INK: Rgba = Rgba::opaque(60, 60, 60);
/// How far the ad's label sits inside its box, pt.
const AD_LABEL_INSET_PT: f32 = 2.0;

/// Draw `image` on `canvas`.
pub(super) fn draw(
    page: &Page,
    image: &Image,
    outlines: &mut Outlines<'_>,
    canvas: &mut dyn Canvas,
) {
    let frame = Area {
        x: image.x,
        y: image.y,
        width: image.width,
        height: image.height,
    };
    let (x, y, width, height) = image.placed;
    let placed = Area {
        x,
        y,
        width,
        height,
    };
    let per_pt = canvas.pixels_per_pt();
    let wanted = |pt: f32| (pt * per_pt).ceil().max(1.0) as u32;
    let (want_w, want_h) = (wanted(width), wanted(height));
    let picture = screen_picture(&image.asset, want_w, want_h, || {
        match image.asset.data().ok()? {
            AssetData::Pdf(bytes, index) => super::pdf_ad::render(bytes, *index, want_w, want_h),
            _ => {
                let pixels = image.asset.screen_pixels(want_w, want_h)?;
                Some(Picture::new(
                    pixels.width,
                    pixels.height,
                    screen_rgba(&pixels),
                ))
            }
        }
    });
    match picture {
        Some(picture) => canvas.picture(frame, placed, &picture),
        None => ad_box(page, image, frame, outlines, canvas),
    }
}

/// Screen colour of an asset's grey or CMYK samples, opaque RGBA.
fn screen_rgba(pixels: &ScreenPixels) -> Vec<u8> {
    match pixels.channels {
        1 => pixels
            .samples
            .iter()
            .flat_map(|&v| [v, v, v, 255])
            .collect(),
        _ => pixels
            .samples
            .chunks_exact(4)
            .flat_map(|p| {
                let percent = |v: u8| f32::from(v) * 100.0 / 255.0;
                let [r, g, b] = cmyk_to_rgb(Cmyk(
                    percent(p[0]),
                    percent(p[1]),
                    percent(p[2]),
                    percent(p[3]),
                ));
                [r, g, b, 255]
            })
            .collect(),
    }
}

/// A grey box with a cross and the file's name, for an ad the preview
/// cannot render.
fn ad_box(
    page: &Page,
    image: &Image,
    frame: Area,
    outlines: &mut Outlines<'_>,
    canvas: &mut dyn Canvas,
) {
    canvas.rect(frame, Some(AD_FILL), Some((AD_LINE, AD_LINE_PT)));
    let (right, bottom) = (frame.x + frame.width, frame.y + frame.height);
    canvas.line((frame.x, frame.y), (right, bottom), AD_LINE_PT, AD_LINE);
    canvas.line((frame.x, bottom), (right, frame.y), AD_LINE_PT, AD_LINE);
    let name = image
        .asset
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if let Some(face) = label_face(page) {
        let text = format!("广告 {name}");
        let note = Label {
            text: &text,
            x: frame.x + AD_LABEL_INSET_PT,
            y: frame.y + AD_LABEL_INSET_PT,
            align_right: false,
            ink: AD_LABEL_INK,
            backing: AD_FILL,
        };
        label(note, face, outlines, canvas);
    }
}
