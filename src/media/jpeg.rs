//! JPEG pictures (baseline and progressive) with zune-jpeg, the decoder
//! krilla uses: CMYK and YCCK files are kept byte for byte, grey ones are
//! decoded to grey samples, RGB (YCbCr) ones decoded and converted to CMYK
//! through the output profile, their embedded ICC profile as the source.

use std::path::Path;
use std::sync::Arc;

use zune_jpeg::zune_core::bytestream::ZCursor;
use zune_jpeg::zune_core::colorspace::ColorSpace;
use zune_jpeg::zune_core::options::DecoderOptions;
use zune_jpeg::JpegDecoder;

use super::{
    check_pixels, colour, encode, AssetData, AssetKind, LoadOptions, MediaError, Prepared,
};

/// JPEG marker bytes read while looking for Adobe's APP14 segment.
const MARKER: u8 = 0xFF;
const APP14: u8 = 0xEE;
const START_OF_SCAN: u8 = 0xDA;

/// Whether the JPEG carries Adobe's APP14 segment, which Photoshop writes
/// with CMYK and YCCK files whose samples are stored inverted (0 = full
/// ink). PDF readers follow the file's own samples, so such an image needs
/// the Decode array `[1 0 1 0 1 0 1 0]` to print right; a CMYK JPEG without
/// the segment stores ink directly.
pub fn is_adobe_inverted(jpeg: &[u8]) -> bool {
    let mut at = 2; // after SOI
    while at + 4 <= jpeg.len() {
        if jpeg[at] != MARKER {
            return false;
        }
        let marker = jpeg[at + 1];
        if marker == MARKER {
            at += 1; // fill byte
            continue;
        }
        if marker == START_OF_SCAN {
            return false;
        }
        let length = usize::from(u16::from_be_bytes([jpeg[at + 2], jpeg[at + 3]]));
        if marker == APP14 && jpeg.get(at + 4..at + 9) == Some(b"Adobe") {
            return true;
        }
        at += 2 + length;
    }
    false
}

/// A decoder that stops at the first error instead of guessing past it: a
/// damaged file must not reach the plate as grey stripes.
fn decoder(bytes: &[u8], out: Option<ColorSpace>) -> JpegDecoder<ZCursor<&[u8]>> {
    let mut options = DecoderOptions::default()
        .set_strict_mode(true)
        .set_max_width(usize::from(u16::MAX))
        .set_max_height(usize::from(u16::MAX));
    if let Some(space) = out {
        options = options.jpeg_set_out_colorspace(space);
    }
    JpegDecoder::new_with_options(ZCursor::new(bytes), options)
}

/// Decode the whole image as `space` samples.
fn decode(path: &Path, bytes: &[u8], space: ColorSpace) -> Result<Vec<u8>, MediaError> {
    decoder(bytes, Some(space))
        .decode()
        .map_err(|e| corrupt(path, e))
}

fn corrupt(path: &Path, e: impl std::fmt::Display) -> MediaError {
    MediaError::new(
        path,
        format!("the JPEG file is damaged or not a JPEG ({e})"),
    )
}

/// The pixel size of an RGB (YCbCr) JPEG, which [`load`] converts, from
/// its header, the pixel limit checked; `None` for a CMYK or grey one.
pub(super) fn conversion_size(
    path: &Path,
    bytes: &[u8],
    options: &LoadOptions,
) -> Result<Option<(u32, u32)>, MediaError> {
    let mut header = decoder(bytes, None);
    header.decode_headers().map_err(|e| corrupt(path, e))?;
    let info = header
        .info()
        .ok_or_else(|| corrupt(path, "no frame header"))?;
    let size = (u32::from(info.width), u32::from(info.height));
    check_pixels(path, size.0, size.1, options)?;
    Ok(matches!(
        header.input_colorspace(),
        Some(ColorSpace::YCbCr | ColorSpace::RGB)
    )
    .then_some(size))
}

/// Read and prepare a JPEG.
pub(super) fn load(
    path: &Path,
    bytes: Vec<u8>,
    options: &LoadOptions,
) -> Result<Prepared, MediaError> {
    let mut header = decoder(&bytes, None);
    header.decode_headers().map_err(|e| corrupt(path, e))?;
    let info = header
        .info()
        .ok_or_else(|| corrupt(path, "no frame header"))?;
    let size = (u32::from(info.width), u32::from(info.height));
    check_pixels(path, size.0, size.1, options)?;
    let space = header
        .input_colorspace()
        .ok_or_else(|| corrupt(path, "no colour space"))?;
    let icc = header.icc_profile();
    match space {
        ColorSpace::CMYK | ColorSpace::YCCK => {
            // Decoding proves the file whole before it is embedded as is.
            let samples = decode(path, &bytes, ColorSpace::CMYK)?;
            let data = if is_adobe_inverted(&bytes) {
                AssetData::Jpeg(Arc::new(bytes))
            } else {
                // krilla marks every CMYK JPEG as Adobe-inverted; one that
                // is not goes in as its decoded samples.
                AssetData::Cmyk(Arc::new(samples))
            };
            Ok(Prepared::raster(AssetKind::CmykJpeg, size, data))
        }
        ColorSpace::Luma => {
            let grey = decode(path, &bytes, ColorSpace::Luma)?;
            Ok(Prepared::raster(
                AssetKind::Gray,
                size,
                AssetData::Gray(Arc::new(grey)),
            ))
        }
        ColorSpace::YCbCr | ColorSpace::RGB => {
            let rgb = decode(path, &bytes, ColorSpace::RGB)?;
            // A photograph came compressed and goes compressed.
            let row = size.0 as usize * 3;
            let data = encode::photograph(path, size, |rows, hold| {
                let rgb = &rgb[rows.start * row..rows.end * row];
                colour::rgb_to_cmyk_held(path, rgb, icc.as_deref(), options, hold)
            })?;
            Ok(Prepared::raster(AssetKind::ConvertedCmyk, size, data))
        }
        other => Err(MediaError::new(
            path,
            format!("the JPEG's colour space {other:?} is not supported (use RGB, grey or CMYK)"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adobe_segment_is_found_before_the_scan_only() {
        let adobe = [
            0xFF, 0xD8, 0xFF, 0xE0, 0, 4, 0, 0, 0xFF, 0xEE, 0, 14, b'A', b'd', b'o', b'b', b'e',
        ];
        assert!(is_adobe_inverted(&adobe));
        let after_scan = [
            0xFF, 0xD8, 0xFF, 0xDA, 0, 4, 0, 0, 0xFF, 0xEE, 0, 14, b'A', b'd', b'o', b'b', b'e',
        ];
        assert!(!is_adobe_inverted(&after_scan));
        assert!(!is_adobe_inverted(&[0xFF, 0xD8, 0xFF]));
    }
}
