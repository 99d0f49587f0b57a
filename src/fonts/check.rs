//! Checking a font file before it is used: every table inside the file,
//! the tables shaping and the PDF subsetter need present, every table's
//! checksum, and the PDF writer's own parser. A damaged file is refused
//! with its path before composing instead of failing in the PDF writer at
//! the end.

use std::collections::HashSet;
use std::path::Path;

use std::sync::Arc;

use super::verified::{FileIdentity, Verified};
use super::{FaceInfo, FontData, FontError, LoadedFace};

/// A font file being loaded: where it was named, its mapped bytes, and who
/// it is on disk (for the record of files already verified).
#[derive(Clone, Copy)]
pub(super) struct File<'a> {
    pub(super) path: &'a Path,
    pub(super) data: &'a FontData,
    pub(super) identity: Option<FileIdentity>,
}
/// The OpenType table checksum: the sum of big-endian u32 words, the last
/// one padded with zeros.
fn checksum(bytes: &[u8]) -> u32 {
    let words = bytes.chunks_exact(4);
    let tail = words.remainder();
    let mut sum = words.fold(0u32, |acc, w| {
        acc.wrapping_add(u32::from_be_bytes([w[0], w[1], w[2], w[3]]))
    });
    if !tail.is_empty() {
        let mut last = [0u8; 4];
        last[..tail.len()].copy_from_slice(tail);
        sum = sum.wrapping_add(u32::from_be_bytes(last));
    }
    sum
}

/// Why one face of `data` cannot be used, if it cannot: a table outside
/// the file (truncated), a table shaping or the PDF subsetter needs missing,
/// or a table whose bytes no longer match its checksum (overwritten).
/// `checked` holds the tables already verified, shared by a collection's
/// faces; a face `trusted` (verified by an earlier build, file unchanged
/// since) skips the sums, which are what touches every byte.
fn damage(
    data: &[u8],
    index: u32,
    checked: &mut HashSet<(u32, u32)>,
    trusted: bool,
) -> Option<String> {
    let raw = ttf_parser::RawFace::parse(data, index).ok()?;
    let mut tags = Vec::new();
    for record in raw.table_records {
        let tag = record.tag.to_string();
        let (start, len) = (record.offset as usize, record.length as usize);
        let Some(bytes) = start.checked_add(len).and_then(|end| data.get(start..end)) else {
            return Some(format!(
                "table `{tag}` ends at byte {} but the file has {} bytes (the file is truncated)",
                start as u64 + len as u64,
                data.len()
            ));
        };
        tags.push(tag.clone());
        if trusted || !checked.insert((record.offset, record.length)) {
            continue;
        }
        let sum = if tag == "head" && bytes.len() >= 12 {
            // `head` is summed with its whole-file adjustment taken as 0.
            let mut head = bytes.to_vec();
            head[8..12].fill(0);
            checksum(&head)
        } else {
            checksum(bytes)
        };
        // A digital signature is often left stale by font tools and is
        // never read here.
        if sum != record.check_sum && tag != "DSIG" {
            return Some(format!(
                "table `{tag}` does not match its checksum (its bytes were changed after the font was made)"
            ));
        }
    }
    let has = |t: &str| tags.iter().any(|x| x == t);
    for needed in ["head", "hhea", "maxp", "hmtx", "cmap", "name"] {
        if !has(needed) {
            return Some(format!("the required table `{needed}` is missing"));
        }
    }
    if !(has("glyf") && has("loca") || has("CFF ") || has("CFF2")) {
        return Some("it has no outlines (neither `glyf` and `loca` nor `CFF`)".into());
    }
    None
}

fn read_names(face: &ttf_parser::Face<'_>) -> (Vec<String>, String) {
    use ttf_parser::name_id;
    let mut families = Vec::new();
    let mut preferred = None;
    let mut legacy = None;
    for name in face.names() {
        if name.name_id != name_id::TYPOGRAPHIC_FAMILY && name.name_id != name_id::FAMILY {
            continue;
        }
        let Some(text) = name.to_string() else {
            continue;
        };
        if name.language_id == 0x0409 {
            if name.name_id == name_id::TYPOGRAPHIC_FAMILY {
                preferred.get_or_insert_with(|| text.clone());
            } else {
                legacy.get_or_insert_with(|| text.clone());
            }
        }
        if !families.contains(&text) {
            families.push(text);
        }
    }
    let family = preferred
        .or(legacy)
        .or_else(|| families.first().cloned())
        .unwrap_or_default();
    (families, family)
}

/// The faces of one file of a folder, checked; `None` when the file is
/// already loaded.
pub(super) type Inspected = Option<Result<Vec<LoadedFace>, FontError>>;

/// Check and index the faces `indices` of a file: every check of
/// [`damage`], the PDF writer's parser, the names. Free of shared state but
/// the record of verified faces, so the files of a folder are inspected in
/// parallel.
pub(super) fn inspect(
    file: File<'_>,
    indices: &[u32],
    count: u32,
    verified: &Verified,
) -> Result<Vec<LoadedFace>, FontError> {
    let File {
        path,
        data,
        identity,
    } = file;
    let mut faces = Vec::new();
    let mut checked = HashSet::new();
    for &i in indices {
        let face = ttf_parser::Face::parse(data, i).map_err(|_| FontError::NotAFont {
            path: path.to_path_buf(),
        })?;
        let damaged = |detail: String| FontError::Damaged {
            path: path.to_path_buf(),
            detail: if count > 1 {
                format!("face {i}: {detail}")
            } else {
                detail
            },
        };
        let trusted = verified.knows(identity, i);
        if let Some(detail) = damage(data, i, &mut checked, trusted) {
            return Err(damaged(detail));
        }
        // The PDF writer reads the face with its own parser.
        let shared: Arc<dyn AsRef<[u8]> + Send + Sync> = data.clone();
        if krilla::text::Font::new(shared.into(), i).is_none() {
            return Err(damaged("the PDF writer cannot read it".into()));
        }
        let (families, family) = read_names(&face);
        let info = FaceInfo {
            path: path.to_path_buf(),
            index: i,
            families,
            family,
            weight: face.weight().to_number(),
            italic: face.is_italic(),
            units_per_em: face.units_per_em(),
        };
        if !trusted {
            verified.found_good(identity, i);
        }
        faces.push(LoadedFace {
            info,
            data: data.clone(),
        });
    }
    Ok(faces)
}

#[cfg(test)]
mod tests {
    use super::checksum;

    #[test]
    fn checksums_follow_the_opentype_rule() {
        assert_eq!(checksum(&[0, 0, 0, 1, 0, 0, 0, 2]), 3);
        // A last partial word is padded with zeros.
        assert_eq!(checksum(&[0, 0, 0, 1, 1]), 1 + 0x0100_0000);
        assert_eq!(checksum(&[0xff; 8]), 0xffff_fffe);
    }
}
