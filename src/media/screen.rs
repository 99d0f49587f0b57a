//! Screen pixels of a raster asset for the previews (PNG and SVG): its
//! CMYK or grey samples (a CMYK JPEG decoded, Adobe's inverted samples
//! turned back), shrunk by a whole factor to about the size it is shown
//! at. The previews turn them into screen colour as they do every ink.

use std::sync::Arc;

use zune_jpeg::zune_core::bytestream::ZCursor;
use zune_jpeg::zune_core::colorspace::ColorSpace;
use zune_jpeg::zune_core::options::DecoderOptions;
use zune_jpeg::JpegDecoder;

use super::{jpeg::is_adobe_inverted, Asset, AssetData};

/// An asset's samples for a screen, row by row.
#[derive(Debug, Clone)]
pub struct ScreenPixels {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// 1 (grey, 0 = black) or 4 (CMYK, 0 = no ink) samples a pixel.
    pub channels: usize,
    /// The samples.
    pub samples: Vec<u8>,
}

impl Asset {
    /// The asset's pixels for a preview, shrunk by the largest whole factor
    /// that keeps them at least `min_width` × `min_height`; `None` for a
    /// PDF (vector) asset, or a JPEG that no longer decodes.
    pub fn screen_pixels(&self, min_width: u32, min_height: u32) -> Option<ScreenPixels> {
        let (width, height) = self.pixels;
        let (channels, samples): (usize, Arc<Vec<u8>>) = match self.data().ok()? {
            AssetData::Pdf(..) => return None,
            AssetData::Gray(grey) => (1, grey.clone()),
            AssetData::Cmyk(cmyk) => (4, cmyk.clone()),
            AssetData::Jpeg(jpeg) => {
                let options = DecoderOptions::default().jpeg_set_out_colorspace(ColorSpace::CMYK);
                let mut samples = JpegDecoder::new_with_options(ZCursor::new(&jpeg[..]), options)
                    .decode()
                    .ok()?;
                if is_adobe_inverted(jpeg) {
                    samples.iter_mut().for_each(|v| *v = 255 - *v);
                }
                (4, Arc::new(samples))
            }
        };
        let factor = (width / min_width.max(1))
            .min(height / min_height.max(1))
            .max(1);
        let (out_w, out_h) = (width / factor, height / factor);
        let mut shrunk = Vec::with_capacity((out_w * out_h) as usize * channels);
        for y in 0..out_h {
            for x in 0..out_w {
                // The top-left sample of each block: a preview at screen
                // size does not need the block's mean.
                let at = ((y * factor * width + x * factor) as usize) * channels;
                shrunk.extend_from_slice(samples.get(at..at + channels)?);
            }
        }
        Some(ScreenPixels {
            width: out_w,
            height: out_h,
            channels,
            samples: shrunk,
        })
    }
}
