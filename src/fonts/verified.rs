//! A record of font files whose table checksums already passed, keyed by
//! the file's identity (device, inode, size, modification and change
//! times), so a build does not read every byte of 88 MB of fonts again to
//! learn they are unchanged.
//!
//! Summing every table costs 10–14 ms and touches every page of the
//! mapped files (60 MB more resident memory, and as long again to unmap
//! at exit); an unchanged file needs none of it. The key is what fontconfig
//! and git trust for the same question: any write to a file moves its
//! change time, which no user tool can set back, so an overwritten or
//! truncated font no longer matches and is summed again. The structural
//! checks (tables inside the file, required tables present, the PDF
//! writer's parser) still run on every load: they read only the table
//! directory.
//!
//! The record lives in `$BROADSHEET_FONT_CACHE` (a file path; `off`
//! disables it), else `$XDG_CACHE_HOME/broadsheet/verified-fonts`, else
//! `$HOME/.cache/broadsheet/verified-fonts`. It only ever saves time: a
//! missing, unreadable or garbled record means every table is summed, and a
//! record that cannot be written is left alone without a word.

use std::collections::HashSet;
use std::fs::Metadata;
use std::path::PathBuf;
use std::sync::Mutex;

/// First line of the record; a record with any other first line is
/// ignored, so a future format never misleads this one.
const HEADER: &str = "broadsheet verified fonts v1";

/// How long ago a file must have changed before it is recorded. File
/// times come from a coarse clock (a few ms), so a file written again in the
/// same tick as it was verified would keep its identity; git's index meets
/// the same race the same way ("racily clean" entries are re-checked).
const SETTLE_NS: i128 = 2_000_000_000;

/// Entries kept: far more faces than any font setup has, small enough to
/// read in microseconds.
const MAX_ENTRIES: usize = 4096;

/// Who a font file is, as far as the file system can tell without reading
/// it. Two files with the same identity have the same bytes unless the
/// file system lies about change times.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) struct FileIdentity {
    device: u64,
    inode: u64,
    size: u64,
    modified_ns: i128,
    changed_ns: i128,
}

impl FileIdentity {
    /// The identity of an open file, or `None` where the platform gives no
    /// inode and change time (then every table is summed).
    pub(super) fn of(meta: &Metadata) -> Option<Self> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let ns = |s: i64, n: i64| i128::from(s) * 1_000_000_000 + i128::from(n);
            Some(Self {
                device: meta.dev(),
                inode: meta.ino(),
                size: meta.size(),
                modified_ns: ns(meta.mtime(), meta.mtime_nsec()),
                changed_ns: ns(meta.ctime(), meta.ctime_nsec()),
            })
        }
        #[cfg(not(unix))]
        {
            let _ = meta;
            None
        }
    }
}

/// One face of one file whose checksums passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Entry {
    file: FileIdentity,
    face: u32,
}

impl Entry {
    fn to_line(self) -> String {
        let f = self.file;
        format!(
            "{} {} {} {} {} {}",
            f.device, f.inode, f.size, f.modified_ns, f.changed_ns, self.face
        )
    }

    fn parse(line: &str) -> Option<Self> {
        let mut words = line.split(' ');
        let mut next = || words.next();
        let entry = Entry {
            file: FileIdentity {
                device: next()?.parse().ok()?,
                inode: next()?.parse().ok()?,
                size: next()?.parse().ok()?,
                modified_ns: next()?.parse().ok()?,
                changed_ns: next()?.parse().ok()?,
            },
            face: next()?.parse().ok()?,
        };
        next().is_none().then_some(entry)
    }
}

/// The faces known good, and those found good by this process, which are
/// added to the record by [`Verified::save`].
#[derive(Debug, Default)]
pub(super) struct Verified {
    record: Option<PathBuf>,
    /// See [`SETTLE_NS`]; tests shorten it.
    settle_ns: i128,
    known: HashSet<Entry>,
    /// Filled from the threads that inspect a folder's files.
    found: Mutex<Vec<Entry>>,
}

impl Verified {
    /// The record named by the environment (see the module doc), read.
    pub(super) fn from_env() -> Self {
        Self::at(record_path())
    }

    /// The record at `path`, trusting files changed `settle_ns` ago.
    #[cfg(test)]
    pub(super) fn settling(record: PathBuf, settle_ns: i128) -> Self {
        Self {
            settle_ns,
            ..Self::at(Some(record))
        }
    }

    /// The record at `path` (`None`: keep nothing, sum every table).
    pub(super) fn at(record: Option<PathBuf>) -> Self {
        let known = record
            .as_deref()
            .and_then(|p| std::fs::read_to_string(p).ok())
            .map(|text| parse_record(&text))
            .unwrap_or_default();
        Self {
            record,
            settle_ns: SETTLE_NS,
            known,
            found: Mutex::default(),
        }
    }

