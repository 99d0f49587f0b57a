//! Prepared assets kept on disk between builds, so an unchanged photograph
//! is converted to CMYK and compressed once, not on every build (that is
//! about 60 ms of CPU for a 1600 × 1067 photograph, more than a whole front
//! page without pictures takes).
//!
//! An entry is keyed like the verified-font record (`src/fonts/verified.rs`)
//! by the source file's identity (device, inode, size, modification and
//! change times), plus a hash of the output profile's bytes and
//! [`LOADER_VERSION`], so a new photograph, another profile or a change in
//! how pictures are prepared each prepare it again. A file changed in the
//! last [`SETTLE_NS`] is not stored (git's "racily clean" rule: a second
//! write in the same clock tick would keep the identity).
//!
//! The folder is `$BROADSHEET_MEDIA_CACHE` (`off` disables it), else
//! `$XDG_CACHE_HOME/broadsheet/media`, else `$HOME/.cache/broadsheet/media`.
//! It only ever saves time: an entry is checked against its length and a
//! CRC-32 of its bytes when read, and a missing, stale, foreign or damaged
//! one is prepared again and replaced. Entries are written to a temporary
//! file renamed into place, so a build running alongside reads a whole
//! entry or none. A folder that cannot be written costs one warning.

use std::fs::Metadata;
use std::hash::Hasher;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

use siphasher::sip128::{Hasher128, SipHasher13};

use super::{AssetData, AssetKind, PdfPage, Prepared};

/// Changed whenever what a loader makes from the same file changes
/// (conversion, ink limit, compression): entries of another version are
/// prepared again.
pub const LOADER_VERSION: u32 = 4;

/// First bytes of every entry.
const MAGIC: &[u8; 16] = b"broadsheet-media";

/// See the module doc.
const SETTLE_NS: i128 = 2_000_000_000;

/// Above this many bytes of entries, the oldest written are removed after
/// a write: a year of daily front pages' photographs fits.
const MAX_CACHE_BYTES: u64 = 1 << 30;

/// Where prepared assets are kept.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum MediaCache {
    /// `$BROADSHEET_MEDIA_CACHE`, else the user's cache folder (see the
    /// module doc).
    #[default]
    FromEnvironment,
    /// Nothing is kept; every build prepares every file.
    Off,
    /// This folder.
    Dir(PathBuf),
}

impl MediaCache {
    /// The folder entries go in, `None` when caching is off.
    pub(super) fn folder(&self) -> Option<PathBuf> {
        match self {
            MediaCache::Off => None,
            MediaCache::Dir(dir) => Some(dir.clone()),
            MediaCache::FromEnvironment => {
                let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
                folder_from(
                    var("BROADSHEET_MEDIA_CACHE"),
                    var("XDG_CACHE_HOME"),
                    var("HOME"),
                )
            }
        }
    }
}

/// The cache folder from the three variables' values.
fn folder_from(
    named: Option<std::ffi::OsString>,
    xdg: Option<std::ffi::OsString>,
    home: Option<std::ffi::OsString>,
) -> Option<PathBuf> {
    if let Some(named) = named {
        return (named != "off").then(|| PathBuf::from(named));
    }
    let cache = xdg
        .map(PathBuf::from)
        .or_else(|| home.map(|h| PathBuf::from(h).join(".cache")))?;
    Some(cache.join("broadsheet").join("media"))
}

/// A stable 128-bit hash (fixed keys, unlike std's hasher, so entries
/// outlive a compiler upgrade).
fn hash128(parts: &[&[u8]]) -> u128 {
    let mut hasher = SipHasher13::new_with_keys(0x6272_6f61_6473_6865, 0x6574_2d6d_6564_6961);
    for part in parts {
        hasher.write_usize(part.len());
        hasher.write(part);
    }
    hasher.finish128().as_u128()
}

/// A hash of the output profile's bytes.
pub(super) fn profile_hash(profile: &[u8]) -> u128 {
    hash128(&[profile])
}

/// Who a file is and what it is prepared for; equal keys, equal entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Key {
    device: u64,
    inode: u64,
    size: u64,
    modified_ns: i128,
    changed_ns: i128,
    page: u64,
    profile: u128,
    version: u32,
}

/// Bytes of a key as stored.
const KEY_BYTES: usize = 8 * 3 + 16 * 2 + 8 + 16 + 4;

