//! Font database shared by shaping (text stage) and export.
//!
//! Fonts come only from files we are told about: the project's `fonts/`
//! folder and paths named in a layout file. System fonts are never consulted,
//! so a page sets the same on every machine. Each file is memory-mapped once
//! and every face of a collection (TTC) is indexed by family and weight; the
//! bytes are never copied, shaping and the PDF writer borrow the same map.

use std::fmt;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Index of a face in a [`FontDb`]. Stable for the life of the database and
/// assigned in load order, so the output does not depend on hash order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub struct FaceId(pub u32);

/// What we know about one face without keeping it parsed.
#[derive(Debug, Clone)]
pub struct FaceInfo {
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
    pub italic: bool,
    pub units_per_em: u16,
}

#[derive(Debug, thiserror::Error)]
pub enum FontError {
    #[error("{path}: cannot read font file: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: not a font file (expected TrueType, OpenType or a TTC collection)")]
    NotAFont { path: PathBuf },
    #[error(
        "{path}: face index {index} out of range: the collection has {count} face(s) (0..{count})"
    )]
    FaceOutOfRange {
        path: PathBuf,
        index: u32,
        count: u32,
    },
    #[error("font folder {path} holds no .ttf, .otf or .ttc file")]
    EmptyFolder { path: PathBuf },
}

/// The bytes of one font file, shared between faces, shaping and export.
pub type FontData = Arc<memmap2::Mmap>;

struct LoadedFace {
    info: FaceInfo,
    data: FontData,
}

/// All faces the engine may use.
#[derive(Default)]
pub struct FontDb {
    faces: Vec<LoadedFace>,
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

fn map_file(path: &Path) -> Result<FontData, FontError> {
    let io = |source| FontError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = File::open(path).map_err(io)?;
    // SAFETY: font files are read-only inputs; if another process truncates
    // one while we run, reads may fault, which is the same failure mode as
    // every other memory-mapping font stack (fontdb, Typst). The map lets us
    // share a 26 MB collection between shaping and the PDF subsetter for free.
    #[allow(unsafe_code)]
    let map = unsafe { memmap2::Mmap::map(&file) }.map_err(io)?;
    Ok(Arc::new(map))
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

impl FontDb {
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
        let mut added = 0;
        for path in paths {
            added += self.load_file(&path, None)?.len();
        }
        Ok(added)
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
        let data = map_file(path)?;
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
        let mut ids = Vec::new();
        for i in indices {
            let face = ttf_parser::Face::parse(&data, i).map_err(|_| FontError::NotAFont {
                path: path.to_path_buf(),
            })?;
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
            ids.push(FaceId(self.faces.len() as u32));
            self.faces.push(LoadedFace {
                info,
                data: data.clone(),
            });
        }
        Ok(ids)
    }

    pub fn len(&self) -> usize {
        self.faces.len()
    }

    pub fn is_empty(&self) -> bool {
        self.faces.is_empty()
    }

    pub fn ids(&self) -> impl Iterator<Item = FaceId> + '_ {
        (0..self.faces.len() as u32).map(FaceId)
    }

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

    /// Find a face by family name (any of its names, case-insensitive) and
    /// weight; the nearest weight wins, ties go to the face loaded first.
    pub fn find(&self, family: &str, weight: u16) -> Option<FaceId> {
        let wanted = family.trim();
        self.faces
            .iter()
            .enumerate()
            .filter(|(_, f)| {
                f.info
                    .families
                    .iter()
                    .any(|n| n.eq_ignore_ascii_case(wanted))
            })
            .min_by_key(|(i, f)| ((f.info.weight as i32 - weight as i32).abs(), *i))
            .map(|(i, _)| FaceId(i as u32))
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

    #[test]
    fn a_text_file_is_not_a_font() {
        let mut db = FontDb::new();
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml");
        let err = db.load_file(&path, None).unwrap_err();
        assert!(matches!(err, FontError::NotAFont { .. }), "{err}");
    }
}
