//! Font database shared by shaping (text stage) and export.
//!
//! Fonts come only from files we are told about: the project's `fonts/`
//! folder and paths named in a layout file. System fonts are never consulted,
//! so a page sets the same on every machine. Each file is memory-mapped
//! once and every face of a collection (TTC) is indexed by family and
//! weight; shaping and the PDF writer share the same bytes.
//!
//! Mapping costs nothing where reading the bundled 88 MB took 50–100 ms a
//! build. A font file truncated by another process while a build runs makes
//! the next mapped read fault (SIGBUS); the guard installed by
//! [`crate::outfile::install_signal_cleanup`] turns that into an error
//! message and exit 2 instead of a signal death. Each face is checked where it is loaded (every
//! table inside the file, the tables shaping and the PDF subsetter need
//! present, every table's checksum), so a damaged file is refused with its
//! path before composing instead of failing in the PDF writer at the end.

mod check;
mod locale;
mod verified;

pub use locale::{Locale, CENTRED_MARKS, LOCALES};

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use check::{inspect, Inspected};
use verified::{FileIdentity, Verified};

/// Index of a face in a [`FontDb`]. Stable for the life of the database and
/// assigned in load order, so the output does not depend on hash order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub struct FaceId(pub u32);

/// What we know about one face without keeping it parsed.
#[derive(Debug, Clone)]
pub struct FaceInfo {
    /// The font file the face was read from, as it was named (not
    /// canonicalised); the faces of one collection share it.
    pub path: PathBuf,
    /// Face index inside a collection; 0 for a plain font file.
    pub index: u32,
    /// Every family name the face carries (typographic and legacy, all
    /// languages), e.g. `Noto Serif CJK SC` and `Noto Serif CJK SC Bold`.
    pub families: Vec<String>,
    /// The preferred name to show users.
    pub family: String,
    /// OS/2 weight class: 400 regular, 700 bold.
    pub weight: u16,
    /// Italic or slanted: OS/2 marks the face italic, or its italic angle
    /// is not zero.
    pub italic: bool,
    /// Font units per em: divide outline and metric values by it and
    /// multiply by the size in pt to get pt.
    pub units_per_em: u16,
}

/// Why a font file or folder cannot be loaded. Every variant names the path,
/// and the build stops before composing: a page is never set with a
/// substitute font.
#[derive(Debug, thiserror::Error)]
pub enum FontError {
    /// The file or folder cannot be opened, inspected or mapped (missing,
    /// no permission); fix the path in the layout's `[fonts]` or the file.
    #[error("{path}: cannot read font file: {source}")]
    Io {
        /// The file or folder that could not be read.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// The bytes are not a font the parser recognises (wrong file, or a
    /// format such as WOFF or Type 1); convert it to TTF/OTF/TTC.
    #[error("{path}: not a font file (expected TrueType, OpenType or a TTC collection)")]
    NotAFont {
        /// The file that was read.
        path: PathBuf,
    },
    /// The layout asks for a face a collection does not have; face indices
    /// are 0-based, so use one below `count`.
    #[error(
        "{path}: face index {index} out of range: the collection has {count} face(s) (0..{count})"
    )]
    FaceOutOfRange {
        /// The collection file.
        path: PathBuf,
        /// The 0-based face index asked for.
        index: u32,
        /// How many faces the file holds.
        count: u32,
    },
    /// A font folder (the bundled `fonts/` or one under `[fonts] dirs`) has
    /// no file with a font extension; put fonts in it or drop it.
    #[error("font folder {path} holds no .ttf, .otf or .ttc file")]
    EmptyFolder {
        /// The folder that was listed.
        path: PathBuf,
    },
    /// The file parses but is truncated, lacks a table shaping or the PDF
    /// writer needs, fails a table checksum, or the PDF writer cannot read
    /// it; copy the file again from its source.
    #[error("{path}: the font file is damaged: {detail}; copy it again from where it came from")]
    Damaged {
        /// The damaged file.
        path: PathBuf,
        /// What is wrong, prefixed with `face N:` inside a collection.
        detail: String,
    },
    /// The path names a folder, device or pipe instead of a regular file;
    /// name the font file itself.
    #[error("{path}: not a regular file; a font must be a .ttf, .otf or .ttc file")]
    NotAFile {
        /// The path that was opened.
        path: PathBuf,
    },
    /// The file exceeds [`MAX_FONT_BYTES`], so it is refused unread (most
    /// likely not a font at all); name the right file.
    #[error("{path}: {size} bytes is larger than any font ({MAX_FONT_BYTES} bytes at most)")]
    TooLarge {
        /// The file that was refused.
        path: PathBuf,
        /// Its size in bytes.
        size: u64,
    },
}

