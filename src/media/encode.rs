//! Converted photographs go into the PDF as CMYK JPEGs, as a prepress
//! workflow would save them: deflating the raw samples of one 1600 × 1067
//! photograph (7 MB) took longer than composing and writing the whole
//! front page, and made a file three times the size. The JPEG is written
//! as Photoshop writes CMYK (inverted samples, Adobe APP14 segment), so it
//! is drawn like any CMYK JPEG, then decoded back: if compression pushed a
//! pixel past the ink limit, the ink of that strip (below) is held lower
//! and the strip compressed again on its own, and failing that the exact
//! samples are kept. JPEG's error is local: converting and compressing the
//! whole photograph again for one dark corner cost as much as preparing it
//! the first time (it happened to one of the bench page's two
//! photographs).
//!
//! Compressing and checking are most of preparing a photograph, and one
//! JPEG is written front to back; so the picture is cut into strips of
//! [`STRIP_ROWS`] rows, each compressed and checked on its own core, and
//! the strips joined into one JPEG with a restart marker between them
//! (JPEG's own way of starting afresh inside a scan, which every decoder
//! reads). The strips depend on the picture's size only, never on the
//! number of cores, so the file is the same on every machine.

use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use jpeg_encoder::{ColorType, Encoder, SamplingFactor};
use rayon::prelude::*;
use zune_jpeg::zune_core::bytestream::ZCursor;
use zune_jpeg::zune_core::colorspace::ColorSpace;
use zune_jpeg::zune_core::options::DecoderOptions;
use zune_jpeg::JpegDecoder;

use super::colour::{limit_ink, max_total_ink, INK_LIMIT};
use super::{AssetData, MediaError};

/// JPEG quality of a converted photograph: high enough that the
/// compression is invisible at newsprint's screen ruling.
const QUALITY: u8 = 90;

/// Total ink the samples are held to before compression, in per cent:
/// the whole photograph to the first, and a strip whose decoded ink still
/// passes [`INK_LIMIT`] to each of the others in turn. JPEG's rounding
/// moves a pixel's sum by up to about 9 % (measured on the fixtures); the
/// profile's own limit is 230 %.
const PRE_COMPRESSION_INK: [f32; 3] = [INK_LIMIT - 6.0, INK_LIMIT - 14.0, INK_LIMIT - 26.0];

/// Pixel rows in a strip compressed on its own: a 1600 × 1067 photograph
/// is 9 strips, enough to keep two to eight cores busy, each big enough
/// that the 2 bytes of its restart marker do not count.
const STRIP_ROWS: usize = 128;

/// Most MCUs between restart markers (the DRI segment's field is 16-bit).
const MAX_RESTART_INTERVAL: usize = u16::MAX as usize;

/// JPEG markers the strips are joined with.
const START_OF_FRAME: u8 = 0xC0;
const START_OF_SCAN: u8 = 0xDA;
const DEFINE_RESTART_INTERVAL: u8 = 0xDD;
const RESTART_0: u8 = 0xD0;
const END_OF_IMAGE: [u8; 2] = [0xFF, 0xD9];

/// A `width` × `height` photograph as the data the PDF gets: a CMYK JPEG
/// of its samples held to the first of [`PRE_COMPRESSION_INK`] (a strip
/// that needs it, to the next ones), or the samples themselves when some
/// strip keeps the ink limit at none of them. `convert(rows, hold)` gives
/// the converted samples of those pixel rows held to [`INK_LIMIT`] and
/// then to `hold`. Each strip is converted where it is compressed, while
/// its samples are still in cache, and the whole picture in CMYK is never
/// held (7 MB for a 1600 × 1067 photograph); converting again in the rare
/// case no JPEG will do costs less than keeping it.
pub(super) fn photograph(
    path: &Path,
    (width, height): (u32, u32),
    convert: impl Fn(Range<usize>, Option<f32>) -> Result<Vec<u8>, MediaError> + Sync,
) -> Result<AssetData, MediaError> {
    if let (Ok(w), Ok(h)) = (u16::try_from(width), u16::try_from(height)) {
        let [first, lower @ ..] = PRE_COMPRESSION_INK;
        let held = |rows| convert(rows, Some(first));
        if let Some(jpeg) = compressed_within_limit(path, held, w, h, &lower)? {
            return Ok(AssetData::Jpeg(Arc::new(jpeg)));
        }
    }
    let cmyk = convert(0..height as usize, None)?;
    debug_assert!(max_total_ink(&cmyk) <= INK_LIMIT);
    Ok(AssetData::Cmyk(Arc::new(cmyk)))
}

