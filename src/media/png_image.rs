//! PNG pictures with the `png` crate (krilla's decoder): every colour type
//! and depth is expanded to 8-bit grey or RGB, an alpha channel composited
//! onto white paper (newsprint has no transparency), grey kept grey and RGB
//! converted to CMYK through the output profile (the file's iCCP profile,
//! if any, as the source).

use std::io::Cursor;
use std::path::Path;
use std::sync::Arc;

use png::{ColorType, Decoder, Limits, Transformations};

use super::{check_pixels, colour, AssetData, AssetKind, LoadOptions, MediaError, Prepared};

/// Bytes a decoded pixel may take at most (16-bit RGBA), for the decoder's
/// memory limit.
const MAX_BYTES_PER_PIXEL: u64 = 8;

fn corrupt(path: &Path, e: impl std::fmt::Display) -> MediaError {
    MediaError::new(path, format!("the PNG file is damaged ({e})"))
}

/// `value` with `alpha` (0–255) over white paper.
fn over_white(value: u8, alpha: u8) -> u8 {
    let (v, a) = (u32::from(value), u32::from(alpha));
    ((v * a + 255 * (255 - a) + 127) / 255) as u8
}

/// Colour samples with their alpha channel (the last of `channels`)
/// composited onto white and dropped.
fn flatten(samples: &[u8], channels: usize) -> Vec<u8> {
    let colour = channels - 1;
    let mut out = Vec::with_capacity(samples.len() / channels * colour);
    for pixel in samples.chunks_exact(channels) {
        let alpha = pixel[colour];
        out.extend(pixel[..colour].iter().map(|&v| over_white(v, alpha)));
    }
    out
}

/// The pixel size of a colour PNG (RGB, RGBA or a palette), which [`load`]
/// converts, from its header, the pixel limit checked; `None` for a grey
/// one.
pub(super) fn conversion_size(
    path: &Path,
    bytes: &[u8],
    options: &LoadOptions,
) -> Result<Option<(u32, u32)>, MediaError> {
    let mut decoder = Decoder::new(Cursor::new(bytes));
    let header = decoder.read_header_info().map_err(|e| corrupt(path, e))?;
    check_pixels(path, header.width, header.height, options)?;
    let colour = matches!(
        header.color_type,
        ColorType::Rgb | ColorType::Rgba | ColorType::Indexed
    );
    Ok(colour.then_some((header.width, header.height)))
}

/// Read and prepare a PNG.
pub(super) fn load(
    path: &Path,
    bytes: &[u8],
    options: &LoadOptions,
) -> Result<Prepared, MediaError> {
    let limit = options.max_pixels.saturating_mul(MAX_BYTES_PER_PIXEL);
    let mut decoder = Decoder::new_with_limits(
        Cursor::new(bytes),
        Limits {
            bytes: usize::try_from(limit).unwrap_or(usize::MAX),
        },
    );
    let header = decoder.read_header_info().map_err(|e| corrupt(path, e))?;
    let size = (header.width, header.height);
    check_pixels(path, size.0, size.1, options)?;
    decoder.set_transformations(Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().map_err(|e| corrupt(path, e))?;
    let icc = reader.info().icc_profile.as_ref().map(|p| p.to_vec());
    let buffer_size = reader
        .output_buffer_size()
        .ok_or_else(|| corrupt(path, "the image is too large to decode"))?;
    let mut samples = vec![0; buffer_size];
    let frame = reader
        .next_frame(&mut samples)
        .map_err(|e| corrupt(path, e))?;
    samples.truncate(frame.buffer_size());
    let (grey, rgb) = match frame.color_type {
        ColorType::Grayscale => (Some(samples), None),
        ColorType::GrayscaleAlpha => (Some(flatten(&samples, 2)), None),
        ColorType::Rgb => (None, Some(samples)),
        ColorType::Rgba => (None, Some(flatten(&samples, 4))),
        ColorType::Indexed => return Err(corrupt(path, "its palette could not be expanded")),
    };
    if let Some(grey) = grey {
        return Ok(Prepared::raster(
            AssetKind::Gray,
            size,
            AssetData::Gray(Arc::new(grey)),
        ));
    }
    let rgb = rgb.expect("a colour PNG is RGB once expanded");
    // Lossless in, lossless out: a PNG is usually a graphic, whose edges
    // JPEG would blur.
    let cmyk = colour::rgb_to_cmyk(path, &rgb, icc.as_deref(), options)?;
    Ok(Prepared::raster(
        AssetKind::ConvertedCmyk,
        size,
        AssetData::Cmyk(Arc::new(cmyk)),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alpha_composites_onto_white_paper() {
        assert_eq!(over_white(0, 0), 255, "transparent is paper");
        assert_eq!(over_white(0, 255), 0, "opaque keeps its value");
        assert_eq!(over_white(0, 128), 127);
        assert_eq!(
            flatten(&[10, 20, 30, 255, 0, 0, 0, 0], 4),
            vec![10, 20, 30, 255, 255, 255]
        );
    }
}