/// The largest font file read: well above the largest CJK collections
/// (about 120 MB), far below what would exhaust memory.
pub const MAX_FONT_BYTES: u64 = 512 * 1024 * 1024;

/// The bytes of one font file, memory-mapped and shared between faces,
/// shaping and export. Mapping costs nothing where reading the bundled 88 MB
/// took 50–100 ms a build; a file truncated while mapped would make the next
/// read a SIGBUS, which [`crate::outfile::install_signal_cleanup`] turns
/// into a clear error and exit 2.
pub type FontData = Arc<memmap2::Mmap>;

struct LoadedFace {
    info: FaceInfo,
    data: FontData,
}

/// All faces the engine may use.
pub struct FontDb {
    faces: Vec<LoadedFace>,
    verified: Verified,
}

impl Default for FontDb {
    fn default() -> Self {
        Self {
            faces: Vec::new(),
            verified: Verified::from_env(),
        }
    }
}

impl fmt::Debug for FontDb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.faces.iter().map(|face| &face.info))
            .finish()
    }
}

fn is_font_file(path: &Path) -> bool {
    matches!(
        path.extension()
            .and_then(|e| e.to_str())
            .map(|e| e.to_ascii_lowercase())
            .as_deref(),
        Some("ttf" | "otf" | "ttc" | "otc")
    )
}

fn read_file(path: &Path) -> Result<(FontData, Option<FileIdentity>), FontError> {
    let io = |source| FontError::Io {
        path: path.to_path_buf(),
        source,
    };
    // Looked at before opening: opening a FIFO for reading blocks until a
    // writer comes, so a pipe named `x.ttf` in a font folder would hang.
    if !std::fs::metadata(path).map_err(io)?.is_file() {
        return Err(FontError::NotAFile {
            path: path.to_path_buf(),
        });
    }
    let file = std::fs::File::open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if meta.len() > MAX_FONT_BYTES {
        return Err(FontError::TooLarge {
            path: path.to_path_buf(),
            size: meta.len(),
        });
    }
    // SAFETY: the map is read-only and private to us; the one way it can
    // fail later — another process truncating the file — raises SIGBUS,
    // which the signal guard reports as an error instead of a crash.
    #[expect(unsafe_code, reason = "memory-mapping a font file")]
    let map = unsafe { memmap2::Mmap::map(&file) }.map_err(io)?;
    Ok((Arc::new(map), FileIdentity::of(&meta)))
}

impl FontDb {
    /// An empty database; faces are added with [`FontDb::load_dir`] and
    /// [`FontDb::load_file`].
    pub fn new() -> Self {
        Self::default()
    }