impl Key {
    /// The key of the file whose metadata is `meta`, or `None` where the
    /// platform gives no inode and change time (then nothing is cached).
    pub(super) fn of(meta: &Metadata, page: PdfPage, profile: u128) -> Option<Self> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let ns = |s: i64, n: i64| i128::from(s) * 1_000_000_000 + i128::from(n);
            meta.is_file().then(|| Key {
                device: meta.dev(),
                inode: meta.ino(),
                size: meta.size(),
                modified_ns: ns(meta.mtime(), meta.mtime_nsec()),
                changed_ns: ns(meta.ctime(), meta.ctime_nsec()),
                page: page as u64,
                profile,
                version: LOADER_VERSION,
            })
        }
        #[cfg(not(unix))]
        {
            let _ = (meta, page, profile);
            None
        }
    }

    fn bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(KEY_BYTES);
        out.extend(self.device.to_le_bytes());
        out.extend(self.inode.to_le_bytes());
        out.extend(self.size.to_le_bytes());
        out.extend(self.modified_ns.to_le_bytes());
        out.extend(self.changed_ns.to_le_bytes());
        out.extend(self.page.to_le_bytes());
        out.extend(self.profile.to_le_bytes());
        out.extend(self.version.to_le_bytes());
        out
    }

    /// The entry's file name: the same file, page, profile and loader
    /// always land in the same entry, so a changed file replaces its old
    /// entry; two versions of broadsheet sharing the folder (an upgrade
    /// tried beside the old one) keep an entry each instead of preparing
    /// the photograph again every time they alternate. Old versions'
    /// entries go with the oldest when the folder is pruned.
    fn file_name(&self) -> String {
        let slot = hash128(&[
            &self.device.to_le_bytes(),
            &self.inode.to_le_bytes(),
            &self.page.to_le_bytes(),
            &self.profile.to_le_bytes(),
            &self.version.to_le_bytes(),
        ]);
        format!("{slot:032x}.prepared")
    }

    /// Whether the file had settled when `now_ns` was read.
    pub(super) fn settled(&self, now_ns: i128) -> bool {
        self.changed_ns < now_ns - SETTLE_NS && self.modified_ns < now_ns - SETTLE_NS
    }
}

/// Nanoseconds since the epoch.
pub(super) fn now_ns() -> i128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as i128)
}

fn kind_code(kind: AssetKind) -> u8 {
    match kind {
        AssetKind::CmykJpeg => 1,
        AssetKind::ConvertedCmyk => 2,
        AssetKind::Gray => 3,
        AssetKind::Pdf => 4,
    }
}

fn kind_of(code: u8) -> Option<AssetKind> {
    Some(match code {
        1 => AssetKind::CmykJpeg,
        2 => AssetKind::ConvertedCmyk,
        3 => AssetKind::Gray,
        4 => AssetKind::Pdf,
        _ => return None,
    })
}

/// The data's form and bytes.
fn data_parts(data: &AssetData) -> (u8, &[u8]) {
    match data {
        AssetData::Jpeg(b) => (1, b),
        AssetData::Cmyk(b) => (2, b),
        AssetData::Gray(b) => (3, b),
        AssetData::Pdf(b, _) => (4, b),
    }
}

/// An entry: magic, key, kind, pixels, natural size, data form, data
/// length, data, then a CRC-32 of everything before it.
fn encode(key: &Key, prepared: &Prepared) -> Vec<u8> {
    let (form, data) = data_parts(&prepared.data);
    let mut out = Vec::with_capacity(MAGIC.len() + KEY_BYTES + 32 + data.len());
    out.extend(MAGIC);
    out.extend(key.bytes());
    out.push(kind_code(prepared.kind));
    out.extend(prepared.pixels.0.to_le_bytes());
    out.extend(prepared.pixels.1.to_le_bytes());
    out.extend(prepared.natural.0.to_bits().to_le_bytes());
    out.extend(prepared.natural.1.to_bits().to_le_bytes());
    out.push(form);
    out.extend((data.len() as u64).to_le_bytes());
    out.extend(data);
    let crc = crc32fast::hash(&out);
    out.extend(crc.to_le_bytes());
    out
}

/// Reads an entry front to back.
struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.bytes.len() < n {
            return None;
        }
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Some(head)
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
    fn u8(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }
}

/// The prepared asset in `entry` if it is whole and is `key`'s.
fn decode(key: &Key, entry: &[u8]) -> Option<Prepared> {
    let (body, crc) = entry.split_at(entry.len().checked_sub(4)?);
    if crc32fast::hash(body).to_le_bytes() != crc {
        return None;
    }
    let mut r = Reader { bytes: body };
    if r.take(MAGIC.len())? != MAGIC || r.take(KEY_BYTES)? != key.bytes() {
        return None;
    }
    let kind = kind_of(r.u8()?)?;
    let pixels = (r.u32()?, r.u32()?);
    let natural = (f32::from_bits(r.u32()?), f32::from_bits(r.u32()?));
    let form = r.u8()?;
    let len = usize::try_from(r.u64()?).ok()?;
    if r.bytes.len() != len {
        return None;
    }
    let bytes = Arc::new(r.bytes.to_vec());
    let data = match form {
        1 => AssetData::Jpeg(bytes),
        2 => AssetData::Cmyk(bytes),
        3 => AssetData::Gray(bytes),
        4 => AssetData::Pdf(bytes, usize::try_from(key.page).ok()?),
        _ => return None,
    };
    Some(Prepared {
        kind,
        pixels,
        natural,
        data,
    })
}

