//! Converted photographs go into the PDF as CMYK JPEGs, as a prepress
//! workflow would save them: deflating the raw samples of one 1600 × 1067
//! photograph (7 MB) took longer than composing and writing the whole
//! front page, and made a file three times the size. The JPEG is written
//! as Photoshop writes CMYK (inverted samples, Adobe APP14 segment), so it
//! is drawn like any CMYK JPEG, then decoded back: if compression pushed a
//! pixel past the ink limit, the ink is held lower and the picture
//! compressed again, and failing that the exact samples are kept.

use std::path::Path;
use std::sync::Arc;

use jpeg_encoder::{ColorType, Encoder, SamplingFactor};
use zune_jpeg::zune_core::bytestream::ZCursor;
use zune_jpeg::zune_core::colorspace::ColorSpace;
use zune_jpeg::zune_core::options::DecoderOptions;
use zune_jpeg::JpegDecoder;

use super::colour::{max_total_ink, INK_LIMIT};
use super::{AssetData, MediaError};

/// JPEG quality of a converted photograph: high enough that the
/// compression is invisible at newsprint's screen ruling.
const QUALITY: u8 = 90;

/// Total ink the samples are held to before compression, in per cent,
/// tried in turn: JPEG's rounding moves a pixel's sum by up to about 9 %
/// (measured on the fixtures), and the decoded picture must still keep
/// [`INK_LIMIT`]. The profile's own limit is 230 %.
const PRE_COMPRESSION_INK: [f32; 2] = [INK_LIMIT - 6.0, INK_LIMIT - 14.0];

/// A `width` × `height` photograph as the data the PDF gets: a CMYK JPEG
/// of its samples held to each of [`PRE_COMPRESSION_INK`] in turn, or the
/// samples themselves when no JPEG keeps the ink limit. `convert(hold)`
/// gives the converted samples held to [`INK_LIMIT`] and then to `hold`:
/// converting again in the rare case a first JPEG fails costs less than
/// keeping a second copy of every photograph.
pub(super) fn photograph(
    path: &Path,
    (width, height): (u32, u32),
    convert: impl Fn(Option<f32>) -> Result<Vec<u8>, MediaError>,
) -> Result<AssetData, MediaError> {
    let (Ok(w), Ok(h)) = (u16::try_from(width), u16::try_from(height)) else {
        return Ok(AssetData::Cmyk(Arc::new(convert(None)?)));
    };
    for limit in PRE_COMPRESSION_INK {
        let held = convert(Some(limit))?;
        if let Some(jpeg) = compressed_within_limit(path, &held, w, h)? {
            return Ok(AssetData::Jpeg(Arc::new(jpeg)));
        }
    }
    let cmyk = convert(None)?;
    debug_assert!(max_total_ink(&cmyk) <= INK_LIMIT);
    Ok(AssetData::Cmyk(Arc::new(cmyk)))
}

/// `cmyk` as a CMYK JPEG if, decoded, it keeps the ink limit.
fn compressed_within_limit(
    path: &Path,
    cmyk: &[u8],
    w: u16,
    h: u16,
) -> Result<Option<Vec<u8>>, MediaError> {
    let mut jpeg = Vec::new();
    let mut encoder = Encoder::new(&mut jpeg, QUALITY);
    encoder.set_sampling_factor(SamplingFactor::F_1_1);
    encoder.encode(cmyk, w, h, ColorType::Cmyk).map_err(|e| {
        MediaError::new(path, format!("cannot compress the converted picture: {e}"))
    })?;
    let options = DecoderOptions::default().jpeg_set_out_colorspace(ColorSpace::CMYK);
    let decoded = JpegDecoder::new_with_options(ZCursor::new(&jpeg[..]), options)
        .decode()
        .map_err(|e| {
            MediaError::new(path, format!("the converted picture does not decode: {e}"))
        })?;
    // Stored inverted (Adobe): full ink is 0.
    let inverted_max = decoded
        .chunks_exact(4)
        .map(|p| p.iter().map(|&v| 255 - u32::from(v)).sum::<u32>())
        .max()
        .unwrap_or(0);
    Ok((inverted_max as f32 / 2.55 <= INK_LIMIT).then_some(jpeg))
}