    /// Load every font file in `dir` (not recursive), in file-name order.
    pub fn load_dir(&mut self, dir: &Path) -> Result<usize, FontError> {
        let entries = std::fs::read_dir(dir).map_err(|source| FontError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        let mut paths: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| is_font_file(p))
            .collect();
        paths.sort();
        if paths.is_empty() {
            return Err(FontError::EmptyFolder {
                path: dir.to_path_buf(),
            });
        }
        // Checking every table's checksum dominates loading: inspect the
        // files in parallel, then index them in file-name order so face ids
        // stay the same on every run.
        use rayon::prelude::*;
        let inspected: Vec<(PathBuf, Inspected)> = paths
            .into_par_iter()
            .map(|p| {
                let faces = (!self.has_file(&p)).then(|| {
                    let (data, identity) = read_file(&p)?;
                    let count = ttf_parser::fonts_in_collection(&data).unwrap_or(1);
                    let all: Vec<u32> = (0..count).collect();
                    let file = check::File {
                        path: &p,
                        data: &data,
                        identity,
                    };
                    inspect(file, &all, count, &self.verified)
                });
                (p, faces)
            })
            .collect();
        let mut added = 0;
        for (path, faces) in inspected {
            added += match faces {
                Some(faces) => {
                    let faces = faces?;
                    let n = faces.len();
                    self.faces.extend(faces);
                    n
                }
                None => self.load_file(&path, None)?.len(),
            };
        }
        self.verified.save();
        Ok(added)
    }

    fn has_file(&self, path: &Path) -> bool {
        self.faces.iter().any(|f| f.info.path == path)
    }

    /// Load one file. With `index` only that face of a collection is added,
    /// otherwise all of them. Returns the ids of the faces added.
    pub fn load_file(&mut self, path: &Path, index: Option<u32>) -> Result<Vec<FaceId>, FontError> {
        if let Some(existing) = self.faces.iter().position(|f| f.info.path == path) {
            // The same file named twice (fonts/ and a layout path): reuse it.
            let ids: Vec<FaceId> = (existing..self.faces.len())
                .filter(|&i| self.faces[i].info.path == path)
                .filter(|&i| index.is_none_or(|want| self.faces[i].info.index == want))
                .map(|i| FaceId(i as u32))
                .collect();
            if !ids.is_empty() {
                return Ok(ids);
            }
        }
        let (data, identity) = read_file(path)?;
        let ids = self.add_file(path, data, identity, index);
        self.verified.save();
        ids
    }

    /// Index the faces of a file already read (see [`FontDb::load_file`]).
    fn add_file(
        &mut self,
        path: &Path,
        data: FontData,
        identity: Option<FileIdentity>,
        index: Option<u32>,
    ) -> Result<Vec<FaceId>, FontError> {
        let count = ttf_parser::fonts_in_collection(&data).unwrap_or(1);
        let indices: Vec<u32> = match index {
            Some(i) if i >= count => {
                return Err(FontError::FaceOutOfRange {
                    path: path.to_path_buf(),
                    index: i,
                    count,
                })
            }
            Some(i) => vec![i],
            None => (0..count).collect(),
        };
        let file = check::File {
            path,
            data: &data,
            identity,
        };
        let faces = inspect(file, &indices, count, &self.verified)?;
        let mut ids = Vec::new();
        for face in faces {
            ids.push(FaceId(self.faces.len() as u32));
            self.faces.push(face);
        }
        Ok(ids)
    }

    /// Number of faces loaded (a collection counts each of its faces).
    pub fn len(&self) -> usize {
        self.faces.len()
    }

    /// Whether no face has been loaded yet.
    pub fn is_empty(&self) -> bool {
        self.faces.is_empty()
    }