/// A `w` × `h` picture whose CMYK samples `samples(rows)` gives, as a CMYK
/// JPEG that, decoded, keeps the ink limit: its strips made, compressed
/// and checked side by side, each held to `lower` limits in turn while it
/// does not, then joined; `None` if a strip never does.
fn compressed_within_limit(
    path: &Path,
    samples: impl Fn(Range<usize>) -> Result<Vec<u8>, MediaError> + Sync,
    w: u16,
    h: u16,
    lower: &[f32],
) -> Result<Option<Vec<u8>>, MediaError> {
    // Every strip but the last is whole MCU rows (8 pixel rows at 4:4:4).
    let mcus_per_row = usize::from(w).div_ceil(8);
    let mcu_rows = (STRIP_ROWS / 8)
        .min(MAX_RESTART_INTERVAL / mcus_per_row)
        .max(1);
    let strip_rows = mcu_rows * 8;
    let height = usize::from(h);
    let strips = (0..height.div_ceil(strip_rows))
        .into_par_iter()
        .map(|i| {
            let rows = i * strip_rows..height.min((i + 1) * strip_rows);
            let count = u16::try_from(rows.len()).expect("a strip is part of h rows");
            strip_within_limit(path, samples(rows)?, w, count, lower)
        })
        .collect::<Result<Option<Vec<Vec<u8>>>, MediaError>>()?;
    let Some(strips) = strips else {
        return Ok(None);
    };
    let interval = u16::try_from(mcu_rows * mcus_per_row).expect("held under the DRI limit");
    join(&strips, h, interval)
        .map(Some)
        .ok_or_else(|| MediaError::new(path, "cannot join the compressed strips of the picture"))
}

/// One strip compressed, and if its decoded ink passes the limit, held to
/// each of `lower` in turn and compressed again; `None` if none will do.
fn strip_within_limit(
    path: &Path,
    mut strip: Vec<u8>,
    w: u16,
    rows: u16,
    lower: &[f32],
) -> Result<Option<Vec<u8>>, MediaError> {
    let holds = std::iter::once(None).chain(lower.iter().copied().map(Some));
    for hold in holds {
        if let Some(limit) = hold {
            limit_ink(&mut strip, limit);
        }
        let jpeg = compress(path, &strip, w, rows)?;
        if most_ink(path, &jpeg)? <= INK_LIMIT {
            return Ok(Some(jpeg));
        }
    }
    Ok(None)
}

/// `cmyk` (`w` × `h` pixels) as a CMYK JPEG, no chroma subsampling.
fn compress(path: &Path, cmyk: &[u8], w: u16, h: u16) -> Result<Vec<u8>, MediaError> {
    let mut jpeg = Vec::new();
    let mut encoder = Encoder::new(&mut jpeg, QUALITY);
    encoder.set_sampling_factor(SamplingFactor::F_1_1);
    encoder.encode(cmyk, w, h, ColorType::Cmyk).map_err(|e| {
        MediaError::new(path, format!("cannot compress the converted picture: {e}"))
    })?;
    Ok(jpeg)
}

/// The highest total ink of `jpeg` decoded, in per cent.
fn most_ink(path: &Path, jpeg: &[u8]) -> Result<f32, MediaError> {
    let options = DecoderOptions::default().jpeg_set_out_colorspace(ColorSpace::CMYK);
    let decoded = JpegDecoder::new_with_options(ZCursor::new(jpeg), options)
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
    Ok(inverted_max as f32 / 2.55)
}

/// Where a JPEG's frame header and scan header start, and where its
/// compressed data starts (after the scan header).
struct Segments {
    frame: usize,
    scan: usize,
    data: usize,
}

/// The [`Segments`] of a JPEG the encoder wrote; `None` if it has no
/// frame or scan header where they belong.
fn segments(jpeg: &[u8]) -> Option<Segments> {
    let mut at = 2; // after SOI
    let mut frame = None;
    loop {
        let [0xFF, marker, hi, lo] = *jpeg.get(at..at + 4)? else {
            return None;
        };
        let next = at + 2 + usize::from(u16::from_be_bytes([hi, lo]));
        match marker {
            START_OF_FRAME => frame = Some(at),
            START_OF_SCAN => {
                return Some(Segments {
                    frame: frame?,
                    scan: at,
                    data: next,
                })
            }
            _ => {}
        }
        at = next;
    }
}