    /// Whether face `face` of the file `file` passed its checksums before.
    pub(super) fn knows(&self, file: Option<FileIdentity>, face: u32) -> bool {
        file.is_some_and(|file| self.known.contains(&Entry { file, face }))
    }

    /// Note that face `face` of `file` passed its checksums now; a file
    /// changed in the last moments is not noted (see [`SETTLE_NS`]).
    pub(super) fn found_good(&self, file: Option<FileIdentity>, face: u32) {
        let now_ns = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as i128);
        let settled = |f: &FileIdentity| f.changed_ns < now_ns - self.settle_ns;
        if let Some(file) = file.filter(settled) {
            let mut found = self.found.lock().unwrap_or_else(|e| e.into_inner());
            found.push(Entry { file, face });
        }
    }

    /// Add what this process verified to the record, replacing it whole
    /// (a temporary file renamed over it, so a reader never sees half a
    /// record). Failures are ignored: the record only saves time.
    pub(super) fn save(&mut self) {
        let found = std::mem::take(self.found.get_mut().unwrap_or_else(|e| e.into_inner()));
        let Some(path) = &self.record else {
            return;
        };
        let fresh: Vec<Entry> = found
            .into_iter()
            .filter(|e| self.known.insert(*e))
            .collect();
        if fresh.is_empty() {
            return;
        }
        // Re-read: another build may have added entries since we read it.
        let mut lines: Vec<String> = std::fs::read_to_string(path)
            .ok()
            .filter(|text| text.lines().next() == Some(HEADER))
            .map(|text| text.lines().skip(1).map(str::to_string).collect())
            .unwrap_or_default();
        lines.extend(fresh.iter().map(|e| e.to_line()));
        let keep_from = lines.len().saturating_sub(MAX_ENTRIES);
        let mut text = format!("{HEADER}\n");
        for line in &lines[keep_from..] {
            text.push_str(line);
            text.push('\n');
        }
        let _ = write_whole(path, &text);
    }
}

fn parse_record(text: &str) -> HashSet<Entry> {
    let mut lines = text.lines();
    if lines.next() != Some(HEADER) {
        return HashSet::new();
    }
    lines.filter_map(Entry::parse).collect()
}

fn write_whole(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let temp = path.with_extension(format!("{}.tmp", std::process::id()));
    std::fs::write(&temp, text)?;
    std::fs::rename(&temp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&temp);
    })
}

/// Where the record is kept (see the module doc), `None` when disabled or
/// when there is no home to keep it in.
fn record_path() -> Option<PathBuf> {
    let non_empty = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    if let Some(path) = non_empty("BROADSHEET_FONT_CACHE") {
        return (path != "off").then(|| PathBuf::from(path));
    }
    let cache = non_empty("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| non_empty("HOME").map(|home| PathBuf::from(home).join(".cache")))?;
    Some(cache.join("broadsheet").join("verified-fonts"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn identity(size: u64) -> FileIdentity {
        FileIdentity {
            device: 2049,
            inode: 77,
            size,
            modified_ns: 1_700_000_000_123_456_789,
            changed_ns: 1_700_000_001_000_000_000,
        }
    }

    #[test]
    fn entries_round_trip_through_their_line() {
        let e = Entry {
            file: identity(26_297_400),
            face: 2,
        };
        assert_eq!(Entry::parse(&e.to_line()), Some(e));
        assert_eq!(Entry::parse("1 2 3"), None);
        assert_eq!(Entry::parse(&format!("{} 9", e.to_line())), None);
    }

    #[test]
    fn a_saved_face_is_known_to_the_next_process_and_only_that_face() {
        let dir = std::env::temp_dir().join(format!("bs-verified-{}", std::process::id()));
        let path = dir.join("verified-fonts");
        let _ = std::fs::remove_dir_all(&dir);
        let mut first = Verified::at(Some(path.clone()));
        assert!(!first.knows(Some(identity(10)), 0));
        let just_now = FileIdentity {
            changed_ns: i128::MAX,
            ..identity(10)
        };
        first.found_good(Some(just_now), 0);
        first.found_good(Some(identity(10)), 0);
        first.save();
        let second = Verified::at(Some(path.clone()));
        assert!(second.knows(Some(identity(10)), 0));
        assert!(!second.knows(Some(identity(10)), 1), "another face");
        assert!(!second.knows(Some(identity(11)), 0), "another size");
        assert!(!second.knows(None, 0), "no identity, no trust");
        assert!(
            !second.knows(Some(just_now), 0),
            "changed too recently to trust"
        );
        std::fs::write(&path, "something else\n1 2 3 4 5 0\n").unwrap();
        assert!(
            Verified::at(Some(path)).known.is_empty(),
            "a foreign record is ignored"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