    /// Every face's id, in load order.
    pub fn ids(&self) -> impl Iterator<Item = FaceId> + '_ {
        (0..self.faces.len() as u32).map(FaceId)
    }

    /// What is known about a face (file, names, weight). `id` must come from
    /// this database; one past its end panics.
    pub fn info(&self, id: FaceId) -> &FaceInfo {
        &self.faces[id.0 as usize].info
    }

    /// The whole file the face lives in (a collection for TTC faces).
    pub fn data(&self, id: FaceId) -> &FontData {
        &self.faces[id.0 as usize].data
    }

    /// Parse the face for shaping. Cheap (tables are read lazily), but callers
    /// that shape many strings should keep the result.
    pub fn rb_face(&self, id: FaceId) -> rustybuzz::Face<'_> {
        let face = &self.faces[id.0 as usize];
        rustybuzz::Face::from_slice(&face.data, face.info.index)
            .expect("face was parsed successfully when it was loaded")
    }

    /// Parse the face for metrics and coverage.
    pub fn ttf_face(&self, id: FaceId) -> ttf_parser::Face<'_> {
        let face = &self.faces[id.0 as usize];
        ttf_parser::Face::parse(&face.data, face.info.index)
            .expect("face was parsed successfully when it was loaded")
    }

    /// Faces whose names include `family` (case-insensitive), in load order.
    fn family_faces<'a>(
        &'a self,
        family: &'a str,
    ) -> impl Iterator<Item = (usize, &'a LoadedFace)> {
        let wanted = family.trim();
        self.faces.iter().enumerate().filter(move |(_, f)| {
            f.info
                .families
                .iter()
                .any(|n| n.eq_ignore_ascii_case(wanted))
        })
    }

    /// Find a face by family name (any of its names, case-insensitive) and
    /// exact weight; of several, the face loaded first. Another weight is
    /// never substituted: a bold set where regular was asked is a wrong
    /// page, so callers report [`FontDb::weights`] instead.
    pub fn find(&self, family: &str, weight: u16) -> Option<FaceId> {
        self.family_faces(family)
            .find(|(_, f)| f.info.weight == weight)
            .map(|(i, _)| FaceId(i as u32))
    }

    /// The weights loaded for a family, ascending, without duplicates.
    pub fn weights(&self, family: &str) -> Vec<u16> {
        let mut w: Vec<u16> = self
            .family_faces(family)
            .map(|(_, f)| f.info.weight)
            .collect();
        w.sort_unstable();
        w.dedup();
        w
    }

    /// Family names known to the database, sorted and without duplicates.
    pub fn family_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.faces.iter().map(|f| f.info.family.clone()).collect();
        names.sort();
        names.dedup();
        names
    }
}