/// One JPEG `height` rows high from `strips` compressed alike, each but the
/// last `interval` MCUs: the first strip's headers with the whole height
/// and a restart interval, then each strip's compressed data, a restart
/// marker between two (where a decoder starts its DC prediction afresh,
/// as each strip's encoder did).
fn join(strips: &[Vec<u8>], height: u16, interval: u16) -> Option<Vec<u8>> {
    let first = strips.first()?;
    let head = segments(first)?;
    let mut out = Vec::with_capacity(strips.iter().map(Vec::len).sum::<usize>() + 16);
    out.extend_from_slice(&first[..head.scan]);
    // SOF: marker, length, precision, then the height.
    out.get_mut(head.frame + 5..head.frame + 7)?
        .copy_from_slice(&height.to_be_bytes());
    if strips.len() > 1 {
        out.extend([0xFF, DEFINE_RESTART_INTERVAL, 0, 4]);
        out.extend(interval.to_be_bytes());
    }
    out.extend_from_slice(&first[head.scan..head.data]);
    for (i, strip) in strips.iter().enumerate() {
        let data = segments(strip)?.data;
        let end = strip.len().checked_sub(END_OF_IMAGE.len())?;
        if strip.get(end..)? != END_OF_IMAGE {
            return None;
        }
        out.extend_from_slice(strip.get(data..end)?);
        if i + 1 < strips.len() {
            out.extend([0xFF, RESTART_0 + (i % 8) as u8]);
        }
    }
    out.extend(END_OF_IMAGE);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`compressed_within_limit`] of samples already in memory.
    fn compressed_within_limit(
        path: &Path,
        cmyk: &[u8],
        w: u16,
        h: u16,
        lower: &[f32],
    ) -> Result<Option<Vec<u8>>, MediaError> {
        let row = usize::from(w) * 4;
        let rows = |r: Range<usize>| Ok(cmyk[r.start * row..r.end * row].to_vec());
        super::compressed_within_limit(path, rows, w, h, lower)
    }

    fn decoded(jpeg: &[u8]) -> Vec<u8> {
        let options = DecoderOptions::default()
            .set_strict_mode(true)
            .jpeg_set_out_colorspace(ColorSpace::CMYK);
        JpegDecoder::new_with_options(ZCursor::new(jpeg), options)
            .decode()
            .unwrap()
    }

    /// A `w` × `h` picture of gradients, its ink held low enough that no
    /// compression error takes it past the limit.
    fn gradients(w: u16, h: u16) -> Vec<u8> {
        let (w, h) = (usize::from(w), usize::from(h));
        (0..w * h)
            .flat_map(|i| {
                let (x, y) = (i % w, i / w);
                [x % 50, y % 50, (x + y) % 50, (x * y) % 50].map(|v| v as u8)
            })
            .collect()
    }

    #[test]
    fn strips_join_into_one_jpeg_that_decodes_as_the_whole_picture_would() {
        // Two whole strips and part of a third; a width that is not whole
        // MCUs, so the right edge is padded in every strip.
        let (w, h) = (203, 300);
        let cmyk = gradients(w, h);
        let path = Path::new("gradients");
        let joined = compressed_within_limit(path, &cmyk, w, h, &[])
            .unwrap()
            .expect("within the ink limit");
        let whole = compress(path, &cmyk, w, h).unwrap();
        assert_ne!(joined, whole);
        // Restarts change how DC values are coded, not what they are.
        assert_eq!(decoded(&joined), decoded(&whole));
        let restarts = joined
            .windows(2)
            .filter(|m| m[0] == 0xFF && (RESTART_0..RESTART_0 + 8).contains(&m[1]))
            .count();
        assert_eq!(restarts, 2, "a marker between each two of three strips");
        // The file does not depend on how many cores compress it.
        for threads in [1, 3] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            let again = pool.install(|| compressed_within_limit(path, &cmyk, w, h, &[]));
            assert_eq!(again.unwrap().as_deref(), Some(&joined[..]));
        }
    }

    #[test]
    fn a_picture_of_one_strip_is_a_plain_jpeg() {
        let cmyk = gradients(64, 40);
        let path = Path::new("small");
        let one = compressed_within_limit(path, &cmyk, 64, 40, &[]).unwrap();
        assert_eq!(one, Some(compress(path, &cmyk, 64, 40).unwrap()));
    }

    #[test]
    fn one_strip_past_the_ink_limit_refuses_the_whole_jpeg() {
        let (w, h) = (64, 300);
        let mut cmyk = gradients(w, h);
        // Full ink on all four plates in the last strip only, and no
        // lower hold to try.
        let last = cmyk.len() - 64 * 4 * 8;
        cmyk[last..].fill(255);
        let refused = compressed_within_limit(Path::new("dark"), &cmyk, w, h, &[]).unwrap();
        assert_eq!(refused, None);
    }

    #[test]
    fn only_a_strip_past_the_ink_limit_is_held_lower() {
        // Gradients, and in the last strip noise at full ink, held to the
        // first limit: JPEG's error on noise takes many pixels past it.
        let (w, h) = (64, 300);
        let mut cmyk = gradients(w, h);
        let row = usize::from(w) * 4;
        let last_strip = (usize::from(h) / 128) * 128;
        let mut seed = 0x2545_f491_u32;
        for v in &mut cmyk[last_strip * row..] {
            seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            *v = 128 + (seed >> 25) as u8;
        }
        limit_ink(&mut cmyk, PRE_COMPRESSION_INK[0]);
        let path = Path::new("noise");
        assert!(
            compressed_within_limit(path, &cmyk, w, h, &[])
                .unwrap()
                .is_none(),
            "the case needs a strip that compression takes past the limit"
        );
        let jpeg = compressed_within_limit(path, &cmyk, w, h, &PRE_COMPRESSION_INK[1..])
            .unwrap()
            .expect("held lower, the strip keeps the limit");
        let out = decoded(&jpeg);
        assert!(most_ink(path, &jpeg).unwrap() <= INK_LIMIT);
        // The strips before it are as compressed the first time.
        let alone = compress(path, &cmyk[..last_strip * row], w, last_strip as u16).unwrap();
        assert_eq!(out[..last_strip * row], decoded(&alone)[..]);
    }
}