/// The entry kept for `key` in `folder`, if there is a good one.
pub(super) fn read(folder: &Path, key: &Key) -> Option<Prepared> {
    let entry = std::fs::read(folder.join(key.file_name())).ok()?;
    decode(key, &entry)
}

/// Keep `prepared` for `key` in `folder`; a failure is reported once per
/// process and otherwise ignored.
pub(super) fn write(folder: &Path, key: &Key, prepared: &Prepared) {
    static WARNED: AtomicBool = AtomicBool::new(false);
    if let Err(e) = write_entry(folder, key, prepared) {
        if !WARNED.swap(true, Ordering::Relaxed) {
            eprintln!(
                "warning: cannot keep prepared pictures in {} ({e}); they are prepared again on every build (BROADSHEET_MEDIA_CACHE=off silences this)",
                folder.display()
            );
        }
    }
}

fn write_entry(folder: &Path, key: &Key, prepared: &Prepared) -> std::io::Result<()> {
    static TEMP: AtomicU64 = AtomicU64::new(0);
    std::fs::create_dir_all(folder)?;
    let path = folder.join(key.file_name());
    let temp = path.with_extension(format!(
        "{}-{}.tmp",
        std::process::id(),
        TEMP.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::write(&temp, encode(key, prepared))
        .and_then(|()| std::fs::rename(&temp, &path))
        .inspect_err(|_| {
            let _ = std::fs::remove_file(&temp);
        })?;
    prune(folder, &path);
    Ok(())
}

/// Remove the oldest entries while the folder holds more than
/// [`MAX_CACHE_BYTES`]; `keep` is the entry just written.
fn prune(folder: &Path, keep: &Path) {
    let Ok(listing) = std::fs::read_dir(folder) else {
        return;
    };
    let mut entries: Vec<(std::time::SystemTime, u64, PathBuf)> = listing
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "prepared"))
        .filter_map(|e| {
            let meta = e.metadata().ok()?;
            Some((meta.modified().ok()?, meta.len(), e.path()))
        })
        .collect();
    let mut total: u64 = entries.iter().map(|e| e.1).sum();
    entries.sort();
    for (_, len, path) in entries {
        if total <= MAX_CACHE_BYTES {
            break;
        }
        if path != keep && std::fs::remove_file(&path).is_ok() {
            total -= len;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> Key {
        Key {
            device: 1,
            inode: 2,
            size: 3,
            modified_ns: 4,
            changed_ns: 5,
            page: 0,
            profile: 6,
            version: LOADER_VERSION,
        }
    }

    #[test]
    fn an_entry_round_trips_and_any_damage_or_other_key_is_refused() {
        let prepared = Prepared {
            kind: AssetKind::ConvertedCmyk,
            pixels: (2, 1),
            natural: (2.0, 1.0),
            data: AssetData::Cmyk(Arc::new(vec![1, 2, 3, 4, 5, 6, 7, 8])),
        };
        let entry = encode(&key(), &prepared);
        let back = decode(&key(), &entry).expect("a whole entry");
        assert_eq!(
            (back.kind, back.pixels, back.natural),
            (AssetKind::ConvertedCmyk, (2, 1), (2.0, 1.0))
        );
        assert!(matches!(back.data, AssetData::Cmyk(b) if *b == [1, 2, 3, 4, 5, 6, 7, 8]));
        for at in 0..entry.len() {
            let mut bad = entry.clone();
            bad[at] ^= 0x10;
            assert!(decode(&key(), &bad).is_none(), "byte {at} flipped");
        }
        assert!(decode(&key(), &entry[..entry.len() - 1]).is_none());
        let newer = Key {
            changed_ns: 9,
            ..key()
        };
        assert!(decode(&newer, &entry).is_none(), "a changed file");
        let other = Key {
            version: LOADER_VERSION + 1,
            ..key()
        };
        assert!(decode(&other, &entry).is_none(), "another loader");
        assert_eq!(newer.file_name(), key().file_name(), "replaces its entry");
        assert_ne!(other.file_name(), key().file_name(), "an entry a loader");
    }

    #[test]
    fn the_folder_comes_from_the_environment() {
        let os = |s: &str| Some(std::ffi::OsString::from(s));
        assert_eq!(folder_from(os("off"), os("/x"), os("/h")), None);
        assert_eq!(folder_from(os("/c"), None, None), Some(PathBuf::from("/c")));
        assert_eq!(
            folder_from(None, os("/x"), os("/h")),
            Some(PathBuf::from("/x/broadsheet/media"))
        );
        assert_eq!(
            folder_from(None, None, os("/h")),
            Some(PathBuf::from("/h/.cache/broadsheet/media"))
        );
        assert_eq!(folder_from(None, None, None), None);
    }
}