/// The bundled font folder (see [`crate::bundle`] for where it is looked up).
pub fn bundled_font_dir() -> PathBuf {
    crate::bundle::path("fonts")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bundled() -> FontDb {
        let mut db = FontDb::new();
        db.load_dir(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fonts"))
            .unwrap();
        db
    }

    #[test]
    fn bundled_fonts_cover_the_four_styles() {
        let db = bundled();
        let song = db.find("Noto Serif CJK SC", 400).unwrap();
        assert_eq!(db.info(song).index, 2, "face 2 of the collection is SC");
        let biaosong = db.find("Noto Serif CJK SC", 700).unwrap();
        assert_eq!(db.info(biaosong).weight, 700);
        let hei = db.find("noto sans cjk sc", 700).unwrap();
        assert_eq!(db.info(hei).weight, 700);
        assert!(db.find("LXGW WenKai", 400).is_some());
        assert!(db.find("Comic Sans", 400).is_none());
        // Only the bold of the sans is bundled: no other weight stands in.
        assert!(db.find("Noto Sans CJK SC", 400).is_none());
        assert_eq!(db.weights("Noto Sans CJK SC"), [700]);
        assert_eq!(db.weights("noto serif cjk sc"), [400, 700]);
    }

    #[test]
    fn face_index_out_of_range_is_an_error() {
        let mut db = FontDb::new();
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fonts/NotoSansCJK-Bold.ttc");
        let err = db.load_file(&path, Some(99)).unwrap_err();
        assert!(
            err.to_string().contains("face index 99 out of range"),
            "{err}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_pipe_named_like_a_font_is_refused_not_waited_on() {
        let dir =
            std::env::temp_dir().join(format!("broadsheet-fonts-pipe-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let pipe = dir.join("pipe.ttf");
        let made = std::process::Command::new("mkfifo")
            .arg(&pipe)
            .status()
            .unwrap();
        assert!(made.success());
        let (tx, rx) = std::sync::mpsc::channel();
        let folder = dir.clone();
        std::thread::spawn(move || {
            let _ = tx.send(FontDb::new().load_dir(&folder).map(|_| ()));
        });
        let result = rx
            .recv_timeout(std::time::Duration::from_secs(20))
            .expect("loading a folder with a pipe in it hung");
        assert!(
            matches!(result, Err(FontError::NotAFile { .. })),
            "{result:?}"
        );
        std::fs::remove_dir_all(dir).unwrap();
    }

    /// A scratch copy of a bundled font, changed by `damage`.
    fn scratch_font(name: &str, damage: impl FnOnce(&mut Vec<u8>)) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("broadsheet-fonts-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fonts/LXGWWenKai-Regular.ttf");
        let mut bytes = std::fs::read(src).unwrap();
        damage(&mut bytes);
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }

    #[test]
    fn a_truncated_font_is_refused_naming_file_and_table() {
        let path = scratch_font("truncated.ttf", |b| b.truncate(8_000_000));
        let err = FontDb::new().load_file(&path, None).unwrap_err();
        let text = err.to_string();
        assert!(matches!(err, FontError::Damaged { .. }), "{text}");
        assert!(text.contains("truncated.ttf"), "{text}");
        assert!(
            text.contains("(the file is truncated)")
                && text.contains("but the file has 8000000 bytes"),
            "{text}"
        );
        std::fs::remove_file(path).unwrap();
    }

    #[test]
    fn an_overwritten_font_is_refused_by_its_checksum() {
        // Bytes inside `glyf` scrambled: the face parses and passed `check`,
        // and the PDF subsetter failed at the end of the build.
        let path = scratch_font("overwritten.ttf", |b| {
            for (i, byte) in b[5_000_000..5_004_000].iter_mut().enumerate() {
                *byte = (i as u8).wrapping_mul(31) ^ 0x5a;
            }
        });
        let err = FontDb::new().load_file(&path, None).unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("overwritten.ttf")
                && text.contains("table `glyf` does not match its checksum"),
            "{text}"
        );
        std::fs::remove_file(path).unwrap();
    }

    #[test]
    fn a_font_overwritten_after_it_was_verified_is_summed_again_and_refused() {
        let path = scratch_font("verified-then-overwritten.ttf", |_| {});
        let record = path.with_extension("record");
        let _ = std::fs::remove_file(&record);
        let with_record = || FontDb {
            faces: Vec::new(),
            verified: Verified::settling(record.clone(), 0),
        };
        with_record().load_file(&path, None).unwrap();
        // Well past the file clock's tick, so the write below moves the
        // change time (the record itself waits 2 s for the same reason).
        std::thread::sleep(std::time::Duration::from_millis(50));
        let text = std::fs::read_to_string(&record).unwrap();
        assert_eq!(text.lines().count(), 2, "header and the one face: {text}");
        // Same size, same modification time: only the change time tells.
        let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
        let mut bytes = std::fs::read(&path).unwrap();
        let glyf = bytes.windows(4).position(|w| w == b"glyf").unwrap();
        let offset = u32::from_be_bytes(bytes[glyf + 8..glyf + 12].try_into().unwrap()) as usize;
        bytes[offset + 40] ^= 0xff;
        let file = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
        std::io::Write::write_all(&mut &file, &bytes).unwrap();
        file.set_modified(modified).unwrap();
        drop(file);
        let err = with_record().load_file(&path, None).unwrap_err();
        assert!(
            err.to_string().contains("does not match its checksum"),
            "{err}"
        );
        std::fs::remove_file(path).unwrap();
        std::fs::remove_file(record).unwrap();
    }

    #[test]
    fn a_text_file_is_not_a_font() {
        let mut db = FontDb::new();
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml");
        let err = db.load_file(&path, None).unwrap_err();
        assert!(matches!(err, FontError::NotAFont { .. }), "{err}");
    }
}
